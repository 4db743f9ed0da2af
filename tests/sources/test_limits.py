"""Bounded work: files over the :class:`Limits` are refused with a Swedish message, before they are parsed.

Small limits keep the files small; the zip bomb is a sheet padded with an XML
comment of blanks that compresses to almost nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from slutrapport.core.errors import InputFileError
from slutrapport.sources.readers import Limits, ReadOptions, read_raw
from slutrapport.sources.readers.limits import cell_budget, format_count, format_size
from tests.sources.workbook_files import write_ods, write_xls

HEADER = ["Organisation", "Fråga ett", "Fråga två"]


def rows(count: int) -> list[list]:
    return [HEADER] + [[f"Org {i}", i % 5 + 1, "Vet ej"] for i in range(count - 1)]


def write_csv(path: Path, count: int, encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(";".join(map(str, r)) for r in rows(count)) + "\n").encode(encoding))
    return path


def write_xlsx(path: Path, table: list[list], sheet: str = "Svar", edit=None) -> Path:
    """An xlsx written by openpyxl; ``edit`` rewrites the worksheet XML (bytes → bytes) before saving."""
    workbook = Workbook()
    workbook.active.title = sheet
    for row in table:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if edit is not None and name == "xl/worksheets/sheet1.xml":
                data = edit(data)
            target.writestr(name, data)
    return path


def options(**limits) -> ReadOptions:
    return ReadOptions(limits=Limits(**limits))


# --------------------------------------------------------------------------- sizes as text


@pytest.mark.parametrize(
    "size, text",
    [(int(2.6 * 1024**3), "2,6 GB"), (500 * 1024**2, "500 MB"), (1024**2, "1 MB"), (12 * 1024, "12 kB"), (1536, "1,5 kB"), (999, "999 byte")],
)
def test_sizes_are_written_the_swedish_way(size, text):
    assert format_size(size) == text


def test_counts_are_grouped_by_thousands():
    assert format_count(3_000_001) == "3 000 001"


# --------------------------------------------------------------------------- CSV


def test_a_text_file_over_the_size_limit_is_refused(tmp_path):
    path = write_csv(tmp_path / "stor.csv", 200)
    size = path.stat().st_size
    with pytest.raises(InputFileError) as info:
        read_raw(path, options=options(max_text_bytes=1024))
    assert str(info.value).startswith(f"Filen stor.csv är {format_size(size)} stor, gränsen för textfiler (CSV) är 1 kB.")
    read_raw(path, options=options(max_text_bytes=size))  # at the limit: read


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_csv_rows_over_the_limit_are_refused_whatever_the_path(tmp_path, encoding):
    path = write_csv(tmp_path / "rader.csv", 11, encoding)
    assert len(read_raw(path, options=options(max_rows=11)).data) == 10
    with pytest.raises(InputFileError, match="Filen rader.csv har fler än 10 rader, vilket är gränsen"):
        read_raw(path, options=options(max_rows=10))


def test_ragged_csv_rows_over_the_limit_are_refused(tmp_path):
    path = tmp_path / "ojamn.csv"
    path.write_text("a;b\n" + "1;2;3\n" * 20, encoding="utf-8")
    with pytest.raises(InputFileError, match="har fler än 10 rader"):
        read_raw(path, options=options(max_rows=10))


def test_csv_columns_over_the_limit_are_refused(tmp_path):
    path = tmp_path / "bred.csv"
    path.write_text(";".join(f"k{i}" for i in range(30)) + "\n" + ";".join("1" * 30) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="Filen bred.csv har 30 kolumner; gränsen är 20"):
        read_raw(path, options=options(max_columns=20))
    assert read_raw(path, options=options(max_columns=30)).columns[-1] == "k29"


# --------------------------------------------------------------------------- zip workbooks


def padded(size: int):
    """Add an XML comment of ``size`` blanks to the sheet: it unpacks to ``size`` bytes but packs to a few kB."""
    return lambda xml: xml.replace(b"<sheetData>", b"<!--" + b" " * size + b"--><sheetData>")


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "bomb.xlsx", rows(3), edit=padded(3 * 1024**2))
    assert path.stat().st_size < 100_000
    with pytest.raises(InputFileError) as info:
        read_raw(path, options=options(max_uncompressed_bytes=1024**2))
    assert str(info.value).startswith("Filen bomb.xlsx kan inte läsas: den packas upp till 3 MB, gränsen är 1 MB.")


def test_an_ods_that_unpacks_to_more_than_the_limit_is_refused(tmp_path):
    path = write_ods(tmp_path / "bomb.ods", {"Svar": rows(3)}, repeated_rows=0)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Thumbnails/blank.bin", b"\x00" * (2 * 1024**2))
    with pytest.raises(InputFileError, match="Filen bomb.ods kan inte läsas: den packas upp till 2 MB, gränsen är 1 MB"):
        read_raw(path, options=options(max_uncompressed_bytes=1024**2))


def dimension(ref: str):
    return lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml)


def test_a_sheet_whose_dimension_is_too_large_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "dim.xlsx", rows(3), sheet="Rådata", edit=dimension("A1:C3000001"))
    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", None)  # never reached
    with pytest.raises(InputFileError) as info:
        read_raw(path)
    assert str(info.value).startswith(
        "Bladet 'Rådata' i filen dim.xlsx är 3 000 001 rader × 3 kolumner stort (A1:C3000001); "
        "gränsen är 1 000 000 rader och 1 000 kolumner."
    )


@pytest.mark.parametrize("edit", [dimension("A1"), lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b"", xml)])
def test_a_wrong_or_missing_dimension_does_not_hide_the_rows(tmp_path, edit):
    path = write_xlsx(tmp_path / "fel.xlsx", rows(20), edit=edit)
    assert len(read_raw(path).data) == 19
    with pytest.raises(InputFileError, match="Bladet 'Svar' i filen fel.xlsx är 20 rader × 3 kolumner stort; gränsen är 10 rader"):
        read_raw(path, options=options(max_rows=10))


def far_cell(ref: str):
    """One more cell far from the rest, with the dimension left as it was (A1:C3)."""
    row = re.match(r"[A-Z]+(\d+)", ref).group(1)
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>")


def test_one_far_away_cell_is_refused_instead_of_filling_the_memory(tmp_path):
    # calamine allocates every cell from A1 to the last one: XFD1048576 would be 17 billion cells.
    path = write_xlsx(tmp_path / "långt.xlsx", rows(3), edit=far_cell("XFD1048576"))
    with pytest.raises(InputFileError, match="Bladet 'Svar' i filen långt.xlsx är 1 048 576 rader × 16 384 kolumner stort"):
        read_raw(path)


def test_a_sheet_within_the_row_and_column_limits_but_too_large_an_area_is_refused(tmp_path):
    limits = Limits()
    path = write_xlsx(tmp_path / "yta.xlsx", rows(3), edit=far_cell("ALL999999"))
    assert cell_budget(limits) < 999_999 * 1000
    with pytest.raises(InputFileError, match=f"gränsen är {format_count(cell_budget(limits))} celler \\(rader × kolumner\\)"):
        read_raw(path)


def test_columns_over_the_limit_are_refused(tmp_path):
    path = write_xlsx(tmp_path / "bred.xlsx", [[f"k{i}" for i in range(30)], list(range(30))])
    with pytest.raises(InputFileError, match=r"2 rader × 30 kolumner stort \(A1:AD2\); gränsen är 1 000 000 rader och 20 kolumner"):
        read_raw(path, options=options(max_columns=20))


def test_ods_rows_are_counted_when_read(tmp_path):
    path = write_ods(tmp_path / "rader.ods", {"Svar": rows(20)}, repeated_rows=500)
    assert len(read_raw(path, options=options(max_rows=20)).data) == 19
    with pytest.raises(InputFileError, match="Bladet 'Svar' i filen rader.ods är 20 rader × 3 kolumner stort"):
        read_raw(path, options=options(max_rows=10))


# --------------------------------------------------------------------------- .xls


def test_xls_over_the_size_limit_is_refused(tmp_path):
    path = write_xls(tmp_path / "stor.xls", {"Svar": rows(3)})
    with pytest.raises(InputFileError, match=f"Filen stor.xls är {format_size(path.stat().st_size)} stor, gränsen är 1000 byte"):
        read_raw(path, options=options(max_uncompressed_bytes=1000))


def test_xls_rows_over_the_limit_are_refused(tmp_path):
    path = write_xls(tmp_path / "rader.xls", {"Svar": rows(20)})
    with pytest.raises(InputFileError, match="Bladet 'Svar' i filen rader.xls är 20 rader × 3 kolumner stort"):
        read_raw(path, options=options(max_rows=10))


def write_repeated_ods(path: Path, rows: int, columns: int) -> Path:
    """An .ods whose second row is one cell of content repeated ``columns`` times, the row repeated ``rows`` times."""
    write_ods(path, {"Svar": [HEADER]})
    cell = f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string"><text:p>x</text:p></table:table-cell>'
    row = f'<table:table-row table:number-rows-repeated="{rows}">{cell}</table:table-row>'.encode()
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["content.xml"] = parts["content.xml"].replace(b"</table:table>", row + b"</table:table>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "rows, columns, size",
    [(2_000_000, 1, "2 000 001 rader × 3 kolumner"), (3, 20_000, "4 rader × 20 000 kolumner"), (200_000, 900, "200 001 rader × 900 kolumner")],
)
def test_repeated_ods_rows_and_cells_are_counted_before_they_are_expanded(tmp_path, monkeypatch, rows, columns, size):
    path = write_repeated_ods(tmp_path / "upprepad.ods", rows, columns)
    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", None)  # never reached
    with pytest.raises(InputFileError, match=f"Bladet 'Svar' i filen upprepad.ods är {size} stort"):
        read_raw(path)


def test_repeated_ods_rows_within_the_limits_are_read(tmp_path):
    raw = read_raw(write_repeated_ods(tmp_path / "upprepad.ods", 4, 2))
    assert raw.data.values.tolist() == [["x", "x", ""]] * 4


def test_cells_without_a_reference_are_counted_as_the_columns_they_take(tmp_path, monkeypatch):
    """A cell without ``r`` takes the next column: 30 of them reach column 30 whatever the dimension says."""
    cells = "".join(f"<c><v>{i}</v></c>" for i in range(30)).encode()
    path = write_xlsx(tmp_path / "utan_r.xlsx", rows(3), edit=lambda xml: xml.replace(b"</sheetData>", b"<row>" + cells + b"</row></sheetData>"))
    assert len(read_raw(path).columns) == 30
    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", None)  # never reached
    with pytest.raises(InputFileError, match="Bladet 'Svar' i filen utan_r.xlsx är 4 rader × 30 kolumner stort"):
        read_raw(path, options=options(max_columns=20))


def test_a_far_cell_out_of_order_and_not_first_in_its_row_is_found(tmp_path):
    cell = b'<c t="inlineStr" r="AAB999999"><is><t>x</t></is></c>'
    path = write_xlsx(tmp_path / "gömd.xlsx", rows(3), edit=lambda xml: xml.replace(b"</row>", cell + b"</row>", 1))
    with pytest.raises(InputFileError, match="är 999 999 rader × 704 kolumner stort"):
        read_raw(path)
