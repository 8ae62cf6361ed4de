import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from unionworks.core import idnumber
from unionworks.core.importing import (
    Column,
    ColumnSpec,
    ImportFileError,
    RejectsWriter,
    RowError,
    csv_block_rows,
    csv_blocks,
    digits_text,
    iter_file_rows,
    parse_bool,
    parse_date,
    quote_free_csv,
    read_table,
    write_template,
)

SPEC = ColumnSpec(
    columns=(
        Column("name", "姓名", required=True, example="张三"),
        Column("id_number", "公民身份号码", ("身份证号", "身份证号码"), required=True, text=True),
        Column("joined", "入会时间", ("入会日期",), example=dt.date(2008, 5, 1)),
        Column("unit", "工作单位"),
        Column("code", "统一社会信用代码"),
    ),
    one_of=(("unit", "code"),),
)


def xlsx(path, rows, *, first_row=1):
    workbook = Workbook()
    sheet = workbook.active
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=first_row + offset, column=column, value=value)
    workbook.save(path)
    return path


def test_header_is_found_under_a_title_and_row_numbers_are_the_sheet_rows(tmp_path):
    path = xlsx(
        tmp_path / "roll.xlsx",
        [
            ["某某工会 会员花名册", None, None, None],
            ["工作单位", "身份证号码 ", "* 姓名", "备用"],
            ["甲公司", "140105198001010011", "张三", "x"],
            [None, None, None, None],
            ["乙公司", "14010519800101002X", "李四", None],
            ["填表人：王五", None, "审核人：", None],
        ],
        first_row=3,
    )
    table = read_table(path, SPEC)
    assert table.header_row == 4
    assert table.columns == {"unit": 0, "id_number": 1, "name": 2}
    assert table.header_of("id_number") == "身份证号码"
    rows = list(table.rows)
    assert [r.number for r in rows] == [5, 7]
    assert rows[1].values == {"unit": "乙公司", "id_number": "14010519800101002X", "name": "李四"}
    assert table.estimated_rows == 4


def test_csv_in_gb18030_and_utf8_with_bom_give_the_same_rows_and_line_numbers(tmp_path):
    text = '姓名,身份证号,工作单位\n张三,140105198001010011,"甲\n公司"\n\n李四,14010519800101002X,乙公司\n'
    for encoding in ("gb18030", "utf-8-sig", "utf-8"):
        path = tmp_path / f"roll-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        rows = list(read_table(path, SPEC).rows)
        assert [(r.number, r.values["name"]) for r in rows] == [(2, "张三"), (5, "李四")]
        assert rows[0].values["unit"] == "甲\n公司"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("block_bytes", [7, 40, 1 << 20])
def test_a_quote_free_csv_read_in_blocks_gives_the_rows_and_numbers_of_one_pass(
    tmp_path, encoding, newline, block_bytes
):
    lines = ["某工会花名册", "姓名,身份证号,工作单位", "张三,140105198001010011,甲公司", ""]
    lines += [f"职工{i},1401051980010100{i:02d},乙公司{'，' * (i % 3)}" for i in range(30)]
    lines += [",,", "填表人：王五,,"]
    path = tmp_path / "roll.csv"
    path.write_bytes(newline.join(lines).encode(encoding))  # no line end after the last
    assert quote_free_csv(path)
    in_blocks = [
        row
        for first_line, block in csv_blocks(path, block_bytes=block_bytes)
        for row in csv_block_rows(
            first_line, block, "utf-8-sig" if encoding != "gb18030" else encoding
        )
    ]
    assert in_blocks == list(iter_file_rows(path))
    assert len(in_blocks) == len(lines)


def test_a_csv_with_quotes_is_not_read_in_blocks(tmp_path):
    path = tmp_path / "roll.csv"
    path.write_text('姓名,工作单位\n张三,"甲,乙公司"\n', encoding="utf-8")
    assert not quote_free_csv(path)


def test_a_missing_required_column_is_one_clear_error(tmp_path):
    path = tmp_path / "roll.csv"
    path.write_text("姓名,入会时间\n张三,2008-01-01\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as exc:
        read_table(path, SPEC)
    assert (
        exc.value.message == "缺少必填列：公民身份号码、工作单位或统一社会信用代码（第1行为表头）"
    )


def test_no_header_and_wrong_file_type_are_refused(tmp_path):
    path = tmp_path / "roll.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="没有找到表头"):
        read_table(path, SPEC)
    with pytest.raises(ImportFileError, match="不支持的文件类型"):
        read_table(tmp_path / "roll.pdf", SPEC)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2008-01-19", dt.date(2008, 1, 19)),
        ("2005.3.7", dt.date(2005, 3, 7)),
        ("2005/3/7", dt.date(2005, 3, 7)),
        ("2005年3月", dt.date(2005, 3, 1)),
        ("1990年8月", dt.date(1990, 8, 1)),
        ("1973-09", dt.date(1973, 9, 1)),
        ("2005年3月7日", dt.date(2005, 3, 7)),
        ("２００５年３月７日", dt.date(2005, 3, 7)),
        ("2008-01-19 00:00:00", dt.date(2008, 1, 19)),
        ("20050307", dt.date(2005, 3, 7)),
        (39466.0, dt.date(2008, 1, 19)),
        (200503.0, dt.date(2005, 3, 1)),
        (dt.datetime(2008, 1, 19, 8, 30), dt.date(2008, 1, 19)),
        (dt.date(2008, 1, 19), dt.date(2008, 1, 19)),
        ("", None),
        (None, None),
    ],
)
def test_date_spellings(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2005-02-30", "明年", "2005", "13/45/2005"])
def test_impossible_or_unknown_dates_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


SPELLINGS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d:%Y%m%d}",
    lambda d: (d - dt.date(1899, 12, 30)).days * 1.0,
    lambda d: dt.datetime(d.year, d.month, d.day, 12),
]
MONTH_SPELLINGS = [
    lambda d: f"{d.year}年{d.month}月",
    lambda d: f"{d:%Y-%m}",
    lambda d: f"{d.year}.{d.month}",
]


@given(day=st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)), how=st.sampled_from(SPELLINGS))
def test_any_date_written_in_an_accepted_spelling_parses_back(day, how):
    assert parse_date(how(day)) == day


@given(
    day=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), how=st.sampled_from(MONTH_SPELLINGS)
)
def test_a_month_written_alone_parses_to_its_first_day(day, how):
    assert parse_date(how(day)) == day.replace(day=1)


@pytest.mark.parametrize(
    "value", ["是", "是 ", " 是", "Y", "y", "1", 1.0, "TRUE", "true", "√", True]
)
def test_yes_spellings(value):
    assert parse_bool(value) is True


@pytest.mark.parametrize("value", ["否", "N", "n", "0", 0.0, "FALSE", "", None, False])
def test_no_spellings(value):
    assert parse_bool(value) is False


def test_an_unknown_yes_no_is_refused():
    with pytest.raises(ValueError, match="是/否"):
        parse_bool("也许")


@pytest.mark.parametrize(
    "value, expected",
    [
        (13812345678.0, "13812345678"),
        ("13812345678.0", "13812345678"),
        ("1.3812345678E+10", "13812345678"),
        ("１３８ １２３４ ５６７８", "13812345678"),
        (None, ""),
        ("138-1234", "138-1234"),
    ],
)
def test_digits_text(value, expected):
    assert digits_text(value) == expected


_FULL = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")


@given(
    seed=st.integers(0, 2**32),
    spaces=st.lists(st.integers(0, 18), max_size=4),
    full_width=st.booleans(),
    lower_x=st.booleans(),
)
def test_id_numbers_typed_with_spaces_full_width_digits_or_lower_x_normalise(
    seed, spaces, full_width, lower_x
):
    number = idnumber.make_id_number(random.Random(seed))
    typed = number.translate(_FULL) if full_width else number
    typed = typed.replace("X", "x") if lower_x else typed
    for position in sorted(spaces, reverse=True):
        typed = typed[:position] + " " + typed[position:]
    assert idnumber.normalize_id_number(typed) == number
    assert idnumber.parse_id_number(typed).number == number


def test_rejects_workbook_has_the_original_columns_then_row_column_reason(tmp_path):
    writer = RejectsWriter(tmp_path / "rejects.xlsx", ["姓名", "身份证号"])
    writer.add(
        ["", "140105198001010012"],
        [
            RowError(7, "姓名", "姓名不能为空"),
            RowError(7, "身份证号", "身份证号校验位不对，请核对号码"),
        ],
    )
    sheet = load_workbook(writer.close()).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "身份证号", "行号", "出错列", "原因")
    assert rows[1] == (
        None,
        "140105198001010012",
        7,
        "姓名、身份证号",
        "姓名不能为空；身份证号校验位不对，请核对号码",
    )
    assert sheet.cell(row=2, column=2).number_format == "@"


def test_template_has_the_headers_and_one_example_row(tmp_path):
    sheet = load_workbook(write_template(tmp_path / "t.xlsx", SPEC, title="花名册")).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名*", "公民身份号码*", "入会时间", "工作单位", "统一社会信用代码")
    assert rows[1][0] == "张三" and rows[1][2].date() == dt.date(2008, 5, 1)
    assert len(rows) == 2


def test_a_huge_number_in_scientific_notation_stays_as_typed():
    from unionworks.core.importing import digits_text

    assert digits_text("1e999999999") == "1e999999999"  # not a billion digits written out
    assert digits_text("1.3812345678E+10") == "13812345678"
