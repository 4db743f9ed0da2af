"""Socialstyrelsen's sections 3.4 and 4 as data: tick boxes with their free-text fields, and counts that may be approximate."""

from __future__ import annotations

import re

import pytest

from slutrapport.analysis.competence import (
    APPROXIMATE_PATTERN,
    TOTAL,
    VOLUME_LONG_COLUMNS,
    categorisation,
    categorisation_groups,
    parse_count,
    training_volume,
    volume_bands,
)
from slutrapport.core.errors import ProjectError
from slutrapport.project.schema import PROJECT_SCHEMA
from slutrapport.project.templates import load_template

SOS = load_template("socialstyrelsen-kompetens")
GROUPS, TICK = categorisation_groups(SOS.settings["kategorisering"])
BANDS = volume_bands(SOS.settings["utbildningarnas_omfattning"])


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (60, (60, False)),
        (0, (0, False)),
        (1_000_000, (1_000_000, False)),
        ("ca 60", (60, True)),
        ("Ca 60", (60, True)),  # the seed's "Ca 60**"
        ("ca. 60", (60, True)),
        ("c:a 60", (60, True)),
        ("cirka 60", (60, True)),
        ("Cirka 60", (60, True)),
        ("ungefär 60", (60, True)),
        ("Ungefär 60", (60, True)),
        ("~60", (60, True)),
        ("~ 60", (60, True)),
        (" ca 1 200 ", (1200, True)),
        ("ca 1000000", (1_000_000, True)),
    ],
)
def test_whole_and_approximate_counts_are_read(written, expected):
    assert parse_count(written) == expected


@pytest.mark.parametrize("written", ["ca sextio", "sextio", "60", "ca", "ca -5", "ca 6,5", "60 st", "ca 1000001", -1, 1_000_001, 2.5, True, None, "ca 12 34"])
def test_anything_else_is_no_count(written):
    assert parse_count(written) is None


def test_the_schema_and_the_reader_share_one_pattern():
    """projekt.schema.json checks approximate counts with the same pattern the reader parses, so neither accepts more."""
    definition = PROJECT_SCHEMA.mapping["definitions"]["ungefarligt_antal"]
    assert definition["pattern"] == APPROXIMATE_PATTERN
    for text in ("ca 60", "Ungefär 60", "~60", "ca sextio", "60 st"):
        assert bool(re.search(definition["pattern"], text)) == (parse_count(text) is not None)


def test_free_text_options_take_the_projects_text():
    ticked = {
        "metoder": ["Supported Employment (SE)", {"Annat innehåll": "NPF och arbetslivet"}],
        "Särskilda grupper": ["Personer med neuropsykiatriska tillstånd"],  # the older group name still works
    }
    table = categorisation(GROUPS, ticked, "projekt.yaml")
    assert list(table.columns) == ["grupp", "alternativ", "vald", "ange"]
    chosen = table[table["vald"]]
    assert chosen[["grupp", "alternativ"]].values.tolist() == [
        ["metoder", "Supported Employment (SE)"],
        ["metoder", "Annat innehåll? Ange vad!"],
        ["grupper", "Personer med neuropsykiatriska tillstånd"],
    ]
    assert chosen["ange"].tolist() == [None, "NPF och arbetslivet", None]
    assert len(table) == sum(len(g.options) for g in GROUPS)  # every box of the form, ticked or not


def test_the_older_short_labels_still_tick_the_verbatim_boxes():
    """Projects written for the template's former labels ("KBT", "Hot och våld") keep working: they are aliases."""
    table = categorisation(GROUPS, {"Metoder": ["KBT", "MI"], "Särskilda områden": ["Hot och våld", "Självmord"]}, "p")
    assert table[table["vald"]]["alternativ"].tolist() == [
        "Kognitiv beteendeterapi (KBT)",
        "Motiverande samtal (MI)",
        "Att förebygga hot och våldssituationer",
        "Att förebygga självmord",
    ]


def test_wrong_entries_are_named():
    ticked = {
        "metoder": ["Yoga", {"Kognitiv beteendeterapi (KBT)": "i grupp"}, {"Annat": ["en", "lista"]}],
        "okänd": ["Äldre"],
    }
    with pytest.raises(ProjectError) as error:
        categorisation(GROUPS, ticked, "mapp/projekt.yaml")
    message = str(error.value)
    assert message.startswith("mapp/projekt.yaml har 4 problem")
    assert "okänt alternativ 'Yoga' under kategorisering: metoder" in message
    assert "alternativet 'Kognitiv beteendeterapi (KBT)' under kategorisering: metoder har inget fält för egen text" in message
    assert "'Annat' under kategorisering: metoder ska följas av en text (vad), fick ['en', 'lista']" in message
    assert "okänd grupp 'okänd' under kategorisering" in message


def test_an_older_template_with_plain_lists_still_works():
    """A funder's own template in the older form ``Grupp: [alternativ, …]``."""
    groups, tick = categorisation_groups({"Metoder": ["KBT", "MI"], "Målgrupper": ["Unga"]})
    assert [(g.id, g.caption, [o.label for o in g.options]) for g in groups] == [("Metoder", "Metoder", ["KBT", "MI"]), ("Målgrupper", "Målgrupper", ["Unga"])]
    assert tick == "Ingår"  # the form's "Sätt X här" is the Socialstyrelsen template's kryss:
    assert categorisation(groups, {"metoder": ["mi"]}, "p")["vald"].tolist() == [False, True, False]


def _volume(rows):
    return training_volume(BANDS, rows, "mapp/projekt.yaml")


def test_approximate_counts_are_kept_as_written_and_make_their_totals_approximate():
    volume = _volume(
        [
            {"kurslangd": "0,5-1 dag", "kursdagar": 1, "deltagare": "Ca 60", "kommun": "ca 50", "annan": "ca 10", "utan_hogskoleexamen": "ca 25"},
            {"kurslangd": "6–10 dagar", "kursdagar": 8, "deltagare": 15, "kommun": 15, "utan_hogskoleexamen": 5},  # an en dash
        ]
    )
    table = volume.table.set_index("kurslangd")
    assert list(table.index) == ["0,5-1 dag", "2-5 dagar", "6-10 dagar", "Mer än 10 dagar (ange hur många)", TOTAL]
    # the totals by hand: kursdagar 1 + 8 = 9, deltagare 60 + 15 = 75, kommun 50 + 15 = 65, annan 10 + 0, utan 25 + 5 = 30
    assert table.loc[TOTAL].tolist() == [9, 75, 0, 65, 10, 30]
    assert volume.written == {
        ("0,5-1 dag", "deltagare"): "Ca 60",
        ("0,5-1 dag", "kommun"): "ca 50",
        ("0,5-1 dag", "annan"): "ca 10",
        ("0,5-1 dag", "utan_hogskoleexamen"): "ca 25",
    }
    # a total is approximate when one of its terms is; kursdagar and landsting stay exact
    assert {key for band, key in volume.approximate if band == TOTAL} == {"deltagare", "kommun", "annan", "utan_hogskoleexamen"}
    long = volume.long
    assert list(long.columns) == VOLUME_LONG_COLUMNS and len(long) == 5 * 6
    assert long[(long["kurslangd"] == TOTAL) & (long["matt"] == "deltagare")].values.tolist() == [[TOTAL, "deltagare", 75, True]]
    assert long[(long["kurslangd"] == TOTAL) & (long["matt"] == "kursdagar")].values.tolist() == [[TOTAL, "kursdagar", 9, False]]


def test_sums_are_checked_where_every_count_is_exact():
    """The seed's own row (Ca 60, 25, 50, 10) does not add up: an estimate is not held to the form's sums, an exact row is."""
    assert _volume([{"kurslangd": "0,5-1 dag", "deltagare": "Ca 60", "landsting": "ca 25", "kommun": "ca 50", "annan": "ca 10"}]) is not None
    with pytest.raises(ProjectError) as error:
        _volume(
            [
                {"kurslangd": "2-5 dagar", "deltagare": 10, "landsting": 3, "kommun": 3, "annan": 3, "utan_hogskoleexamen": 11},
                {"kurslangd": "6-10 dagar", "deltagare": "ca 10", "kommun": 30, "utan_hogskoleexamen": 40},
            ]
        )
    message = str(error.value)
    assert "rad 1 (2-5 dagar): landsting + kommun + annan (9) ska vara lika med deltagare (10)" in message
    assert "rad 1 (2-5 dagar): fler utan högskoleexamen än deltagare" in message
    assert "rad 2" not in message


def test_a_count_that_is_no_number_names_file_row_key_and_value():
    with pytest.raises(ProjectError) as error:
        _volume([{"kurslangd": "Mer än 10 dagar", "kursdagar": 12, "deltagare": "ca sextio"}])  # the band's alias
    assert "mapp/projekt.yaml har" in str(error.value)
    assert (
        "rad 1 (Mer än 10 dagar (ange hur många)): 'deltagare' ska vara ett heltal 0–1 000 000 eller ett ungefärligt antal som 'ca 60', fick 'ca sextio'"
        in str(error.value)
    )
