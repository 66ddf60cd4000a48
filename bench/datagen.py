"""A deterministic, dirty world of one company's sales (2026-09 to 2026-11), as its ERP,
CRM and OA export it, with the ground truth.

``generate(n_customers, n_orders, seed)`` builds the real customers and deals, then each
system's view of them — spelled, formatted and numbered the way a Kingdee-like ERP, a SaaS
CRM and an OA approval system do — with problems planted at known rates
(:data:`PROBLEM_RATES`). ``write_samples(world, out_dir)`` writes the four export files
and ``truth/``. The same arguments give the same world, byte for byte when written.

Nothing here imports ``app``: the generator must not share the engine's idea of a match.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pandas as pd
from faker import Faker

from bench import datagen_orders as orders
from bench.datagen_customers import (
    CRM_CUSTOMER_COLUMNS,
    ERP_CUSTOMER_COLUMNS,
    Speller,
    build_companies,
    crm_customer_rows,
    customer_truth,
    erp_customer_rows,
)
from bench.datagen_orders import PROBLEM_RATES
from bench.datagen_write import EXPORTED, FILES, TABLES, write_samples

__all__ = [
    "EXPORTED",
    "FILES",
    "PROBLEM_RATES",
    "TABLES",
    "World",
    "generate",
    "write_samples",
]


@dataclass
class World:
    """Every export as the cells it holds, plus the truth.

    Export frames have object columns in the export's column and row order. CSV tables hold
    only ``str`` ("" for empty); workbook tables hold what the cell holds: ``str``, ``int``,
    ``float`` or ``datetime`` ("" for an empty cell).
    """

    erp_customers: pd.DataFrame  # ERP销售数据.xlsx#客户档案
    erp_orders: pd.DataFrame  # ERP销售数据.xlsx#销售订单
    crm_customers: pd.DataFrame  # CRM客户.csv
    crm_orders: pd.DataFrame  # CRM订单.csv
    oa_approvals: pd.DataFrame  # OA审批.xlsx#审批记录
    truth_customers: pd.DataFrame  # entity_id, table, record_id
    truth_orders: pd.DataFrame  # entity_id, table, record_id
    truth_conflicts: pd.DataFrame  # entity_id, field, table, record_id, kind
    deals: pd.DataFrame  # entity_id, customer_entity_id, problem, detail, erp, crm, oa

    def problem_counts(self) -> dict[str, int]:
        """Deals per planted problem ("ok" for none), in a stable order."""
        counts = self.deals["problem"].value_counts()
        return {p: int(counts.get(p, 0)) for p in ["ok", *PROBLEM_RATES]}


def generate(n_customers: int = 250, n_orders: int = 1000, seed: int = 7) -> World:
    """The world with ``n_customers`` real companies and ``n_orders`` deals."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    speller = Speller()
    companies = build_companies(rng, fake, n_customers)
    erp_customers = erp_customer_rows(rng, fake, speller, companies)
    crm_customers = crm_customer_rows(rng, fake, speller, companies)
    deals = orders.build_deals(rng, companies, n_orders)
    orders.number_documents(rng, deals)
    names = {str(row["客户编码"]): str(row["客户名称"]) for row in erp_customers}
    in_erp = sorted((d for d in deals if "erp" in d.tables), key=lambda d: d.numbers["erp"])
    in_crm = sorted((d for d in deals if "crm" in d.tables), key=lambda d: d.numbers["crm"])
    in_oa = sorted((d for d in deals if "oa" in d.tables), key=lambda d: (d.submitted, d.entity))
    return World(
        erp_customers=_frame(erp_customers, ERP_CUSTOMER_COLUMNS),
        erp_orders=_frame(
            [orders.erp_order_row(rng, d, names) for d in in_erp], orders.ERP_ORDER_COLUMNS
        ),
        crm_customers=_frame(crm_customers, CRM_CUSTOMER_COLUMNS),
        crm_orders=_frame(  # newest first, as CRM lists show them
            [orders.crm_order_row(rng, speller, d) for d in reversed(in_crm)],
            orders.CRM_ORDER_COLUMNS,
        ),
        oa_approvals=_frame(
            [orders.oa_row(rng, speller, d) for d in reversed(in_oa)], orders.OA_COLUMNS
        ),
        truth_customers=_truth(customer_truth(companies), ("entity_id", "table", "record_id")),
        truth_orders=_truth(orders.order_truth(deals), ("entity_id", "table", "record_id")),
        truth_conflicts=_truth(
            orders.conflict_truth(deals), ("entity_id", "field", "table", "record_id", "kind")
        ),
        deals=_deal_frame(deals),
    )


def _frame(rows: list[dict[str, object]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [[row[c] for c in columns] for row in rows], columns=list(columns), dtype=object
    )


def _truth(rows: list[tuple[str, ...]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def _deal_frame(deals: list[orders.Deal]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (
                d.entity,
                d.company.entity,
                d.problem,
                d.detail,
                d.numbers.get("erp", ""),
                d.numbers.get("crm", ""),
                d.numbers.get("oa", ""),
            )
            for d in deals
        ],
        columns=["entity_id", "customer_entity_id", "problem", "detail", "erp", "crm", "oa"],
        dtype=object,
    )
