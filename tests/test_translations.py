"""The Simplified Chinese translation: complete, faithful to placeholders and accelerators,
and compiled (the .qm the app loads says what the .ts says).

Refresh both with ``scripts/translations.sh`` after changing the UI's strings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

import pytest

from tests.conftest import ROOT

TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "concord_zh_CN.ts"
QM = TRANSLATIONS / "concord_zh_CN.qm"
QTBASE_QM = TRANSLATIONS / "qtbase_zh_CN.qm"

PLACEHOLDER = re.compile(r"%L?\d+|%n")  # Qt's %1 … %99, %L1 (localised), %n (plural)
# A Qt accelerator is "&" before the key; "&&" is a literal ampersand.
ACCELERATOR = re.compile(r"&([^&\s])")

# What the app must show, whatever else changes (the UI test checks the first one too).
KNOWN = {
    ("QtMainWindow", "Start"): "开始",
    ("QtMainWindow", "Review"): "复核",
    ("QtMainWindow", "&File"): "文件(&F)",
    ("FieldNames", "Credit code"): "统一社会信用代码",
    ("FieldNames", "Customer"): "客户",
}


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    kind: str  # the translation's type attribute: "" (finished), "unfinished", …
    translations: tuple[str, ...]  # one, or one per plural form

    def __str__(self) -> str:
        return f"{self.context} / {self.source!r}"


def messages() -> list[Message]:
    root = ET.parse(TS).getroot()
    found = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{name}: a message without <translation>"
            forms = translation.findall("numerusform")
            texts = [f.text or "" for f in forms] if forms else [translation.text or ""]
            found.append(
                Message(
                    name,
                    message.findtext("source") or "",
                    translation.get("type", ""),
                    tuple(texts),
                )
            )
    return found


def accelerators(text: str) -> list[str]:
    return [key.upper() for key in ACCELERATOR.findall(text.replace("&&", ""))]


@pytest.fixture(scope="module")
def ts_messages() -> list[Message]:
    assert TS.exists(), f"{TS} is missing: run scripts/translations.sh"
    found = messages()
    assert found, f"{TS} has no messages"
    return found


def test_every_message_is_translated(ts_messages):
    unfinished = [str(m) for m in ts_messages if m.kind not in ("", "finished")]
    empty = [str(m) for m in ts_messages if not all(t.strip() for t in m.translations)]
    assert not unfinished, "not finished (translate them, then scripts/translations.sh):\n" + (
        "\n".join(unfinished)
    )
    assert not empty, "empty translations:\n" + "\n".join(empty)


def test_placeholders_are_kept(ts_messages):
    wrong = []
    for message in ts_messages:
        # A plural form may leave out the count (%n); every other placeholder must match.
        plural = len(message.translations) > 1
        expected = Counter(
            p for p in PLACEHOLDER.findall(message.source) if not plural or p != "%n"
        )
        for text in message.translations:
            got = Counter(p for p in PLACEHOLDER.findall(text) if not plural or p != "%n")
            if got != expected:
                wrong.append(f"{message}: {text!r} has {dict(got)}, expected {dict(expected)}")
    assert not wrong, "\n".join(wrong)


def test_accelerators_are_kept(ts_messages):
    wrong = []
    for message in ts_messages:
        keys = accelerators(message.source)
        for text in message.translations:
            if keys and accelerators(text) != keys:
                wrong.append(f"{message}: {text!r} should keep the accelerator &{keys[0]}")
    assert not wrong, "\n".join(wrong)


def test_placeholder_and_accelerator_checks_catch_mistakes():
    assert Counter(PLACEHOLDER.findall("%1 of %2")) != Counter(PLACEHOLDER.findall("%1 / %1"))
    assert Counter(PLACEHOLDER.findall("自动匹配率（%）")) == Counter()
    assert accelerators("&File") == ["F"]
    assert accelerators("文件(&F)") == ["F"]
    assert accelerators("Save && close") == []
    assert accelerators("文件") == []


# --- the compiled file ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def translator():
    QtCore = pytest.importorskip(
        "PySide6.QtCore", reason="PySide6 is not installed: cannot load the compiled .qm"
    )
    assert QM.exists(), f"{QM} is missing: run scripts/translations.sh"
    loaded = QtCore.QTranslator()
    assert loaded.load(str(QM)), f"{QM} does not load"
    return loaded


def test_known_strings_are_compiled(translator, ts_messages):
    in_ts = {(m.context, m.source): m.translations[0] for m in ts_messages}
    for (context, source), expected in KNOWN.items():
        assert in_ts.get((context, source)) == expected, (context, source)
        assert translator.translate(context, source) == expected, (context, source)


def test_compiled_file_matches_the_ts(translator, ts_messages):
    """A stale .qm (the .ts edited, lrelease not run) shows other texts than the .ts."""
    stale = []
    for message in ts_messages:
        if len(message.translations) != 1:
            continue  # plural forms need a count; the singular checks cover the file's age
        got = translator.translate(message.context, message.source)
        if got != message.translations[0]:
            stale.append(f"{message}: .qm says {got!r}, .ts says {message.translations[0]!r}")
    assert not stale, "the .qm is out of date: run scripts/translations.sh\n" + "\n".join(stale)


def test_qt_own_translation_is_bundled():
    QtCore = pytest.importorskip(
        "PySide6.QtCore", reason="PySide6 is not installed: cannot load the compiled .qm"
    )
    assert QTBASE_QM.exists(), f"{QTBASE_QM} is missing: run scripts/translations.sh"
    qtbase = QtCore.QTranslator()
    assert qtbase.load(str(QTBASE_QM))
    assert qtbase.translate("QPlatformTheme", "Cancel") == "取消"


def test_script_is_present_and_executable():
    script = ROOT / "scripts" / "translations.sh"
    assert script.exists()
    assert script.stat().st_mode & 0o111, "scripts/translations.sh should be executable"
    assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash")


def test_stored_reasons_actions_and_derived_fields_read_in_chinese():
    """What the engine stores in English (a fix's reason, an audit action, a second field
    of one kind) is shown in the user's language."""
    from PySide6.QtCore import QCoreApplication

    from ui.app import make_application
    from ui.field_names import action_name, field_name, reason_text
    from ui.i18n import set_language

    make_application()
    set_language("zh_CN")
    try:
        assert reason_text("amount: take erp's value") == "金额：采用 erp 的值"
        assert reason_text("status: set to '已审核'") == "状态：改为 '已审核'"
        assert action_name("write-back done") == "写回完成"
        assert action_name("decide accept/take") == "决定：确认/采用"
        assert field_name("customer_2") == "客户 (2)"
        assert reason_text("not a reason") == "not a reason"
    finally:
        set_language("en")
        assert QCoreApplication.translate("FieldNames", "run") == "run"
