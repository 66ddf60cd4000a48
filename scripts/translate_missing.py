"""Fill unfinished messages of the Chinese .ts from a small glossary (for new UI strings),
then the caller recompiles with scripts/translations.sh."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parent.parent / "resources" / "translations" / "concord_zh_CN.ts"
GLOSSARY = {
    "Approve merge": "批准合并",
    "Write back": "写回",
    "Export crosswalk…": "导出新旧编码对照…",
    "Re-point references…": "改指引用…",
    "In the systems: survivors take the golden values, duplicates are marked inactive": "写回各系统：保留记录取主记录的值，重复记录标记为停用",
    "(none: this system keeps no duplicates)": "（无：该系统不保留重复记录）",
    "value meaning inactive, such as 停用": "表示停用的值，例如 停用",
    "%1: mark duplicates inactive by": "%1：标记重复记录停用的列",
    "A table whose column holds these records' IDs": "某列存放这些记录编码的表",
    "Tables (*.xlsx *.xlsm *.csv *.tsv *.txt)": "表格 (*.xlsx *.xlsm *.csv *.tsv *.txt)",
    "Re-point references": "改指引用",
    "No table found.": "未找到表格。",
    "Table": "表",
    "Column holding the IDs": "存放编码的列",
    "IDs of which system": "哪个系统的编码",
    "References re-pointed: none": "改指的引用：无",
    "References re-pointed: %1": "改指的引用：%1",
    "Not merged in the systems yet.": "尚未在各系统中合并。",
    "Merge %1 proposed by %2: another person approves it before it is written back.": "合并 %1 由 %2 提出：写回前须由另一人批准。",
    "Merge %1 approved: ready to write back.": "合并 %1 已批准：可以写回。",
    "Merge %1 written back: %3 records retired, references re-pointed.": "合并 %1 已写回：%3 条记录已停用，引用已改指。",
    "Merge %1 was withdrawn.": "合并 %1 已撤回。",
    "Merge %1 was unmerged: values, records and references are back.": "合并 %1 已撤销：数值、记录和引用均已恢复。",
    "Write merge %1 into the systems? A backup is kept and it can be unmerged.": "将合并 %1 写回各系统？会保留备份，之后可以撤销合并。",
    "No merge has been written back yet.": "还没有写回过任何合并。",
    "Export the crosswalk": "导出新旧编码对照",
    "Reading the files": "正在读取文件",
    "Understanding the columns": "正在识别列",
    "Normalising values": "正在规范化数值",
    "Matching": "正在匹配",
    "Grouping records": "正在归组记录",
    "Finding conflicts": "正在查找冲突",
    "Saving the run": "正在保存运行结果",
    "Done": "完成",
    "Exports (%1)": "导出文件 (%1)",
    "Duplicates": "重复",
    "Merge into the golden record": "合并为主记录",
    "Unmerge": "撤销合并",
    "Golden record: the surviving value of every field and where it comes from": "主记录：每个字段保留的值及其来源",
    "Records in this cluster": "本组中的记录",
    "Import customer masters and choose “Find duplicates” to see clusters here.": "导入客户档案并选择“查找重复”，重复组将显示在这里。",
    "%1 clusters of duplicates": "%1 组重复记录",
    "Cluster": "重复组",
    "Records": "记录数",
    "Systems": "系统",
    "Record": "记录",
    "State": "状态",
    "Field": "字段",
    "Value": "值",
    "From": "来源",
    "Rule": "规则",
    "Merge cluster": "合并重复组",
    "Unmerge cluster": "撤销合并重复组",
    "too weak a match": "匹配度太低",
    "already matched more strongly elsewhere": "已与其他记录更强地匹配",
    "its group holds a record that contradicts this one": "其所在组中有与之矛盾的记录",
    "Nearest candidates: ": "最接近的候选：",
    "none found": "无",
    "most trusted system": "最可信的系统",
    "most recent": "最新",
    "most complete record": "最完整的记录",
    "most frequent": "出现最多",
    "longest": "最长",
    "typed by hand": "手工录入",
    "System": "系统",
    "Where": "位置",
    "Category": "分类",
    "Remove table": "移除此表",
    "Add database table…": "添加数据库表…",
    "Register a database connection in Settings first.": "请先在“设置”中登记数据库连接。",
    "Add database table": "添加数据库表",
    "Connection:": "连接：",
    "Table (schema.table) or a SELECT query:": "表名（模式.表名）或 SELECT 查询：",
    "Database connections (passwords are kept in the system keyring)": "数据库连接（密码保存在系统密钥环中）",
    "Add connection…": "添加连接…",
    "Remove": "删除",
    "Add connection": "添加连接",
    "Name (such as ERP):": "名称（如 ERP）：",
    "Database URL (such as postgresql://user@host:5432/erp):": "数据库地址（如 postgresql://user@host:5432/erp）：",
    "Password (kept in the keyring):": "密码（保存在密钥环中）：",
    "Audit log": "审计日志",
    "Filter by who, action or item…": "按操作人、操作或项目筛选…",
    "Export…": "导出…",
    "When": "时间",
    "Who": "操作人",
    "Action": "操作",
    "Item": "项目",
    "Details": "详情",
    "chain intact": "校验链完整",
    "chain broken at entry %1": "校验链在第 %1 条记录处断开",
    "Export the audit log": "导出审计日志",
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
