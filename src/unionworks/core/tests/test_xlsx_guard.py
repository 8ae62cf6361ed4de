"""A workbook is refused from its zip directory, before calamine unpacks anything: a zip bomb
(a megabyte unpacking to hundreds) or a file that is no zip at all."""

import time
import zipfile
from pathlib import Path

import pytest

from unionworks.core.importing.reading import (
    MAX_XLSX_RATIO,
    Column,
    ColumnSpec,
    ImportFileError,
    check_xlsx_archive,
    count_rows,
    iter_file_rows,
    read_table,
)

SAMPLES = Path(__file__).resolve().parents[4].parent / "shared" / "samples"
SPEC = ColumnSpec(columns=(Column("name", "姓名", required=True),))


def zip_bomb(path: Path, *, megabytes: int = 320) -> Path:
    """A workbook whose sheet is ``megabytes`` MB of zeros, written streaming (about 1.5 MB)."""
    chunk = bytes(4 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(megabytes // 4):
                sheet.write(chunk)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "名单.xlsx")


def test_a_zip_bomb_is_refused_at_once_from_its_declared_sizes(bomb):
    assert bomb.stat().st_size < 2 * 1024**2
    for read in (
        lambda: read_table(bomb, SPEC),
        lambda: list(iter_file_rows(bomb)),
        lambda: count_rows(bomb),
    ):
        started = time.perf_counter()
        with pytest.raises(ImportFileError) as refused:
            read()
        assert time.perf_counter() - started < 0.5
        assert refused.value.message == (
            "文件解压后过大（约 320 MB），疑似损坏或恶意文件，请检查后重新保存为 .xlsx"
        )


def test_the_same_bomb_named_xlsm_or_xls_is_refused(bomb, tmp_path):
    for suffix in (".xlsm", ".xls"):
        other = tmp_path / f"名单{suffix}"
        other.write_bytes(bomb.read_bytes())
        with pytest.raises(ImportFileError, match="解压后过大"):
            list(iter_file_rows(other))


def test_too_much_in_all_is_refused_whatever_the_ratio(tmp_path):
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * 300_000)
    check_xlsx_archive(path)  # 1.2 MB stored, packed 1:1
    with pytest.raises(ImportFileError, match=r"约 1 MB"):
        check_xlsx_archive(path, max_unpacked=1_000_000)


def test_a_file_that_is_no_zip_is_one_clear_error(tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as refused:
        read_table(path, SPEC)
    assert refused.value.message == (
        "“名单.xlsx”不是有效的 .xlsx 文件（可能已损坏，或是改了扩展名的其他文件），"
        "请用 Excel 打开后另存为 .xlsx 再上传"
    )
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ImportFileError):
        read_table(broken, SPEC)


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared samples are not here")
def test_the_shared_sample_still_reads():
    sample = SAMPLES / "roll-2008-taiyuan.xlsx"
    check_xlsx_archive(sample)
    table = read_table(sample, SPEC)
    rows = list(table.rows)
    assert len(rows) > 100 and all(r.values.get("name") for r in rows[:10])
    assert count_rows(sample) >= rows[-1].number


def test_a_real_workbook_compresses_far_below_the_ratio(tmp_path):
    """A roll packs about 10 times (100,000 rows: 6 MB → 75 MB), a bomb hundreds of times."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["姓名", "身份证号", "入会日期"])
    for i in range(5_000):
        sheet.append([f"张{i % 97}", str(140105196503080000 + i * 7919), "2008-01-01"])
    path = tmp_path / "roll.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size < MAX_XLSX_RATIO / 3 * info.compress_size
    check_xlsx_archive(path)
