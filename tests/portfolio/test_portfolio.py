"""The funder's portfolio: finding and checking bundles, the tidy tables against the bundles' own
numbers, suppression across projects, the rendered outputs, the CLI and bundles made by build."""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from slutrapport.cli import cli
from slutrapport.pipeline import build_portfolio, build_project
from slutrapport.portfolio import CSV_FILES, PortfolioError, collect_bundles, portfolio_outputs, portfolio_tables
from slutrapport.portfolio import collect as collect_module
from slutrapport.portfolio.excel import DATA_SHEETS
from slutrapport.portfolio.model import DIFF_MONEY, DIFF_PERCENT, MONEY, STATUS, Typed
from slutrapport.portfolio.render import format_cell
from slutrapport.portfolio.tables import INTEGER_COLUMNS, TABLE_COLUMNS
from slutrapport.render.bundle import FORBIDDEN_COLUMNS
from slutrapport.render.bundle import TABLE_COLUMNS as BUNDLE_TABLES
from slutrapport.report.model import Hidden
from slutrapport.wording import portfolio as wording
from tests.conftest import HEADER, MINI_INSTRUMENT, SAMPLES, write_csv
from tests.portfolio.helpers import RAR, SAMVERKAN, SOS, bundle, contract_tables, survey_tables, write_bundle

HOSTILE_NAME = '=HYPERLINK("http://evil.example","klicka") <script>alert(1)</script>'


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _outputs(paths, **kwargs) -> tuple[dict[str, bytes], object]:
    return portfolio_outputs([Path(p) for p in paths], **kwargs)


def _csv(outputs: dict[str, bytes], name: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(outputs[CSV_FILES[name]]), keep_default_na=False, dtype=str)


def _excel_cells(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def _rows(table: pd.DataFrame, **where) -> pd.DataFrame:
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    return table[mask]


# -- finding and reading bundles ---------------------------------------------------


def test_finds_bundles_in_files_build_folders_and_folder_trees(tmp_path):
    single = write_bundle(tmp_path / "a" / "rapport.json", bundle("Alfa"))
    write_bundle(tmp_path / "b", bundle("Beta"))  # a build output folder
    write_bundle(tmp_path / "tree" / "x" / "rapport", bundle("Gamma"))
    write_bundle(tmp_path / "tree" / "y" / "z", bundle("Delta"))
    write_bundle(tmp_path / "tree" / ".git" / "old", bundle("Gömd"))  # hidden folders are skipped
    (tmp_path / "tree" / "anteckningar.txt").write_text("inte en rapport", encoding="utf-8")
    (tmp_path / "tom").mkdir()
    notes = tmp_path / "tree" / "anteckningar.txt"
    paths = [single, tmp_path / "b", tmp_path / "tree", tmp_path / "tom", tmp_path / "saknas", notes, single]
    collection = collect_bundles(paths)
    assert [b.name for b in collection.bundles] == ["Alfa", "Beta", "Delta", "Gamma"]  # sorted by name; single given twice
    assert collection.found == 4
    errors = {p.fil: p.meddelande for p in collection.report.errors()}
    assert set(errors) == {str(tmp_path / "tom"), str(tmp_path / "saknas"), str(notes)}
    assert "Ingen rapport.json hittades" in errors[str(tmp_path / "tom")]
    assert "finns inte" in errors[str(tmp_path / "saknas")]
    assert "inte en rapport.json" in errors[str(notes)]


def test_malformed_and_truncated_bundles_are_reported_and_the_rest_builds(tmp_path):
    write_bundle(tmp_path / "ok" / "a", bundle("Alfa", contract=contract_tables()))
    text = json.dumps(bundle("Trasig"), ensure_ascii=False, indent=1)
    truncated = tmp_path / "trasig" / "rapport.json"
    truncated.parent.mkdir()
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    garbage = tmp_path / "skrap" / "rapport.json"
    garbage.parent.mkdir()
    garbage.write_text('{"schema_version": "1.1", "projekt": [1, 2', encoding="utf-8")
    broken_headings = bundle("Rubriklös")
    del broken_headings["rubriker"][0]["id"]
    write_bundle(tmp_path / "rubriker", broken_headings)
    broken_table = bundle("Ekonomi fel", contract=contract_tables())
    broken_table["tabeller"]["ekonomi"]["rader"][1][2] = "tio"  # budget of row 2 is text
    write_bundle(tmp_path / "tabell", broken_table)
    no_total = bundle("Utan totalrad", contract=contract_tables())
    flow = no_total["tabeller"]["deltagare_flode"]
    flow["rader"] = [r for r in flow["rader"] if r[0] != "Totalt"]
    write_bundle(tmp_path / "utan-total", no_total)

    outputs, report = _outputs([tmp_path])
    errors = {p.fil: p for p in report.errors()}
    assert set(errors) == {str(truncated), str(garbage), str(tmp_path / "rubriker" / "rapport.json"), str(tmp_path / "tabell" / "rapport.json")}
    assert "avkortad" in errors[str(truncated)].meddelande and str(truncated) in errors[str(truncated)].meddelande
    assert "ingår inte i portföljen" in errors[str(garbage)].meddelande
    assert "$.rubriker[0]: nyckeln id saknas" in errors[str(tmp_path / "rubriker" / "rapport.json")].meddelande
    unused = [p for p in report.warnings() if p.kolumn == "deltagare_flode"]
    assert len(unused) == 1 and "inga rader med period = Totalt" in unused[0].meddelande
    table_error = errors[str(tmp_path / "tabell" / "rapport.json")]
    assert (table_error.kolumn, table_error.rad, table_error.varde) == ("ekonomi.budget", 2, '"tio"')
    assert "$.tabeller.ekonomi.rader[1][2] (tabellen ekonomi, rad 2, kolumn budget)" in table_error.meddelande
    # a bundle that breaks the schema anywhere is left out as a whole, of every table; the others stay
    projects = _csv(outputs, "projekt")
    assert list(projects["projekt"]) == ["Alfa", "Utan totalrad"]
    assert set(_csv(outputs, "ekonomi")["projekt"]) == {"Alfa", "Utan totalrad"}
    assert set(_csv(outputs, "deltagare")["projekt"]) == {"Alfa"}
    html = outputs["portfolio.html"].decode("utf-8")
    assert "Problem vid inläsningen" in html and "avkortad" in html
    problems = _csv(outputs, "problem")
    assert list(problems.columns) == ["fil", "rad", "kolumn", "kontroll", "varde", "meddelande", "allvar"]
    assert (problems["allvar"] == "fel").sum() == 4

    with pytest.raises(PortfolioError) as caught:
        _outputs([tmp_path], strict=True)
    assert "--strict" in str(caught.value) and str(truncated) in str(caught.value)


def test_nothing_readable_is_an_error_naming_the_files(tmp_path):
    bad = tmp_path / "rapport.json"
    bad.write_text("", encoding="utf-8")
    with pytest.raises(PortfolioError) as caught:
        _outputs([bad, tmp_path / "saknas"])
    assert "Ingen rapportfil" in str(caught.value) and "är tom" in str(caught.value) and "saknas" in str(caught.value)


def test_other_schema_versions_are_migrated_or_refused(tmp_path):
    write_bundle(tmp_path / "a", bundle("Alfa"))
    write_bundle(tmp_path / "b", bundle("Beta"))
    write_bundle(tmp_path / "gammal", bundle("Gammal", version="1.0"))
    future = bundle("Framtid")
    future["schema_version"] = "2.0"
    write_bundle(tmp_path / "ny", future)
    newer_minor = bundle("Senare")
    newer_minor["schema_version"] = "1.7"
    newer_minor["ny_nyckel"] = {"okänd": True}
    write_bundle(tmp_path / "senare", newer_minor)

    collection = collect_bundles([tmp_path])
    assert [b.name for b in collection.bundles] == ["Alfa", "Beta", "Gammal"]  # only the versions the schema lists
    for folder, version in (("ny", "2.0"), ("senare", "1.7")):  # a newer minor version may hold anything: refused too
        refused = [p for p in collection.report.errors() if p.fil.endswith(str(Path(folder) / "rapport.json"))]
        assert len(refused) == 1 and f"schemaversion {version}" in refused[0].meddelande, refused
        assert "Uppdatera slutrapport" in refused[0].meddelande and "1.0, 1.1, 1.2, 1.3 och 1.4" in refused[0].meddelande
    migrated = [p for p in collection.report.warnings() if p.kontroll == "schemaversion"]
    assert len(migrated) == 1 and "schemaversion 1.0" in migrated[0].meddelande and "Gammal" not in migrated[0].fil.split("/")[-1]
    survey = portfolio_tables(collection.bundles)["personalenkat"]
    old = _rows(survey, projekt="Gammal")
    assert len(old) == 2 and (old["jamforelsegrupp"] == "").all() and not old["jamforbar"].any()
    assert _rows(survey, projekt="Alfa")["jamforbar"].all()


def test_a_1_1_bundle_with_the_reason_column_loads_and_the_reason_goes_nowhere(tmp_path):
    old = bundle("Gammal", version="1.1")
    assert old["tabeller"]["jamforelse"]["kolumner"][-1] == "orsak"
    write_bundle(tmp_path / "gammal", old)
    write_bundle(tmp_path / "ny", bundle("Ny"))
    assert "orsak" not in bundle("Ny")["tabeller"]["jamforelse"]["kolumner"]
    collection = collect_bundles([tmp_path])
    assert [b.name for b in collection.bundles] == ["Gammal", "Ny"] and not collection.report.errors()
    survey = portfolio_tables(collection.bundles)["personalenkat"]
    assert _rows(survey, projekt="Gammal")["medel_sista"].tolist() == _rows(survey, projekt="Ny")["medel_sista"].tolist()
    outputs, _ = _outputs([tmp_path])
    for name, data in outputs.items():
        text = "".join(str(c.value) for c in _excel_cells(data)) if name.endswith(".xlsx") else data.decode("utf-8")
        assert "för få svar" not in text, name


def test_two_bundles_for_the_same_project_and_period_newer_wins(tmp_path):
    old = write_bundle(tmp_path / "v1", bundle("Alfa", created="2026-01-15", contract=contract_tables(enrolled=(977, 500, 477))))
    new = write_bundle(tmp_path / "v2", bundle("  alfa ", created="2026-06-30", contract=contract_tables()))
    other_period = write_bundle(tmp_path / "v3", bundle("Alfa", period="2023-01-01 – 2024-06-30"))
    for order in ([old, new, other_period], [new, other_period, old]):
        outputs, report = _outputs(order)
        projects = _csv(outputs, "projekt")
        assert sorted(projects["projektperiod"]) == ["2023-01-01 – 2024-06-30", "2025-01-01 – 2026-06-30"]
        assert list(_rows(projects, projektperiod="2025-01-01 – 2026-06-30")["inskrivna"]) == ["40"]
        warning = [p for p in report.warnings() if p.kontroll == "dubblett"]
        assert len(warning) == 1 and warning[0].fil == str(old)
        assert str(new) in warning[0].meddelande and str(old) in warning[0].meddelande and "2026-06-30" in warning[0].meddelande
        for name, data in outputs.items():  # nothing of the older bundle reaches any output
            assert b"977" not in data or name.endswith(".xlsx"), name
        assert 977 not in {c.value for c in _excel_cells(outputs["portfolio.xlsx"])}
        html = outputs["portfolio.html"].decode("utf-8")
        assert "Alfa (2023-01-01 – 2024-06-30)" in html  # same name, two periods: the period tells them apart

    # the same date: the file modified last wins
    same_day = write_bundle(tmp_path / "v4", bundle("Beta", contract=contract_tables(enrolled=(61, 30, 31))))
    later = write_bundle(tmp_path / "v5", bundle("Beta", contract=contract_tables(enrolled=(62, 31, 31))))
    os.utime(same_day, (1_700_000_000, 1_700_000_000))
    os.utime(later, (1_800_000_000, 1_800_000_000))
    projects = _csv(_outputs([later, same_day])[0], "projekt")
    assert list(projects["inskrivna"]) == ["62"]


def test_template_option_keeps_one_templates_projects(tmp_path):
    write_bundle(tmp_path / "a", bundle("Alfa"))
    write_bundle(tmp_path / "b", bundle("Beta", template=SOS))
    collection = collect_bundles([tmp_path], template=SOS)
    assert [b.name for b in collection.bundles] == ["Beta"]
    left_out = [p for p in collection.report.warnings() if p.kontroll == "mall"]
    assert len(left_out) == 1 and "Alfa" in left_out[0].meddelande and RAR in left_out[0].meddelande
    with pytest.raises(PortfolioError) as caught:
        collect_bundles([tmp_path], template="okand-mall")
    assert f"Mallarna i rapportfilerna: {RAR}, {SOS}" in str(caught.value)


def test_parallel_reading_gives_the_same_collection(tmp_path, monkeypatch):
    for number in range(6):
        write_bundle(tmp_path / f"p{number}", bundle(f"Projekt {number}", contract=contract_tables()))
    (tmp_path / "trasig").mkdir()
    (tmp_path / "trasig" / "rapport.json").write_text("{", encoding="utf-8")
    sequential = collect_bundles([tmp_path])
    monkeypatch.setattr(collect_module, "PARALLEL_FROM", 2)
    parallel = collect_bundles([tmp_path])
    assert [b.name for b in parallel.bundles] == [b.name for b in sequential.bundles]
    assert [b.tables for b in parallel.bundles] == [b.tables for b in sequential.bundles]
    assert parallel.report.problems == sequential.report.problems


# -- the tables against the bundles' own numbers ------------------------------------


def test_completeness_table_per_template_sorted_by_what_is_missing(tmp_path):
    sos_headings = [("sammanfattning", "Sammanfattning", True), ("mal-lage-utveckling", "Mål, läge och utveckling", True)]
    bundles = [
        bundle("Alfa", missing=("uppdraget",)),
        bundle("Beta", missing=("uppdraget", "ekonomi")),
        bundle("Gamma"),
        bundle("Delta", missing=("ekonomi",)),
        bundle("Epsilon", template=SOS, headings=sos_headings, missing=("sammanfattning",)),
    ]
    for number, data in enumerate(bundles):
        write_bundle(tmp_path / str(number), data)
    tables = portfolio_tables(collect_bundles([tmp_path]).bundles)
    table = tables["fullstandighet"]
    assert list(table.columns) == TABLE_COLUMNS["fullstandighet"]
    # required headings only (Bilaga is not required); RAR first, projects by missing headings, then name
    assert list(dict.fromkeys(table["projekt"])) == ["Beta", "Alfa", "Delta", "Gamma", "Epsilon"]
    assert list(table["mall"].unique()) == [RAR, SOS]
    beta = _rows(table, projekt="Beta")
    assert list(beta["rubrik_id"]) == ["sammanfattning", "uppdraget", "ekonomi", "personalenkat"]
    assert list(beta["ordning"]) == [1, 2, 3, 4]
    assert list(beta["status"]) == ["ifylld", "saknas", "saknas", "ifylld"]
    assert list(beta["saknas"]) == ["", "text saknas", "text saknas", ""]
    projects = tables["projekt"].set_index("projekt")
    for data in bundles:  # the key figures are the bundle's own completeness
        name = data["projekt"]["uppgifter"]["Projektets namn"]
        assert projects.loc[name, "kravda"] == data["fullstandighet"]["kravda"]
        assert projects.loc[name, "ifyllda"] == data["fullstandighet"]["ifyllda"]
        assert projects.loc[name, "saknade"] == len(data["fullstandighet"]["saknas"])


def test_survey_table_takes_level_and_change_from_the_bundle(tmp_path):
    write_bundle(tmp_path / "a", bundle("Alfa"))
    changes = {"a": (-0.25, 0.04, -0.12, -0.3, 0.05, 0.3), "b": (0.5, 0.001, 0.2, 0.05, 0.35, 0.01)}
    write_bundle(tmp_path / "b", bundle("Beta", survey=survey_tables(changes=changes)))
    write_bundle(tmp_path / "c", bundle("Gamma", survey=survey_tables(changes={"a": (-0.6, 0.3, -0.2, -0.4, 0.0, 0.5)})))
    write_bundle(tmp_path / "d", bundle("Fyrgradig", instrument=SAMVERKAN | {"max": 4, "positiva": [3, 4]}))
    write_bundle(tmp_path / "e", bundle("Utan enkät", instrument=None))
    table = portfolio_tables(collect_bundles([tmp_path]).bundles)["personalenkat"]
    assert list(table.columns) == TABLE_COLUMNS["personalenkat"]
    assert set(table["projekt"]) == {"Alfa", "Beta", "Gamma", "Fyrgradig"}
    alfa_a = _rows(table, projekt="Alfa", index_id="a").iloc[0]
    # level at the last wave (Enkät 2): n 18, mean 3.8, share 0.61 (survey_tables' defaults)
    assert (alfa_a["sista_enkat"], alfa_a["n_sista"], alfa_a["medel_sista"], alfa_a["andel_positiva_sista"]) == ("Enkät 2", 18, 3.8, 0.61)
    # change Enkät 1 → Enkät 2 for Alla: Wilcoxon row (diff 0.3, p 0.2), McNemar row (share 0.11, CI −0.05–0.27, p 0.4);
    # the AF row (diff −9, p 0.001) and the question row (mean 9.9) are never used
    assert (alfa_a["diff_medel"], alfa_a["p_corr_medel"]) == (0.3, 0.2)
    assert (alfa_a["diff_andel_positiva"], alfa_a["ci_lag"], alfa_a["ci_hog"], alfa_a["p_corr_andel"]) == (0.11, -0.05, 0.27, 0.4)
    assert 9.9 not in set(table["medel_sista"]) and -9.0 not in set(table["diff_medel"])
    # certain decline: p_corr < 0.05 and diff_medel < 0
    declines = {(r.projekt, r.index_id): r.signifikant_minskning for r in table.itertuples()}
    assert declines[("Alfa", "b")] is True  # −0.4, p 0.01
    assert declines[("Alfa", "a")] is False  # +0.3, p 0.2
    assert declines[("Beta", "a")] is True  # −0.25, p 0.04
    assert declines[("Beta", "b")] is False  # +0.5, p 0.001: certain, but an increase
    assert declines[("Gamma", "a")] is False  # −0.6, p 0.3: not certain

    # the same instrument id on another scale is its own group, never compared
    groups = table.drop_duplicates("projekt").set_index("projekt")
    assert groups.loc["Alfa", "jamforelsegrupp"] == "samverkan|1-5|4,5" and groups.loc["Alfa", "jamforbar"]
    assert groups.loc["Fyrgradig", "jamforelsegrupp"] == "samverkan|1-4|3,4" and not groups.loc["Fyrgradig", "jamforbar"]
    projects = portfolio_tables(collect_bundles([tmp_path]).bundles)["projekt"].set_index("projekt")
    assert projects.loc["Alfa", "signifikanta_minskningar"] == 1 and projects.loc["Beta", "signifikanta_minskningar"] == 1
    assert pd.isna(projects.loc["Utan enkät", "signifikanta_minskningar"])


def test_participants_goals_and_economy_tables_are_the_bundles_numbers(tmp_path):
    write_bundle(tmp_path / "a", bundle("Alfa", contract=contract_tables()))
    write_bundle(tmp_path / "b", bundle("Beta", contract=contract_tables(enrolled=(12, 7, 5), active=(2, 1, 1), finished=(10, 6, 4),
                                                                          cost_per_participant=None)))  # fmt: skip
    write_bundle(tmp_path / "c", bundle("Utan deltagare"))
    tables = portfolio_tables(collect_bundles([tmp_path]).bundles)
    flow = tables["deltagare"]
    assert list(flow.columns) == TABLE_COLUMNS["deltagare"]
    alfa = _rows(flow, projekt="Alfa").set_index("kon")
    assert list(alfa.index) == ["Alla", "Kvinnor", "Män"]  # period Totalt only
    assert alfa.loc["Alla", ["inskrivna", "aktiva", "avslutade"]].tolist() == [40, 10, 30]
    assert alfa.loc["Män", ["inskrivna", "aktiva", "avslutade"]].tolist() == [18, 4, 14]
    outcome = tables["utfall"]
    assert set(outcome["kategori"]) == {"förvärvsarbete", "studier", "aktivt arbetssökande", "övriga"}  # not the project's own status
    work = _rows(outcome, projekt="Alfa", kategori="förvärvsarbete", kon="Alla").iloc[0]
    assert (work["n"], work["andel"]) == (12, 12 / 30)  # 12 of 30 finished
    goals = tables["mal"]
    assert list(goals.columns) == TABLE_COLUMNS["mal"]
    assert _rows(goals, projekt="Alfa")[["id", "uppnatt"]].values.tolist() == [["m1", "osäkert"], ["m2", "ja"], ["m3", "nej"]]
    economy = tables["ekonomi"]
    lokal = _rows(economy, projekt="Alfa", kategori="Lokal").iloc[0]
    assert (lokal["budget"], lokal["utfall"], lokal["avvikelse_kr"], lokal["avvikelse_procent"]) == (200_000, 230_000, 30_000, 0.15)
    assert list(_rows(economy, projekt="Alfa")["kategori"]) == ["Personal", "Lokal", "Totalt"]  # period Totalt only
    projects = tables["projekt"].set_index("projekt")
    assert projects.loc["Alfa", ["budget_totalt", "utfall_totalt", "avvikelse_kr"]].tolist() == [2_200_000, 2_130_000, -70_000]
    assert math.isclose(projects.loc["Alfa", "avvikelse_procent"], -70_000 / 2_200_000)
    assert projects.loc["Alfa", "kostnad_per_deltagare"] == 53_250  # the bundle's own figure
    assert projects.loc["Alfa", "kostnad_per_avslutad"] == 2_130_000 / 30  # = 71 000, the bundle's own figure
    assert projects.loc["Alfa", ["mal_antal", "mal_uppnadda", "mal_ej_uppnadda", "mal_osakra"]].tolist() == [3, 1, 1, 1]
    assert projects.loc["Alfa", ["inskrivna", "avslutade"]].tolist() == [40, 30]
    assert pd.isna(projects.loc["Beta", "kostnad_per_deltagare"])  # null in the bundle: never 2 130 000 / 12
    assert projects.loc["Utan deltagare", ["inskrivna", "budget_totalt", "mal_antal"]].isna().all()

    outputs, _ = _outputs([tmp_path])
    html = outputs["portfolio.html"].decode("utf-8")
    page = html[html.index('<h2>Utan deltagare</h2>'):]
    assert "Rapporten innehåller inga uppgifter om deltagare." in page
    assert "Rapporten innehåller ingen ekonomisk redovisning." in page
    assert "Uppgifter om deltagare saknas i rapportfilerna för: Utan deltagare." in html
    assert "Utfallet, 2\u00a0130\u00a0000\u00a0kr, är 70\u00a0000\u00a0kr (3,2\u00a0%) lägre än budgeten på 2\u00a0200\u00a0000\u00a0kr." in html


# -- suppression across projects ------------------------------------------------------


def _hidden_bundle(name: str = "Dold") -> dict:
    """Hidden cells (last wave of index a, first of b; men in the participant tables), and the changes they hide."""
    levels = {"a": ("Index A", [(20, 3.5, 0.5), None]), "b": ("Index B", [None, (18, 3.6, 0.4)])}
    changes = {"a": (0.777, 0.0123, 0.222, 0.111, 0.333, 0.0456), "b": (0.888, 0.0321, 0.1, 0.0, 0.2, 0.5)}
    return bundle(name, survey=survey_tables(levels=levels, changes=changes), contract=contract_tables(hidden_kon=("Män",)))


def _devious_bundle() -> dict:
    """Hidden cells carrying numbers (as a buggy or edited bundle could): the schema refuses the whole file."""
    data = _hidden_bundle("Fusk")
    rows = data["tabeller"]["jamforelse"]["rader"]
    hidden = next(r for r in rows if r[1] == "a" and r[3] == "Alla" and r[4] == "Enkät 2")
    hidden[5:10] = [3, 4.321, 0.5, 4.321, 0.321]  # n, medel, sd, median, andel_positiva; undertryckt stays true
    flow = data["tabeller"]["deltagare_flode"]["rader"]
    men = next(r for r in flow if r[0] == "Totalt" and r[1] == "Män")
    men[2:5] = [987, 654, 333]
    men[5] = None  # a missing mark counts as hidden
    outcome = data["tabeller"]["deltagare_utfall"]["rader"]
    next(r for r in outcome if r[2] == "Män")[3:5] = [876, 0.8765]
    return data


def test_hidden_cells_stay_hidden_in_every_output(tmp_path):
    write_bundle(tmp_path / "dold", _hidden_bundle())
    devious = write_bundle(tmp_path / "fusk", _devious_bundle())
    write_bundle(tmp_path / "alfa", bundle("Alfa"))
    outputs, report = _outputs([tmp_path])
    refused = [p for p in report.errors() if p.fil == str(devious)]
    assert refused and all("ingår inte i portföljen" in p.meddelande for p in refused)
    assert "$.tabeller.jamforelse.rader[" in refused[0].meddelande and "värdet ska vara null: cellen är undertryckt" in refused[0].meddelande
    assert list(_csv(outputs, "projekt")["projekt"]) == ["Alfa", "Dold"]
    survey = _csv(outputs, "personalenkat")
    a = _rows(survey, projekt="Dold", index_id="a").iloc[0]
    assert a["undertryckt_sista"] == "true" and a["forandring_undertryckt"] == "true"
    assert (a[["n_sista", "medel_sista", "andel_positiva_sista", "diff_medel", "p_corr_medel", "diff_andel_positiva", "ci_lag", "ci_hog"]] == "").all()
    assert a["signifikant_minskning"] == "false"  # never judged from a hidden change
    b = _rows(survey, projekt="Dold", index_id="b").iloc[0]  # first wave hidden: level shown, change hidden
    assert (b["undertryckt_sista"], b["n_sista"], b["forandring_undertryckt"], b["diff_medel"]) == ("false", "18", "true", "")
    men = _rows(_csv(outputs, "deltagare"), projekt="Dold", kon="Män").iloc[0]
    assert (men["inskrivna"], men["aktiva"], men["avslutade"], men["undertryckt"]) == ("", "", "", "true")
    secrets = ["4.321", "4,321", "0.321", "0.777", "0.0123", "0.222", "0.888", "0.0321", "987", "654", "876", "0.8765", "87,65", "88\u00a0%"]
    cells = _excel_cells(outputs["portfolio.xlsx"])
    numbers = {c.value for c in cells if isinstance(c.value, (int, float))}
    assert not numbers & {4.321, 0.321, 0.777, 0.0123, 0.222, 0.888, 0.0321, 987, 654, 876, 0.8765}
    for name, data in outputs.items():
        if name.endswith(".xlsx"):
            continue
        text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", data.decode("utf-8"))
        assert not [s for s in secrets if s in text], name
    html = outputs["portfolio.html"].decode("utf-8")
    page = html[html.index("<h2>Dold</h2>"):]
    row = re.search(r"<tr><th scope=\"row\">Index A</th>(.*?)</tr>", page).group(1)
    cells_a = re.findall(r"<td class=\"[a-z_]+\">([^<]*)</td>", row)
    assert cells_a[1:8] == ["–"] * 7  # n, mean, share, change in mean, p, change in share, interval
    assert "– = skyddat i projektets rapport" in page


# -- rendered outputs ------------------------------------------------------------------


@pytest.fixture
def three(tmp_path) -> Path:
    write_bundle(tmp_path / "a", bundle("Alfa", contract=contract_tables(), missing=("uppdraget",)))
    write_bundle(tmp_path / "b", bundle("Beta", survey=survey_tables(changes={"a": (-0.25, 0.04, -0.12, -0.3, 0.05, 0.3)})))
    write_bundle(tmp_path / "c", bundle(HOSTILE_NAME, instrument=SAMVERKAN | {"id": "annat", "namn": "Annat instrument"}))
    return tmp_path


def test_html_is_self_contained_with_one_page_per_project_in_the_same_layout(three):
    outputs, _ = _outputs([three])
    html = outputs["portfolio.html"].decode("utf-8")
    assert "<script" not in html.lower().replace("&lt;script&gt;", "")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html, re.I)
    assert "@import" not in html and "url(" not in html
    sections = re.findall(r'<section class="avsnitt" id="([^"]+)">', html)
    assert sections == ["oversikt", "fullstandighet", "personalenkat", "deltagare", "ekonomi", "projektsidor"]
    pages = re.split(r'<section class="projektsida" id="projekt-\d+">', html)[1:]
    assert len(pages) == 3
    layouts = [re.findall(r"<h3>([^<]+)</h3>", page) for page in pages]
    assert all(layout == ["Fullständighet", "Personalenkät", "Deltagare", "Mål", "Ekonomi"] for layout in layouts)
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', html)
    assert len(images) == 2  # Alfa and Beta share samverkan 1–5: one forest chart per index
    assert all(src.startswith("data:image/png;base64,") for src, _ in images)
    alt_a = next(alt for _, alt in images if "Index A" in alt)
    # Alfa +0.11 (−0.05 to 0.27); Beta −0.12 (−0.3 to 0.05), a certain decline of the mean (p 0.04)
    assert "Alfa: +11\u00a0p.e. (95 % KI −5 till 27\u00a0p.e.)" in alt_a
    assert "Beta: −12\u00a0p.e. (95 % KI −30 till 5\u00a0p.e.), säkerställd minskning av medelvärdet" in alt_a
    assert "Statistiskt säkerställda minskningar" in html and "Beta: Index A (medelvärdet −0,2, p = 0,04)" in html
    assert "Projekt med andra instrument" in html and "Annat instrument (annat)" in html


def test_hostile_project_names_are_text_in_html_and_excel(three):
    outputs, _ = _outputs([three])
    html = outputs["portfolio.html"].decode("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    cells = _excel_cells(outputs["portfolio.xlsx"])
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert hostile and all(c.data_type == "s" for c in hostile)
    assert not any(c.data_type == "f" for c in cells)


def test_excel_has_the_sections_and_the_tidy_tables(three):
    outputs, _ = _outputs([three])
    wb = load_workbook(io.BytesIO(outputs["portfolio.xlsx"]))
    assert wb.sheetnames == ["1 Översikt", "2 Fullständighet", "3 Personalenkäter", "4 Deltagare och mål", "5 Ekonomi", *DATA_SHEETS.values()]
    for name, sheet in DATA_SHEETS.items():
        header = [c.value for c in wb[sheet][1]]
        assert header == TABLE_COLUMNS[name], name
    projects = wb["Data projekt"]
    header = [c.value for c in projects[1]]
    alfa = next(row for row in projects.iter_rows(min_row=2, values_only=True) if row[0] == "Alfa")
    assert alfa[header.index("budget_totalt")] == 2_200_000 and alfa[header.index("inskrivna")] == 40
    money = next(row for row in projects.iter_rows(min_row=2) if row[0].value == "Alfa")[header.index("budget_totalt")]
    assert money.number_format == '#,##0" kr"'
    overview = [c.value for row in wb["1 Översikt"].iter_rows() for c in row]
    assert "Projektportfölj" in overview and "Nyckeltal per projekt" in overview


def test_csv_files_have_fixed_columns_flags_and_whole_counts(three):
    outputs, _ = _outputs([three])
    assert set(outputs) == {"portfolio.html", "portfolio.xlsx", *CSV_FILES.values()}
    for name, columns in TABLE_COLUMNS.items():
        header = outputs[CSV_FILES[name]].decode("utf-8").splitlines()[0]
        assert header == ",".join(columns), name
        table = _csv(outputs, name)
        for column in set(columns) & INTEGER_COLUMNS:
            assert not table[column].str.contains(r"\.").any(), (name, column)
    survey = _csv(outputs, "personalenkat")
    assert set(survey["jamforbar"]) == {"true", "false"} and set(survey["signifikant_minskning"]) == {"true", "false"}


def test_readme_documents_every_csv_file_and_its_columns():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `(portfolio_[a-z]+\.csv)` \| [^|]+ \| `([^`]+)` \|$", readme, re.M))
    expected = {CSV_FILES[name]: ",".join(columns) for name, columns in TABLE_COLUMNS.items()}
    expected[CSV_FILES["problem"]] = "fil,rad,kolumn,kontroll,varde,meddelande,allvar"
    assert documented == expected


SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "portfolio_mini.html"


def _stable(html: str) -> str:
    html = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,…", html)
    html = re.sub(r"<style>.*?</style>", "<style>…</style>", html, flags=re.S)
    return re.sub(r"Skapad \d{4}-\d{2}-\d{2}", "Skapad ÅÅÅÅ-MM-DD", html)


def test_portfolio_html_snapshot(three, monkeypatch):
    monkeypatch.chdir(three)
    broken = Path("trasig") / "rapport.json"
    broken.parent.mkdir()
    broken.write_text('{"schema_version": "1.1"', encoding="utf-8")
    html = _stable(_outputs([Path("a"), Path("b"), Path("c"), broken])[0]["portfolio.html"].decode("utf-8"))
    if os.environ.get("SLUTRAPPORT_UPDATE_SNAPSHOTS"):  # after a deliberate change to the template
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(html, encoding="utf-8")
    assert html == SNAPSHOT.read_text(encoding="utf-8")


# -- formatting and wording -------------------------------------------------------------


@pytest.mark.parametrize(
    "value, kind, text",
    [
        (2_130_000, MONEY, "2\u00a0130\u00a0000\u00a0kr"),
        (-70_000, DIFF_MONEY, "−70\u00a0000\u00a0kr"),
        (30_000.0, DIFF_MONEY, "+30\u00a0000\u00a0kr"),
        (0.0, DIFF_MONEY, "0\u00a0kr"),
        (-70_000 / 2_200_000, DIFF_PERCENT, "−3,2\u00a0%"),  # −3.18 % rounded to one decimal
        (0.15, DIFF_PERCENT, "+15,0\u00a0%"),
        ("saknas", STATUS, "✗"),
        ("ifylld", STATUS, "✓"),
        (None, STATUS, ""),
        ((0.423, 0.755), "share_range", "42–76\u00a0%"),
        (Hidden("dolt"), MONEY, "–"),
        (Typed(0.6, "share"), MONEY, "60\u00a0%"),
        (float("nan"), MONEY, ""),
    ],
)
def test_portfolio_cell_formats(value, kind, text):
    assert format_cell(value, kind) == text


def test_portfolio_sentences():
    # Beta's p 0.2 is not certain; −0.25 is written −0,2 (Python rounds the exact binary half to even)
    assert wording.decline_sentences([("Alfa", "Index A", -0.25, 0.04), ("Beta", "Index B", -0.3, 0.2)]) == [
        "Statistiskt säkerställda minskningar från den första till den sista enkäten (projektets primära test, "
        "Holm-justerat p < 0,05): Alfa: Index A (medelvärdet −0,2, p = 0,04)."
    ]
    assert wording.decline_sentences([("Beta", "Index B", -0.3, 0.2)])[0].startswith("Inget projekt har en statistiskt säkerställd minskning")
    assert wording.goals_sentence(3, 1, 1, 1) == "Av 3 mål är 1 uppnått, 1 inte uppnått och 1 osäkert."
    assert wording.goals_sentence(2, 2, 0, 0) == "Av 2 mål är 2 uppnådda, inget inte uppnått och inget osäkert."
    assert wording.economy_sentence(100_000, 110_000, 10_000, 0.1) == (
        "Utfallet, 110\u00a0000\u00a0kr, är 10\u00a0000\u00a0kr (10,0\u00a0%) högre än budgeten på 100\u00a0000\u00a0kr."
    )
    assert wording.economy_sentence(None, 5.0, None, None) == "Budget och utfall saknas i rapporten."
    assert wording.participants_sentence(40, 30, False) == "40 deltagare har skrivits in och 30 har avslutats."
    assert wording.participants_sentence(None, None, True).startswith("Antalet deltagare är skyddat")
    assert wording.completeness_sentence(4, 2, ["2 Uppdraget", "3 Ekonomisk redovisning"]) == (
        "2 av 4 obligatoriska rubriker har innehåll. Saknas: 2 Uppdraget och 3 Ekonomisk redovisning."
    )


# -- command line -------------------------------------------------------------------------


def test_cli_portfolio_writes_files_and_lists_problems(three):
    (three / "trasig").mkdir()
    (three / "trasig" / "rapport.json").write_text("{", encoding="utf-8")
    out = three / "ut"
    result = run("portfolio", str(three), "--out", str(out))
    assert result.exit_code == 0, result.output
    for name in ("portfolio.html", "portfolio.xlsx", *CSV_FILES.values()):
        assert (out / name).is_file() and str(out / name) in result.output
    assert "1 fel och 0 varning(ar) i rapportfilerna" in result.output
    assert f"FEL: fil {three / 'trasig' / 'rapport.json'}" in result.output
    strict = run("portfolio", str(three), "--out", str(three / "ut2"), "--strict")
    assert strict.exit_code == 1 and "Fel:" in strict.output and "--strict" in strict.output and "Traceback" not in strict.output
    assert not (three / "ut2").exists()
    none = run("portfolio", str(three / "saknas"), "--out", str(three / "ut3"))
    assert none.exit_code == 1 and "Fel: Ingen rapportfil" in none.output
    only_sos = run("portfolio", str(three), "--out", str(three / "ut4"), "--template", SOS)
    assert only_sos.exit_code == 1 and "Ingen av rapportfilerna använder mallen socialstyrelsen-kompetens" in only_sos.output
    helptext = run("portfolio", "--help").output
    assert "Exempel:" in helptext and "slutrapport portfolio projekt/ --out portfolj" in helptext


# -- bundles made by build ------------------------------------------------------------


def _mini_project(root: Path, name: str, template: str, texts: dict[str, str], waves: int) -> Path:
    root.mkdir(parents=True)
    (root / "mini.yaml").write_text(MINI_INSTRUMENT, encoding="utf-8")
    entries = []
    for wave in range(1, waves + 1):
        rows = [["AF" if i % 2 else "Soc", f"k{i}", 1 + (i + wave) % 5, 1 + (i * wave) % 5, 1 + (i + 2 * wave) % 5, ""] for i in range(14)]
        write_csv(root / f"w{wave}.csv", rows, header=HEADER)
        entries.append(f"    - {{fil: w{wave}.csv, etikett: Mätning {wave}}}")
    survey = "personalenkat:\n  instrument: mini.yaml\n  enkater:\n" + "\n".join(entries) + "\n" if waves else ""
    (root / "projekt.yaml").write_text(
        f'projekt:\n  namn: "{name}"\n  period: {{start: 2024-01-01, slut: 2025-12-31}}\nmall: {template}\n{survey}', encoding="utf-8"
    )
    (root / "texter").mkdir()
    for heading, text in texts.items():
        (root / "texter" / f"{heading}.md").write_text(text, encoding="utf-8")
    return root


def _two_wave_sample(root: Path) -> Path:
    """The sample project with its first two waves only, under another name: the same instrument as the demo."""
    shutil.copytree(SAMPLES, root)
    text = (root / "projekt.yaml").read_text(encoding="utf-8")
    text = text.replace('namn: "Vägen framåt"', 'namn: "Vägen vidare"')
    text = re.sub(r"    - fil: enkater/enkat3\.csv\n(?:      .*\n)*", "", text)  # the wave and its keys (inbjudna: too)
    (root / "projekt.yaml").write_text(text, encoding="utf-8")
    shutil.rmtree(root / "texter")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory, demo_dir) -> dict[str, Path]:
    """The demo (with its demo portfolio; the session's build) and three more projects built with build:
    other templates, another instrument, missing sections, no survey."""
    root = tmp_path_factory.mktemp("byggda")
    mini = _mini_project(root / "mini", "Mini", RAR, {"sammanfattning": "Kort."}, waves=2)
    competence = _mini_project(root / "kompetens", "Kompetens", SOS, {"sammanfattning": "Kort.", "hinder": "Inga."}, waves=0)
    further = _two_wave_sample(root / "vidare")
    for project in (mini, competence, further):
        build_project(project)
    return {"demo": demo_dir, "mini": mini / "rapport", "kompetens": competence / "rapport", "vidare": further / "rapport"}


def _bundle_table(data: dict, name: str) -> pd.DataFrame:
    table = data["tabeller"][name]
    return pd.DataFrame(table["rader"], columns=table["kolumner"])


def test_portfolio_of_built_bundles_matches_the_bundles_numbers(built, tmp_path):
    result = build_portfolio(list(built.values()), out=tmp_path / "portfolj")
    assert not [p for p in result.warnings if p.allvar == "fel"]
    outputs = {p.name: p.read_bytes() for p in result.paths}
    bundles = {}
    for folder in built.values():
        data = json.loads((folder / "rapport.json").read_text(encoding="utf-8"))
        bundles[data["projekt"]["uppgifter"]["Projektets namn"]] = data
    assert set(bundles) == {"Vägen framåt", "Mini", "Kompetens", "Vägen vidare"}
    projects = _csv(outputs, "projekt").set_index("projekt")
    completeness = _csv(outputs, "fullstandighet")
    survey = _csv(outputs, "personalenkat")
    for name, data in bundles.items():
        assert projects.loc[name, "mall"] == data["mall"]["id"]
        assert int(projects.loc[name, "kravda"]) == data["fullstandighet"]["kravda"]
        assert int(projects.loc[name, "ifyllda"]) == data["fullstandighet"]["ifyllda"]
        required = [h for h in data["rubriker"] if h["kravs"]]
        rows = _rows(completeness, projekt=name)
        assert list(rows["rubrik_id"]) == [h["id"] for h in required]
        assert list(rows["status"]) == [h["status"] for h in required]
        if data["personalenkat"] is None:
            assert _rows(survey, projekt=name).empty
            continue
        waves = [w["etikett"] for w in data["personalenkat"]["enkater"]]
        levels = _bundle_table(data, "jamforelse")
        changes = _bundle_table(data, "forandringar")
        indices = levels[(levels["niva"] == "index") & (levels["grupp"] == "Alla") & (levels["enkat"] == waves[-1])]
        assert len(_rows(survey, projekt=name)) == len(indices) > 0
        for _, cell in indices.iterrows():
            row = _rows(survey, projekt=name, index_id=cell["id"]).iloc[0]
            assert row["undertryckt_sista"] == ("true" if cell["undertryckt"] else "false")
            if not cell["undertryckt"]:
                assert int(row["n_sista"]) == cell["n"] and math.isclose(float(row["medel_sista"]), cell["medel"])
                assert math.isclose(float(row["andel_positiva_sista"]), cell["andel_positiva"])
            test = changes[(changes["niva"] == "index") & (changes["id"] == cell["id"]) & (changes["grupp"] == "Alla")
                           & (changes["fran"] == waves[0]) & (changes["till"] == waves[-1])
                           & changes["test"].isin(["wilcoxon", "mann_whitney", "partover_t"])]  # fmt: skip
            assert len(test) == 1 or row["forandring_undertryckt"] == "true"
            if len(test) and row["forandring_undertryckt"] == "false":
                assert math.isclose(float(row["diff_medel"]), test["diff_medel"].iloc[0])
                assert math.isclose(float(row["p_corr_medel"]), test["p_corr"].iloc[0])
                decline = test["p_corr"].iloc[0] < 0.05 and test["diff_medel"].iloc[0] < 0
                assert row["signifikant_minskning"] == ("true" if decline else "false")
    groups = survey.drop_duplicates("projekt").set_index("projekt")
    assert groups.loc["Vägen framåt", "jamforbar"] == groups.loc["Vägen vidare", "jamforbar"] == "true"
    assert groups.loc["Mini", "jamforelsegrupp"] == "mini|1-5|4,5" and groups.loc["Mini", "jamforbar"] == "false"
    assert list(dict.fromkeys(completeness["mall"])) == [RAR, SOS]


def test_demo_writes_a_demo_portfolio(built):
    folder = built["demo"] / "portfolj"
    for name in ("portfolio.html", "portfolio.xlsx", *CSV_FILES.values()):
        assert (folder / name).is_file(), name
    projects = pd.read_csv(folder / CSV_FILES["projekt"], keep_default_na=False, dtype=str).set_index("projekt")
    assert list(projects.index) == ["Nya vägar", "Steg för steg", "Vägen framåt"]
    assert projects.loc["Steg för steg", "mall"] == SOS and int(projects.loc["Steg för steg", "saknade"]) > 0
    assert projects.loc["Nya vägar", "jamforelsegrupp"] == "samverkansklimat|1-4|3,4"
    html = (folder / "portfolio.html").read_text(encoding="utf-8")
    assert "Projekt med andra instrument" in html and "Kort enkät om samverkansklimat" in html
    assert html.count('<section class="projektsida"') == 3


def test_bundle_holds_no_respondent_level_values_or_identifiers(built):
    """rapport.json from build: aggregated, already suppressed figures only."""
    from slutrapport.sources.survey import load_instrument, read_waves

    text = (built["demo"] / "rapport.json").read_text(encoding="utf-8")
    data = json.loads(text)
    survey = read_waves(sorted((SAMPLES / "enkater").iterdir()), load_instrument("samverkan"))
    tidy = survey.tidy
    codes = {c for c in tidy["kod"].dropna().unique() if len(c) >= 3 and not c.isdigit()}
    freetext = {q.id for q in survey.instrument.freetext_questions}
    answers = {a for a in tidy.loc[tidy["fraga"].isin(freetext), "svar"].dropna().unique() if len(a) >= 12}
    respondents = set(tidy["respondent"].unique())
    assert codes and answers and respondents
    assert not [c for c in codes if re.search(rf"\b{re.escape(c)}\b", text, re.I)]
    assert not [a for a in answers if a in text]
    assert not [r for r in respondents if f'"{r}"' in text]
    assert "anonymous" not in text and not re.search(r"\d{2}:\d{2}:\d{2}", text)  # e-mail column and answer timestamps
    for name, table in data["tabeller"].items():
        # the key-figure tables' contract names one number per fixed measure "varde" (not a respondent's answer)
        allowed = [c for c in BUNDLE_TABLES[name] if c not in FORBIDDEN_COLUMNS or (name.endswith("_nyckeltal") and c == "varde")]
        assert name in BUNDLE_TABLES and table["kolumner"] == allowed
    comparison = _bundle_table(data, "jamforelse")
    shown = comparison[~comparison["undertryckt"]]
    assert (shown["n"] >= 5).all()  # anonymitetsgrans 5 in the sample project
    hidden = comparison[comparison["undertryckt"]]
    assert hidden[["n", "medel", "sd", "median", "andel_positiva"]].isna().all().all()


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def _value(cell) -> float | None:
    return None if cell is None or pd.isna(cell) else float(cell)


def test_participants_goals_and_economy_of_the_built_demo_are_its_bundles_numbers(built, tmp_path):
    """The register, goal and budget figures that build wrote into rapport.json reach the portfolio unchanged."""
    result = build_portfolio([built["demo"] / "rapport.json"], out=tmp_path / "portfolj")
    outputs = {p.name: p.read_bytes() for p in result.paths}
    data = json.loads((built["demo"] / "rapport.json").read_text(encoding="utf-8"))
    flow = _bundle_table(data, "deltagare_flode")
    participants = _csv(outputs, "deltagare")
    totals = flow[flow["period"] == "Totalt"]
    assert list(participants["kon"]) == list(totals["kon"]) and len(totals) >= 3
    for (_, row), (_, total) in zip(participants.iterrows(), totals.iterrows(), strict=True):
        for column in ("inskrivna", "aktiva", "avslutade"):
            assert _number(row[column]) == _value(total[column])
        assert row["undertryckt"] == ("true" if total["undertryckt"] else "false")
    goals, bundle_goals = _csv(outputs, "mal"), _bundle_table(data, "maluppfyllelse")
    assert list(goals["id"]) == list(bundle_goals["id"]) and list(goals["uppnatt"]) == list(bundle_goals["uppnatt"])
    for (_, row), (_, goal) in zip(goals.iterrows(), bundle_goals.iterrows(), strict=True):
        assert _number(row["utfall"]) == _value(goal["utfall"]) and _number(row["namnare"]) == _value(goal["namnare"])
    outcome, national = _csv(outputs, "utfall"), _bundle_table(data, "deltagare_utfall")
    national = national[national["indelning"] == "nationell"]
    assert len(outcome) == len(national)
    for (_, row), (_, cell) in zip(outcome.iterrows(), national.iterrows(), strict=True):
        assert (row["kategori"], row["kon"]) == (cell["kategori"], cell["kon"])
        assert _number(row["n"]) == _value(cell["n"])
    economy, budget = _csv(outputs, "ekonomi"), _bundle_table(data, "ekonomi")
    whole = budget[budget["period"] == "Totalt"]
    assert list(economy["kategori"]) == list(whole["kategori"])
    assert [_number(v) for v in economy["utfall"]] == [float(v) for v in whole["utfall"]]
    key = dict(_bundle_table(data, "ekonomi_nyckeltal").itertuples(index=False))
    project = _csv(outputs, "projekt").iloc[0]
    assert _number(project["kostnad_per_deltagare"]) == key["kostnad_per_deltagare"]
    assert _number(project["kostnad_per_avslutad"]) == key["kostnad_per_avslutad"]
    # hand check of the demo: 3 966 250 kr / 52 enrolled = 76 274,04 kr; / 38 finished = 104 375 kr
    assert math.isclose(key["kostnad_per_deltagare"], 3_966_250 / 52) and key["kostnad_per_avslutad"] == 104_375


def test_bundle_holds_no_participant_ids_or_self_evaluation_texts(built):
    text = (built["demo"] / "rapport.json").read_text(encoding="utf-8")
    register = pd.read_csv(SAMPLES / "deltagare.csv", sep=";", encoding="cp1252", dtype=str)
    ids = set(register.iloc[:, 0].dropna())
    assert ids and not [i for i in ids if i in text]
    from slutrapport.sources.forms.definition import load_definition
    from slutrapport.sources.forms.read import read_forms

    forms = read_forms(SAMPLES / "sjalvvardering", load_definition(None))
    texts = {t for t in forms.answers["text"].dropna().astype(str) if len(t) >= 25}
    assert texts and not [t for t in texts if t in text]


def test_a_decline_is_the_rank_tests_direction_not_the_means(tmp_path):
    # answers spread out: the mean rose by 0.05 while the rank test (r = −0.3, p 0.01) found a shift downwards, and the reverse
    spread = {"a": (0.05, 0.01, -0.1, -0.3, 0.1, 0.3, -0.3), "b": (-0.05, 0.01, 0.1, -0.1, 0.3, 0.3, 0.3)}
    write_bundle(tmp_path / "a", bundle("Delta", survey=survey_tables(changes=spread)))
    table = portfolio_tables(collect_bundles([tmp_path]).bundles)["personalenkat"]
    declines = {r.index_id: r.signifikant_minskning for r in table.itertuples()}
    assert declines == {"a": True, "b": False}
    text = wording.decline_sentences([("Delta", "Index A", 0.05, 0.01)])[0]
    assert "Delta: Index A (svaren spreds ut: rangtestet visar en förskjutning nedåt medan medelvärdet ändrades med 0,1" in text
