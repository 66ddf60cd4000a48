"""Render every main screen to PNG, in English and Chinese, on the demo data.

    python -m ui.screenshots --out docs/screenshots

Runs offscreen (QT_QPA_PLATFORM=offscreen) or on a real display; used for the README and
to look at the app as a clerk would.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer

from ui.app import make_application, make_window
from ui.i18n import set_language
from ui.qt_main_window import PAGES

SIZE = (1400, 860)


def wait(window, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Process events until the demo run is done."""
    loop = QEventLoop()
    window.state.sessionChanged.connect(loop.quit)
    window.state.failed.connect(lambda message: (print(message), loop.quit()))
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def settle(app, rounds: int = 5) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--languages", default="en,zh_CN")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    QSettings().setValue("ui/language", "en")
    window = make_window(demo=True)
    window.resize(*SIZE)
    window.show()
    wait(window)
    review = window.pages["review"]
    for language in args.languages.split(","):
        set_language(language)
        settle(app)
        for page in PAGES:
            window.show_page(page)
            if page == "review":
                review.filter_to("conflicts")
                settle(app)
                review.select_row(0)
            settle(app)
            path = args.out / f"{page}-{language}.png"
            window.grab().save(str(path))
            print(path)
    window.close()


if __name__ == "__main__":
    main()
