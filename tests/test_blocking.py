"""The vectorised building blocks of blocking and comparison give what the plain-Python
definition gives: every bigram of a name, the rarest ones per record, ranges of codes."""

from __future__ import annotations

import random

import numpy as np
import pytest

from app.mapping.align import Field
from app.mapping.types import SemanticType as T
from app.match import blocking
from app.match.arrays import sorted_ranges
from app.match.compare import levels
from app.match.model import compute_levels, estimate
from app.match.prepare import FieldValues, _factorise

# Full and half width, an ideographic space, a tab, a NUL, a character beyond the BMP.
ALPHABET = "北京华为技术有限公司 上海\t\u3000abcAB12-()（）\x00😀"


def _values(rng: random.Random, kind: str = "company", lengths=(0, 1, 2, 3, 10, 64, 65, 200)):
    words = sorted(
        {"".join(rng.choice(ALPHABET) for _ in range(rng.choice(lengths))) for _ in range(150)}
    )
    text = {
        label: np.array([rng.choice(words) for _ in range(size)], dtype=object)
        for label, size in (("erp", 220), ("crm", 180))
    }
    field = Field("customer", T.COMPANY, {"erp": "客户名称", "crm": "Account"})
    return FieldValues(field, kind, text, _factorise(text))


def _bigrams_by_hand(values: FieldValues) -> set[tuple[int, str]]:
    found = set()
    for label, codes in values.codes.items():
        for code, text in zip(codes.tolist(), values.text[label].tolist(), strict=True):
            compact = "".join(text.split())
            if code >= 0:
                found |= {(code, compact[k : k + 2]) for k in range(len(compact) - 1)}
    return found


@pytest.mark.parametrize("block", [blocking.GRAM_BLOCK, 7])
def test_every_bigram_of_every_value_once_ids_in_sorted_order(monkeypatch, block) -> None:
    monkeypatch.setattr(blocking, "GRAM_BLOCK", block)  # several blocks of values too
    values = _values(random.Random(3))
    owner, gram = blocking._grams(values)
    expected = _bigrams_by_hand(values)
    vocabulary = sorted({g for _, g in expected})
    assert sorted(
        zip(owner.tolist(), [vocabulary[g] for g in gram.tolist()], strict=True)
    ) == sorted(expected)
    assert list(owner) == sorted(owner)  # a value's bigrams lie together


@pytest.mark.parametrize("keep", [1, 2, 3])
def test_each_record_keeps_its_rarest_bigrams(keep: int) -> None:
    values = _values(random.Random(11), lengths=(2, 3, 5, 8))
    found = blocking._bigram_codes(values, ["erp", "crm"], keep)
    pairs = _bigrams_by_hand(values)
    vocabulary = sorted({g for _, g in pairs})
    rows_of = {}  # rows holding each value, over both tables
    for codes in values.codes.values():
        for code in codes[codes >= 0].tolist():
            rows_of[code] = rows_of.get(code, 0) + 1
    rarity = {}
    for code, gram in pairs:
        rarity[gram] = rarity.get(gram, 0) + rows_of.get(code, 0)
    for label in ("erp", "crm"):
        rows, grams = found[label]
        chosen: dict[int, list[str]] = {}
        for row, gram in zip(rows.tolist(), grams.tolist(), strict=True):
            chosen.setdefault(row, []).append(vocabulary[gram])
        for row, code in enumerate(values.codes[label].tolist()):
            own = sorted({g for c, g in pairs if c == code}, key=lambda g: (rarity[g], g))
            assert chosen.get(row, []) == own[:keep]


@pytest.mark.parametrize(("seed", "tables"), [(3, ("erp", "crm")), (5, ("erp", "erp"))])
def test_the_bigram_rule_joins_at_least_the_pairs_of_equal_names(seed, tables) -> None:
    """The bound that skips the bigram rule before its rarest bigrams are worked out:
    never more than the pairs its join counts."""
    values = _values(random.Random(seed), lengths=(0, 1, 2, 3, 5))
    a, b = tables
    grams = blocking._bigram_codes(values, [a, b] if a != b else [a])
    _, _, counts = sorted_ranges(grams[b][1], grams[a][1])
    floor = blocking._equal_names(values, a, b)
    equal = [
        (x, y)
        for x in values.text[a].tolist()
        for y in values.text[b].tolist()
        if x == y and len(x) >= 2
    ]
    assert floor == len(equal) > 0
    assert int(counts.sum()) >= floor
    rules = [rule for rule, *_ in blocking._rules(values, a, b, floor)]
    assert rules == ["customer=", "customer~bigram"]
    assert [rule for rule, *_ in blocking._rules(values, a, b, floor - 1)] == ["customer="]


@pytest.mark.parametrize("tables", [("erp", "crm"), ("erp", "erp")])
def test_a_sample_of_the_values_gauges_how_loose_a_bigram_rule_is(monkeypatch, tables) -> None:
    """Names of three syllables out of 60, each name in one to three records: the
    sampled gauge drops the rule when it joins four times its limit, not at its limit."""
    monkeypatch.setattr(blocking, "GAUGED_FROM", 1_000)
    rng = random.Random(5)
    syllables = [chr(0x4E00 + 37 * k) + chr(0x4E80 + 11 * k) for k in range(60)]
    names = sorted({"".join(rng.sample(syllables, 3)) for _ in range(12_000)})
    text = {
        label: np.array([n for n in names for _ in range(rng.randint(1, 3))], dtype=object)
        for label in ("erp", "crm")
    }
    values = FieldValues(Field("customer", T.COMPANY, {}), "company", text, _factorise(text))
    a, b = tables
    pairs = blocking._bigram_pairs(values, a, b)
    assert pairs > 10 * blocking._equal_names(values, a, b)
    assert blocking._too_loose(values, a, b, pairs // 4)
    assert not blocking._too_loose(values, a, b, pairs)
    monkeypatch.setattr(blocking, "GAUGED_FROM", 10**9)  # too few values: worked out
    assert not blocking._too_loose(values, a, b, pairs // 4)


def test_ranges_of_codes_counted_equal_ranges_searched() -> None:
    rng = np.random.default_rng(5)
    for _ in range(200):
        high = int(rng.choice([5, 50, 10_000]))  # dense codes, and sparse numbers
        keys = rng.integers(0, high, int(rng.integers(0, 60)))
        wanted = rng.integers(-3, high + 3, int(rng.integers(0, 60)))
        order, start, count = sorted_ranges(keys, wanted)
        ordered = keys[order]
        assert (ordered[:-1] <= ordered[1:]).all()
        for w, s, c in zip(wanted.tolist(), start.tolist(), count.tolist(), strict=True):
            assert c == int((keys == w).sum())
            assert c == 0 or (ordered[s : s + c] == w).all()


@pytest.mark.parametrize("scale", [1, 1 << 24])  # codes; composite keys (name + region)
def test_a_join_gives_every_pair_of_equal_codes_but_over_full_blocks(scale: int) -> None:
    rng = np.random.default_rng(5)
    codes_a = rng.integers(-1, 40, 300) * scale
    codes_b = rng.integers(-1, 40, 200) * scale
    rows_a, rows_b = np.arange(300) + 1000, np.arange(200)
    i, j = blocking.join(rows_a, codes_a, rows_b, codes_b, max_block=60)
    expected = set()
    for code in set(codes_a.tolist()) - {-scale}:
        left, right = rows_a[codes_a == code], rows_b[codes_b == code]
        if len(left) * len(right) <= 60:
            expected |= {(x, y) for x in left.tolist() for y in right.tolist()}
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == expected
    assert len(i) == len(expected)
    every = sum(
        int((codes_a == c).sum() * (codes_b == c).sum()) for c in set(codes_a.tolist()) - {-scale}
    )
    assert blocking.join(rows_a, codes_a, rows_b, codes_b, limit=every - 1) is None
    assert blocking.join(rows_a, codes_a, rows_b, codes_b, limit=every) is not None


def test_phone_tails_agree_as_the_last_seven_digits_do() -> None:
    text = {
        "erp": np.array(["138-1234-5678", "010-87654321", "", "021-87654321"], dtype=object),
        "crm": np.array(["13912345678", "87654321", "0755-1234567", ""], dtype=object),
    }
    values = FieldValues(Field("phone", T.PHONE, {}), "phone", text, _factorise(text))
    i, j = np.repeat(np.arange(4), 4), np.tile(np.arange(4), 4)
    found = levels(values, "erp", "crm", i, j)
    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        x, y = text["erp"][a], text["crm"][b]
        if x and y and x != y:
            assert found[k] == (1 if x[-7:] == y[-7:] else 0), (x, y)


@pytest.mark.parametrize("kind", ["company", "name", "text"])
def test_similar_levels_score_each_pair_of_values_once_and_every_pair_of_records_alike(
    kind: str,
) -> None:
    """Pairs of records repeat pairs of values (a city column): each distinct pair is
    scored once and its level handed to all of them, in either table order."""
    rng = random.Random(11)
    values = _values(rng, kind, lengths=(0, 2, 3, 5, 8))
    i = np.array([rng.randrange(220) for _ in range(3000)])
    j = np.array([rng.randrange(180) for _ in range(3000)])
    found = levels(values, "erp", "crm", i, j)
    for k in range(0, 3000, 7):
        one = levels(values, "erp", "crm", i[k : k + 1], j[k : k + 1])
        assert found[k] == one[0], (values.text["erp"][i[k]], values.text["crm"][j[k]])
    within = levels(values, "erp", "erp", i[:200], np.arange(200))
    for k in range(200):
        one = levels(values, "erp", "erp", i[k : k + 1], np.array([k]))
        assert within[k] == one[0]


def _companies(tmp_path, erp_text: str, crm_text: str):  # type: ignore[no-untyped-def]
    """Two customer files deduped: their prepared fields and the fields erp ↔ crm compares."""
    from app.reconcile.pipeline import DEDUPE, _pair_fields, link_tables
    from app.reconcile.settings import load_settings
    from app.sources import SourceSpec, load_source

    (tmp_path / "erp.csv").write_text(erp_text, encoding="utf-8")
    (tmp_path / "crm.csv").write_text(crm_text, encoding="utf-8")
    tables = [load_source(SourceSpec(t, tmp_path / f"{t}.csv")) for t in ("erp", "crm")]
    result = link_tables(tables, DEDUPE, load_settings(None))
    prepared = result.prepared
    return prepared, list(_pair_fields(prepared, result.mapping, "erp", "crm", DEDUPE))


def test_a_trade_name_many_cities_share_is_joined_within_its_region(tmp_path) -> None:
    """华信科技 in 40 cities of each system is one block of 1,600 pairs, too big to keep;
    joined with each record's region (its name's, else its city column's) the two records
    of 西安 still meet, and no record meets one of another city."""
    from app.normalise.regions import CITIES

    cities = [*[c for c in CITIES if c != "西安"][:39], "西安"]
    prepared, fields = _companies(
        tmp_path,
        "客户编码,客户名称\n"
        + "".join(f"C{k},{city}市华信科技有限公司\n" for k, city in enumerate(cities)),
        "客户ID,客户名称,所在城市\n"
        + "".join(f"A{k},华信科技有限公司,{city}市\n" for k, city in enumerate(cities)),
    )
    found = blocking.candidates(prepared, "erp", "crm", fields, regional=True)
    assert found.rules.get("customer=", 0) == 0  # the name alone: one block, too big
    assert found.rules["customer+region"] == len(cities)
    assert sorted(zip(found.i.tolist(), found.j.tolist(), strict=True)) == [
        (k, k) for k in range(40)
    ]
    # Orders are no companies: a customer's orders in its region are no smaller block.
    assert "customer+region" not in blocking.candidates(prepared, "erp", "crm", fields).rules


def test_a_name_in_two_known_regions_is_ruled_out_and_still_counts_for_the_prior(
    tmp_path,
) -> None:
    """华信科技 of 西安 and of 株洲 are two companies, the name no evidence: the name rule
    leaves that pair out (and counts it for the model's prior); a record of no known
    region, or of the province holding the city, still meets both."""
    prepared, fields = _companies(
        tmp_path,
        "客户编码,客户名称\nC0,西安华信科技有限公司\nC1,株洲华信科技有限公司\n",
        "客户ID,客户名称,所在城市\nA0,华信科技有限公司,\nA1,华信科技有限公司,陕西\n"
        "A2,华信科技有限公司,株洲\n",
    )
    found = blocking.candidates(prepared, "erp", "crm", fields, regional=True)
    # 西安 meets no region and its province 陕西, not 株洲; 株洲 meets no region and 株洲.
    assert found.rules["customer="] == 4
    assert found.ruled_out == 2  # 西安 ↔ 株洲, 株洲 ↔ 陕西
    assert blocking.candidates(prepared, "erp", "erp", fields, regional=True).ruled_out == 1
    # Orders are no companies: the name joins every pair, nothing is ruled out.
    plain = blocking.candidates(prepared, "erp", "crm", fields)
    assert plain.rules["customer="] == 6 and plain.ruled_out == 0
    # The prior is over the pairs considered: those ruled out lower it as candidates would.
    chosen = {n: prepared.fields[n] for n in fields}
    levels = compute_levels(chosen, "erp", "crm", found.i, found.j)
    priors = [estimate(chosen, "erp", "crm", (2, 3), levels, ruled_out=k).prior for k in (0, 6)]
    assert priors[1] == pytest.approx(priors[0] * len(found) / (len(found) + 6))
