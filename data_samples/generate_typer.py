"""Generate the answers of the two example instruments with several scales and question types.

``blandad.yaml`` (a staff survey with every question type) and
``indikator.yaml`` (seven-point indicators with labelled end points only)
each get three waves of fictional answers, written as plain CSV files (UTF-8,
comma separated, one header row with the questions' texts)::

    data_samples/blandad/enkat1.csv  enkat2.csv  enkat3.csv
    data_samples/indikator/enkat1.csv  enkat2.csv  enkat3.csv

Staff of three fictional organisations answer; about two thirds of them in
every wave under the same personal code, so waves can be compared person by
person. Each person has a stable attitude; the waves move it, so the indices,
the share answering yes, the hours per week and the ways of keeping in touch
change over the project. A person's role (single choice) does not change.

How the answers are written, to exercise the readers:

- ``blandad``: the scale answers as labels in waves 1 and 2 and as digits in
  wave 3; ``Vet ej`` now and then; yes/no as ``Ja``/``Nej``; the options of
  the multiple-choice question in one cell separated by ``;``; hours as a
  whole number or with a decimal comma (``2,5``); about half answer the free
  text question.
- ``indikator``: digits 1–7, an end point now and then as its label
  (``Instämmer helt``) or as both (``7 - Instämmer helt``).

The random seed is fixed, so running ``python data_samples/generate_typer.py``
writes the same bytes every time (``tests/report/test_sample_types.py``
checks that). Only numpy and the standard library are used.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np

SEED = 20260321
HERE = Path(__file__).resolve().parent
ORGANISATIONS = {"Arbetsförmedlingen": 22, "Socialtjänsten": 30, "Arbetsmarknadsenheten": 26}
ORG_QUESTION = "Vilken organisation arbetar du i?"
CODE_QUESTION = "Din personliga kod"
WAVES = 3
DONT_KNOW = "Vet ej"

AGREE = {1: "Instämmer inte alls", 2: "Instämmer i liten grad", 3: "Instämmer delvis", 4: "Instämmer i hög grad", 5: "Instämmer helt"}
OFTEN = {1: "Aldrig", 2: "Sällan", 3: "Ibland", 4: "Ofta", 5: "Alltid"}

# blandad: (question text, labels, mean per wave of the positively oriented value, reverse scored)
MIXED_SCALE_ITEMS = [
    ("Samverkan med de andra organisationerna är viktig för mitt arbete", AGREE, (4.2, 4.3, 4.4), False),
    ("Jag vet vem jag ska kontakta i de andra organisationerna", AGREE, (3.0, 3.5, 3.9), False),
    ("Samverkan tar tid från mina ordinarie arbetsuppgifter", AGREE, (3.1, 3.2, 3.3), True),
    ("Ledningen i min organisation stöder samverkan", AGREE, (3.4, 3.5, 3.6), False),
    ("Jag träffar kollegor från de andra organisationerna", OFTEN, (2.6, 3.1, 3.5), False),
    ("Jag ringer eller mejlar kollegor i de andra organisationerna", OFTEN, (3.0, 3.4, 3.7), False),
    ("Vi löser ärenden tillsammans med de andra organisationerna", OFTEN, (2.5, 2.9, 3.4), False),
]
YES_NO = "Har du deltagit i en utbildning inom projektet?"
YES_SHARE = (0.35, 0.5, 0.65)
ROLE = "Vilken är din roll?"
ROLES = ("Handläggare", "Chef", "Annan roll")
ROLE_SHARES = (0.7, 0.12, 0.18)
CONTACT = "Hur håller du kontakten med de andra organisationerna?"
CONTACT_SHARES = {  # per wave, the chance of choosing each option
    "Telefon": (0.75, 0.7, 0.7),
    "E-post": (0.8, 0.8, 0.8),
    "Fysiska möten": (0.25, 0.4, 0.55),
    "Digitala möten": (0.35, 0.5, 0.6),
}
HOURS = "Hur många timmar i veckan ägnar du åt samverkan?"
HOURS_MEAN = (2.5, 3.5, 4.5)
FREE_MIXED = "Vad har fungerat bäst i samverkan?"
FREE_MIXED_ANSWERS = (
    "De gemensamma mötena varannan vecka.",
    "Att vi har ett kontaktnät och vet vem vi ska ringa.",
    "Utbildningsdagen om varandras uppdrag.",
    "Snabbare överlämningar av ärenden.",
    "Att chefen prioriterar samverkan.",
    "Det digitala mötet på fredagar.",
)

# indikator: (question text, mean per wave of the positively oriented value on 1–7, reverse scored)
INDICATOR_ITEMS = [
    ("Det finns en gemensam plan för samverkan", (3.6, 4.3, 5.0), False),
    ("Ansvaret mellan organisationerna är tydligt", (3.4, 4.0, 4.6), False),
    ("Vi följer upp samverkan regelbundet", (3.2, 3.8, 4.5), False),
    ("Det är otydligt vem som fattar besluten i samverkan", (3.8, 4.1, 4.6), True),
    ("Vi litar på varandra mellan organisationerna", (4.8, 5.0, 5.1), False),
    ("Vi delar med oss av kunskap och information", (4.4, 4.7, 4.9), False),
    ("Vi ser deltagarnas behov på samma sätt", (3.9, 4.1, 4.2), False),
]
INDICATOR_ENDS = {1: "Instämmer inte alls", 7: "Instämmer helt"}
FREE_INDICATOR = "Vad skulle göra samverkan bättre?"
FREE_INDICATOR_ANSWERS = (
    "Tydligare ansvarsfördelning.",
    "Fler gemensamma uppföljningar.",
    "Att vi träffas oftare.",
    "En gemensam kontaktlista.",
)


def _people(rng: np.random.Generator) -> list[dict]:
    """Every person who may answer: organisation, code, attitude, role and which waves they answer."""
    people = []
    number = 100
    for organisation, count in ORGANISATIONS.items():
        for _ in range(count):
            number += int(rng.integers(1, 9))
            stays = rng.random() < 0.68
            waves = [True] * WAVES if stays else list(rng.random(WAVES) < 0.45)
            people.append(
                {
                    "organisation": organisation,
                    "kod": f"K{number}",
                    "attityd": float(rng.normal(0, 0.45)),
                    "roll": str(rng.choice(ROLES, p=ROLE_SHARES)),
                    "timmar": float(rng.gamma(2.0, 0.5)),
                    "waves": waves,
                    "ger_kod": rng.random() > 0.06,
                }
            )
    return people


def _scale_value(rng: np.random.Generator, mean: float, person: dict, top: int, reverse: bool) -> int:
    value = int(np.clip(round(mean + person["attityd"] + rng.normal(0, 0.7)), 1, top))
    return top + 1 - value if reverse else value


def _mixed_row(rng: np.random.Generator, person: dict, wave: int) -> list[str]:
    row = [person["organisation"], person["kod"] if person["ger_kod"] else ""]
    for _, labels, means, reverse in MIXED_SCALE_ITEMS:
        value = _scale_value(rng, means[wave], person, 5, reverse)
        draw = rng.random()
        row.append(DONT_KNOW if draw < 0.03 else "" if draw < 0.05 else str(value) if wave == 2 else labels[value])
    yes = rng.random() < YES_SHARE[wave] + 0.2 * person["attityd"]
    row.append(DONT_KNOW if rng.random() < 0.03 else "Ja" if yes else "Nej")
    row.append(person["roll"] if rng.random() > 0.02 else "")
    chosen = [option for option, shares in CONTACT_SHARES.items() if rng.random() < shares[wave]]
    row.append(";".join(chosen))
    hours = max(0.0, HOURS_MEAN[wave] + 1.5 * person["timmar"] - 1.5 + rng.normal(0, 1.0))
    hours = min(40.0, round(hours * 2) / 2)
    row.append("" if rng.random() < 0.04 else f"{hours:g}".replace(".", ","))
    row.append(str(rng.choice(FREE_MIXED_ANSWERS)) if rng.random() < 0.5 else "")
    return row


def _indicator_row(rng: np.random.Generator, person: dict, wave: int) -> list[str]:
    row = [person["organisation"], person["kod"] if person["ger_kod"] else ""]
    for _, means, reverse in INDICATOR_ITEMS:
        value = _scale_value(rng, means[wave], person, 7, reverse)
        draw = rng.random()
        if draw < 0.02:
            row.append(DONT_KNOW)
        elif value in INDICATOR_ENDS and draw < 0.15:
            row.append(INDICATOR_ENDS[value])
        elif value in INDICATOR_ENDS and draw < 0.3:
            row.append(f"{value} - {INDICATOR_ENDS[value]}")
        else:
            row.append(str(value))
    row.append(str(rng.choice(FREE_INDICATOR_ANSWERS)) if rng.random() < 0.4 else "")
    return row


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def files() -> dict[str, bytes]:
    """Every file, by its path under ``data_samples/``."""
    rng = np.random.default_rng(SEED)
    people = _people(rng)
    background = [ORG_QUESTION, CODE_QUESTION]
    mixed_header = [*background, *(item[0] for item in MIXED_SCALE_ITEMS), YES_NO, ROLE, CONTACT, HOURS, FREE_MIXED]
    indicator_header = [*background, *(item[0] for item in INDICATOR_ITEMS), FREE_INDICATOR]
    out = {}
    for wave in range(WAVES):
        answering = [p for p in people if p["waves"][wave]]
        order = rng.permutation(len(answering))
        out[f"blandad/enkat{wave + 1}.csv"] = _csv(mixed_header, [_mixed_row(rng, answering[i], wave) for i in order])
        out[f"indikator/enkat{wave + 1}.csv"] = _csv(indicator_header, [_indicator_row(rng, answering[i], wave) for i in order])
    return out


def main(target: Path = HERE) -> None:
    for name, data in files().items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
