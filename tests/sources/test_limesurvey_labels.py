"""LimeSurvey (Sunet Survey) exports with answer codes, read with a label file (``--etiketter``).

``limesurvey_koder.csv`` has question codes as headings and answer codes as
answers, the organisation question included (``A1``…``A3``). With its survey
structure (``limesurvey_koder.lss`` or the tab-separated ``limesurvey_koder.txt``)
it must give the same tidy table as ``plain.csv``. The fixtures are written by
``tests/fixtures/exports/generate_tools.py``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from slutrapport.core.errors import InputFileError, ValidationError
from slutrapport.sources.readers import ReadOptions, read_raw
from slutrapport.sources.readers.labels import read_labels
from slutrapport.sources.survey import load_instrument, read_waves
from tests.fixtures.exports import generate as gen
from tests.fixtures.exports import generate_tools as tools

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
DATA = EXPORTS / "limesurvey_koder.csv"
LABEL_FILES = ["limesurvey_koder.lss", "limesurvey_koder.txt"]


@pytest.fixture(scope="module")
def instrument():
    return load_instrument(EXPORTS / "instrument.yaml")


def tidy_key(survey) -> tuple[list, list]:
    tidy = survey.tidy
    rows = sorted(zip(tidy["organisation"].fillna(""), tidy["fraga"], tidy["varde"].fillna(-1.0), tidy["status"], strict=True))
    return rows, sorted(tidy.loc[tidy["status"] == "fritext", "svar"])


@pytest.fixture(scope="module")
def twin(instrument):
    return tidy_key(read_waves([EXPORTS / "plain.csv"], instrument))


def labels(path: Path) -> ReadOptions:
    return ReadOptions(labels_file=path)


def code_list_rows() -> list[list[str]]:
    """A hand-made code list (fråga, kod, text) for the fixture survey."""
    rows = [["fråga", "kod", "text"], [tools.LS_ORG, "", gen.ORG_Q]]
    rows += [["", code, org] for org, code in tools.ORG_CODES.items()]
    rows += [[tools.LS_KOD, "", gen.KOD_Q], [tools.LS_MATRIX, "", gen.MATRIX_Q]]
    rows += [[f"{tools.LS_MATRIX}[{sub}]", "", text] for sub, (_, text) in zip(tools.LS_SUBS, gen.ITEMS, strict=True)]
    rows += [[tools.LS_MATRIX, f"A{v}", gen.LABELS[v]] for v in sorted(gen.LABELS)] + [[tools.LS_MATRIX, "A6", gen.DONT_KNOW]]
    rows += [[tools.LS_FREE, "", gen.FREE_Q]]
    return rows


# --------------------------------------------------------------------------- same table as plain.csv


@pytest.mark.parametrize("label_file", LABEL_FILES)
def test_codes_with_a_label_file_give_the_same_tidy_table_as_the_plain_twin(label_file, instrument, twin):
    options = labels(EXPORTS / label_file)
    raw = read_raw(DATA, options=options)
    assert (raw.format, raw.header_row, raw.id_column) == ("limesurvey", 1, 0)
    survey = read_waves([DATA], instrument, options=options)
    assert tidy_key(survey) == twin
    assert not survey.report.errors() + survey.report.warnings(), survey.report.to_text()
    assert sorted(set(survey.tidy["organisation"])) == sorted(set(gen.ORGS))  # names, not A1–A3


@pytest.mark.parametrize("label_file", LABEL_FILES)
def test_columns_get_question_texts_and_keep_the_codes_as_alternatives(label_file):
    raw = read_raw(DATA, options=labels(EXPORTS / label_file))
    org = raw.columns.index(gen.ORG_Q)
    assert raw.alternatives[org] == [tools.LS_ORG]
    assert raw.data[org].tolist()[:6] == gen.ORGS  # (the export ends with a blank line)
    first = raw.columns.index(f"{gen.MATRIX_Q} [{gen.ITEMS[0][1]}]")  # the HTML of the .lss text is gone
    assert raw.alternatives[first] == [f"{tools.LS_MATRIX}[SQ001]", "SQ001", f"{tools.LS_MATRIX}_SQ001", gen.ITEMS[0][1]]
    assert raw.data[first].tolist()[:6] == [gen.label(a[0]) for a in gen.ANSWERS]
    assert raw.columns[raw.columns.index(gen.FREE_Q)] == gen.FREE_Q
    assert raw.columns[:10] == gen.LS_META and raw.meta_columns == set(range(10))
    assert [n for n in raw.notes if label_file in n and "användes" in n and "språk: sv" in n]


@pytest.mark.parametrize("label_file", LABEL_FILES)
def test_metadata_never_becomes_a_question(label_file, instrument):
    survey = read_waves([DATA], instrument, options=labels(EXPORTS / label_file))
    text = survey.tidy.astype(str).to_csv(index=False)
    assert not [value for value in gen.SENSITIVE if value in text]
    assert set(survey.tidy["fraga"]) <= {q.id for q in instrument.questions}


def test_without_a_label_file_reading_is_as_before():
    raw = read_raw(DATA)
    assert raw.columns[10:] == [tools.LS_ORG, tools.LS_KOD, *(f"{tools.LS_MATRIX}[{s}]" for s in tools.LS_SUBS), tools.LS_FREE]
    assert raw.data[10].tolist()[:6] == [tools.ORG_CODES[o] for o in gen.ORGS]
    assert raw.data[12].tolist()[0] == "A5" and not raw.notes


def test_input_files_are_never_modified(instrument):
    paths = [DATA, *(EXPORTS / name for name in LABEL_FILES)]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths]
    for name in LABEL_FILES:
        read_waves([DATA], instrument, options=labels(EXPORTS / name))
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths] == before


# --------------------------------------------------------------------------- label file layouts


@pytest.mark.parametrize("version", [3, 6])
def test_both_lss_layouts_and_the_swedish_translation_is_preferred(tmp_path, version, instrument, twin):
    path = tmp_path / f"ls{version}.lss"
    path.write_text(tools.lss(version), encoding="utf-8")
    codebook = read_labels(path)
    assert codebook.language == "sv"
    assert codebook.questions[tools.LS_ORG].answers == {c: o for o, c in tools.ORG_CODES.items()}
    assert tidy_key(read_waves([DATA], instrument, options=labels(path))) == twin


def test_base_language_when_the_survey_has_no_swedish(tmp_path):
    path = tmp_path / "english.lss"
    path.write_text(tools.lss(6, languages=("en",)), encoding="utf-8")
    raw = read_raw(DATA, options=labels(path))
    assert tools.ENGLISH[tools.LS_ORG] in raw.columns
    assert raw.data[raw.columns.index(f"{tools.ENGLISH[tools.LS_MATRIX]} [Statement 1]")].tolist()[0] == "Level 5"


def test_survey_archive_lsa(tmp_path, instrument, twin):
    path = tmp_path / "survey_archive_123456.lsa"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("survey_123456.lss", tools.lss(6))
        archive.writestr("survey_123456_responses.lsr", "<document/>")
    assert tidy_key(read_waves([DATA], instrument, options=labels(path))) == twin


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_hand_made_code_list(tmp_path, kind, instrument, twin):
    rows = code_list_rows()
    path = tmp_path / f"kodlista.{kind}"
    if kind == "csv":
        path.write_bytes("\r\n".join(";".join(row) for row in rows).encode("cp1252"))
    else:
        workbook = Workbook()
        for row in rows:
            workbook.active.append([v or None for v in row])
        workbook.save(path)
    assert tidy_key(read_waves([DATA], instrument, options=labels(path))) == twin


def test_structure_table_saved_from_excel(tmp_path, instrument, twin):
    lines = [line.split("\t") for line in tools.structure_tsv().splitlines()]
    path = tmp_path / "struktur.xlsx"
    workbook = Workbook()
    for row in lines:
        workbook.active.append([v or None for v in row])
    workbook.save(path)
    assert tidy_key(read_waves([DATA], instrument, options=labels(path))) == twin


# --------------------------------------------------------------------------- codes the label file lacks, files that do not fit


def _plant(tmp_path: Path, column: str, respondent: int, value: str) -> Path:
    lines = DATA.read_bytes().decode("utf-8-sig").split("\r\n")
    header = [h.strip('"') for h in lines[0].split('","')]
    cells = lines[respondent + 1].split('","')
    cells[header.index(column)] = value
    lines[respondent + 1] = '","'.join(cells)
    path = tmp_path / "planted.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines)).encode("utf-8"))
    return path


def test_an_unknown_answer_code_stays_as_written_and_ingest_reports_its_row(tmp_path, instrument):
    path = _plant(tmp_path, f"{tools.LS_MATRIX}[SQ003]", gen.PLANTED["row"], "A9")
    options = labels(EXPORTS / "limesurvey_koder.lss")
    raw = read_raw(path, options=options)
    column = raw.columns.index(f"{gen.MATRIX_Q} [{gen.ITEMS[2][1]}]")
    assert raw.data[column].iloc[gen.PLANTED["row"]] == "A9"
    with pytest.raises(ValidationError) as info:
        read_waves([path], instrument, options=options)
    errors = info.value.report.errors()
    assert [(p.rad, p.kolumn, p.varde, p.kontroll) for p in errors] == [
        (gen.PLANTED["row"] + 2, raw.columns[column], "A9", "svarsalternativ")
    ]


def test_an_unknown_organisation_code_stays_as_written(tmp_path):
    path = _plant(tmp_path, tools.LS_ORG, 1, "A7")
    raw = read_raw(path, options=labels(EXPORTS / "limesurvey_koder.lss"))
    assert raw.data[raw.columns.index(gen.ORG_Q)].tolist()[:3] == [gen.ORGS[0], "A7", gen.ORGS[2]]


def test_question_codes_missing_from_the_label_file_are_named_in_a_note(tmp_path):
    path = tmp_path / "partial.lss"
    path.write_text(tools.lss(6).replace(f"[{tools.LS_FREE}]", "[G09Q09]"), encoding="utf-8")
    raw = read_raw(DATA, options=labels(path))
    assert tools.LS_FREE in raw.columns
    assert any(tools.LS_FREE in note and "finns inte i etikettfilen" in note for note in raw.notes)


def test_a_label_file_for_another_survey_is_a_clear_error(tmp_path, instrument):
    path = tmp_path / "annan_enkat.lss"
    path.write_text(tools.lss(6).replace("G01Q0", "G07Q0"), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"Etikettfilen annan_enkat\.lss passar inte till limesurvey_koder\.csv.*G01Q01"):
        read_raw(DATA, options=labels(path))
    with pytest.raises(ValidationError) as info:
        read_waves([DATA], instrument, options=labels(path))
    assert [p.kontroll for p in info.value.report.errors()] == ["läsbar fil"]
    assert "annan_enkat.lss" in info.value.report.errors()[0].meddelande


def test_a_label_file_with_a_full_text_export_is_a_clear_error():
    with pytest.raises(InputFileError, match="passar inte till limesurvey_text.csv"):
        read_raw(EXPORTS / "limesurvey_text.csv", options=labels(EXPORTS / "limesurvey_koder.lss"))


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("saknas.lss", None, "finns inte"),
        ("tom.lss", b"  \n", "är tom"),
        ("trasig.lss", b'<?xml version="1.0"?><document><questions><rows>', "XML-filen är trasig på rad 1, kolumn 49"),
        ("styrtecken.lss", b'<?xml version="1.0"?>\n<document>\x01</document>', r"XML-filen är trasig på rad 2, kolumn 11 \(ett otillåtet tecken"),
        ("annat.lss", b'<?xml version="1.0"?><html><body>Logga in</body></html>', "ingen LimeSurvey-enkätstruktur"),
        ("bomb.lss", b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><document>&a;</document>', "DOCTYPE"),
        ("fel.csv", "namn;värde\nx;1\n".encode(), "känns inte igen"),
        ("tomt.lsa", None, "zip-arkiv utan enkätstruktur"),
        ("halv.lsa", b"PK\x03\x04" + b"\x00" * 40, "arkivet är skadat"),
        ("bara_rubriker.csv", "fråga;kod;text\n".encode(), "inga frågekoder"),
    ],
)
def test_a_label_file_that_cannot_be_read_gets_a_swedish_message_naming_it(tmp_path, name, content, fragment):
    path = tmp_path / name
    if name == "tomt.lsa":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "hej")
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(InputFileError, match=fragment) as info:
        read_raw(DATA, options=labels(path))
    assert name in str(info.value)


def test_other_and_comment_columns_are_free_text_and_keep_their_content(tmp_path):
    header = ["id", "submitdate", "lastpage", "startlanguage", tools.LS_ORG, f"{tools.LS_ORG}[other]", f"{tools.LS_ORG}[comment]"]
    path = tmp_path / "annat.csv"
    path.write_bytes(("\r\n".join(",".join(r) for r in [header, ["1", "2025-03-12", "2", "sv", "A1", "A1", "A2"]])).encode())
    raw = read_raw(path, options=labels(EXPORTS / "limesurvey_koder.lss"))
    assert raw.columns[4:] == [gen.ORG_Q, f"{gen.ORG_Q} [Annat]", f"{gen.ORG_Q} [Kommentar]"]
    assert raw.data.iloc[0, 4:].tolist() == [tools.ORG_OPTIONS[0], "A1", "A2"]


def test_answer_codes_replaced_by_distinct_cells_equal_replacing_each_cell():
    import random

    import pandas as pd

    from slutrapport.sources.readers import limesurvey

    rng = random.Random(6)
    mapping = {"A1": "Instämmer helt", "A2": "Vet ej", "1": "Ja", "": "Tom kod"}
    for _ in range(400):
        cells = [rng.choice(["A1", " A1 ", "A2", "a1", "", " ", "1", "1.0", "A3", "Annat"]) for _ in range(rng.choice([0, 1, 7, 80]))]
        column = pd.Series(cells, index=pd.RangeIndex(3, 3 + len(cells)), dtype=object)
        stripped = column.str.strip()  # the reference: every cell stripped and looked up by itself
        hits = stripped.isin(mapping.keys())
        expected = column.where(~hits, stripped.map(mapping))
        count, got = limesurvey._answers_replaced(column, mapping)
        assert count == int(hits.sum())
        assert got.tolist() == expected.tolist() and got.dtype == object and got.index.equals(column.index)
