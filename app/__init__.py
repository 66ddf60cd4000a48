"""Concord's engine: read exports, understand their columns, match, reconcile, write back.

The engine never imports Qt; the desktop app in ``ui`` adapts it, and so do the
``concord`` command and the tests.
"""

__version__ = "0.1.0"
