"""Pages whose refresh costs time (an audit log that grows every day, the whole list of
fixes) refresh at once only while on screen; a hidden one refreshes when next shown."""

from __future__ import annotations

from typing import Any


class QtRefreshWhenShown:
    """Mix into a ``QWidget`` page (before it) that has a ``refresh()`` method."""

    _stale = True

    def changed(self) -> None:
        """The data behind the page changed."""
        self._stale = True
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: Any) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)  # type: ignore[misc]
