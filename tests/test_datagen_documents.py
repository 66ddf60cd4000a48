"""The line-level bench world: its lines add up to the orders they split."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from app.reconcile.lines import as_documents
from app.sources import load
from bench.datagen_documents import world
from bench.datagen_heldout import FILES, generate, write


@pytest.mark.parametrize(("name", "style"), [("kingdee", "repeated"), ("u8", "blank")])
def test_lines_read_back_as_the_orders_they_split(tmp_path, name, style):
    orders_folder = tmp_path / "orders"
    write(name, generate(name, 40, 3), orders_folder, 3)
    orders = load(str(orders_folder / FILES[name]["erp"]))
    lines = world(name, style, tmp_path / "lines", 40, 3)
    path = tmp_path / "lines" / FILES[name]["erp"]
    documents = as_documents(load(str(path)))
    assert documents.lines is not None and len(documents.lines.frame) == lines > len(orders)
    assert documents.frame.iloc[:, 0].tolist() == orders.frame.iloc[:, 0].tolist()
    for column in ("价税合计", "税额"):
        assert [float(v) for v in documents.frame[column]] == pytest.approx(
            [float(v.replace(",", "")) for v in orders.frame[column]], abs=0.001
        )
    if style == "blank":
        sheet = load_workbook(path).active
        assert any(row[0] is None for row in sheet.iter_rows(min_row=4, values_only=True))
