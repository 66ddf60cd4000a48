"""Customer masters at scale, the way a group of companies really keeps them.

Next to the demo world (``bench/datagen.py``, where a company has mostly one ERP code and
one CRM account), this world holds each company under one to five records
(:data:`CLUSTER_SIZES`), spread over the ERP 客户档案 and the CRM accounts: several ERP
codes for one company, the same company entered twice in the CRM, or both. Names are
spelt the ways clerks spell them (:class:`~bench.datagen_customers.Speller`), and common
names are shared: the popular brands recur in other cities and trades, so "华信科技有限公司"
without its city could be any of several companies.

``generate(records, seed)`` gives about ``records`` rows in all; ``write(world, folder)``
writes ``erp_customers.csv`` and ``crm_customers.csv`` (GB18030, as the systems export) and
``truth/customers.csv``. Nothing here imports ``app``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path

import pandas as pd

from bench import datagen_vocab as v
from bench.datagen_customers import (
    CRM_CUSTOMER_COLUMNS,
    CUTOVER,
    ERP_CUSTOMER_COLUMNS,
    LAST_ACCOUNT,
    Company,
    Speller,
    _crm_account,
    _erp_customer,
    _working_time,
)

CLUSTER_SIZES = (1, 2, 3, 4, 5)
CLUSTER_WEIGHTS = (30, 30, 22, 12, 6)  # records per company; 2.34 on average
IN_ERP = 0.55  # each record of a company is an ERP code with this chance, else a CRM account
BRANCHES = 0.05  # companies that are a branch of another, in another city
# More characters than the demo's brands, so a million companies can be named; the brand of
# a company is drawn from a pool with a long tail, so popular brands are shared.
MORE_BRAND_CHARS = (
    "嘉禾润泽德隆兴旺昌明辉煌永康福寿康宁伟业宇航星辰海洋山川云峰林森众诚信义仁和"
    "智慧创新联合国际亚太东方南北西部长城黄河江南华夏神州九州百川千禧万象汇聚鑫淼"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕鹏辉建国志强海波晓东丹宇浩然欣怡子涵梓轩雨桐思远博文"


class _Names:
    """A contact's name, the way Faker's ``name()`` is asked for one (own generator)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def name(self) -> str:
        rng = self._rng
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return rng.choice(SURNAMES) + given


@dataclass
class World:
    erp: pd.DataFrame  # ERP_CUSTOMER_COLUMNS, every cell text
    crm: pd.DataFrame  # CRM_CUSTOMER_COLUMNS
    truth: pd.DataFrame  # entity_id, table ("erp" or "crm"), record_id


def _brands(rng: random.Random, count: int) -> tuple[list[str], list[float]]:
    """Brand names and their cumulative weights: a long tail, the first ones popular."""
    chars = list(dict.fromkeys([*v.BRAND_CHARS, *MORE_BRAND_CHARS]))
    brands = list(
        dict.fromkeys("".join(rng.sample(chars, rng.choice((2, 2, 2, 3)))) for _ in range(count))
    )
    return brands, list(accumulate(1.0 / (rank + 10) for rank in range(len(brands))))


def companies(rng: random.Random, names: _Names, count: int) -> list[Company]:
    """``count`` companies, each unique by city, brand and trade; popular brands recur."""
    brands, cumulative = _brands(rng, max(200, count // 6))
    seen: set[tuple[str, str, str]] = set()
    out: list[Company] = []
    while len(out) < count:
        city = rng.choices(v.CITIES, v.CITY_WEIGHTS)[0]
        brand = rng.choices(brands, cum_weights=cumulative)[0]
        trade = rng.choice(v.TRADES)
        if (city.name, brand, trade) in seen:
            continue
        seen.add((city.name, brand, trade))
        out.append(_company(rng, names, len(out) + 1, city, brand, trade))
    heads = range(count)
    for branch in rng.sample(range(count), int(count * BRANCHES)):
        company, head = out[branch], out[rng.choice(heads)]
        if head.parent is None and company.parent is None and head.city != company.city:
            company.parent = head
    return out


def _company(
    rng: random.Random, names: _Names, number: int, city: v.City, brand: str, trade: str
) -> Company:
    email = ""
    if rng.random() < 0.4:
        email = f"{rng.randrange(10**7, 10**10)}@{rng.choice(v.MAIL_DOMAINS)}"
    return Company(
        entity=f"K{number:07d}",
        city=city,
        brand=brand,
        trade=trade,
        legal=rng.choices(v.LEGAL_FORMS, v.LEGAL_WEIGHTS)[0],
        uscc=v.uscc(rng, city),
        contact=names.name(),
        mobile=v.mobile(rng),
        landline=v.landline(rng, city) if rng.random() < 0.5 else None,
        email=email,
        address=v.address(rng, city),
        rep=rng.choice(v.SALES_REPS),
    )


def generate(records: int, seed: int = 7) -> World:
    """About ``records`` customer rows (ERP and CRM together) in clusters of one to five."""
    rng = random.Random(seed)
    names, speller = _Names(random.Random(seed + 1)), Speller()
    mean = sum(s * w for s, w in zip(CLUSTER_SIZES, CLUSTER_WEIGHTS, strict=True)) / sum(
        CLUSTER_WEIGHTS
    )
    erp_rows: list[dict[str, object]] = []
    crm_rows: list[dict[str, str]] = []
    truth: list[tuple[str, str, str]] = []
    for company in companies(rng, names, max(1, round(records / mean))):
        size = rng.choices(CLUSTER_SIZES, CLUSTER_WEIGHTS)[0]
        in_erp = sum(rng.random() < IN_ERP for _ in range(size))
        for copy in range(in_erp):
            code = f"C{len(erp_rows) + 1:08d}"
            erp_rows.append(_erp_customer(rng, names, speller, company, code, copy))  # type: ignore[arg-type]
            truth.append((company.entity, "erp", code))
        first = date(2021, 1, 4)
        for _ in range(size - in_erp):
            created = _working_time(rng, first, LAST_ACCOUNT if company.crm_accounts else CUTOVER)
            account = f"ACC-{len(crm_rows) + 1:08d}"
            row = _crm_account(rng, names, speller, company, account, created)  # type: ignore[arg-type]
            company.crm_accounts.append(row)
            crm_rows.append(row)
            truth.append((company.entity, "crm", account))
            first = created.date()
    # Systems list records in their own order, not company by company.
    rng.shuffle(erp_rows)
    rng.shuffle(crm_rows)
    return World(
        pd.DataFrame(erp_rows, columns=list(ERP_CUSTOMER_COLUMNS)).astype(str),
        pd.DataFrame(crm_rows, columns=list(CRM_CUSTOMER_COLUMNS)).astype(str),
        pd.DataFrame(truth, columns=["entity_id", "table", "record_id"]),
    )


def write(world: World, folder: Path) -> tuple[Path, Path]:
    """The two exports as GB18030 CSV and the truth; returns the two export paths."""
    (folder / "truth").mkdir(parents=True, exist_ok=True)
    erp, crm = folder / "erp_customers.csv", folder / "crm_customers.csv"
    world.erp.to_csv(erp, index=False, encoding="gb18030")
    world.crm.to_csv(crm, index=False, encoding="gb18030")
    world.truth.to_csv(folder / "truth" / "customers.csv", index=False, encoding="utf-8")
    return erp, crm
