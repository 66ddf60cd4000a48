"""Fill unfinished messages of the Chinese .ts from a small glossary (for new UI strings),
then the caller recompiles with scripts/translations.sh."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parent.parent / "resources" / "translations" / "concord_zh_CN.ts"
GLOSSARY = {
    "Reading the files": "正在读取文件",
    "Understanding the columns": "正在识别列",
    "Normalising values": "正在规范化数值",
    "Matching": "正在匹配",
    "Grouping records": "正在归组记录",
    "Finding conflicts": "正在查找冲突",
    "Saving the run": "正在保存运行结果",
    "Done": "完成",
    "Exports (%1)": "导出文件 (%1)",
}


def main() -> int:
    tree = ET.parse(TS)
    missing = []
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        source = message.find("source").text or ""
        if translation is not None and (
            translation.get("type") == "unfinished" or not (translation.text or "").strip()
        ):
            if source in GLOSSARY:
                translation.text = GLOSSARY[source]
                translation.attrib.pop("type", None)
            else:
                missing.append(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    for source in missing:
        print(f"untranslated: {source}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
