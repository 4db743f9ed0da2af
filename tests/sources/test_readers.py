"""Every export format, read the way each tool writes it, gives the same tidy table.

The fixtures in ``tests/fixtures/exports/`` (written by ``generate.py`` there)
hold one survey of six respondents; ``plain.csv`` is the twin every other file
is compared with. The SPSS file is written here with ``pyreadstat.write_sav``.
"""

from __future__ import annotations

import codecs
import io
import random
import shutil
import sys
import zipfile
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from slutrapport.core.errors import InputFileError, ValidationError
from slutrapport.sources.readers import FORMATS, RawTable, detect_format, read_raw, textfile
from slutrapport.sources.readers.tabular import cell_text, sniff_separator
from slutrapport.sources.survey import load_instrument, read_waves
from tests.fixtures.exports import generate as gen

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
INSTRUMENT = EXPORTS / "instrument.yaml"

#: fixture file → (format it is detected as, number of header rows)
FIXTURES = {
    "plain.csv": ("plain", 1),
    "plain.xlsx": ("plain", 1),
    "plain_excel_sv.csv": ("plain", 1),
    "plain_unicode.txt": ("plain", 1),
    "google_forms.csv": ("google_forms", 1),
    "google_forms.xlsx": ("google_forms", 1),
    "microsoft_forms.xlsx": ("microsoft_forms", 1),
    "microsoft_forms_sv.xlsx": ("microsoft_forms", 1),
    "surveymonkey.csv": ("surveymonkey", 2),
    "surveymonkey.xlsx": ("surveymonkey", 2),
    "qualtrics.csv": ("qualtrics", 3),
    "qualtrics_2rows.csv": ("qualtrics", 2),
    "limesurvey_codes.csv": ("limesurvey", 1),
    "limesurvey_text.csv": ("limesurvey", 1),
    "limesurvey_codetext.csv": ("limesurvey", 1),
    "survey.sav": ("spss", 0),
}


@pytest.fixture(scope="module")
def instrument():
    return load_instrument(INSTRUMENT)


@pytest.fixture(scope="module")
def sav_file(tmp_path_factory) -> Path:
    return write_sav(tmp_path_factory.mktemp("spss") / "survey.sav")


def write_sav(path: Path, planted: float | None = None) -> Path:
    """The fixture survey as SPSS writes it: numeric codes with value labels, 9 = Vet ej (user-missing)."""
    pyreadstat = pytest.importorskip("pyreadstat")
    orgs = sorted(set(gen.ORGS))
    data = {
        "organisation": [float(orgs.index(o) + 1) for o in gen.ORGS],
        "kod": gen.CODES,
        **{qid: [np.nan if v is None else 9.0 if v == gen.V else float(v) for v in (a[i] for a in gen.ANSWERS)] for i, (qid, _) in enumerate(gen.ITEMS)},
        "f01": gen.FREE,
        "ResponseId": [f"R_{i}sav" for i in range(len(gen.ORGS))],
        "RecipientEmail": [p[2] for p in gen.PEOPLE],
        "StartDate": [gen.TIMES[i] for i in range(len(gen.ORGS))],
    }
    if planted is not None:
        data["q03"][gen.PLANTED["row"]] = planted
    frame = pd.DataFrame(data)
    scale = {float(v): text for v, text in gen.LABELS.items()} | {9.0: gen.DONT_KNOW}
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={
            "organisation": gen.ORG_Q,
            "kod": gen.KOD_Q,
            **{qid: text for qid, text in gen.ITEMS},
            "f01": gen.FREE_Q,
            "ResponseId": "Response ID",
            "RecipientEmail": "Recipient Email",
            "StartDate": "Start Date",
        },
        variable_value_labels={"organisation": {float(i + 1): o for i, o in enumerate(orgs)}, **{qid: scale for qid, _ in gen.ITEMS}},
        missing_ranges={qid: [9.0] for qid, _ in gen.ITEMS},
    )
    return path


def fixture_path(name: str, sav_file: Path) -> Path:
    return sav_file if name == "survey.sav" else EXPORTS / name


def tidy_key(survey) -> tuple[list, list]:
    tidy = survey.tidy
    rows = sorted(
        zip(tidy["organisation"].fillna(""), tidy["fraga"], tidy["varde"].fillna(-1.0), tidy["status"], strict=True)
    )
    free = sorted(tidy.loc[tidy["status"] == "fritext", "svar"])
    return rows, free


@pytest.fixture(scope="module")
def twin(instrument):
    return tidy_key(read_waves([EXPORTS / "plain.csv"], instrument))


# --------------------------------------------------------------------------- every format


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_gives_the_same_tidy_table_as_the_plain_twin(name, sav_file, instrument, twin):
    path = fixture_path(name, sav_file)
    expected_format, header_rows = FIXTURES[name]
    raw = read_raw(path)
    assert raw.format == expected_format
    assert detect_format(path) == expected_format
    assert raw.header_row == header_rows
    survey = read_waves([path], instrument)
    assert tidy_key(survey) == twin
    assert not survey.report.errors() + survey.report.warnings(), survey.report.to_text()


@pytest.mark.parametrize("name", FIXTURES)
def test_forced_format_gives_the_same_table(name, sav_file, instrument, twin):
    path = fixture_path(name, sav_file)
    expected_format, _ = FIXTURES[name]
    raw = read_raw(path, format=expected_format)
    assert raw.format == expected_format
    assert tidy_key(read_waves([path], instrument, format=expected_format)) == twin


@pytest.mark.parametrize("name", FIXTURES)
def test_raw_table_contract(name, sav_file):
    raw = read_raw(fixture_path(name, sav_file))
    assert isinstance(raw, RawTable)
    assert list(raw.data.columns) == list(range(len(raw.columns)))
    assert isinstance(raw.data.index, pd.RangeIndex) and raw.data.index.start == 0
    assert all(isinstance(v, str) for v in raw.data.to_numpy().ravel())
    assert raw.meta_columns <= set(range(len(raw.columns)))
    assert all(pos not in raw.meta_columns for pos in raw.alternatives)
    assert raw.row_number(0) == raw.header_row + 1


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16"), "utf-16"
    if content.startswith(codecs.BOM_UTF8):
        return content.decode("utf-8-sig"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return content.decode("cp1252"), "cp1252"


def plant_bad_answer(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` with the one 'Instämmer inte alls' (or ``A1``) made unknown;
    return the row where a user finds it (text-editor line or Excel row)."""
    if source.suffix == ".xlsx":
        workbook = load_workbook(source)
        cells = [c for row in workbook.active.iter_rows() for c in row if c.value == gen.PLANTED["label"]]
        assert len(cells) == 1
        cells[0].value = "Instämmer knappt"
        workbook.save(target)
        return cells[0].row
    text, encoding = _decode(source.read_bytes())
    old, new = (f'"{gen.PLANTED["code"]}"', '"A9"') if "limesurvey_codes" in source.name else (gen.PLANTED["label"], "Instämmer knappt")
    assert text.count(old) == 1
    position = text.index(old)
    target.write_bytes(text.replace(old, new).encode(encoding))
    return text.count("\n", 0, position) + 1


@pytest.mark.parametrize("name", FIXTURES)
def test_row_number_of_a_bad_answer_is_the_row_the_user_sees(name, sav_file, instrument, tmp_path):
    if name == "survey.sav":
        target = write_sav(tmp_path / name, planted=7.0)
        expected = gen.PLANTED["row"] + 1  # the case number in SPSS's Data View
    else:
        target = tmp_path / name
        expected = plant_bad_answer(EXPORTS / name, target)
    with pytest.raises(ValidationError) as info:
        read_waves([target], instrument)
    errors = info.value.report.errors()
    assert [(p.fil, p.rad, p.kontroll) for p in errors] == [(name, expected, "svarsalternativ")]
    assert gen.ITEMS[2][1] in errors[0].kolumn or errors[0].kolumn.endswith("[q03]")
    _, header_rows = FIXTURES[name]
    assert expected == header_rows + gen.PLANTED["row"] + 1


@pytest.mark.parametrize("name", FIXTURES)
def test_metadata_never_reaches_the_tidy_table(name, sav_file, instrument):
    path = fixture_path(name, sav_file)
    tidy = read_waves([path], instrument).tidy
    text = tidy.astype(str).to_csv(index=False)
    leaked = [value for value in gen.SENSITIVE if value in text]
    assert not leaked
    raw = read_raw(path)
    cells = set(tidy.select_dtypes(exclude="number").astype(str).to_numpy().ravel())
    meta_values = {v.strip() for pos in raw.meta_columns for v in raw.data[pos] if len(v.strip()) >= 4}
    assert not meta_values & cells


def test_input_files_are_never_modified(sav_file, instrument):
    paths = [fixture_path(name, sav_file) for name in FIXTURES]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths]
    for path in paths:
        read_waves([path], instrument)
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths] == before


# --------------------------------------------------------------------------- formats in detail


def test_surveymonkey_matrix_columns(tmp_path):
    raw = read_raw(EXPORTS / "surveymonkey.xlsx")
    first = raw.columns.index(f"{gen.MATRIX_Q} [{gen.ITEMS[0][1]}]")
    assert raw.columns[first + 4] == f"{gen.MATRIX_Q} [{gen.ITEMS[4][1]}]"
    assert raw.alternatives[first] == [gen.ITEMS[0][1]]
    assert raw.columns[9:11] == [gen.ORG_Q, gen.KOD_Q]  # "Response"/"Open-Ended Response" columns keep the question
    assert raw.meta_columns == set(range(9))
    assert raw.data.iloc[0, 0] == "114523871230"  # numeric cells as text, no ".0"


def test_qualtrics_alternatives_are_statement_and_tag():
    raw = read_raw(EXPORTS / "qualtrics.csv")
    pos = raw.columns.index(f"{gen.MATRIX_Q} - {gen.ITEMS[1][1]}")
    assert raw.alternatives[pos] == [gen.ITEMS[1][1], "Q3_2"]
    assert raw.row_number(0) == 4


def test_qualtrics_legacy_layout(tmp_path, instrument, twin):
    tags = [f"V{i}" for i in range(1, 11)] + ["Q1", "Q2", *(f"Q3_{i}" for i in range(1, 6)), "Q4"]
    labels = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress", "Status", "StartDate", "EndDate", "Finished"]
    texts = labels + [gen.ORG_Q, gen.KOD_Q, *(f"{gen.MATRIX_Q} - {t}" for _, t in gen.ITEMS), gen.FREE_Q]
    rows = [
        [
            f"R_{i}",
            "Default Response Set",
            f"{p[1]}, {p[0]}",
            "",
            p[2],
            p[3],
            "0",
            "2025-03-12 10:15:32",
            "2025-03-12 10:19:32",
            "1",
            o,
            k,
            *map(gen.label, a),
            f,
        ]
        for i, (p, o, k, a, f) in enumerate(zip(gen.PEOPLE, gen.ORGS, gen.CODES, gen.ANSWERS, gen.FREE, strict=True))
    ]
    path = tmp_path / "legacy.csv"
    _write_rows(path, [tags, texts, *rows])
    raw = read_raw(path)
    assert (raw.format, raw.header_row) == ("qualtrics", 2)
    assert raw.meta_columns == set(range(10))
    survey = read_waves([path], instrument)
    assert tidy_key(survey) == twin and not survey.report.errors() + survey.report.warnings()


def test_microsoft_forms_likert_statement_is_an_alternative(tmp_path):
    wb = Workbook()
    wb.active.append(
        ["ID", "Starttid", "Tid för slutförande", "E-post", "Namn", f"{gen.MATRIX_Q}.{gen.ITEMS[0][1]}", f"{gen.MATRIX_Q}.{gen.ITEMS[1][1]}", gen.FREE_Q]
    )
    wb.active.append([1, datetime(2025, 3, 1, 9), datetime(2025, 3, 1, 9, 5), "anonymous", "anonymous", "Instämmer helt", "Vet ej", "Bra."])
    path = tmp_path / "likert.xlsx"
    wb.save(path)
    raw = read_raw(path)
    assert raw.format == "microsoft_forms"
    assert raw.alternatives == {5: [gen.ITEMS[0][1]], 6: [gen.ITEMS[1][1]]}


def test_limesurvey_code_headings_get_subquestion_alternatives():
    raw = read_raw(EXPORTS / "limesurvey_codes.csv")
    pos = raw.columns.index("G01Q03[q02]")
    assert raw.alternatives[pos] == ["q02", "G01Q03_q02"]
    raw = read_raw(EXPORTS / "limesurvey_codetext.csv")
    pos = raw.columns.index(f"{gen.MATRIX_Q} [{gen.ITEMS[0][1]}]")
    assert raw.alternatives[pos] == ["G01Q03[SQ001]", "SQ001", "G01Q03_SQ001", gen.ITEMS[0][1]]
    assert raw.columns[0] == "Response ID" and 0 in raw.meta_columns


def test_spss_columns_values_and_missing(sav_file):
    raw = read_raw(sav_file)
    assert raw.format == "spss" and raw.header_row == 0 and raw.row_number(0) == 1
    q02 = raw.columns.index(gen.ITEMS[1][1])
    assert raw.alternatives[q02] == ["q02"]
    assert raw.data[q02].tolist() == [gen.label(a[1]) for a in gen.ANSWERS]  # 9 (user-missing) → "Vet ej"
    q04 = raw.columns.index(gen.ITEMS[3][1])
    assert raw.data[q04].iloc[2] == ""  # system-missing → blank
    assert raw.data[raw.columns.index(gen.ORG_Q)].tolist() == gen.ORGS
    assert {raw.columns[p] for p in raw.meta_columns} == {"Response ID", "Recipient Email", "Start Date"}
    assert raw.data[raw.columns.index("Start Date")].iloc[0] == "2025-03-12 10:15:32"


def test_spss_without_labels_uses_names_and_plain_numbers(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "bare.sav"
    pyreadstat.write_sav(pd.DataFrame({"q01": [1.0, 2.5, np.nan], "day": [date(2025, 3, 1), None, date(2025, 3, 2)]}), str(path))
    raw = read_raw(path)
    assert raw.columns == ["q01", "day"]
    assert raw.data[0].tolist() == ["1", "2.5", ""]
    assert raw.data[1].tolist() == ["2025-03-01", "", "2025-03-02"]


def test_spss_without_pyreadstat_tells_how_to_install(sav_file, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyreadstat", None)
    with pytest.raises(InputFileError, match=r"pip install 'slutrapport\[spss\]'"):
        read_raw(sav_file)


def test_format_names(tmp_path, sav_file):
    tools = ("google_forms", "microsoft_forms", "surveymonkey", "qualtrics", "limesurvey", "netigate", "webropol", "esmaker", "artologik")
    assert (*tools, "plain", "spss") == FORMATS
    with pytest.raises(InputFileError, match="Okänt format 'excel' för filen plain.csv. Giltiga format: google_forms, .*spss"):
        read_raw(EXPORTS / "plain.csv", format="excel")
    with pytest.raises(InputFileError, match="ingen SPSS-fil"):
        read_raw(EXPORTS / "plain.csv", format="spss")
    with pytest.raises(InputFileError, match="är en SPSS-fil"):
        read_raw(sav_file, format="plain")


def test_forcing_plain_keeps_the_tools_columns(instrument):
    raw = read_raw(EXPORTS / "google_forms.csv", format="plain")
    assert raw.format == "plain" and not raw.meta_columns
    survey = read_waves([EXPORTS / "google_forms.csv"], instrument, format="plain")
    assert {p.kolumn for p in survey.report.warnings()} == {"Tidstämpel", "E-postadress"}


# --------------------------------------------------------------------------- CSV and XLSX details


def _write_rows(path: Path, rows: list[list[str]], sep: str = ",", encoding: str = "utf-8", prefix: str = "") -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes((prefix + buffer.getvalue()).encode(encoding))
    return path


@pytest.mark.parametrize(
    "text, sep",
    [
        ("Organisation;Fråga ett;Fråga två\nAF;4,0;3\nSoc;5;2,0\n", ";"),
        ("Organisation,Fråga ett,Synpunkter\nAF,4,Bra; men långsamt\nSoc,5,Ja; tack\n", ","),
        ('"Organisation","Fråga, med komma"\n"AF","4"\n', ","),
        ("Organisation\tFråga ett\nAF\t4\n", "\t"),
        ("Organisation\nAF\n", ","),
    ],
)
def test_separator_sniffing(text, sep):
    assert sniff_separator(text) == sep


def _every_separator_tried(text: str, truncated: bool | None) -> str:
    """The sniffing rule with every candidate split (the reference for the candidates left out)."""
    from collections import Counter

    sample = text[: textfile._SNIFF_CHARS]
    truncated = len(text) > len(sample) if truncated is None else truncated
    best, best_score = ",", None
    for sep in textfile._SEPARATORS:
        records = textfile._first_records(sample, sep)
        records = records[:-1] if truncated and len(records) > 1 else records
        widths = [len(r) for r in records if len(r) > 1 or (r and r[0].strip())]
        if widths:
            modal, count = Counter(widths).most_common(1)[0]
            score = (modal > 1, count / len(widths), widths[0] == modal, modal)
            if best_score is None or score > best_score:
                best, best_score = sep, score
    return best if best_score is not None and best_score[0] else ","


def test_sniffing_leaves_out_only_separators_that_cannot_win_and_gives_the_records_it_split():
    rng = random.Random(3)
    pieces = [",", ";", "\t", '"', "a", "b", " ", "\n", "\r\n", "x,y", "1;2", '"q;x"']
    for _ in range(6000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))
        for truncated in (None, True, False):
            sep, records = textfile._sniffed(text, truncated)
            assert sep == sniff_separator(text, truncated) == _every_separator_tried(text, truncated), (text, truncated)
            assert records == textfile._first_records(text, sep)  # what the width check would split
    long = "a,b\n" * 20_000  # longer than the sample: the width check splits the sample itself
    assert textfile._sniffed(long) == (",", None)


def _public_read_csv(data: bytes, sep: str, rows: int) -> pd.DataFrame:
    """The reference for ``textfile._read_csv``: the same parse through ``pandas.read_csv`` itself."""
    return pd.read_csv(
        io.BytesIO(data), sep=sep, header=None, dtype=object, keep_default_na=False, na_filter=False,
        skip_blank_lines=False, engine="c", encoding="utf-8", nrows=rows,
    )


@pytest.mark.parametrize("whole", [8 << 20, 0])  # parsed at once, a piece at a time
def test_the_parsers_columns_make_the_frame_pandas_read_csv_makes(monkeypatch, whole):
    from slutrapport.sources.readers.options import Limits

    monkeypatch.setattr(textfile, "_WHOLE_TEXT", whole)
    rng = random.Random(11)
    pieces = [",", ";", '"', "a", "Instämmer", " ", "\n", "\r\n", '"x,y"', '""', "1", "\t"]
    outcomes = Counter()
    for _ in range(1500):
        data = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 120))).encode()
        sep = rng.choice([",", ";", "\t"])
        limits = Limits(max_rows=rng.choice([1, 3, 1_000_000]))
        try:
            expected = _public_read_csv(data, sep, limits.max_rows + 1)
        except textfile._PARSER_ERRORS as exc:
            with pytest.raises(type(exc)):
                textfile._read_csv(io.BytesIO(data), sep, limits, len(data))
            outcomes["refused"] += 1
            continue
        got = textfile._read_csv(io.BytesIO(data), sep, limits, len(data))
        pd.testing.assert_frame_equal(got, expected, check_index_type=True, check_column_type=True)
        assert list(got.dtypes) == [np.dtype(object)] * got.shape[1]
        outcomes["read"] += 1
    assert outcomes["read"] > 500 and outcomes["refused"] > 50  # both kinds were met


def test_excel_sep_line_leading_blank_rows_and_trailing_empty_columns(tmp_path, instrument):
    header = [gen.ORG_Q, gen.KOD_Q, *(t for _, t in gen.ITEMS), gen.FREE_Q]
    rows = [[o, k, *map(gen.label, a), f.replace("\n", " ")] for o, k, a, f in zip(gen.ORGS, gen.CODES, gen.ANSWERS, gen.FREE, strict=True)]
    path = _write_rows(tmp_path / "excel.csv", [[""] * 10, [*header, "", ""], *[[*r, "", ""] for r in rows]], sep=";", encoding="cp1252", prefix="sep=;\r\n")
    raw = read_raw(path)
    assert raw.columns == header  # trailing empty columns dropped
    assert raw.header_row == 2 and raw.row_number(2) == 5  # the sep= line is not a row in Excel
    assert read_waves([path], instrument).report.valid


def test_xlsx_header_below_blank_rows_keeps_excel_row_numbers(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["B3"], ws["C3"] = "Organisation", "Fråga ett"
    ws["B5"], ws["C5"] = "AF", 4
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    raw = read_raw(path)
    assert raw.columns == ["", "Organisation", "Fråga ett"]
    assert raw.header_row == 3 and raw.row_number(1) == 5
    assert raw.data.iloc[1].tolist() == ["", "AF", "4"]


@pytest.mark.parametrize(
    "value, text",
    [
        (5.0, "5"),
        (4.5, "4.5"),
        (12345678901, "12345678901"),
        (True, "Sant"),
        (datetime(2025, 3, 12, 10, 15, 32, 500), "2025-03-12 10:15:32"),
        (datetime(2025, 3, 12), "2025-03-12"),
        (date(2025, 3, 12), "2025-03-12"),
        (time(9, 30), "09:30:00"),
        (float("nan"), ""),
        (None, ""),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_csv_that_is_really_xlsx_and_xls_that_is_really_text(tmp_path, instrument, twin):
    disguised = tmp_path / "svar.csv"
    shutil.copy(EXPORTS / "plain.xlsx", disguised)
    assert tidy_key(read_waves([disguised], instrument)) == twin
    tabbed = tmp_path / "svar.xls"
    tabbed.write_bytes((EXPORTS / "plain_unicode.txt").read_bytes())
    assert tidy_key(read_waves([tabbed], instrument)) == twin


def test_ragged_rows_are_padded(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_bytes("Organisation,Fråga ett\nAF,4,extra\nSoc\n".encode())
    raw = read_raw(path)
    assert raw.columns == ["Organisation", "Fråga ett", ""]
    assert raw.data.values.tolist() == [["AF", "4", "extra"], ["Soc", "", ""]]


def _zip(path: Path, files: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path.read_bytes()


HTML = b"<!DOCTYPE html><html><head><title>Logga in</title></head><body>Logga in</body></html>"
XML_2003 = b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("empty.csv", b"", "är tom"),
        ("bom.csv", codecs.BOM_UTF8, "är tom"),
        ("blank.csv", b"\r\n \r\n;;;\r\n", "är tom"),
        ("empty.xlsx", b"", "är tom"),
        ("page.xlsx", HTML, "ingen Excel-arbetsbok utan en webbsida"),
        ("page.xls", b"\xef\xbb\xbf  <html><body><table><tr><td>1</td></tr></table></body></html>", "ingen Excel-arbetsbok utan en webbsida"),
        ("table.xls", b"<table><tr><td>Organisation</td></tr></table>", "webbsida"),
        ("page.csv", HTML, "är en webbsida \\(HTML\\), inte en CSV-fil"),
        ("utf16page.csv", "<html><body>x</body></html>".encode("utf-16"), "webbsida"),
        ("sheet2003.xls", XML_2003, "XML-kalkylblad"),
        ("old.xls", OLE, "gamla Excel-formatet .xls"),
        ("locked.xlsx", OLE, "lösenordsskyddad"),
        ("binary.csv", b"\x00\x01\x02\x03" * 100, "inte vara en textfil"),
        ("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF-fil"),
        ("svar.csv.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 50, "komprimerad"),
        ("text.sav", b"Organisation,Fraga\nAF,4\n", "ingen SPSS-fil"),
        ("cut.sav", b"$FL2@(#) IBM SPSS STATISTICS" + b"\x00" * 20, "kunde inte läsas som SPSS-fil"),
        ("cut.xlsx", b"PK\x03\x04" + b"\x00" * 60, "kunde inte läsas som Excel-arbetsbok"),
    ],
)
def test_broken_files_get_a_clear_swedish_message(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=fragment) as info:
        read_raw(path)
    assert name in str(info.value)


@pytest.mark.parametrize(
    "files, fragment",
    [
        ({"hello.txt": b"hej"}, "zip-arkiv utan arbetsbok"),
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}, "OpenDocument"),
        ({"xl/workbook.bin": b"\x00"}, ".xlsb"),
        ({"word/document.xml": b"<x/>"}, "Word-dokument"),
        ({"xl/workbook.xml": b"<not a workbook"}, "kunde inte läsas som Excel-arbetsbok"),
    ],
)
def test_zip_files_that_are_not_workbooks(tmp_path, files, fragment):
    path = tmp_path / "svar.xlsx"
    _zip(path, files)
    with pytest.raises(InputFileError, match=fragment):
        read_raw(path)


def test_truncated_workbook(tmp_path):
    content = (EXPORTS / "surveymonkey.xlsx").read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(content[: len(content) // 2])
    with pytest.raises(InputFileError, match="half.xlsx"):
        read_raw(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="finns inte"):
        read_raw(tmp_path / "saknas.csv")


def test_damaged_sav_that_crashes_the_c_reader_gives_a_swedish_error():
    # Found by fuzzing: pyreadstat.read_sav(...) on these bytes kills the process with SIGSEGV
    # (exit code -11 in a subprocess). The reader isolates it in a child process.
    path = EXPORTS / "damaged_crashes_reader.sav"
    with pytest.raises(InputFileError, match="kunde inte läsas som SPSS-fil"):
        read_raw(path)


def test_the_first_records_are_split_as_the_csv_module_splits_them(monkeypatch):
    import contextlib
    import csv
    import io
    import itertools

    def by_csv_module(sample: str, sep: str) -> list[list[str]]:
        records: list[list[str]] = []
        with contextlib.suppress(csv.Error):
            records.extend(itertools.islice(csv.reader(io.StringIO(sample, newline=""), delimiter=sep), textfile._SNIFF_RECORDS))
        return records

    monkeypatch.setattr(textfile, "_SNIFF_RECORDS", 7)  # (samples longer than the records read, too)
    rng = random.Random(8)
    pieces = [",", ";", "\t", "a", "Åsa", " ", "\n", "\r\n", "\r", "\n\n", "1,5", "x;y", "\u2028", "\x0c", "\x85"]
    for _ in range(6000):  # without quotes: split by line ends and separators
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for sep in textfile._SEPARATORS:
            assert textfile._first_records(text, sep) == by_csv_module(text, sep), (text, sep)
    pieces += ['"', '""', '"a,b"', '"x\ny"', '"\r"', "\x00", 'a"b', '"a"b', '""""', '"\r\n"']
    for _ in range(6000):  # with quotes (fields over several lines) or NUL: by the csv module, line by line
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for sep in textfile._SEPARATORS:
            assert textfile._first_records(text, sep) == by_csv_module(text, sep), (text, sep)


def test_the_first_records_with_one_kind_of_line_end_are_split_as_the_csv_module_splits_them(monkeypatch):
    import contextlib
    import csv
    import io
    import itertools

    monkeypatch.setattr(textfile, "_SNIFF_RECORDS", 7)
    rng = random.Random(9)
    pieces = [",", ";", "a", "Åsa", " ", "1,5", '"', '"a,b"', '"x\ny"', '"\r\n"', 'a"b', "\u2028", "\x85"]
    for _ in range(4000):
        end = rng.choice(["\n", "\r\n", "\r"])
        text = end.join("".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 12)))
        text += end if rng.random() < 0.5 else ""
        for sep in (",", ";"):
            expected: list[list[str]] = []
            with contextlib.suppress(csv.Error):
                expected.extend(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=sep), 7))
            assert textfile._first_records(text, sep) == expected, (text, sep)
