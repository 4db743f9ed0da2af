"""rapport.json: layout, JSON Schema, JSON-native values, allow-listed columns, privacy and reading errors."""

from __future__ import annotations

import json
import math
import re
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest

jsonschema = pytest.importorskip("jsonschema")

from slutrapport import __version__  # noqa: E402
from slutrapport.analysis.changes import CHANGE_COLUMNS, GROUP_DIFFERENCE_COLUMNS  # noqa: E402
from slutrapport.analysis.describe import CONTRACT_COLUMNS  # noqa: E402
from slutrapport.analysis.reliability import RELIABILITY_COLUMNS  # noqa: E402
from slutrapport.core.errors import InputFileError, SlutrapportError  # noqa: E402
from slutrapport.render.bundle import FORBIDDEN_COLUMNS, SCHEMA_VERSION, TABLE_COLUMNS, load_bundle, render_bundle, schema  # noqa: E402
from slutrapport.report.model import Completeness, Paragraphs, Report, Section  # noqa: E402

TOP_LEVEL = ["schema_version", "verktyg", "skapad", "projekt", "mall", "rubriker", "fullstandighet", "personalenkat", "tabeller"]
HEADING_KEYS = ["id", "nummer", "rubrik", "niva", "kravs", "har_text", "har_genererat_innehall", "status", "saknas", "text"]
SECRET_CODES = ["hemlig-kod-4711", "xq93zz"]


def _table(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows).reindex(columns=columns)


def _comparison() -> pd.DataFrame:
    rows = [
        {"niva": "index", "id": "a", "text": "Index A", "grupp": "Alla", "enkat": "Enkät 1", "n": 12, "medel": 3.5,
         "sd": 0.8, "median": 4.0, "andel_positiva": 0.5, "undertryckt": False, "orsak": ""},
        {"niva": "index", "id": "a", "text": "Index A", "grupp": "AF", "enkat": "Enkät 1", "n": None, "medel": np.nan,
         "sd": np.nan, "median": np.nan, "andel_positiva": np.nan, "undertryckt": True, "orsak": "för få svar"},
        # a suppressed cell that wrongly still carries numbers: the bundle must empty them anyway
        {"niva": "fraga", "id": "q1", "text": "Fråga ett", "grupp": "FK", "enkat": "Enkät 2", "n": 3, "medel": 2.0,
         "sd": 1.0, "median": 2.0, "andel_positiva": 0.25, "undertryckt": True, "orsak": "skyddar en mindre grupp"},
        {"niva": "fraga", "id": "q1", "text": "Fråga ett", "grupp": "Alla", "enkat": "Enkät 2", "n": 9, "medel": np.inf,
         "sd": np.nan, "median": 3.0, "andel_positiva": 1.0, "undertryckt": False, "orsak": ""},
    ]  # fmt: skip
    table = _table(rows, list(CONTRACT_COLUMNS) + ["orsak"])
    table["n"] = table["n"].astype("Int64")
    table["undertryckt"] = table["undertryckt"].astype(bool)
    table["enkat"] = pd.Categorical(table["enkat"], categories=["Enkät 1", "Enkät 2"])
    table["kod"] = SECRET_CODES + ["k3", "k4"]  # a forbidden column handed in by mistake
    table["respondent"] = ["1:17", "1:18", "2:3", "2:4"]
    return table


def _changes() -> pd.DataFrame:
    row = {"niva": "index", "id": "a", "grupp": "Alla", "fran": "Enkät 1", "till": "Enkät 2", "parad": np.bool_(True),
           "n_fran": np.int64(12), "n_till": np.int64(9), "n_par": np.int64(8), "diff_medel": np.float64(-0.25),
           "diff_andel_positiva": 0.1, "ci_lag": -0.5, "ci_hog": 0.1, "test": "wilcoxon", "statistika": 4.0,
           "p_unc": 0.2, "p_corr": 0.4, "effekt": np.nan, "effektmatt": "", "familj": "primär", "justering": "holm"}  # fmt: skip
    return _table([row], CHANGE_COLUMNS)


def _reliability() -> pd.DataFrame:
    table = _table([{"index": "a", "enkat": "Enkät 1", "grupp": "Alla", "n": 12.0, "alfa": 0.81, "antal_fragor": 3}], RELIABILITY_COLUMNS)
    table["svar"] = ["Jag heter Anna och jobbar på AF"]
    return table


def _group_differences() -> pd.DataFrame:
    rows = [
        {"niva": "index", "id": "a", "enkat": "Enkät 1", "grupp_a": "alla", "grupp_b": "", "n_a": 12, "n_b": None,
         "test": "kruskal_wallis", "statistika": 1.5, "p_unc": 0.47, "p_corr": 1.0, "effekt": 0.05, "effektmatt": "epsilon2",
         "familj": "gruppskillnader", "justering": "holm"},
    ]  # fmt: skip
    table = _table(rows, GROUP_DIFFERENCE_COLUMNS)
    table[["n_a", "n_b"]] = table[["n_a", "n_b"]].astype("Int64")
    return table


def _report(**changes) -> Report:
    sections = [
        Section(id="sammanfattning", number="1", title="Sammanfattning", required=True, narrative="Projektet **lyckades**."),
        Section(id="resultat", number="2", title="Resultat", required=True, blocks=[Paragraphs(["Genererad text."])], expects_text=False),
        Section(id="resultat-detalj", number="2.1", title="Detaljer", level=2, narrative="  \n"),
        Section(id="ekonomi", number="3", title="Ekonomisk redovisning", required=True),
        Section(id="bilaga", number=None, title="Bilaga", required=True),
    ]
    completeness = [
        Completeness("sammanfattning", "1", "Sammanfattning", True, "ifylld", []),
        Completeness("resultat", "2", "Resultat", True, "ifylld", ["text saknas"]),
        Completeness("resultat-detalj", "2.1", "Detaljer", False, "saknas", ["text saknas"]),
        Completeness("ekonomi", "3", "Ekonomisk redovisning", True, "saknas", ["text saknas"]),
        # "bilaga" has no completeness row: not assessed
    ]
    values = dict(
        title="Vägen framåt",
        subtitle="Slutrapport",
        facts={"Projektets namn": "Vägen framåt", "Projektperiod": "2025-01-01 – 2026-06-30"},
        sections=sections,
        generated="2026-06-30",
        template_name="Slutrapport enligt RAR Sörmlands mall",
        template_id="rar-slutrapport",
        completeness=completeness,
        tables={
            "jamforelse": _comparison(),
            "forandringar": _changes(),
            "reliabilitet": _reliability(),
            "gruppskillnader": _group_differences(),
            "fritext": pd.DataFrame({"enkat": ["Enkät 1"], "fraga": ["f1"], "text": ["Ring mig på 070-1234567"]}),
        },
    )
    return Report(**(values | changes))


def _validator():
    return jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _validate(data: dict) -> None:
    _validator().validate(data)


def _errors(data: dict) -> list[str]:
    return [e.message for e in _validator().iter_errors(data)]


def _strict_loads(raw: bytes) -> dict:
    def reject(name):
        raise AssertionError(f"non-standard JSON constant {name}")

    return json.loads(raw.decode("utf-8"), parse_constant=reject)


@pytest.fixture
def bundle() -> dict:
    return _strict_loads(render_bundle(_report()))


# -- layout -------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12_package_data():
    spec = schema()
    assert spec["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(spec)
    assert (files("slutrapport") / "report_templates" / "rapport.schema.json").is_file()
    spec["title"] = "ändrad"
    assert schema()["title"] != "ändrad"  # a fresh dict every call
    assert spec["required"] == [key for key in TOP_LEVEL if key != "personalenkat"]  # added in 1.1, optional
    assert list(spec["properties"]) == TOP_LEVEL
    assert spec["properties"]["schema_version"]["enum"] == ["1.0", "1.1", "1.2", "1.3", SCHEMA_VERSION]  # the versions it describes, newest last
    assert spec["properties"]["skapad"]["format"] == "date"


def test_bundle_validates_and_has_stable_layout(bundle):
    _validate(bundle)
    assert list(bundle) == TOP_LEVEL
    assert bundle["schema_version"] == SCHEMA_VERSION
    assert bundle["verktyg"] == {"namn": "slutrapport", "version": __version__}
    assert bundle["skapad"] == "2026-06-30"
    assert bundle["projekt"] == {
        "titel": "Vägen framåt",
        "uppgifter": {"Projektets namn": "Vägen framåt", "Projektperiod": "2025-01-01 – 2026-06-30"},
    }
    assert bundle["mall"] == {"id": "rar-slutrapport", "namn": "Slutrapport enligt RAR Sörmlands mall"}
    assert list(bundle["tabeller"]) == ["jamforelse", "forandringar", "reliabilitet", "gruppskillnader"]


def test_minimal_report_validates():
    report = Report(title="T", subtitle="", facts={}, sections=[], generated="2026-01-01")
    data = _strict_loads(render_bundle(report))
    _validate(data)
    assert data["rubriker"] == [] and data["tabeller"] == {}
    assert data["fullstandighet"] == {"kravda": 0, "ifyllda": 0, "saknas": [], "ej_bedomda": []}
    assert data["mall"] == {"id": "", "namn": ""}


def test_output_is_utf8_indented_and_deterministic_apart_from_date():
    raw = render_bundle(_report())
    text = raw.decode("utf-8")
    assert "Vägen framåt" in text and "\\u00e4" not in text  # ensure_ascii=False
    assert text.startswith('{\n  "schema_version": "1.4",\n') and text.endswith("}\n")
    assert raw == render_bundle(_report())
    reordered = _report()
    reordered.tables = dict(reversed(list(reordered.tables.items())))
    assert render_bundle(reordered) == raw  # table order does not depend on the dict handed in
    later = render_bundle(_report(generated="2027-01-01")).decode("utf-8")
    assert later.replace('"skapad": "2027-01-01"', '"skapad": "2026-06-30"') == text


def test_headings_carry_text_content_and_completeness(bundle):
    headings = bundle["rubriker"]
    assert [h["id"] for h in headings] == ["sammanfattning", "resultat", "resultat-detalj", "ekonomi", "bilaga"]
    assert all(list(h) == HEADING_KEYS for h in headings)
    first, result, detail, economy, appendix = headings
    assert first == {
        "id": "sammanfattning", "nummer": "1", "rubrik": "Sammanfattning", "niva": 1, "kravs": True,
        "har_text": True, "har_genererat_innehall": False, "status": "ifylld", "saknas": [],
        "text": "Projektet **lyckades**.",
    }  # fmt: skip
    assert result["har_text"] is False and result["har_genererat_innehall"] is True and result["text"] is None
    assert result["saknas"] == ["text saknas"]
    assert detail["niva"] == 2 and detail["nummer"] == "2.1" and detail["har_text"] is False  # whitespace only
    assert economy["status"] == "saknas" and economy["kravs"] is True
    assert appendix["nummer"] is None and appendix["status"] is None and appendix["saknas"] is None


def test_completeness_summary_counts_required_headings(bundle):
    summary = bundle["fullstandighet"]
    assert summary == {"kravda": 4, "ifyllda": 2, "saknas": ["ekonomi"], "ej_bedomda": ["bilaga"]}
    assert summary["kravda"] == summary["ifyllda"] + len(summary["saknas"]) + len(summary["ej_bedomda"])


def test_unknown_completeness_status_is_a_programming_error():
    report = _report()
    report.completeness[0].status = "klar"
    with pytest.raises(ValueError, match="klar"):
        render_bundle(report)


# -- tables ---------------------------------------------------------------------


def test_allow_lists_are_the_contracts_and_the_schema_pins_them():
    assert {
        "jamforelse": tuple(CONTRACT_COLUMNS),  # 1.2: no orsak (it told which hidden group was the small one)
        "forandringar": tuple(CHANGE_COLUMNS),
        "reliabilitet": tuple(RELIABILITY_COLUMNS),
        "gruppskillnader": tuple(GROUP_DIFFERENCE_COLUMNS),
        "svarsfrekvens": ("grupp", "enkat", "n", "inbjudna", "svarsfrekvens", "undertryckt"),  # 1.3, only with invited counts
        "sammansattning": ("fran", "till", "chi2", "df", "p", "max_skift", "skifte"),  # 1.3
        "ekonomi": ("kategori", "period", "budget", "utfall", "avvikelse_kr", "avvikelse_procent"),
        "ekonomi_nyckeltal": ("matt", "varde"),
        "socioekonomi_aktorer": ("aktor", "kostnad_fore", "kostnad_efter", "arlig_vinst"),
        "socioekonomi_lonsamhet": ("ar", "ackumulerad_vinst", "projektkostnad", "netto"),
        "socioekonomi_nyckeltal": ("matt", "varde"),
        "socioekonomi_kanslighet": ("scenario", "effektfaktor", "arlig_vinst", "aterbetalningstid_manader", "netto_3_ar"),
        # 1.3: the typfall method's figures per actor and its summary after one and five years
        "socioekonomi_aktorsresultat": ("aktor", "arlig_intakt", "kostnad", "lonsamhet_1_ar", "lonsamhet_3_ar", "lonsamhet_5_ar",
                                        "aterbetalningstid_manader"),
        "socioekonomi_sammanfattning": ("ar", "intakt_per_deltagare", "intakt_totalt", "lonsamhet_per_deltagare", "lonsamhet_totalt",
                                        "aterbetalningstid_manader"),
        "sjalvvardering": ("niva", "id", "text", "roll", "tillfalle", "n", "medel", "median", "undertryckt"),
        # the participant and goal contracts, written out (other tools depend on them)
        "deltagare_flode": ("period", "kon", "inskrivna", "aktiva", "avslutade", "undertryckt"),
        "deltagare_utfall": ("indelning", "kategori", "kon", "n", "andel", "undertryckt"),
        "deltagare_forsorjning": ("fore", "efter", "kon", "n", "undertryckt"),
        "deltagare_tid": ("kon", "n", "medel_dagar", "median_dagar", "moten_medel", "undertryckt"),
        "maluppfyllelse": ("id", "mal", "matt", "malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog", "uppnatt"),
        "maluppfyllelse_underlag": ("id", "grund", "fore", "efter", "motivering"),  # 1.4: the goals of every kind
        # Socialstyrelsen's sections 3.4 and 4 (1.3)
        "kompetens_kategorisering": ("grupp", "alternativ", "vald", "ange"),
        "kompetens_omfattning": ("kurslangd", "matt", "antal", "ungefarligt"),
        # 1.4: the whole project's counts, the follow-up after avslut, the places and the funding per party
        "deltagare_totaler": ("indelning", "kategori", "n", "andel", "undertryckt"),
        "deltagare_uppfoljning": ("manader", "indelning", "kategori", "kon", "n", "andel", "undertryckt"),
        "deltagare_platser": ("period", "enhet", "platser", "inskrivna", "aktiva", "belaggning", "undertryckt"),
        "ekonomi_finansiering": ("part", "budget", "andel_budget", "utfall", "andel_utfall"),
    } == TABLE_COLUMNS
    assert {"respondent", "kod", "svar", "rad", "fil"} <= FORBIDDEN_COLUMNS
    assert not FORBIDDEN_COLUMNS.intersection(*TABLE_COLUMNS.values())
    spec = schema()
    tables = spec["$defs"]["tabeller"]  # 1.2 to 1.4; the root chooses it (or $defs/tabeller_1_0) by schema_version
    assert tables["additionalProperties"] is False and list(tables["properties"]) == list(TABLE_COLUMNS)
    assert spec["else"]["properties"]["tabeller"]["$ref"] == "#/$defs/tabeller"
    for name, columns in TABLE_COLUMNS.items():
        assert tables["properties"][name]["$ref"] == f"#/$defs/tabell_{name}"
        assert spec["$defs"][f"tabell_{name}"]["properties"]["kolumner"]["const"] == list(columns)
        row = spec["$defs"][f"rad_{name}"]
        assert len(row["prefixItems"]) == row["minItems"] == row["maxItems"] == len(columns)


def test_tables_have_exactly_the_allowed_columns_and_json_native_values(bundle):
    tables = bundle["tabeller"]
    for name, table in tables.items():
        assert table["kolumner"] == list(TABLE_COLUMNS[name])
        assert all(len(row) == len(table["kolumner"]) for row in table["rader"])
    comparison = [dict(zip(tables["jamforelse"]["kolumner"], row, strict=True)) for row in tables["jamforelse"]["rader"]]
    assert comparison[0]["enkat"] == "Enkät 1" and comparison[0]["n"] == 12 and type(comparison[0]["n"]) is int
    assert comparison[0]["undertryckt"] is False and comparison[0]["medel"] == 3.5
    assert comparison[3]["medel"] is None and comparison[3]["sd"] is None  # inf and NaN → null
    change = dict(zip(tables["forandringar"]["kolumner"], tables["forandringar"]["rader"][0], strict=True))
    assert change["parad"] is True and change["n_par"] == 8 and type(change["n_par"]) is int
    assert change["diff_medel"] == -0.25 and change["effekt"] is None and change["effektmatt"] == ""
    alpha = dict(zip(tables["reliabilitet"]["kolumner"], tables["reliabilitet"]["rader"][0], strict=True))
    assert alpha["n"] == 12 and type(alpha["n"]) is int  # a count stored as float is written whole
    difference = dict(zip(tables["gruppskillnader"]["kolumner"], tables["gruppskillnader"]["rader"][0], strict=True))
    assert difference["n_a"] == 12 and difference["n_b"] is None


def test_suppressed_cells_have_null_numbers(bundle):
    table = bundle["tabeller"]["jamforelse"]
    rows = [dict(zip(table["kolumner"], row, strict=True)) for row in table["rader"]]
    hidden = [r for r in rows if r["undertryckt"]]
    assert len(hidden) == 2
    for row in hidden:
        assert [row[c] for c in ("n", "medel", "sd", "median", "andel_positiva")] == [None] * 5
        assert "orsak" not in row  # a table handed in with the reason never writes it
    text = json.dumps(bundle, ensure_ascii=False)
    assert "för få svar" not in text and "skyddar en mindre grupp" not in text


def test_missing_suppression_mark_counts_as_suppressed():
    report = _report()
    table = report.tables["jamforelse"].astype({"undertryckt": object})
    table.loc[0, "undertryckt"] = None
    report.tables["jamforelse"] = table
    data = _strict_loads(render_bundle(report))
    row = dict(zip(data["tabeller"]["jamforelse"]["kolumner"], data["tabeller"]["jamforelse"]["rader"][0], strict=True))
    assert row["undertryckt"] is True and row["n"] is None and row["medel"] is None
    _validate(data)


def test_forbidden_columns_and_unknown_tables_never_leak():
    raw = render_bundle(_report())
    text = raw.decode("utf-8")
    for leaked in SECRET_CODES + ["1:17", "2:3", "Anna", "070-1234567", "fritext", '"kod"', '"respondent"', '"svar"']:
        assert leaked not in text, leaked


def test_schema_rejects_forbidden_columns_extra_tables_and_visible_suppressed_numbers(bundle):
    leaking = json.loads(json.dumps(bundle))
    leaking["tabeller"]["reliabilitet"]["kolumner"].append("kod")
    leaking["tabeller"]["reliabilitet"]["rader"][0].append("xq93zz")
    assert _errors(leaking)
    extra = json.loads(json.dumps(bundle))
    extra["tabeller"]["svar"] = {"kolumner": ["respondent", "svar"], "rader": [["1:17", "text"]]}
    assert _errors(extra)
    shown = json.loads(json.dumps(bundle))
    row = shown["tabeller"]["jamforelse"]["rader"][1]
    assert row[TABLE_COLUMNS["jamforelse"].index("undertryckt")] is True
    row[TABLE_COLUMNS["jamforelse"].index("n")] = 3
    assert _errors(shown)
    bad_status = json.loads(json.dumps(bundle))
    bad_status["rubriker"][0]["status"] = "klar"
    assert _errors(bad_status)


# -- reading -----------------------------------------------------------------------


def test_round_trip_through_load_bundle(tmp_path):
    report = _report()
    raw = render_bundle(report)
    path = tmp_path / "rapport.json"
    path.write_bytes(raw)
    loaded = load_bundle(path)
    assert loaded == json.loads(raw)
    assert load_bundle(str(path)) == loaded
    table = loaded["tabeller"]["forandringar"]
    expected = report.tables["forandringar"][list(CHANGE_COLUMNS)]
    frame = pd.DataFrame(table["rader"], columns=table["kolumner"]).astype(expected.dtypes.to_dict())
    pd.testing.assert_frame_equal(frame, expected)


def test_newer_minor_version_is_read(tmp_path, bundle):
    bundle["schema_version"] = "1.7"
    bundle["ny_nyckel"] = {"från": "en senare version"}
    path = tmp_path / "rapport.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    assert load_bundle(path)["ny_nyckel"] == {"från": "en senare version"}


def _truncated(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda raw: b'{"schema_version": "1.4", nope}', "inte giltig JSON"),
        (_truncated, "avkortad"),
        (lambda raw: raw.rstrip()[:-1], "avkortad"),
        (lambda raw: b"", "tom"),
        (lambda raw: b"\xff\xfe{}", "UTF-8"),
        (lambda raw: b"[1, 2]", "schema_version"),
        (lambda raw: b'{"projekt": {}}', "schema_version"),
        (lambda raw: raw.replace(b'"schema_version": "1.4"', b'"schema_version": "2.0"'), "nyare version"),
        (lambda raw: raw.replace(b'"schema_version": "1.4"', b'"schema_version": "0.9"'), "inte kan läsa"),
        (lambda raw: raw.replace(b'"schema_version": "1.4"', b'"schema_version": "ett"'), "ogiltig schemaversion"),
        (lambda raw: raw.replace(b'"schema_version": "1.4"', b'"schema_version": 1'), "ogiltig schemaversion"),
        (lambda raw: b'{"schema_version": "1.4", "mall": {}}', "ofullständig"),
        (lambda raw: raw.replace(b'"rubriker": [', b'"rubriker": {"x": [').replace(b'\n  ],\n  "fullstandighet"', b'\n  ]},\n  "fullstandighet"'), "fel typ"),
        (lambda raw: raw.replace(b'"kravda": 4', b'"kravda": NaN'), "NaN"),
    ],
)
def test_unreadable_bundles_give_swedish_errors_naming_the_file(tmp_path, content, message):
    path = tmp_path / "projekt-a" / "rapport.json"
    path.parent.mkdir()
    path.write_bytes(content(render_bundle(_report())))
    with pytest.raises(InputFileError, match=message) as caught:
        load_bundle(path)
    assert isinstance(caught.value, SlutrapportError)
    assert str(path) in str(caught.value)
    assert str(caught.value).startswith("Rapportfilen ")


def test_missing_file_names_the_file(tmp_path):
    path = tmp_path / "finns-inte.json"
    with pytest.raises(InputFileError, match="finns inte") as caught:
        load_bundle(path)
    assert str(path) in str(caught.value)


# -- the demo report -------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    from slutrapport.analysis.survey import analyse_survey
    from slutrapport.pipeline import read_project_survey, sample_project_dir
    from slutrapport.project.folder import load_project
    from slutrapport.report.build import project_report
    from slutrapport.report.results import ProjectResults

    project = load_project(sample_project_dir())
    survey = read_project_survey(project)
    results = analyse_survey(survey, project.min_n, {w.label: w.date for w in project.waves})
    report = project_report(project, ProjectResults(survey=results))
    report.tables = {
        "jamforelse": results.comparison,
        "forandringar": results.changes,
        "reliabilitet": results.reliability,
        "gruppskillnader": results.group_tests,
        # handed in by mistake: respondent-level tables must never reach the bundle
        "fritext": results.free_text,
        "svar": survey.tidy,
    }
    raw = render_bundle(report)
    return survey, results, raw


def _strings(value) -> list[str]:
    """Every string in a parsed JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_demo_bundle_validates_and_holds_every_table(demo):
    _, results, raw = demo
    data = _strict_loads(raw)
    _validate(data)
    assert list(data["tabeller"]) == ["jamforelse", "forandringar", "reliabilitet", "gruppskillnader"]
    assert len(data["tabeller"]["jamforelse"]["rader"]) == len(results.comparison)
    assert len(data["tabeller"]["forandringar"]["rader"]) == len(results.changes)
    assert data["mall"]["id"] and data["projekt"]["uppgifter"]["Projektets namn"] == data["projekt"]["titel"]
    assert any(h["text"] for h in data["rubriker"])
    table = data["tabeller"]["jamforelse"]
    hidden = [dict(zip(table["kolumner"], r, strict=True)) for r in table["rader"] if r[table["kolumner"].index("undertryckt")]]
    assert hidden and all(r["n"] is None and r["medel"] is None and r["andel_positiva"] is None for r in hidden)
    summary = data["fullstandighet"]
    assert summary["kravda"] == summary["ifyllda"] + len(summary["saknas"]) + len(summary["ej_bedomda"])


def test_demo_bundle_holds_no_respondent_level_value(demo):
    survey, _, raw = demo
    text = raw.decode("utf-8")
    strings = _strings(json.loads(text))
    tidy = survey.tidy

    codes = set(tidy["kod"].dropna().astype(str).str.strip()) - {""}
    assert len(codes) > 20
    for code in codes:
        if code.isdigit():  # as a JSON number or inside a string, not as digits of a decimal
            assert not re.search(rf"(?<![\d.]){code}(?!\d|\.\d)", text), code
        else:
            assert not re.search(rf"\b{re.escape(code)}\b", text, re.I), code

    answers = {a.strip() for a in tidy.loc[tidy["status"] == "fritext", "svar"].dropna()} - {""}
    assert len(answers) > 20
    leaked = [a for a in answers if any(a in s for s in strings)]
    assert not leaked

    assert not re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", text)  # e-mail-like
    assert "@" not in text and "anonymous" not in text.lower()
    assert not re.search(r"\d+:\d+", text)  # respondent ids ("1:17") and answer times
    for column in ("respondent", "kod", "svar", "rad", "fil"):
        assert f'"{column}"' not in text
    files = set(tidy["fil"].astype(str))
    assert not [f for f in files if f in text]


def test_demo_bundle_reads_back_to_the_result_tables(demo, tmp_path):
    _, results, raw = demo
    path = tmp_path / "rapport.json"
    path.write_bytes(raw)
    data = load_bundle(path)
    assert data["schema_version"] == SCHEMA_VERSION
    originals = {
        "jamforelse": results.comparison,
        "forandringar": results.changes,
        "reliabilitet": results.reliability,
        "gruppskillnader": results.group_tests,
    }
    for name, original in originals.items():
        table = data["tabeller"][name]
        expected = original[list(TABLE_COLUMNS[name])]
        frame = pd.DataFrame(table["rader"], columns=table["kolumner"]).astype(expected.dtypes.to_dict())
        pd.testing.assert_frame_equal(frame, expected, obj=name)
    rows = sum(len(t["rader"]) for t in data["tabeller"].values())
    assert raw.count(b"\n") < rows + 2000  # one line per table row
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in _numbers(data))


def _numbers(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def test_demo_bundle_names_the_instrument_and_waves(demo):
    """Schema 1.1: the portfolio compares projects only when instrument id and scale agree."""
    survey, results, raw = demo
    data = json.loads(raw)
    _validate(data)
    assert data["personalenkat"] == {
        "id": "samverkan",
        "namn": survey.instrument.name,
        "skala": {"min": 1, "max": 5, "positiva": [4, 5]},
        "enkater": [
            {"etikett": "Enkät 1", "datum": "2025-03-21"},
            {"etikett": "Enkät 2", "datum": "2025-09-19"},
            {"etikett": "Enkät 3", "datum": "2026-03-20"},
        ],
    }


def test_a_version_1_0_bundle_without_the_instrument_still_loads(demo, tmp_path):
    data = json.loads(demo[2])
    del data["personalenkat"]
    data["schema_version"] = "1.0"
    path = tmp_path / "rapport.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_bundle(path)["schema_version"] == "1.0"
