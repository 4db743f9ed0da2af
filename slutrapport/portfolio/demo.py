"""Two fictional variants of the sample project, so that ``slutrapport demo`` can show a portfolio.

- "Steg för steg" follows Socialstyrelsen's template (``socialstyrelsen-kompetens``)
  with only a few texts written, and used the sample's staff survey at two
  waves (the sample's first and second files): the same instrument as the
  sample project, so the two are compared.
- "Nya vägar" follows RAR's template and used another instrument, a short
  four-point survey on the collaboration climate, with answers generated
  here (fixed seed): it is listed separately, never on the same scale.

:func:`write_demo_variants` writes the two project folders (``projekt.yaml``,
texts, survey files) and returns them; the caller builds their bundles.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np

from slutrapport.core.outputs import write_text_atomic

__all__ = ["write_demo_variants", "CLIMATE_INSTRUMENT"]

CLIMATE_INSTRUMENT = """\
# Kort enkät om samverkansklimatet (påhittad, för exempelportföljen).
id: samverkansklimat
namn: Kort enkät om samverkansklimat
skala:
  varden: {1: Stämmer inte alls, 2: Stämmer ganska dåligt, 3: Stämmer ganska bra, 4: Stämmer helt}
  positiva: [3, 4]
  saknas: [Vet ej]
bakgrund:
  organisation: Organisation
  kod: Kod
index:
  samsyn: Samsyn
  struktur: Struktur
  styrning: Styrning
fragor:
  - {id: k1, text: "Vi har en gemensam bild av deltagarnas behov", index: samsyn}
  - {id: k2, text: "Vi är överens om målen för samverkan", index: samsyn}
  - {id: k3, text: "Rollerna mellan organisationerna är tydliga", index: struktur}
  - {id: k4, text: "Det finns rutiner för hur vi lämnar över ärenden", index: struktur}
  - {id: k5, text: "Cheferna i min organisation prioriterar samverkan", index: styrning}
  - {id: k6, text: "Styrgruppen fattar beslut som underlättar vårt arbete", index: styrning}
"""

_STEP_BY_STEP = """\
# Påhittat projekt i exempelportföljen: Socialstyrelsens mall, flera texter saknas.
projekt:
  namn: "Steg för steg"
  projektagare: "Storsjö kommun, vård- och omsorgsförvaltningen"
  finansiar: "Socialstyrelsen (statsbidrag)"
  period:
    start: 2024-09-01
    slut: 2026-02-28
  organisationer: [Arbetsförmedlingen, Socialtjänsten, Arbetsmarknadsenheten]
mall: socialstyrelsen-kompetens
anonymitetsgrans: 5
personalenkat:
  instrument: samverkan
  enkater:
    - {fil: enkater/enkat1.csv, etikett: Enkät 1, datum: 2024-10-15}
    - {fil: enkater/enkat2.xlsx, etikett: Enkät 2, datum: 2026-01-20}
"""

_NEW_PATHS = """\
# Påhittat projekt i exempelportföljen: RAR:s mall, ett annat enkätinstrument.
projekt:
  namn: "Nya vägar"
  projektagare: "Storsjö kommun, arbetsmarknadsenheten"
  finansiar: "Samordningsförbundet Mälardalen Syd"
  period:
    start: 2025-03-01
    slut: 2026-08-31
  organisationer: [Arbetsförmedlingen, Försäkringskassan, Regionen]
mall: rar-slutrapport
anonymitetsgrans: 5
personalenkat:
  instrument: samverkansklimat.yaml
  enkater:
    - {fil: enkater/start.csv, etikett: Start, datum: 2025-04-10}
    - {fil: enkater/slut.csv, etikett: Slut, datum: 2026-06-12}
"""

_TEXTS = {
    "steg-for-steg": {
        "sammanfattning": "Steg för steg har gett handläggare i tre verksamheter en gemensam utbildning i "
        "motiverande samtal och Supported Employment.",
        "mal-lage-utveckling": "Målet var att alla handläggare skulle ha gått grundutbildningen före projektets slut.",
        "hinder": "Personalomsättningen i socialtjänsten gjorde att utbildningen fick ges två gånger.",
    },
    "nya-vagar": {
        "sammanfattning": "Nya vägar har prövat gemensamma kartläggningssamtal mellan Arbetsförmedlingen, "
        "Försäkringskassan och regionens primärvård.",
        "uppdraget": "Uppdraget var att korta tiden från första kontakt till en gemensam plan.",
        "arbetsprocess": "Handläggarna träffades varannan vecka och gick igenom nya ärenden tillsammans.",
        "ekonomisk-redovisning": "Projektet höll budgeten; lokalkostnaderna blev lägre än planerat.",
        "implementering": "Kartläggningssamtalen fortsätter i ordinarie verksamhet från hösten 2026.",
    },
}
_ORGANISATIONS = {"Arbetsförmedlingen": 10, "Försäkringskassan": 8, "Regionen": 9}


def _climate_waves(folder: Path, seed: int = 20250410) -> None:
    """Two waves of the climate survey: the same people (linked by code), slightly better at the end."""
    rng = np.random.default_rng(seed)
    header = ["Organisation", "Kod"] + [f"k{i}" for i in range(1, 7)]
    people = [(org, f"nv{org[:2].lower()}{n:02d}", rng.normal(0, 0.5)) for org, count in _ORGANISATIONS.items() for n in range(count)]
    for name, lift in (("start.csv", 0.0), ("slut.csv", 0.45)):
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for organisation, code, level in people:
                answers = np.clip(np.rint(2.5 + level + lift + rng.normal(0, 0.6, size=6)), 1, 4).astype(int)
                writer.writerow([organisation, code, *answers.tolist()])


def write_demo_variants(folder: Path, samples: Path) -> list[Path]:
    """Write the two variant projects under ``folder`` (survey files copied from ``samples``); returns their folders."""
    step, new = folder / "steg-for-steg", folder / "nya-vagar"
    for project in (step, new):
        (project / "enkater").mkdir(parents=True, exist_ok=True)
        (project / "texter").mkdir(exist_ok=True)
    shutil.copyfile(samples / "enkater" / "enkat1_google_forms.csv", step / "enkater" / "enkat1.csv")
    shutil.copyfile(samples / "enkater" / "enkat2_microsoft_forms.xlsx", step / "enkater" / "enkat2.xlsx")
    write_text_atomic(step / "projekt.yaml", _STEP_BY_STEP)
    write_text_atomic(new / "projekt.yaml", _NEW_PATHS)
    write_text_atomic(new / "samverkansklimat.yaml", CLIMATE_INSTRUMENT)
    _climate_waves(new / "enkater")
    for project in (step, new):
        for heading, text in _TEXTS[project.name].items():
            write_text_atomic(project / "texter" / f"{heading}.md", text + "\n")
    return [step, new]
