"""Concord's desktop app (PySide6): adapts the engine in ``app`` to windows and nothing else."""
