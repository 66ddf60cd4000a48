"""Languages: English (the source) and Simplified Chinese, switchable at run time.

Translations are Qt ``.ts`` files in resources/translations, compiled to ``.qm`` (see
``./run translations``). Installing a translator makes Qt send every widget a
LanguageChange event; pages re-set their texts in ``retranslate``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTranslator

TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"
LANGUAGES = {"": "System default · 跟随系统", "en": "English", "zh_CN": "简体中文"}
_installed: list[QTranslator] = []


def system_language() -> str:
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def set_language(code: str) -> str:
    """Switch to ``code`` ("" follows the system); returns the language in use."""
    app = QCoreApplication.instance()
    language = code or system_language()
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    if language != "en" and app is not None:
        for name in (f"concord_{language}", f"qtbase_{language}"):
            translator = QTranslator(app)
            if translator.load(str(TRANSLATIONS / f"{name}.qm")):
                QCoreApplication.installTranslator(translator)
                _installed.append(translator)
    # Deliver the LanguageChange events now, so every text is switched when this returns.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return language
