"""Every workbook of the shared corpus (written by many producers) is read or cleanly
refused: an :class:`InputError` with a message, never another exception."""

from __future__ import annotations

import pytest

from app.errors import InputError
from app.mapping.detect import profile_table
from app.sources import Table, read_tables
from tests.conftest import CORPUS

FILES = (
    sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "README.md")
    if CORPUS.exists()
    else []
)

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not FILES, reason="the shared workbook corpus is not beside the project"),
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_read_or_refuse(path):
    try:
        found = read_tables(path)
    except InputError as error:
        assert str(error).startswith(path.name)
        return
    for item in found:
        if isinstance(item, InputError):
            assert item.problem
            continue
        assert isinstance(item, Table)
        assert len(item.rows) == len(item.frame)
        profile_table(item)  # typing never fails on real content


def test_most_of_the_corpus_is_read():
    read = 0
    for path in FILES:
        try:
            found = read_tables(path)
        except InputError:
            continue
        read += any(isinstance(t, Table) for t in found)
    assert read >= 0.45 * len(FILES)  # the rest are headerless, empty or refused
