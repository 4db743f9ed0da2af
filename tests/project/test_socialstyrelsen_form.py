"""The socialstyrelsen-kompetens template prints Socialstyrelsen's form word for word.

The wording is compared with a filled-in report on the form (the seed
``../shared/seeds/003``: Järfälla, Dnr Son 2010/204, Socialstyrelsens dnr 6438/…),
quoted below as its text extraction gives it (the PDF's table cells run
together in one line; a word broken over two lines of a narrow column, "Lands
ting", is one word on the form).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from slutrapport.analysis.competence import categorisation_groups, volume_bands
from slutrapport.core.errors import ProjectError
from slutrapport.project.folder import PROJECT_FILE, init_project, load_project
from slutrapport.project.templates import load_template

TEMPLATE = load_template("socialstyrelsen-kompetens")

# Seed 003, page 8: section 3.4 as the form prints it, for the year 2012.
SEED_34 = (
    "3.4. Kategorisering av projektets innehåll och inriktning under 2012 Huvudsakligt innehåll i utbildningar som "
    "bedrivits av projektet under 2012 perspektiv och metoder Återhämtning/Bemötande Case Management enligt ACT-modell "
    "(CM/ACT) Case Management enligt modell Integrerad psykiatri (CM/IP) Case Management annan modell (CM) Kognitiv "
    "beteendeterapi (KBT) Motiverande samtal (MI) Ett Självständigt Liv (ESL) Supported Employment (SE) Psykopedagogisk "
    "Intervention (PPI) Annat innehåll? Ange vad! Sätt X här X Huvudsakligt innehåll i utbildningar som bedrivits av "
    "projektet under 2012 särskilda ämnen i fokus Att förebygga hot och våldssituationer Att förebygga självmord Hälsa "
    "och livsstil Annat särskilt ämne i fokus? Ange vad! Huvudsakligt innehåll i utbildningar som bedrivits av projektet "
    "under 2012 särskilda grupper i fokus Barn, unga och föräldrar Äldre Personer med missbruk och psykisk ohälsa "
    "Personer med neuropsykiatriska tillstånd Personer med utländsk bakgrund/flyktingar med psykisk ohälsa Annan grupp? "
    "Ange vilken! X"
)
# Seed 003, pages 8–9: section 4's table (the column heads and the course lengths; the figures left out).
SEED_4 = (
    "4. UTBILDNINGARNAS OMFATTNING Utbildningens längd (icke högskolekurser) Antal utbildningsdagar Antal deltagare "
    "totalt* Deltagare anställda av: Lands ting Kom mun Varav deltagare utan högskoleexamen Annan 0,5-1 dag "
    "2-5 dagar 6-10 dagar Mer än 10 dagar (ange hur många)"
)
# Seed 003, page 2: the table of contents (headings in capitals as the form sets them; 3.1 is "Utbildningsprogram" in the
# body, "3.1. Utbildningsprogram", and 3.4 ends "under 2012" there).
SEED_CONTENTS = (
    "SAMMANFATTNING MÅL, LÄGE OCH UTVECKLING PERSONALGRUPPER KOMPETENSSATSNINGENS INNEHÅLL Utvecklingsprogram "
    "Utbildningsmodeller/moduler Utbildningsmaterial förteckning Kategorisering av projektets innehåll och inriktning under "
    "UTBILDNINGARNAS OMFATTNING UPPFÖLJNING OCH UTVÄRDERING RESULTAT OCH EFFEKTER Personal Verksamheter Organiserat "
    "brukarinflytande och anhörigsamarbete Brukare/patienter/klienter MÅLET ATT MER LÅNGSIKTIGT TRYGGA "
    "KOMPETENSUTVECKLINGEN HINDER OCH EVENTUELLA AVVIKELSER FRÅN PROJEKTPLANEN FRAMGÅNGSFAKTORER OCH FRAMTID BILAGOR"
)
SEED_BODY_31 = "3.1. Utbildningsprogram"


def test_the_34_groups_and_labels_are_the_forms_words_in_the_forms_order():
    groups, tick = categorisation_groups(TEMPLATE.settings["kategorisering"])
    assert [g.id for g in groups] == ["metoder", "amnen", "grupper"]
    # each group as the form prints it: caption (for 2012), the group's focus words, then every box in order
    position = 0
    for group in groups:
        printed = " ".join([group.caption.replace("{ar}", "2012"), group.focus, *(o.label for o in group.options)])
        found = SEED_34.find(printed, position)
        assert found > position, printed
        position = found + len(printed)
    assert f"Annat innehåll? Ange vad! {tick} X" in SEED_34  # the tick column's head follows the first group
    assert SEED_34.startswith("3.4. Kategorisering av projektets innehåll och inriktning")
    # the boxes with a free-text field are the form's "Ange vad!"/"Ange vilken!" boxes, and only those
    specify = [o.label for g in groups for o in g.options if o.specify]
    assert specify == ["Annat innehåll? Ange vad!", "Annat särskilt ämne i fokus? Ange vad!", "Annan grupp? Ange vilken!"]
    assert SEED_34.count("Ange v") == len(specify)


def test_the_volume_table_has_the_forms_column_heads_and_course_lengths():
    settings = TEMPLATE.settings["utbildningarnas_omfattning"]
    unbroken = SEED_4.replace("Lands ting", "Landsting").replace("Kom mun", "Kommun")
    for label in settings["kolumner"].values():
        assert label in unbroken, label
    assert settings["anstallda"] in unbroken
    bands = [label for label, _aliases in volume_bands(settings)]
    assert " ".join(bands) in SEED_4 and bands == ["0,5-1 dag", "2-5 dagar", "6-10 dagar", "Mer än 10 dagar (ange hur många)"]
    assert settings["rubrik"].upper() in SEED_4  # "UTBILDNINGARNAS OMFATTNING"


def test_the_headings_are_the_forms_in_its_order():
    titles = [h.title for h in TEMPLATE.all_headings()]
    expected = SEED_CONTENTS.replace("Utvecklingsprogram", SEED_BODY_31.split(" ", 1)[1]).replace(" under ", " ")
    assert " ".join(titles).casefold() == expected.casefold()
    numbers = [h.number for h in TEMPLATE.all_headings()]
    assert numbers == [None, "1", "2", "3", "3.1", "3.2", "3.3", "3.4", "4", "5", "6", "6.1", "6.2", "6.3", "6.4", "7", "8", "9", None]


def test_the_header_facts_are_the_forms():
    """Page 1 of the seed: "Dnr: Son 2010/204 Socialstyrelsens dnr: 6438/ Statsbidrag för kompetensutveckling av personal …"."""
    assert list(TEMPLATE.fact_labels.items())[:3] == [("dnr", "Dnr"), ("dnr_finansiar", "Socialstyrelsens dnr"), ("statsbidrag", "Statsbidrag")]
    assert TEMPLATE.fact_labels["datum"] == "Datum"


def test_a_funders_own_form_lists_are_checked(tmp_path):
    """A template's groups need an id, a caption and options, an option given as a mapping its label;
    namn and period keep their labels (the portfolio recognises a project by them) but may be moved."""
    folder = Path(tmp_path) / "egen"
    folder.mkdir()
    (folder / "mall.yaml").write_text(
        "id: egen\nnamn: Egen\nuppgifter: {period: Period, dnr: Dnr}\nblock_installningar:\n  kategorisering:\n    grupper:\n"
        "      - {id: a, alternativ: [x]}\n      - {id: b, rubrik: B, alternativ: [{alias: [y]}, {etikett: Z, ange: ja}]}\n"
        "rubriker:\n  - {id: a, rubrik: A, block: [kategorisering]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ProjectError) as error:
        load_template("egen", [Path(tmp_path)])
    assert str(error.value).splitlines()[1:] == [
        "- rad 3: 'period' under 'uppgifter' ska vara Projektperiod (portföljen känner igen projektet på rubriken), fick 'Period'",
        "- rad 7: grupp nr 1 under 'block_installningar: kategorisering: grupper' saknar 'rubrik'",
        "- rad 8: 'alternativ' nr 2 i 'grupper' nr 2 under 'block_installningar: kategorisering': 'ange' ska vara true eller false, fick 'ja'",
        "- rad 8: alternativ nr 1 i grupp nr 2 under 'block_installningar: kategorisering: grupper' saknar 'etikett'",
    ]


def test_init_writes_the_forms_keys(tmp_path):
    """A new Socialstyrelsen project has the header facts to fill in and every box of 3.4 in the form's words;
    another template's project has the facts as comments."""
    init_project(tmp_path / "sos", "socialstyrelsen-kompetens")
    text = (tmp_path / "sos" / PROJECT_FILE).read_text(encoding="utf-8")
    for key in ("dnr", "dnr_finansiar", "statsbidrag", "datum"):
        assert f'\n  {key}: ""' in text
    assert '    #  - "Annat innehåll? Ange vad!": skriv vad\n' in text and "    #  - Kognitiv beteendeterapi (KBT)\n" in text
    assert '  #  - {kurslangd: "Mer än 10 dagar (ange hur många)", kursdagar: 0,' in text
    filled = text.replace('  dnr_finansiar: ""', '  dnr_finansiar: "6438/2011"').replace(
        '    #  - "Annat innehåll? Ange vad!": skriv vad', '      - "Annat innehåll? Ange vad!": NPF och arbetslivet'
    )
    (tmp_path / "sos" / PROJECT_FILE).write_text(filled, encoding="utf-8")
    project = load_project(tmp_path / "sos")
    assert project.facts["Socialstyrelsens dnr"] == "6438/2011" and "Dnr" not in project.facts  # an empty fact is left out
    assert project.competence["kategorisering"]["metoder"] == [{"Annat innehåll? Ange vad!": "NPF och arbetslivet"}]
    init_project(tmp_path / "rar", "rar-slutrapport")
    assert '\n  # dnr_finansiar: ""' in (tmp_path / "rar" / PROJECT_FILE).read_text(encoding="utf-8")
