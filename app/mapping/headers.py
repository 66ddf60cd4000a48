"""What a column header says: a dictionary of concepts with Chinese and English synonyms.

A *concept* is the meaning of a column (customer name, order amount, submit time); many
headers name it (客户名称, 购货单位, Customer Name) and it has one semantic type. Headers
are compared after folding (full-width, traditional characters, case, spacing), first
whole, then without a bracketed unit such as "(元)", then by the longest synonym they
contain, so 客户联络方式 is a phone because it ends in 联络方式.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.mapping.types import SemanticType as T
from app.normalise.text import fold


@dataclass(frozen=True)
class Concept:
    name: str  # stable id, also the default field name
    type: T
    synonyms: tuple[str, ...]


def _c(name: str, type_: T, synonyms: str) -> Concept:
    return Concept(name, type_, tuple(s.strip() for s in synonyms.split("|") if s.strip()))


CONCEPTS: tuple[Concept, ...] = (
    _c(
        "customer",
        T.COMPANY,
        "客户名称|客户|客户全称|客户简称|公司名称|公司|单位名称|企业名称|购货单位|"
        "购买方|买方|客户单位|往来单位|往来单位名称|结算客户|订货客户|签约单位|签约客户|甲方|"
        "customer|customer name|company|company name|account|account name|client|client name|"
        "organization|organisation|buyer|business name|客户公司|所属客户|相关客户|对方单位",
    ),
    _c("supplier", T.COMPANY, "供应商|供应商名称|供货单位|销售方|卖方|乙方|vendor|supplier|seller"),
    _c(
        "contact",
        T.PERSON,
        "联系人|联系人姓名|客户联系人|对接人|收货人|收件人|"
        "contact|contact name|contact person|attention",
    ),
    _c(
        "salesperson",
        T.PERSON,
        "业务员|销售员|负责人|客户经理|销售代表|跟进人|所属销售|销售人员|"
        "销售|归属人|owner|account owner|sales rep|salesperson|sales|sales owner",
    ),
    _c(
        "applicant",
        T.PERSON,
        "申请人|提交人|发起人|经办人|制单人|创建人|填报人|"
        "applicant|submitter|requester|requestor|creator|created by|initiator",
    ),
    _c("approver", T.PERSON, "审核人|审批人|当前审批人|批准人|approver|approved by|reviewer"),
    _c("person_name", T.PERSON, "姓名|名字|全名|name|full name|person|employee|员工|员工姓名"),
    _c("given_name", T.PERSON, "名|given name|given_name|first name|firstname|forename"),
    _c("surname", T.PERSON, "姓|姓氏|surname|last name|lastname|family name"),
    _c(
        "mobile",
        T.PHONE,
        "手机|手机号|手机号码|移动电话|手机电话|mobile|mobile phone|cell|cell phone|cellphone",
    ),
    _c(
        "landline",
        T.PHONE,
        "座机|固话|固定电话|办公电话|公司电话|传真|fax|office phone|landline|work phone",
    ),
    _c(
        "phone",
        T.PHONE,
        "电话|联系电话|联系人电话|联系方式|联络方式|客户联络方式|电话号码|"
        "客户电话|联系号码|tel|telephone|phone|phone number|contact phone|contact number",
    ),
    _c("email", T.EMAIL, "邮箱|电子邮箱|电子邮件|邮件|邮箱地址|email|e-mail|mail|email address"),
    _c(
        "uscc",
        T.USCC,
        "统一社会信用代码|社会信用代码|信用代码|统一信用代码|税号|纳税人识别号|"
        "纳税人识别码|纳税识别号|uscc|tax id|tax number|credit code|unified social credit code",
    ),
    _c(
        "customer_id",
        T.REFERENCE,
        "客户编码|客户编号|客户代码|客户id|客户号|往来单位编码|"
        "客户档案编码|customer id|customer code|customer no|account id|client id|customer number",
    ),
    _c(
        "order_no",
        T.KEY,
        "订单编号|订单号|单据编号|单据号|单号|销售订单号|订单id|销售单号|合同编号|合同号|"
        "order no|order number|order id|document no|doc no|so number|so no|contract no",
    ),
    _c(
        "invoice_no",
        T.KEY,
        "发票号|发票号码|发票编号|开票单号|开票单据号|invoice no|invoice number|invoice id|inv no",
    ),
    _c(
        "approval_no",
        T.KEY,
        "审批编号|审批单号|流程编号|申请单号|审批号|表单编号|流水号|"
        "approval no|approval id|approval number|request id|request no|flow id|process id",
    ),
    _c(
        "source_ref",
        T.REFERENCE,
        "源单编号|源单号|来源单号|关联单号|关联订单|关联订单号|外部单号|"
        "crm订单号|crm单号|erp单号|erp订单号|oa单号|上游单号|参考号|对方单号|原单号|"
        "source no|source id|reference|reference no|ref|external id|crm order no|erp order no",
    ),
    _c("record_id", T.KEY, "id|编号|序号|记录号|rec id|rec_id|record id|row id|no|number|key"),
    _c(
        "amount",
        T.MONEY,
        "金额|订单金额|合同金额|价税合计|含税金额|总金额|总价|合计金额|申请金额|"
        "审批金额|付款金额|收款金额|应收金额|成交金额|本币金额|销售金额|报价金额|价税合计金额|"
        "amount|total|total amount|order amount|deal amount|value|order value|contract amount|"
        "grand total|total price",
    ),
    _c("net_amount", T.MONEY, "不含税金额|无税金额|金额不含税|净额|net amount|amount excl tax"),
    _c("tax", T.MONEY, "税额|税金|tax|tax amount|vat"),
    _c("unit_price", T.MONEY, "单价|含税单价|不含税单价|无税单价|价格|unit price|price"),
    _c(
        "quantity",
        T.QUANTITY,
        "数量|件数|订货数量|销售数量|台数|库存数量|库存量|现存量|现存数量|结存数量|结存量|即时库存|"
        "账面数量|账存数量|实盘数量|盘点数量|实存数量|可用量|qty|quantity|units|on hand|qty on hand|on hand qty|"
        "stock qty|available qty|counted qty",
    ),
    _c(
        "warehouse",
        T.TEXT,
        "仓库|仓库名称|仓库编码|收货仓库|发货仓库|仓位|库位|warehouse|warehouse name|"
        "warehouse code|wh|bin|bin location",
    ),
    _c(
        "date",
        T.DATE,
        "日期|单据日期|订单日期|下单日期|签约日期|业务日期|制单日期|开票日期|"
        "合同日期|签订日期|date|order date|document date|invoice date|contract date",
    ),
    _c(
        "delivery_date",
        T.DATE,
        "交货日期|发货日期|到货日期|交期|预计交货日期|delivery date|ship date|due date",
    ),
    _c(
        "due_date",
        T.DATE,
        "到期日|到期日期|截止日期|回款日期|预计回款日期|计划回款日期|预计成交日期|预计签约日期|"
        "计划日期|付款期限|expected close date|expected date|payment due date|deadline",
    ),
    _c("birth_date", T.DATE, "出生日期|生日|date of birth|date_of_birth|dob|birth date|birthday"),
    _c(
        "time",
        T.DATETIME,
        "提交时间|申请时间|发起时间|创建时间|审批时间|完成时间|更新时间|"
        "最后修改时间|下单时间|录入时间|导入时间|submitted at|submit time|created at|create time|"
        "created time|creation time|updated at|update time|timestamp|datetime",
    ),
    _c(
        "status",
        T.STATUS,
        "状态|审核状态|审批状态|订单状态|单据状态|流程状态|客户状态|合同状态|"
        "审批结果|审核结果|审核标志|阶段|销售阶段|status|approval status|order status|state of approval|"
        "stage|approval result",
    ),
    _c(
        "address",
        T.ADDRESS,
        "地址|详细地址|客户地址|联系地址|注册地址|办公地址|收货地址|"
        "所在地址|通讯地址|address|street|street address|address 1|address 2|address_1|"
        "address_2|address line 1|address line 2",
    ),
    _c(
        "city",
        T.TEXT,
        "城市|所在城市|所属城市|市|地区|区域|所在地区|所属地区|所在地|省市|所在省市|省市区|"
        "省份城市|city|town|suburb|region|district|area",
    ),
    _c("province", T.TEXT, "省份|省|所在省份|province|state"),
    _c("postcode", T.TEXT, "邮编|邮政编码|postcode|post code|zip|zip code|postal code"),
    _c("street_number", T.TEXT, "门牌号|street number|street_number|house number"),
    _c(
        "national_id",
        T.REFERENCE,
        "身份证号|身份证|身份证号码|证件号码|证件号|soc_sec_id|"
        "soc sec id|ssn|social security number|national id|id number",
    ),
    _c(
        "product_code",
        T.PRODUCT_CODE,
        "物料编码|物料代码|产品编码|商品编码|存货编码|存货代码|货品编码|货品编号|物品编码|物资编码|货号|"
        "产品代码|商品代码|sku|sku code|product code|item code|part number|part no|material code|"
        "product id|item id|item no",
    ),
    _c(
        "product_name",
        T.TEXT,
        "物料名称|产品名称|商品名称|存货名称|品名|产品|商品|product|product name|item|item name",
    ),
    _c("title", T.TEXT, "标题|主题|审批标题|流程标题|事由|申请事由|审批事项|subject|title"),
    _c(
        "remark",
        T.TEXT,
        "备注|说明|摘要|附言|描述|remark|remarks|note|notes|comment|comments|memo|description",
    ),
    _c("department", T.TEXT, "部门|所属部门|申请部门|销售部门|department|dept|team"),
    _c(
        "category",
        T.TEXT,
        "客户分类|客户类型|客户类别|客户等级|客户级别|分类|类别|类型|等级|级别|"
        "category|type|class|customer type|customer category|tier|level",
    ),
    _c("industry", T.TEXT, "行业|所属行业|industry|sector"),
)

CONCEPTS_BY_NAME = {concept.name: concept for concept in CONCEPTS}

# Concepts that describe a record's handling, not the entity: agreement on them is no
# evidence of a match (two orders of one salesperson are not one order).
NOT_EVIDENCE = frozenset(
    {"salesperson", "applicant", "approver", "remark", "department", "industry"}
)

# Dates of what is planned rather than done: never a document's own date.
PLANNED_DATES = frozenset({"delivery_date", "due_date"})
# A date header that starts with one of these names a plan (预计开票日期, Planned Date).
_PLANNED = (
    "预计",
    "计划",
    "预期",
    "预定",
    "expected",
    "planned",
    "estimated",
    "target",
    "projected",
)

_BRACKETED = re.compile(r"[(（\[【].*?[)）\]】]")
_NOISE = re.compile(r"[\s_\-—:：/\\.·*#]+")


def fold_header(text: str) -> str:
    """A header reduced for dictionary lookup: width, case, spacing, punctuation."""
    return _NOISE.sub("", fold(unicodedata.normalize("NFKC", text).lower()))


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Concept], list[tuple[str, Concept]]]:
    exact: dict[str, Concept] = {}
    for concept in CONCEPTS:
        for synonym in concept.synonyms:
            exact.setdefault(fold_header(synonym), concept)
    by_length = sorted(exact.items(), key=lambda item: -len(item[0]))
    return exact, by_length


@dataclass(frozen=True)
class HeaderMatch:
    concept: Concept
    confidence: float  # how sure the header alone makes us


def match_header(header: str) -> HeaderMatch | None:
    """The concept a header names, or None when the dictionary does not know it; a date
    or time whose header starts with a word of planning (预计, 计划, expected) is the
    planned date ``due_date``, whatever event it names."""
    found = _match(header)
    if (
        found is not None
        and found.concept.type in (T.DATE, T.DATETIME)
        and found.concept.name not in PLANNED_DATES
        and fold_header(header).startswith(_PLANNED)
    ):
        return HeaderMatch(CONCEPTS_BY_NAME["due_date"], found.confidence)
    return found


def _match(header: str) -> HeaderMatch | None:
    exact, by_length = _index()
    folded = fold_header(header)
    if not folded:
        return None
    if folded in exact:
        return HeaderMatch(exact[folded], 0.95)
    plain = fold_header(_BRACKETED.sub("", header))
    if plain in exact:
        return HeaderMatch(exact[plain], 0.9)
    for synonym, concept in by_length:
        # Short synonyms (名, 省, id, no) only match whole headers: "id" is in "provider".
        if len(synonym) >= (4 if synonym.isascii() else 2) and synonym in plain:
            share = len(synonym) / len(plain)
            return HeaderMatch(concept, 0.55 + 0.3 * share)
    return None
