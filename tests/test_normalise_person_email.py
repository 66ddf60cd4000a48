"""Person names and e-mail addresses."""

from __future__ import annotations

import pytest

from app.normalise import is_email, normalise_email, normalise_person


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        ("张 三", "张三"),
        (" 张\u3000三 ", "张三"),
        ("張三", "张三"),
        ("张三先生", "张三"),
        ("李四女士", "李四"),
        ("王小姐", "王"),
        ("王总", "王"),
        ("李经理", "李"),
        ("赵总经理", "赵"),
        ("张三(销售部)", "张三"),
        ("张三（zhangsan）", "张三"),
        ("张三【离职】", "张三"),
        ("张三/李四", "张三"),
        ("张三、李四", "张三"),
        ("欧阳 娜娜", "欧阳娜娜"),
        ("Mr. John Smith", "john smith"),
        ("Dr John Smith", "john smith"),
        ("Ms. Jane  Doe", "jane doe"),
        ("JOHN SMITH", "john smith"),
        ("J. Smith", "j smith"),
        ("Smith, John", "smith john"),
        ("John Smith Jr.", "john smith"),
        ("Zhang San 张三", "zhang san 张三"),
        ("总", "总"),  # a title alone is kept
        ("Mr", "mr"),
        ("(张三)", "(张三)"),  # nothing outside the brackets: kept
        ("", ""),
    ],
)
def test_normalise_person(raw: str, expected: str) -> None:
    assert normalise_person(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("张三", "张山"), ("张三", "李三"), ("王总", "汪总"), ("john smith", "jane smith")],
)
def test_different_people_stay_different(a: str, b: str) -> None:
    assert normalise_person(a) != normalise_person(b)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zhangsan@example.com", "zhangsan@example.com"),
        ("ZhangSan@Example.COM", "zhangsan@example.com"),
        ("  zhangsan@example.com  ", "zhangsan@example.com"),
        ("mailto:zhangsan@example.com", "zhangsan@example.com"),
        ("MAILTO:zhangsan@example.com", "zhangsan@example.com"),
        ("zhangsan＠example.com", "zhangsan@example.com"),  # full-width at sign
        ("ｚｈａｎｇｓａｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "zhangsan@example.com"),
        ("zhangsan@example。com", "zhangsan@example.com"),  # IME full stop
        ("张三 <zhangsan@example.com>", "zhangsan@example.com"),
        ('"Zhang San" <zhangsan@example.com>', "zhangsan@example.com"),
        ("a@x.com; b@y.com", "a@x.com"),
        ("a@x.com，b@y.com", "a@x.com"),
        ("<zhangsan@example.com>", "zhangsan@example.com"),
        ("无", "无"),
        ("", ""),
    ],
)
def test_normalise_email(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zhangsan@example.com", True),
        ("zhang.san+crm@mail.example.com.cn", True),
        ("ZhangSan＠Example.com", True),
        ("mailto:a@b.co", True),
        ("张三 <zhangsan@example.com>", True),
        ("zhangsan@example", False),
        ("zhangsan.example.com", False),
        ("@example.com", False),
        ("zhangsan@@example.com", False),
        ("13812345678", False),
        ("", False),
    ],
)
def test_is_email(raw: str, expected: bool) -> None:
    assert is_email(raw) is expected


def test_different_addresses_stay_different() -> None:
    assert normalise_email("a@x.com") != normalise_email("a@y.com")
