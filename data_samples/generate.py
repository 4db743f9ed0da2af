"""Generate the fictional staff-survey sample files in ``data_samples/enkater/``.

The files belong to "Vägen framåt", a fictional samverkansprojekt in the
fictional Storsjö kommun, financed by the fictional Samordningsförbundet
Mälardalen Syd (2025-01-01 -- 2026-06-30).  Staff from three organisations
(Arbetsförmedlingen, Socialtjänsten, Arbetsmarknadsenheten) answer the default
instrument ``slutrapport/surveys/instruments/samverkan.yaml`` three times.
Every wave is written in the format of a different tool so that the readers
of the toolkit can be exercised:

``enkat1_google_forms.csv``  (wave 1, March 2025)
    Google Forms export, Swedish locale: UTF-8 without BOM, comma separated,
    every field quoted, first column ``Tidstämpel`` (``2025-03-12 10:15:32``),
    answers written as the scale labels.
``enkat2_microsoft_forms.xlsx``  (wave 2, September 2025)
    Microsoft Forms export, Swedish UI: sheet ``Sheet1`` with ``ID``,
    ``Starttid``, ``Tid för slutförande``, ``E-post`` (``anonymous``), ``Namn``,
    ``Senaste ändringstid`` and then the questions (code before organisation).
    Answers are labels, except that two Arbetsförmedlingen respondents were
    re-keyed by hand and are stored as numeric cells.
``enkat3.csv``  (wave 3, March 2026)
    Saved by Swedish Excel as "CSV (semikolonavgränsad)": cp1252, ``;``,
    CRLF, minimal quoting, first column ``Svarsdatum``; answers as ``1``-``5``
    (a few written ``4,0``).  Three headers are re-typed slightly differently
    (letter case, trailing space, trailing period) and two respondents wrote
    their organisation as ``socialtjänsten `` to exercise normalisation.
    Arbetsmarknadsenheten has only 4 respondents here, below the anonymity
    threshold of 5.

How the answers are made
------------------------
Each person has a stable general attitude, a stable level per index and a
small wave-specific deviation per index; each item adds its own noise.  The
continuous value is rounded and clipped to 1-5; negatively worded items
(q03, q34) are mirrored (``6 - value``).  Linked persons (same personal code
in several waves) therefore correlate across waves, and items within one index
correlate (Cronbach's alpha roughly 0.7-0.85, lower for the index with a
ceiling effect).  Index means per wave follow the trends described in
``/work/shared/domain.md``.  About 3 % of the answers are "Vet ej", a few are
"Ej aktuellt" and about 2 % are blank; one respondent in wave 2 leaves every
question blank.  About half of the respondents answer the free-text questions.

Only numpy, openpyxl and the standard library are used.  The random seed is
fixed and the workbook's timestamps (document properties and zip entries) are
pinned, so running ``python data_samples/generate.py`` rewrites the three
files byte for byte identically every time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.packaging.core import DocumentProperties
from openpyxl.xml.functions import tostring

SEED = 20250101

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "enkater"
INSTRUMENT_FILE = HERE.parent / "slutrapport" / "surveys" / "instruments" / "samverkan.yaml"

ORGANISATIONS = ("Arbetsförmedlingen", "Socialtjänsten", "Arbetsmarknadsenheten")
AF, SOC, AME = ORGANISATIONS

ORG_QUESTION = "Vilken organisation arbetar du i?"
CODE_QUESTION = "Din personliga kod"

SCALE_LABELS = {
    1: "Instämmer inte alls",
    2: "Instämmer i liten grad",
    3: "Instämmer delvis",
    4: "Instämmer i hög grad",
    5: "Instämmer helt",
}
DONT_KNOW = "Vet ej"
NOT_APPLICABLE = "Ej aktuellt"

# (item id, index, question text, reverse scored) -- copied from the
# instrument and checked against it at run time by ``check_instrument``.
ITEMS: list[tuple[str, str, str, bool]] = [
    ("q01", "installning", "Jag tycker att samverkan med de andra organisationerna är viktig för mitt arbete", False),
    ("q02", "installning", "Jag är positiv till att arbeta tillsammans med handläggare från andra organisationer", False),
    ("q03", "installning", "Samverkan tar tid från mina ordinarie arbetsuppgifter", True),
    ("q04", "aktivitet", "Jag deltar aktivt i gemensamma möten med de andra organisationerna", False),
    ("q05", "aktivitet", "Jag tar själv kontakt med andra organisationer när en deltagare behöver det", False),
    ("q06", "aktivitet", "Jag planerar insatser för deltagare tillsammans med kollegor från andra organisationer", False),
    ("q07", "kunskap", "Jag känner till de andra organisationernas uppdrag", False),
    ("q08", "kunskap", "Jag känner till de regelverk som styr de andra organisationernas beslut", False),
    ("q09", "kunskap", "Jag vet vad de andra organisationerna kan erbjuda en deltagare", False),
    ("q10", "effektivitet", "Samverkan gör att vi använder våra gemensamma resurser bättre", False),
    ("q11", "effektivitet", "Samverkan minskar dubbelarbete mellan organisationerna", False),
    ("q12", "effektivitet", "Samverkan gör att ärenden kommer framåt snabbare", False),
    ("q13", "natverk", "Jag vet vem jag ska kontakta i de andra organisationerna", False),
    ("q14", "natverk", "Mitt nätverk av kontakter i andra organisationer har vuxit", False),
    ("q15", "natverk", "Det är lätt att nå rätt person i de andra organisationerna", False),
    ("q16", "nytta", "Deltagarna får snabbare hjälp tack vare samverkan", False),
    ("q17", "nytta", "Deltagarna får stöd som bättre motsvarar deras behov tack vare samverkan", False),
    ("q18", "nytta", "Deltagarna slipper vara budbärare mellan myndigheterna", False),
    ("q19", "samarbetsformaga", "Vi löser problem tillsammans när vi är oense", False),
    ("q20", "samarbetsformaga", "Jag känner mig respekterad av kollegor i de andra organisationerna", False),
    ("q21", "samarbetsformaga", "Kommunikationen mellan organisationerna fungerar bra", False),
    ("q22", "forandring", "Jag förstår hur förändringen påverkar mitt eget arbete", False),
    ("q23", "forandring", "Jag förstår hur förändringen påverkar målgruppen", False),
    ("q24", "forandring", "Jag förstår hur förändringen påverkar min organisation", False),
    ("q25", "forbattring", "Jag har möjlighet att föreslå förbättringar av samverkan", False),
    ("q26", "forbattring", "Förslag på förbättringar tas om hand", False),
    ("q27", "forbattring", "Det finns forum där vi gemensamt kan utveckla arbetssätten", False),
    ("q28", "styrning", "Min chef prioriterar samverkan med de andra organisationerna", False),
    ("q29", "styrning", "Ledningen i organisationerna står bakom projektet", False),
    ("q30", "styrning", "Jag får den tid jag behöver för samverkansarbetet", False),
    ("q31", "struktur", "Projektets mål är tydliga för mig", False),
    ("q32", "struktur", "Det är tydligt vem som ansvarar för vad i samverkan", False),
    ("q33", "struktur", "Vi har fungerande rutiner för hur ärenden lämnas mellan organisationerna", False),
    ("q34", "struktur", "Det är oklart vilka deltagare som tillhör målgruppen", True),
    ("q35", "samsyn", "Vi har en gemensam syn på deltagarnas behov", False),
    ("q36", "samsyn", "Vi har en gemensam bild av vad projektet ska uppnå", False),
    ("q37", "samsyn", "Organisationernas värderingar i arbetet med deltagarna går att förena", False),
]
FREE_TEXT = [
    ("f01", "Vad fungerar bäst i samverkan just nu?"),
    ("f02", "Vad skulle kunna förbättra samverkan?"),
]
ITEM_IDS = [item[0] for item in ITEMS]
ITEM_TEXT = {item[0]: item[2] for item in ITEMS}
INDEXES = list(dict.fromkeys(item[1] for item in ITEMS))

# --------------------------------------------------------------------------
# Who answers when.
# --------------------------------------------------------------------------

# Participation patterns per organisation: (waves answered, number of people).
PARTICIPATION = {
    AF: [((1, 2, 3), 12), ((1, 2), 2), ((2,), 1), ((2, 3), 1)],  # 14 / 16 / 13
    SOC: [((1, 2, 3), 15), ((1, 2), 2), ((1,), 1), ((2, 3), 2), ((2,), 1)],  # 18 / 20 / 17
    AME: [((1, 2, 3), 4), ((1, 2), 6), ((1,), 1), ((2,), 2)],  # 11 / 12 / 4
}

# Weekdays on which each wave was open.
WAVE_DAYS = {
    1: [dt.date(2025, 3, d) for d in (10, 11, 12, 13, 14, 17, 18, 19, 20, 21)],
    2: [dt.date(2025, 9, d) for d in (8, 9, 10, 11, 12, 15, 16, 17, 18, 19)],
    3: [dt.date(2026, 3, d) for d in (9, 10, 11, 12, 13, 16, 17, 18, 19, 20)],
}

# How many respondents per wave leave the personal code blank.
BLANK_CODES = {1: 2, 2: 3, 3: 2}

# --------------------------------------------------------------------------
# The answer model.
# --------------------------------------------------------------------------

# Mean of the (positively oriented) latent value per index and wave.
INDEX_MEANS = {
    "installning": (4.65, 4.75, 4.75),
    "aktivitet": (3.25, 3.95, 3.75),
    "kunskap": (4.05, 4.05, 4.05),
    "effektivitet": (3.20, 3.60, 3.95),
    "natverk": (3.30, 3.75, 4.10),
    "nytta": (3.10, 3.50, 3.90),
    "samarbetsformaga": (3.60, 3.70, 3.80),
    "forandring": (3.30, 3.80, 3.80),
    "forbattring": (3.20, 3.55, 3.85),
    "styrning": (3.10, 3.20, 3.35),
    "struktur": (3.00, 3.15, 3.30),
    "samsyn": (3.20, 3.30, 3.45),
}
# Organisation offsets (added to every index, plus index-specific ones).
ORG_OFFSET = {AF: -0.05, SOC: 0.05, AME: 0.0}
ORG_INDEX_OFFSET = {
    ("aktivitet", AF): -0.15,
    ("aktivitet", SOC): 0.20,
    ("kunskap", AME): 0.05,
    ("styrning", AF): -0.10,
}
# Item offsets on the positively oriented value.  q03 ("Samverkan tar tid från
# mina ordinarie arbetsuppgifter") is something some agree with even when they
# are positive, so its mirrored value sits below the other two.
ITEM_OFFSET = {
    "q03": -0.60,
    "q08": -0.25,
    "q07": 0.15,
    "q14": 0.10,
    "q15": -0.15,
    "q18": -0.10,
    "q26": -0.15,
    "q29": 0.20,
    "q30": -0.30,
    "q34": -0.20,
}
SD_GENERAL = 0.35  # person's general attitude, stable across waves
SD_SPECIFIC = 0.55  # person's level on one index, stable across waves
SD_WAVE = 0.30  # person x index deviation in one wave
SD_ITEM = 0.60  # item noise
CEILING_INDEXES = {"installning": 0.8}  # factor shrinking the spread

P_BLANK = 0.02
P_DONT_KNOW = 0.025
P_DONT_KNOW_ITEM = {  # items where "Vet ej" is more natural
    "q08": 0.06, "q09": 0.05, "q16": 0.05, "q17": 0.04, "q18": 0.05,
    "q26": 0.05, "q28": 0.04, "q29": 0.06, "q01": 0.0, "q02": 0.0, "q03": 0.01,
}
P_NOT_APPLICABLE_ITEM = {"q05": 0.015, "q06": 0.02, "q18": 0.015, "q30": 0.02}
P_FREE_TEXT = {"f01": 0.52, "f02": 0.48}

# --------------------------------------------------------------------------
# Free text.  (text, waves where it may appear)
# --------------------------------------------------------------------------

ALL = (1, 2, 3)
F01_BANK: list[tuple[str, tuple[int, ...]]] = [
    ("Trepartssamtalen gör att deltagaren slipper upprepa sin historia.", ALL),
    ("De gemensamma ärendedragningarna varje vecka.", ALL),
    ("Att vi sitter i samma lokal två dagar i veckan.", (2, 3)),
    ("Korta beslutsvägar när något behöver lösas snabbt.", ALL),
    ("Vi har lärt känna varandra och vet vem man ska ringa.", (2, 3)),
    ("Utbildningsdagen om varandras regelverk gav mycket.", (2, 3)),
    ("Deltagarna märker att vi drar åt samma håll.", (2, 3)),
    ("Det är lättare att planera nästa steg när alla är med i samma samtal.", ALL),
    ("Bra stämning i gruppen och högt i tak.", ALL),
    ("Att vi kan ta upp svåra ärenden tillsammans i stället för att skicka dem vidare.", ALL),
    ("Snabbare återkoppling från Arbetsförmedlingen än tidigare.", (2, 3)),
    ("Gemensam planering gör att insatserna inte krockar.", ALL),
    ("Projektledaren håller ihop arbetet och följer upp det vi bestämt.", ALL),
    ("Vi har börjat använda samma begrepp när vi pratar om deltagarna.", (2, 3)),
    ("Det är för tidigt att säga, men intresset finns hos alla.", (1,)),
    ("Kontakten med handläggarna på Socialtjänsten har blivit mycket enklare.", (2, 3)),
    ("Att deltagaren själv är med och bestämmer vad som ska hända.", ALL),
    ("Mindre dubbelarbete med kartläggningar.", (2, 3)),
    ("Vi hjälper varandra att tolka reglerna när ett ärende är krångligt.", ALL),
    ("Praktikplatserna via Arbetsmarknadsenheten kommer fram snabbare nu.", (2, 3)),
    ("Att vi träffas varje vecka, även när det är mycket annat.", ALL),
    ("Tydligare rutiner för hur vi lämnar över ärenden.", (3,)),
    ("Uppstartsmötena har varit bra för att förstå varandras uppdrag.", (1,)),
    ("Deltagarna verkar känna sig tryggare när alla är med i samtalet.", ALL),
    ("Samtalen blir mer lösningsinriktade än förut.", (2, 3)),
    ("Vi har fått en gemensam bild av vilka deltagare vi ska arbeta med.", (2, 3)),
    ("Viljan finns hos alla, det märks på mötena.", ALL),
    ("Att jag kan fråga direkt i stället för att skicka en remiss.", ALL),
    ("Samverkan kring planeringen; vi gör en plan i stället för tre.", (2, 3)),
    ("Vi har blivit bättre på att dela information, inom ramen för samtycket.", (2, 3)),
    ('Ärendedragningen, "tisdagsmötet" som vi kallar det, är veckans viktigaste möte.', (2, 3)),
    ("Att vi har en gemensam kalender för trepartssamtalen.", ALL),
    ("Hittills mest att vi har träffats och pratat ihop oss.", (1,)),
    ("Arbetet med deltagare som har haft försörjningsstöd länge.", ALL),
]
F02_BANK: list[tuple[str, tuple[int, ...]]] = [
    ("Mer tid avsatt för samverkan i tjänsten.", ALL),
    ("Tydligare besked från cheferna om vad som ska prioriteras.", ALL),
    ("Ett gemensamt sätt att dokumentera det vi kommer överens om.", ALL),
    ("Fler gemensamma utbildningstillfällen, inte bara en dag.", (2, 3)),
    ("Att målgruppen definieras tydligare från början.", (1, 2)),
    ("Bättre rutiner för vem som kallar till trepartssamtal.", ALL),
    ("Kortare väntetid på beslut om insatser.", ALL),
    ("Att cheferna deltar på något av mötena ibland.", ALL),
    ("En gemensam lokal där vi kan träffa deltagarna.", ALL),
    ("Mer kunskap om Arbetsförmedlingens regelverk hos oss på kommunen.", ALL),
    ("Mindre personalomsättning, det tar tid att lära känna nya kollegor.", (2, 3)),
    ("Att förslag som kommer upp på mötena följs upp.", ALL),
    ("Digitala möten fungerar sämre, vi borde ses mer på plats.", ALL),
    ("Tydligare ansvarsfördelning när en deltagare byter handläggare.", ALL),
    ("Färre parallella planer för samma deltagare.", ALL),
    ("En kontaktlista som hålls uppdaterad.", ALL),
    ("Att sekretessfrågorna reds ut en gång för alla.", ALL),
    ("Mer tid för varje ärende på ärendedragningarna.", (2, 3)),
    ("Att samverkan fortsätter efter projekttiden.", (2, 3)),
    ("Gemensamma mål som följs upp regelbundet.", ALL),
    ("Bättre framförhållning inför praktikplatser.", (2, 3)),
    ("Fler arbetsgivarkontakter som vi delar på.", ALL),
    ("Att ledningen visar att projektet är viktigt, även i budgeten.", ALL),
    ("Fler deltagare i projektet så att arbetssättet blir en vana.", ALL),
    ("Uppföljning av hur det har gått för deltagarna efter avslut.", (2, 3)),
    ("Ett enklare sätt att dela information mellan verksamhetssystemen.", ALL),
    ("Att vi lär oss mer om varandras vardag, kanske genom att följa varandra en dag.", ALL),
    ("Bättre introduktion för nya medarbetare i projektet.", (2, 3)),
    ("Vet inte än, vi har precis börjat.", (1,)),
    ("En gemensam rutin för avslut; nu gör alla på olika sätt.", (2, 3)),
    ("Tydligare besked om vad som händer när projektet tar slut.", (3,)),
    ("Mer stöd från ledningen när regelverken krockar.", ALL),
]
# One multi-line answer, as people sometimes press Enter in a text box.
MULTILINE_F02 = "Mer tid för samverkan.\nTydligare roller i trepartssamtalen."

# Codes people choose: letters and digits, everyday words and digits.
CODE_WORDS = [
    "sol", "hav", "moln", "ek", "tall", "räv", "lodjur", "måne", "kaffe",
    "cykel", "uggla", "vind", "sten", "bok", "kotte", "snö", "gran", "lök",
]
CODE_LETTERS = "ABDEFGHJKLMNPRSTV"


@dataclass
class Person:
    """One member of staff with stable latent levels."""

    org: str
    code: str
    waves: tuple[int, ...]
    general: float
    specific: dict[str, float]


@dataclass
class Response:
    """One person's answers in one wave."""

    person: Person
    wave: int
    when: dt.datetime
    code: str  # as written ("" = blank)
    org_written: str
    answers: dict[str, int | str | None] = field(default_factory=dict)
    free: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------


def check_instrument() -> None:
    """Fail loudly if the instrument's texts no longer match ``ITEMS``."""
    if not INSTRUMENT_FILE.exists():
        return
    text = INSTRUMENT_FILE.read_text(encoding="utf-8")
    found = dict(re.findall(r'\{id:\s*(\w+),[^}]*?text:\s*"([^"]*)"', text))
    expected = {item_id: item_text for item_id, _, item_text, _ in ITEMS}
    expected.update(dict(FREE_TEXT))
    if found != expected:
        raise SystemExit(
            f"{INSTRUMENT_FILE} har ändrats: uppdatera ITEMS/FREE_TEXT i {Path(__file__).name}."
        )
    for label in SCALE_LABELS.values():
        if label not in text:
            raise SystemExit(f"Skaletiketten {label!r} finns inte längre i {INSTRUMENT_FILE}.")


def make_codes(rng: np.random.Generator, n: int) -> list[str]:
    """Return ``n`` distinct self-chosen personal codes."""
    codes: list[str] = []
    while len(codes) < n:
        kind = rng.integers(3)
        if kind == 0:
            letters = "".join(rng.choice(list(CODE_LETTERS), size=2))
            code = f"{letters}{rng.integers(10, 100)}"
        elif kind == 1:
            code = f"{rng.choice(CODE_WORDS)}{rng.integers(1, 100)}"
        else:
            code = f"{rng.integers(1000, 10000)}"
        if code.lower() not in {c.lower() for c in codes}:
            codes.append(code)
    return codes


def make_people(rng: np.random.Generator) -> list[Person]:
    n_people = sum(n for patterns in PARTICIPATION.values() for _, n in patterns)
    codes = make_codes(rng, n_people)
    people: list[Person] = []
    for org in ORGANISATIONS:
        for waves, n in PARTICIPATION[org]:
            for _ in range(n):
                people.append(
                    Person(
                        org=org,
                        code=codes[len(people)],
                        waves=waves,
                        general=float(rng.normal(0, SD_GENERAL)),
                        specific={k: float(rng.normal(0, SD_SPECIFIC)) for k in INDEXES},
                    )
                )
    return people


def answer_value(rng: np.random.Generator, person: Person, wave: int) -> dict[str, int | str | None]:
    """Draw one person's answers to q01..q37 in one wave."""
    answers: dict[str, int | str | None] = {}
    for index in INDEXES:
        shrink = CEILING_INDEXES.get(index, 1.0)
        level = (
            INDEX_MEANS[index][wave - 1]
            + ORG_OFFSET[person.org]
            + ORG_INDEX_OFFSET.get((index, person.org), 0.0)
            + shrink * (person.general + person.specific[index] + rng.normal(0, SD_WAVE))
        )
        for item_id, item_index, _, reverse in ITEMS:
            if item_index != index:
                continue
            noise_sd = SD_ITEM * (0.6 if index in CEILING_INDEXES and item_id != "q03" else 1.0)
            if item_id == "q03":
                noise_sd = 0.60
            value = level + ITEM_OFFSET.get(item_id, 0.0) + rng.normal(0, noise_sd)
            value = int(np.clip(np.rint(value), 1, 5))
            if reverse:
                value = 6 - value
            answers[item_id] = value
    # Missing answers.
    for item_id in ITEM_IDS:
        u = rng.random()
        p_dont_know = P_DONT_KNOW_ITEM.get(item_id, P_DONT_KNOW)
        p_not_applicable = P_NOT_APPLICABLE_ITEM.get(item_id, 0.0)
        if u < P_BLANK:
            answers[item_id] = None
        elif u < P_BLANK + p_dont_know:
            answers[item_id] = DONT_KNOW
        elif u < P_BLANK + p_dont_know + p_not_applicable:
            answers[item_id] = NOT_APPLICABLE
    return answers


def random_time(rng: np.random.Generator, wave: int) -> dt.datetime:
    day = WAVE_DAYS[wave][rng.integers(len(WAVE_DAYS[wave]))]
    seconds = int(rng.integers(8 * 3600, 16 * 3600 + 1800))
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)


def draw_free_text(rng: np.random.Generator, responses: list[Response], wave: int) -> None:
    for fid, bank in (("f01", F01_BANK), ("f02", F02_BANK)):
        pool = [text for text, waves in bank if wave in waves]
        order = list(rng.permutation(len(pool)))
        for response in responses:
            if response.answers and all(v is None for v in response.answers.values()):
                continue  # the respondent who skipped everything
            if rng.random() < P_FREE_TEXT[fid]:
                if not order:
                    order = list(rng.permutation(len(pool)))
                response.free[fid] = pool[order.pop()]


def make_wave(rng: np.random.Generator, people: list[Person], wave: int) -> list[Response]:
    members = [p for p in people if wave in p.waves]
    responses = [
        Response(person=p, wave=wave, when=random_time(rng, wave), code=p.code, org_written=p.org)
        for p in members
    ]
    responses.sort(key=lambda r: r.when)
    # Make timestamps strictly increasing (two submissions never share a second).
    for previous, current in itertools.pairwise(responses):
        if current.when <= previous.when:
            current.when = previous.when + dt.timedelta(seconds=37)
    for response in responses:
        response.answers = answer_value(rng, response.person, wave)
    # Blank personal codes: mostly people who only answer once or twice,
    # plus one regular in wave 2 (who then cannot be linked).
    occasional = [i for i, r in enumerate(responses) if len(r.person.waves) < 3]
    regular = [i for i, r in enumerate(responses) if len(r.person.waves) == 3]
    n_blank = BLANK_CODES[wave]
    chosen = list(rng.choice(occasional, size=min(n_blank - (wave == 2), len(occasional)), replace=False))
    if wave == 2:
        chosen.append(int(rng.choice(regular)))
    for i in chosen:
        responses[int(i)].code = ""
    if wave == 2:
        # One Socialtjänsten respondent (who answers only this wave) skips every question.
        skipper = next(r for r in responses if r.person.org == SOC and r.person.waves == (2,))
        skipper.answers = {item_id: None for item_id in ITEM_IDS}
    draw_free_text(rng, responses, wave)
    if wave == 1:
        with_f02 = [r for r in responses if "f02" in r.free]
        with_f02[2].free["f02"] = MULTILINE_F02
    if wave == 3:
        soc = [r for r in responses if r.person.org == SOC]
        for i in sorted(rng.choice(len(soc), size=2, replace=False)):
            soc[int(i)].org_written = "socialtjänsten "
    return responses


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def as_label(value: int | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return SCALE_LABELS[value]


def write_google_forms(responses: list[Response], path: Path) -> None:
    """Google Forms CSV: UTF-8 (no BOM), every field quoted, CRLF."""
    header = ["Tidstämpel", ORG_QUESTION, CODE_QUESTION]
    header += [ITEM_TEXT[i] for i in ITEM_IDS] + [text for _, text in FREE_TEXT]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for r in responses:
        row = [r.when.strftime("%Y-%m-%d %H:%M:%S"), r.org_written, r.code]
        row += [as_label(r.answers[i]) for i in ITEM_IDS]
        row += [r.free.get(fid, "") for fid, _ in FREE_TEXT]
        writer.writerow(row)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def write_microsoft_forms(
    rng: np.random.Generator, responses: list[Response], path: Path
) -> None:
    """Microsoft Forms XLSX (Swedish UI) with pinned timestamps."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    header = ["ID", "Starttid", "Tid för slutförande", "E-post", "Namn", "Senaste ändringstid"]
    header += [CODE_QUESTION, ORG_QUESTION]
    header += [ITEM_TEXT[i] for i in ITEM_IDS] + [text for _, text in FREE_TEXT]
    ws.append(header)
    # Two Arbetsförmedlingen respondents were keyed in by hand from paper
    # forms, with numbers instead of labels.
    af_rows = [
        i for i, r in enumerate(responses)
        if r.person.org == AF and any(isinstance(v, int) for v in r.answers.values())
    ]
    rekeyed = {int(i) for i in rng.choice(af_rows, size=2, replace=False)}
    for number, r in enumerate(responses, start=1):
        duration = dt.timedelta(seconds=int(rng.integers(200, 900)))
        answers: list[int | str | None] = []
        for i in ITEM_IDS:
            value = r.answers[i]
            if (number - 1) in rekeyed and isinstance(value, int):
                answers.append(value)  # numeric cell
            else:
                answers.append(as_label(value) or None)  # None = empty cell
        row = [number, r.when - duration, r.when, "anonymous", None, None, r.code or None, r.org_written]
        row += answers + [r.free.get(fid) for fid, _ in FREE_TEXT]
        ws.append(row)
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 20

    pinned = dt.datetime(2025, 9, 22, 8, 0, 0)
    wb.properties = DocumentProperties(creator="Microsoft Forms", created=pinned, modified=pinned)
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps "modified" with now(); undone below
    wb.properties.modified = pinned
    core_xml = tostring(wb.properties.to_tree())

    # Re-pack with fixed zip timestamps and the pinned core properties.
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = core_xml if info.filename == "docProps/core.xml" else src.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 9, 22, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


# Headers re-typed by hand in wave 3: letter case, trailing space, trailing period.
RETYPED_HEADERS = {
    "q07": "Jag känner till de andra organisationernas Uppdrag",
    "q21": ITEM_TEXT["q21"] + " ",
    "q31": ITEM_TEXT["q31"] + ".",
}


def write_excel_csv(rng: np.random.Generator, responses: list[Response], path: Path) -> None:
    """Swedish Excel "CSV (semikolonavgränsad)": cp1252, ';', CRLF, minimal quoting."""
    header = ["Svarsdatum", ORG_QUESTION, CODE_QUESTION]
    header += [RETYPED_HEADERS.get(i, ITEM_TEXT[i]) for i in ITEM_IDS]
    header += [text for _, text in FREE_TEXT]
    # A few fours were typed as "4,0".
    fours = [(ri, i) for ri, r in enumerate(responses) for i in ITEM_IDS if r.answers[i] == 4]
    comma_fours = {fours[int(k)] for k in rng.choice(len(fours), size=5, replace=False)}
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    for ri, r in enumerate(responses):
        row = [r.when.strftime("%Y-%m-%d %H:%M"), r.org_written, r.code]
        for i in ITEM_IDS:
            value = r.answers[i]
            if value is None:
                row.append("")
            elif isinstance(value, str):
                row.append(value)
            else:
                row.append("4,0" if (ri, i) in comma_fours else str(value))
        row += [r.free.get(fid, "") for fid, _ in FREE_TEXT]
        writer.writerow(row)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def main() -> None:
    check_instrument()
    rng = np.random.default_rng(SEED)
    people = make_people(rng)
    waves = {wave: make_wave(rng, people, wave) for wave in (1, 2, 3)}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_google_forms(waves[1], OUT_DIR / "enkat1_google_forms.csv")
    write_microsoft_forms(rng, waves[2], OUT_DIR / "enkat2_microsoft_forms.xlsx")
    write_excel_csv(rng, waves[3], OUT_DIR / "enkat3.csv")
    __import__("runpy").run_path(str(HERE / "generate_ekonomi.py"), run_name="__main__")  # ekonomi.xlsx
    __import__("generate_deltagare").main()  # the participant register, data_samples/deltagare.csv
    __import__("generate_sjalvvardering").main()  # the filled self-evaluation forms in sjalvvardering/
    __import__("generate_goals").main()  # the goals' activity log and participant survey
    for wave, responses in waves.items():
        counts = {org: sum(r.person.org == org for r in responses) for org in ORGANISATIONS}
        print(f"enkät {wave}: " + ", ".join(f"{org} {n}" for org, n in counts.items()))


if __name__ == "__main__":
    main()
