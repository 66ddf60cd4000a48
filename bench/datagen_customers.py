"""The real customer companies, the ways their names get misspelt, and the two customer
masters: the ERP 客户档案 (duplicate codes) and the CRM accounts (duplicates, prospects)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import opencc
from faker import Faker

from bench import datagen_vocab as v

ERP_CUSTOMER_COLUMNS = (
    "客户编码", "客户名称", "统一社会信用代码", "客户分类", "联系人", "联系电话", "地址", "状态",
)  # fmt: skip
# Accounts are created before the period's orders; a second account of a company may come later.
CUTOVER, LAST_ACCOUNT = date(2026, 8, 31), date(2026, 11, 20)
CRM_CUSTOMER_COLUMNS = (
    "客户ID", "客户名称", "联系人", "手机", "座机", "邮箱", "所在城市", "负责人", "创建时间",
)  # fmt: skip


@dataclass
class Company:
    """One real customer. A branch (``parent`` set) is a company of its own."""

    entity: str
    city: v.City
    brand: str
    trade: str
    legal: str
    uscc: str
    contact: str
    mobile: str
    landline: tuple[str, str] | None
    email: str
    address: str
    rep: str
    parent: Company | None = None
    in_erp: bool = True
    in_crm: bool = True
    erp_codes: list[str] = field(default_factory=list)  # the first is the one in use
    crm_accounts: list[dict[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.parent:
            return f"{self.parent.name}{self.city.name}分公司"
        return f"{self.city.name}{self.brand}{self.trade}{self.legal}"


class Speller:
    """The ways one company name is written in another system or by another clerk."""

    KINDS = ("legal", "no_city", "bracket", "city_shi", "traditional", "typo", "spaces", "two")
    WEIGHTS = (20, 15, 12, 5, 10, 15, 15, 8)

    def __init__(self) -> None:
        self._s2t = opencc.OpenCC("s2t")

    def variant(self, rng: random.Random, company: Company) -> str:
        """A spelling that differs from ``company.name``."""
        for _ in range(5):
            kind = rng.choices(self.KINDS, self.WEIGHTS)[0]
            if kind == "two":
                spelt = self._spell(rng, company, "legal", rng.choice(("no_city", "spaces")))
            else:
                spelt = self._spell(rng, company, kind)
            if spelt != company.name:
                return spelt
        return company.name + " "

    def _spell(self, rng: random.Random, company: Company, *kinds: str) -> str:
        head = company.parent or company
        city, brand, trade, legal = head.city.name, head.brand, head.trade, head.legal
        tail = f"{company.city.name}分公司" if company.parent else ""
        if "typo" in kinds:
            k = rng.randrange(len(brand))
            brand = brand[:k] + v.SOUNDALIKE.get(brand[k], brand[k]) + brand[k + 1 :]
        if "legal" in kinds:
            legal = {"有限公司": "有限责任公司", "有限责任公司": "有限公司"}.get(
                legal, rng.choice(("股份公司", "有限公司"))
            )
        if "no_city" in kinds:
            return f"{brand}{trade}{legal}{tail}"
        if "bracket" in kinds:
            left, right = rng.choice((("（", "）"), ("(", ")")))
            return f"{brand}{trade}{left}{city}{right}{legal}{tail}"
        if "city_shi" in kinds:
            return f"{city}市{brand}{trade}{legal}{tail}"
        if "spaces" in kinds:
            return self._spaced(rng, city, brand + trade, legal + tail)
        spelt = f"{city}{brand}{trade}{legal}{tail}"
        return str(self._s2t.convert(spelt)) if "traditional" in kinds else spelt

    @staticmethod
    def _spaced(rng: random.Random, city: str, middle: str, end: str) -> str:
        form = rng.randrange(4)
        if form == 0:
            return f"{city} {middle}{end}"
        if form == 1:
            return f"{city}{middle} {end}"
        if form == 2:
            return f"{city}\u3000{middle}{end}"
        return f" {city}{middle}{end}  "


def build_companies(rng: random.Random, fake: Faker, count: int) -> list[Company]:
    """``count`` companies with unique names; a tenth are branches of another."""
    companies: list[Company] = []
    used: set[tuple[str, str]] = set()
    while len(companies) < count:
        city = rng.choices(v.CITIES, v.CITY_WEIGHTS)[0]
        length = rng.choices((2, 3, 4), (75, 18, 7))[0]
        brand = "".join(rng.sample(v.BRAND_CHARS, length))
        trade = rng.choice(v.TRADES)
        if (brand, trade) in used:
            continue
        used.add((brand, trade))
        companies.append(_company(rng, fake, len(companies) + 1, city, brand, trade))
    branches = rng.sample(range(count), count // 10)
    heads = sorted(set(range(count)) - set(branches))
    for index in branches:
        branch = companies[index]
        head = companies[rng.choice(heads)]
        if branch.city == head.city:
            branch.city = rng.choice([c for c in v.CITIES if c != head.city])
            branch.uscc = v.uscc(rng, branch.city)
            branch.address = v.address(rng, branch.city)
            branch.landline = v.landline(rng, branch.city) if branch.landline else None
        branch.parent, branch.brand, branch.trade, branch.legal = (
            head, head.brand, head.trade, head.legal,
        )  # fmt: skip
    _set_membership(rng, companies)
    return companies


def _company(
    rng: random.Random, fake: Faker, number: int, city: v.City, brand: str, trade: str
) -> Company:
    email = ""
    if rng.random() < 0.45:
        user = str(rng.randrange(10**7, 10**10)) if rng.random() < 0.3 else fake.user_name()
        email = f"{user}@{rng.choice(v.MAIL_DOMAINS)}"
    return Company(
        entity=f"K{number:05d}",
        city=city,
        brand=brand,
        trade=trade,
        legal=rng.choices(v.LEGAL_FORMS, v.LEGAL_WEIGHTS)[0],
        uscc=v.uscc(rng, city),
        contact=fake.name(),
        mobile=v.mobile(rng),
        landline=v.landline(rng, city) if rng.random() < 0.5 else None,
        email=email,
        address=v.address(rng, city),
        rep=rng.choice(v.SALES_REPS),
    )


def _set_membership(rng: random.Random, companies: list[Company]) -> None:
    """About 6 % are CRM prospects only, 12 % ERP customers the CRM never saw."""
    for company in companies:
        roll = rng.random()
        company.in_erp = roll >= 0.06
        company.in_crm = not 0.06 <= roll < 0.18


def erp_customer_rows(
    rng: random.Random, fake: Faker, speller: Speller, companies: list[Company]
) -> list[dict[str, object]]:
    """The 客户档案 sheet, by code; ~12 % of companies sit under two or three codes."""
    entries: list[tuple[float, Company, int]] = []
    for company in (c for c in companies if c.in_erp):
        copies = 1 + (rng.random() < 0.12) * rng.choice((1, 1, 1, 2))
        entries.extend((rng.random() + 0.4 * copy, company, copy) for copy in range(copies))
    entries.sort(key=lambda e: (e[0], e[1].entity, e[2]))  # order of creation
    rows = []
    code = rng.randrange(1, 40)
    for _, company, copy in entries:
        code += 1 + (rng.random() < 0.08) * rng.randrange(1, 4)  # codes deleted since
        record = f"C{code:05d}"
        company.erp_codes.insert(0 if copy == 0 else len(company.erp_codes), record)
        rows.append(_erp_customer(rng, fake, speller, company, record, copy))
    return rows


def _erp_customer(
    rng: random.Random, fake: Faker, speller: Speller, company: Company, code: str, copy: int
) -> dict[str, object]:
    first = copy == 0
    phone = v.mobile_text(rng, company.mobile) if not first else company.mobile
    if company.landline and rng.random() < 0.25:
        phone = v.landline_text(rng, company.landline)
    address = company.address
    if not first and rng.random() < 0.4:
        address = address.removeprefix(company.city.province)
    return {
        "客户编码": code,
        "客户名称": company.name
        if first and rng.random() < 0.95
        else speller.variant(rng, company),
        "统一社会信用代码": company.uscc if rng.random() < (0.93 if first else 0.5) else "",
        "客户分类": rng.choice(v.CUSTOMER_CLASSES),
        "联系人": company.contact if first or rng.random() < 0.7 else fake.name(),
        "联系电话": phone,
        "地址": address,
        "状态": "正常" if rng.random() < (0.98 if first else 0.6) else "禁用",
    }


def crm_customer_rows(
    rng: random.Random, fake: Faker, speller: Speller, companies: list[Company]
) -> list[dict[str, object]]:
    """CRM accounts, newest first; ~5 % of companies were entered twice."""
    accounts: list[tuple[datetime, Company]] = []
    for company in (c for c in companies if c.in_crm):
        created = _working_time(
            rng, date(2023, 3, 1) if company.in_erp else date(2025, 6, 1), CUTOVER
        )
        accounts.append((created, company))
        if rng.random() < 0.05:  # entered again later by another rep
            accounts.append((_working_time(rng, created.date(), LAST_ACCOUNT), company))
    accounts.sort(key=lambda a: (a[0], a[1].entity))
    rows = []
    number = rng.randrange(1, 200)
    for created, company in accounts:
        number += 1 + (rng.random() < 0.1)
        row = _crm_account(rng, fake, speller, company, f"ACC-{number:05d}", created)
        company.crm_accounts.append(row)
        rows.append(row)
    return rows[::-1]


def _working_time(rng: random.Random, first: date, last: date) -> datetime:
    """A moment between ``first`` and ``last`` on a working day, in office hours."""
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    if day.weekday() >= 5 and rng.random() < 0.8:
        day -= timedelta(days=day.weekday() - 4)
    return datetime.combine(day, time(8, 30)) + timedelta(seconds=rng.randrange(10 * 3600))


def _crm_account(
    rng: random.Random,
    fake: Faker,
    speller: Speller,
    company: Company,
    account: str,
    created: datetime,
) -> dict[str, str]:
    first = not company.crm_accounts
    city = company.city.name + ("市" if rng.random() < 0.3 else "")
    return {
        "客户ID": account,
        "客户名称": company.name if rng.random() < 0.55 else speller.variant(rng, company),
        "联系人": company.contact if rng.random() < 0.85 else fake.name(),
        "手机": v.mobile_text(rng, company.mobile),
        "座机": v.landline_text(rng, company.landline) if company.landline else "",
        "邮箱": company.email if first or rng.random() < 0.5 else "",
        "所在城市": city,
        "负责人": company.rep if first else rng.choice(v.SALES_REPS),
        "创建时间": created.strftime("%Y-%m-%d %H:%M:%S"),
    }


def customer_truth(companies: list[Company]) -> list[tuple[str, str, str]]:
    """(entity_id, table, record_id) for every ERP code and CRM account."""
    rows = []
    for company in companies:
        rows.extend((company.entity, "erp_customers", code) for code in sorted(company.erp_codes))
        rows.extend(
            (company.entity, "crm_customers", a["客户ID"])
            for a in sorted(company.crm_accounts, key=lambda a: a["客户ID"])
        )
    return rows
