"""Generate the fictional filled självvärdering forms in ``data_samples/sjalvvardering/``.

The forms belong to "Vägen framåt" (see ``generate.py``). They are the
built-in form (``slutrapport/forms/sjalvvardering.yaml``) filled in at two
occasions, *Start* (February 2025) and *Slut* (May 2026), by three roles:

============== ===== ====
role           Start Slut
============== ===== ====
Handläggare        6    5
Styrgrupp          5    4
Projektledare      1    1
============== ===== ====

With the sample project's anonymity threshold of 5 this shows both rules:
at Start the projektledare is hidden and, to protect that one form from
being derived as "Alla minus the others", so is the styrgrupp; at Slut the
styrgrupp (4) and the projektledare (1) are merged into "Övriga roller".

Ratings follow a trend per section between the occasions (steering and
anchoring improve, the goals turn out less realistic) plus a role offset, a
person effect and item noise, rounded and clipped to 1–5. Phases that have
not started are rated "Kan inte bedöma". The free texts are drawn from short
Swedish answers written for each question, combined so that answers rarely repeat. Two text answers are left blank
(reading warns about them). File names do not reveal the role.

The random seed is fixed and the workbooks' timestamps are pinned, so running
``python data_samples/generate_sjalvvardering.py`` (or ``generate.py``)
rewrites the files byte for byte identically.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from slutrapport.sources.forms.definition import RATING, load_definition  # noqa: E402
from slutrapport.sources.forms.excel_form import DATE, FORM_SHEET, OCCASION, ROLE, form_workbook, workbook_bytes  # noqa: E402

SEED = 20250203
OUT_DIR = HERE / "sjalvvardering"
PL, SG, HL = "Projektledare", "Styrgrupp", "Handläggare"
RESPONDENTS = {"Start": {HL: 6, SG: 5, PL: 1}, "Slut": {HL: 5, SG: 4, PL: 1}}
FIRST_DAY = {"Start": dt.date(2025, 2, 3), "Slut": dt.date(2026, 5, 18)}
NOT_STARTED = {"Start": {"genomforande", "avslut"}, "Slut": set()}
BLANK = {("Start", SG, 1, "effekter_text"), ("Slut", HL, 2, "implementering_text")}
CANNOT_RATE = {("Start", SG, 2, "resultat_deltagare")}

#: Mean rating per section (or phase) at Start and Slut.
LEVEL = {
    "syfte": (3.6, 4.1), "realism": (3.8, 3.0), "malgrupp": (3.2, 3.9), "styrning": (2.9, 3.8),
    "forankring": (2.6, 3.7), "prestationer": (3.4, 3.9), "resultat": (2.8, 3.6), "effekter": (2.5, 3.4),
    "brister": (3.0, 3.5), "implementering": (2.2, 3.1),
    "forberedelse": (3.5, 3.6), "uppstart": (3.0, 3.3), "genomforande": (3.0, 3.6), "avslut": (3.0, 3.2),
}  # fmt: skip
#: Role offsets per section: the steering group sees its own steering more kindly, and so on.
OFFSET = {
    (SG, "styrning"): 0.4, (HL, "styrning"): -0.3, (HL, "forankring"): -0.3, (PL, "realism"): -0.4,
    (SG, "implementering"): 0.3, (HL, "resultat"): 0.2,
}  # fmt: skip

TEXTS = {
    "syfte_text": {
        "Start": [
            "Syftet är att deltagarna ska få ett samlat stöd från myndigheterna i stället för att slussas mellan dem.",
            "Vi ska korta vägen till arbete eller studier för personer som länge har haft försörjningsstöd.",
            "Bilden av syftet är fortfarande lite olika hos parterna; vi behöver prata mer om vad som räknas som resultat.",
            "Projektet ska pröva ett gemensamt arbetssätt mellan Arbetsförmedlingen, socialtjänsten och AME.",
        ],
        "Slut": [
            "Syftet har blivit tydligare under resans gång: det handlar lika mycket om att ändra hur vi samarbetar som om deltagarnas resultat.",
            "Vi har hållit fast vid syftet, men fokus har flyttats från problem till deltagarnas egna mål.",
            "Alla parter beskriver i dag syftet på ungefär samma sätt, vilket inte var fallet i början.",
            "Syftet om ett samlat stöd känns uppnått för dem som har varit med länge.",
        ],
    },
    "realism_text": {
        "Start": [
            "Målet om 40 procent egen försörjning känns ambitiöst men möjligt om arbetsgivarkontakterna kommer igång.",
            "Det är svårt att bedöma realismen innan vi vet hur många som skrivs in.",
            "Tidsplanen för uppstarten är pressad eftersom rekryteringen av personal drog ut.",
            "Målen om deltagarnas nöjdhet känns rimliga redan nu.",
        ],
        "Slut": [
            "Målet om egen försörjning var för högt satt för en målgrupp med så lång tid utanför arbetsmarknaden.",
            "Målen om deltagarnas upplevda nytta har nåtts, målen om arbete bara delvis.",
            "Vi borde ha haft delmål för stegförflyttningar, inte bara för arbete och studier.",
            "Antalet inskrivna nåddes, men det tog längre tid än planerat.",
        ],
    },
    "malgrupp_text": {
        "Start": [
            "Deltagarna kommer i första hand via socialtjänstens handläggare.",
            "Vi når ännu inte unga vuxna i den utsträckning vi hade tänkt.",
            "Remissvägarna från Arbetsförmedlingen är inte helt på plats.",
            "Många av dem som remitteras har större vårdbehov än vi räknade med.",
        ],
        "Slut": [
            "Gemensamma inskrivningsmöten gjorde att rätt personer hittade till projektet.",
            "Personer med annat modersmål än svenska har varit svårare att nå; tolk borde ha budgeterats.",
            "Målgruppen nåddes väl när remissvägarna väl var etablerade.",
            "Vi nådde fler kvinnor än män, tvärtemot vad vi trodde i ansökan.",
        ],
    },
    "styrning_text": {
        "Start": [
            "Styrgruppen har träffats två gånger och har mest fått information.",
            "I praktiken är det projektledaren som driver riktningen just nu.",
            "Det är oklart vilka beslut som ska tas i styrgruppen och vilka som tas i linjen.",
            "Styrgruppen behöver underlag som gör det möjligt att fatta beslut, inte bara lägesrapporter.",
        ],
        "Slut": [
            "Styrgruppen tog ett tydligare ansvar efter halvtid, särskilt när budgeten behövde omfördelas.",
            "Beslut om förändrade rutiner fattades snabbare när cheferna från alla parter satt med.",
            "Styrningen har fungerat bättre, men handläggarna har inte alltid vetat vad som beslutats.",
            "Den lokala samverkansgruppen har varit ett bra stöd för styrgruppen.",
        ],
    },
    "forankring_text": {
        "Start": [
            "Projektet är känt hos cheferna men inte hos alla handläggare i ordinarie verksamhet.",
            "Vi behöver informera på arbetsplatsträffar hos alla parter.",
            "Förankringen hos Arbetsförmedlingen påverkas av deras omorganisation.",
            "Socialtjänstens ledning är mycket engagerad, de andra parterna avvaktar.",
        ],
        "Slut": [
            "Gemensamma arbetsplatsträffar och studiebesök gjorde stor skillnad för förankringen.",
            "Handläggare i ordinarie verksamhet hänvisar nu själva till projektet.",
            "Förankringen är god hos socialtjänsten men fortfarande svagare hos Arbetsförmedlingen.",
            "Det har hjälpt att cheferna själva har presenterat projektet för sina medarbetare.",
        ],
    },
    "fas_text": {
        "forberedelse": [
            "Kartläggningen av målgruppen och rekryteringen av personal gjordes enligt plan.",
            "Förberedelserna tog längre tid än väntat, men lade en bra grund.",
            "Lokalfrågan löstes sent, annars gick förberedelserna bra.",
            "Samverkansavtalet blev klart först strax före start.",
        ],
        "uppstart": [
            "De första deltagarna skrevs in i januari; rutinerna för gemensamma möten kom på plats.",
            "Uppstarten var intensiv och det saknades tid för gemensam introduktion för personalen.",
            "Uppstarten försenades av att en handläggare slutade.",
            "Det tog tid att komma överens om hur deltagarnas planer skulle dokumenteras.",
        ],
        "genomforande": [
            "Arbetssättet med gemensam planering för varje deltagare har fungerat bra.",
            "Arbetsgivarkontakterna kom igång under hösten och gav de första anställningarna.",
            "Vi har fått justera metoden när fler deltagare hade behov av vårdkontakter.",
            "Samarbetet med vårdcentralen blev en viktig del av genomförandet.",
        ],
        "avslut": [
            "Överlämningen till ordinarie verksamhet pågår; rutinerna är dokumenterade.",
            "Avslutet har präglats av osäkerhet om den fortsatta finansieringen.",
            "Deltagare som inte är klara lämnas över med en gemensam plan.",
            "Erfarenheterna sammanställs i en metodbeskrivning till parterna.",
        ],
    },
    "prestationer_text": {
        "Start": [
            "Vi har genomfört informationsträffar och börjat med kartläggningssamtal.",
            "Utbildningen i motiverande samtal är planerad men inte genomförd.",
            "Samverkansavtalet är undertecknat och rutinen för gemensam inskrivning är klar.",
            "Två gemensamma arbetsplatsträffar har hållits.",
        ],
        "Slut": [
            "Alla planerade gemensamma utbildningar är genomförda, liksom uppföljningsmöten varje månad.",
            "Arbetsgivarträffarna blev färre än planerat.",
            "Vi har hållit fler trepartssamtal än planerat, vilket deltagarna uppskattar.",
            "Metodbeskrivningen är skriven men ännu inte spridd.",
        ],
    },
    "resultat_text": {
        "Start": [
            "Det är för tidigt att se resultat för deltagarna.",
            "De första deltagarna har fått en samlad plan, vilket är ett resultat i sig.",
            "Deltagarna berättar att de slipper upprepa sin historia för varje myndighet.",
            "Några deltagare har redan börjat i arbetsträning.",
        ],
        "Slut": [
            "Ungefär en tredjedel av de avslutade deltagarna gick till arbete eller studier.",
            "Många deltagare har tagit steg närmare arbetsmarknaden även om de inte fått arbete.",
            "Deltagarnas enkätsvar visar att de känner sig bättre bemötta än tidigare.",
            "Resultaten skiljer sig mycket mellan deltagarna; de som kom in tidigt har kommit längst.",
        ],
    },
    "effekter_text": {
        "Start": [
            "Handläggarna har redan fått bättre kunskap om varandras uppdrag.",
            "Inga effekter på organisationerna ännu.",
            "Vi har börjat använda en gemensam planeringsmall.",
            "Det är lättare att ringa en kollega på en annan myndighet nu.",
        ],
        "Slut": [
            "Kontaktvägarna mellan myndigheterna är kortare nu och används även utanför projektet.",
            "Socialtjänsten har ändrat sina rutiner för när Arbetsförmedlingen kopplas in.",
            "En oväntad effekt är att vårdcentralen har börjat höra av sig direkt till projektet.",
            "Cheferna träffas regelbundet även i frågor som inte rör projektet.",
        ],
    },
    "framgang_text": {
        "Start": [
            "Engagerad personal och en projektledare som tar kontakter.",
            "Att vi sitter i samma lokaler några dagar i veckan.",
            "Att cheferna har gett oss mandat att pröva nya arbetssätt.",
            "Att deltagarna får träffa alla handläggare samtidigt.",
        ],
        "Slut": [
            "Att sitta tillsammans och ha gemensamma möten med deltagaren har varit det viktigaste.",
            "Tydliga rutiner för vem som gör vad och en styrgrupp som ställer upp när det krävs.",
            "Att utgå från deltagarens egna mål och inte från vilken myndighet som äger ärendet.",
            "Kontinuitet: samma handläggare har följt deltagaren hela vägen.",
        ],
    },
    "hinder_text": {
        "Start": [
            "Olika it-system gör att vi inte kan dela information på ett enkelt sätt.",
            "Sekretessen mellan myndigheterna tar tid att hantera.",
            "Det saknas tid för gemensam planering i schemat.",
            "Olika regelverk för ersättningar skapar förvirring hos deltagarna.",
        ],
        "Slut": [
            "Personalomsättningen hos en av parterna gjorde att arbetet fick börja om flera gånger.",
            "Vi skulle ha förankrat projektet bättre hos handläggarna innan start.",
            "Omorganisationen hos Arbetsförmedlingen var ett hinder vi inte kunde påverka.",
            "Deltagare med omfattande vårdbehov behövde mer stöd än projektet kunde ge.",
        ],
    },
    "implementering_text": {
        "Start": [
            "Det är för tidigt att planera implementeringen, men frågan behöver finnas med i styrgruppen.",
            "Vi bör redan nu fundera på vilka delar som ska leva vidare.",
            "Vi behöver dokumentera arbetssättet från början så att det går att föra över.",
            "Implementering bör vara en stående punkt på styrgruppens möten.",
        ],
        "Slut": [
            "De gemensamma inskrivningsmötena fortsätter inom ordinarie budget.",
            "Det behövs ett beslut från cheferna om vem som ansvarar för samordningen efter projektet.",
            "Rutinerna finns dokumenterade, men finansieringen av en samordnare är inte löst.",
            "Socialtjänsten har beslutat att behålla arbetssättet; Arbetsförmedlingens beslut dröjer.",
        ],
    },
}


def _rating(rng: np.random.Generator, level: float) -> int:
    return int(np.clip(np.rint(level + rng.normal(0, 0.55)), 1, 5))


def _combinations(rng: np.random.Generator, size: int) -> list[tuple[int, ...]]:
    """Every choice of one to three sentences of a pool, in a random order (answers rarely repeat)."""
    combos = [c for k in (1, 2, 3) for c in itertools.combinations(range(size), k)]
    return [combos[int(i)] for i in rng.permutation(len(combos))]


def _text(rng: np.random.Generator, pools: dict, key: tuple[str, str], pool: list[str]) -> str:
    if key not in pools:
        pools[key] = _combinations(rng, len(pool))
    combos = pools[key]
    picked = combos.pop(0)
    combos.append(picked)
    return " ".join(pool[i] for i in picked)


def fill(rng: np.random.Generator, pools: dict, definition, occasion: str, role: str, number: int, day: dt.date) -> bytes:
    """One filled form as workbook bytes."""
    wb = form_workbook(definition)
    ws = wb[FORM_SHEET]
    rows = {ws[f"A{r}"].value: r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value}
    items = definition.scale_items()
    ws[f"C{rows[ROLE]}"] = role
    ws[f"C{rows[OCCASION]}"] = occasion
    ws[f"C{rows[DATE]}"] = day
    person = rng.normal(0, 0.35)
    index = 0 if occasion == "Start" else 1
    for question in definition.questions:
        cell = ws[f"C{rows[question.id]}"]
        key = (occasion, role, number, question.id)
        if key in BLANK:
            continue
        topic = question.phase or question.section
        if question.kind == RATING:
            if question.phase in NOT_STARTED[occasion] or key in CANNOT_RATE:
                cell.value = definition.scale.missing[0]
            else:
                level = LEVEL[topic][index] + OFFSET.get((role, question.section), 0.0) + person
                cell.value = items[_rating(rng, level) - 1]
        elif question.phase in NOT_STARTED[occasion]:
            cell.value = "Fasen har inte börjat ännu."
        else:
            pool = TEXTS["fas_text"][question.phase] if question.phase else TEXTS[question.id][occasion]
            cell.value = _text(rng, pools, (question.id, occasion), pool)
    return workbook_bytes(wb)


def main() -> None:
    definition = load_definition()
    rng = np.random.default_rng(SEED)
    pools: dict = {}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for old in OUT_DIR.glob("*.xlsx"):
        old.unlink()
    for occasion, roles in RESPONDENTS.items():
        people = [(role, number) for role, count in roles.items() for number in range(1, count + 1)]
        order = rng.permutation(len(people))  # file names do not follow the roles
        for position, person in enumerate(order, start=1):
            role, number = people[int(person)]
            day = FIRST_DAY[occasion] + dt.timedelta(days=int(rng.integers(0, 10)))
            data = fill(rng, pools, definition, occasion, role, number, day)
            (OUT_DIR / f"{occasion.lower()}-{position:02d}.xlsx").write_bytes(data)
        print(f"{occasion}: " + ", ".join(f"{role} {count}" for role, count in roles.items()))


if __name__ == "__main__":
    main()
