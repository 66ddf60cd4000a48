"""Company names: legal forms and regions vanish, branches stay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.match.compare import KINDS, levels
from app.normalise import company_core, company_region, normalise_company, place_region
from app.normalise.regions import (
    AUTONOMOUS_PREFECTURES,
    CITIES,
    LEAGUES,
    PREFECTURES,
    PROVINCES,
    REGION_FORMS,
)
from app.reconcile.pipeline import DEDUPE, link_tables
from app.reconcile.settings import load_settings
from app.sources import SourceSpec, load_source

HUAWEI_SPELLINGS = [
    "华为技术有限公司",
    "北京华为技术有限公司",
    "華為技術有限責任公司",
    "北京市华为技术有限公司",
    "华为技术（北京）有限公司",
    "华为技术(北京)有限公司",
    "华为技术【北京】有限公司",
    "华为技术 有限公司",
    " 华为技术有限公司 ",
    "广东省深圳市华为技术有限公司",
    "深圳华为技术股份有限公司",
    "华为技术(深圳)有限公司",
    "华为技术公司",
    " 華為技術 （深圳） 有限責任公司",
]


@pytest.mark.parametrize("spelling", HUAWEI_SPELLINGS)
def test_spellings_of_one_company_agree(spelling: str) -> None:
    assert normalise_company(spelling) == "华为技术"
    assert company_core(spelling) == "华为技术"


@pytest.mark.parametrize(
    "spelling",
    ["Acme Trading Co., Ltd.", "ACME TRADING CO LTD", "Acme Trading Company Limited",
     "Acme Trading Co.,Ltd", "acme  trading ltd", "Acme Trading Inc.", "ACME TRADING LLC",
     "Acme Trading Corp.", "Acme Trading Corporation", "Acme Trading GmbH"],
)  # fmt: skip
def test_english_legal_forms_vanish(spelling: str) -> None:
    assert normalise_company(spelling) == "acme trading"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("海尔集团公司", "海尔集团"),  # 集团 is kept: a group is not its operating company
        ("海尔(集团)股份有限公司", "海尔集团"),
        ("青岛海尔集团有限公司", "海尔集团"),
        ("西门子(中国)有限公司", "西门子"),
        ("上海某某律师事务所(特殊普通合伙)", "某某律师事务所"),
        ("深圳市创新投资合伙企业(有限合伙)", "创新投资"),
        ("华为技术有限公司上海分公司", "华为技术上海分公司"),
        ("华为技术有限公司(上海分公司)", "华为技术上海分公司"),
        ("北京华为技术有限公司上海分公司", "华为技术上海分公司"),
        ("中国工商银行股份有限公司北京朝阳支行", "中国工商银行北京朝阳支行"),
        ("延边朝鲜族自治州长白山旅游有限公司", "长白山旅游"),
        ("内蒙古自治区伊利实业集团股份有限公司", "伊利实业集团"),
        ("Smith & Co.", "smith"),
        ("S.A. Foods S.A.", "sa foods"),
        ("Coca-Cola Company", "coca cola"),
        ("有限公司", "有限公司"),  # nothing but a legal form: kept
        ("", ""),
    ],
)
def test_normalise_company(raw: str, expected: str) -> None:
    assert normalise_company(raw) == expected


@pytest.mark.parametrize(
    "name",
    [
        "北京银行",  # the region is the trade name: 北京银行 ≠ 南京银行
        "南京银行",
        "中山大学",
        "深圳科技",  # 深圳科技有限公司 has no other trade name
        "东方航空",  # 东方 is a city only when written 东方市
        "三明治餐厅",
        "大理石材料",
        "黄山旅游发展",
    ],
)
def test_region_kept_when_nothing_else_names_the_company(name: str) -> None:
    assert normalise_company(name + "有限公司") == name
    assert company_region(name + "有限公司") == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("华为技术有限公司上海分公司", "华为技术有限公司"),  # a branch is not its head office
        ("华为技术有限公司上海分公司", "华为技术有限公司北京分公司"),
        ("某某餐饮有限公司朝阳分店", "某某餐饮有限公司"),
        ("某某科技有限公司广州办事处", "某某科技有限公司"),
        ("北京银行股份有限公司", "南京银行股份有限公司"),
        ("中山大学", "厦门大学"),
        ("华为技术有限公司", "华为终端有限公司"),
        ("Acme Trading Co., Ltd.", "Acme Holdings Co., Ltd."),
    ],
)
def test_different_companies_stay_different(a: str, b: str) -> None:
    assert normalise_company(a) != normalise_company(b)
    assert company_core(a) != company_core(b)


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("北京华为技术有限公司", "北京"),
        ("北京市华为技术有限公司", "北京"),
        ("广东省深圳市华为技术有限公司", "深圳"),
        ("华为技术（深圳）有限公司", "深圳"),
        ("深圳华为技术有限公司", "深圳"),
        ("上海市场调研有限公司", "上海"),  # 上海 + 市场, not 上海市 + 场
        ("華為技術有限公司", ""),
        ("", ""),
    ],
)
def test_company_region(raw: str, region: str) -> None:
    assert company_region(raw) == region


def test_market_is_not_read_as_city_suffix() -> None:
    assert normalise_company("上海市场调研有限公司") == "市场调研"


def test_core_drops_punctuation_and_spaces() -> None:
    assert company_core("Acme Trading Co., Ltd.") == "acmetrading"
    assert company_core("某某(香港)贸易有限公司") == "某某贸易"


def test_region_table_is_complete_enough() -> None:
    assert len(PROVINCES) == 34
    prefecture_level = len(CITIES) + len(PREFECTURES) + len(LEAGUES) + len(AUTONOMOUS_PREFECTURES)
    assert prefecture_level >= 340
    assert len(set(REGION_FORMS.values())) >= 370
    for form in (
        "北京",
        "北京市",
        "广东省",
        "深圳市",
        "内蒙古自治区",
        "延边朝鲜族自治州",
        "阿克苏地区",
    ):
        assert form in REGION_FORMS


@pytest.mark.parametrize(
    ("place", "region"),
    [
        ("广东省广州市越秀区黄河路808号", "广州"),
        ("广州市越秀区黄河路808号", "广州"),
        ("西安市", "西安"),
        ("北京市朝阳区建国路1号", "北京"),  # 朝阳 is a district here, not the city in Liaoning
        ("上海", "上海"),
        ("浙江省宁波市海曙区", "宁波"),
        ("广东省", "广东"),
        ("科技园路12号", ""),
        ("", ""),
    ],
)
def test_place_region(place: str, region: str) -> None:
    assert place_region(place) == region


def test_a_name_without_its_city_takes_the_city_of_its_record(tmp_path: Path) -> None:
    """宁禧工程技术 of a CRM account in 西安 is not 广州宁禧工程技术; the same name with the
    record's own city is, and a branch keeps its head office's region."""
    erp = tmp_path / "erp.csv"
    erp.write_text(
        "客户编码,客户名称,联系人,联系电话,地址\n"
        "C001,广州宁禧工程技术有限公司,蔡艳,15941495312,广东省广州市越秀区黄河路808号\n"
        "C002,武汉金嘉信息技术有限公司苏州分公司,姚艳,15703431560,江苏省苏州市吴中区创业路616号\n",
        encoding="utf-8",
    )
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "客户ID,客户名称,联系人,手机,所在城市\n"
        "A1,宁禧工程技术有限公司,蒋红,15302744178,西安市\n"
        "A2,宁禧工程技术有限公司,沈涛,15941495312,广州\n"
        "A3,金嘉信息技术有限公司苏州分公司,汤燕,15703431560,苏州\n",
        encoding="utf-8",
    )
    tables = [load_source(SourceSpec("erp", erp)), load_source(SourceSpec("crm", crm))]
    prepared = link_tables(tables, DEDUPE, load_settings(None)).prepared
    field = next(v for v in prepared.fields.values() if v.kind == "company")
    pairs = [("erp", 0, "crm", 0), ("erp", 0, "crm", 1), ("erp", 1, "crm", 2)]
    found = [int(levels(field, a, b, np.array([i]), np.array([j]))[0]) for a, i, b, j in pairs]
    names = KINDS["company"].levels
    assert [names[level] for level in found] == ["same name, other region", "equal", "equal"]


def test_a_province_clashes_only_with_cities_outside_it(tmp_path: Path) -> None:
    """陕西 holds 宝鸡, so 陕西省安泰网络 and 宝鸡安泰网络 may be one company; 陕西 does not hold
    株洲, and 株洲 is not 宝鸡, so those are the same name in another region. A province
    column read as "省/市" gives the region of a name that carries none."""
    erp = tmp_path / "erp.csv"
    erp.write_text(
        "客户代码,客户全称,手机号码\n"
        "K1,陕西省安泰网络科技有限公司,13000000001\n"
        "K2,株洲安泰网络科技有限公司,13000000002\n",
        encoding="utf-8",
    )
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "Account ID,公司名称,省/市,电话\n"
        "A1,宝鸡安泰网络科技有限公司,,13000000003\n"
        "A2,安泰网络科技有限公司,湖南/株洲,13000000004\n",
        encoding="utf-8",
    )
    tables = [load_source(SourceSpec("erp", erp)), load_source(SourceSpec("crm", crm))]
    prepared = link_tables(tables, DEDUPE, load_settings(None)).prepared
    field = next(v for v in prepared.fields.values() if v.kind == "company")
    pairs = {
        "陕西 ~ 宝鸡": ("erp", 0, "crm", 0),
        "株洲 ~ 宝鸡": ("erp", 1, "crm", 0),
        "陕西 ~ 株洲 (省/市)": ("erp", 0, "crm", 1),
        "株洲 ~ 株洲 (省/市)": ("erp", 1, "crm", 1),
    }
    names = KINDS["company"].levels
    found = {
        pair: names[int(levels(field, a, b, np.array([i]), np.array([j]))[0])]
        for pair, (a, i, b, j) in pairs.items()
    }
    assert found == {
        "陕西 ~ 宝鸡": "equal",
        "株洲 ~ 宝鸡": "same name, other region",
        "陕西 ~ 株洲 (省/市)": "same name, other region",
        "株洲 ~ 株洲 (省/市)": "equal",
    }
