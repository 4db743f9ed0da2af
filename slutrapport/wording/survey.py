"""Swedish sentences from the result tables. Every wording rule lives here.

The rules, so that the text never says more than the data supports:

- **Change**: a change is called statistically certain (``statistiskt
  säkerställd``) only when its row is in the primary family (``familj``
  ``primär``, see :mod:`slutrapport.analysis.families`) and its Holm-adjusted
  ``p_corr`` is below :data:`SIGNIFICANCE`; only those enter the summary. A
  change of the exploratory family with ``p_corr`` below :data:`SIGNIFICANCE`
  is told as ``utforskande`` with its method (``BH-justerat p = 0,03``), never
  as certain. Otherwise the text says there is no certain change and gives the
  observed numbers.
- **Direction**: the direction of a change is that of the test that
  decided (:func:`change_direction`): the sign of the rank-biserial
  ``effekt`` for the rank tests, of the share difference for the share tests;
  never the sign of the mean difference. When the mean moved the other way
  than the rank test's effect (:func:`spread_out`: more answered higher but a
  few so much lower that the mean fell, or the reverse), the text says that
  the answers spread out, gives the mean's movement as such and the rank
  test's shift (Hodges–Lehmann ``hl_skift``) as the result.
- **Size**: the size of a certain change is named from the rank-biserial
  correlation with :data:`EFFECT_WORDS` (Cohen-style limits 0,1 / 0,3 / 0,5).
- **Organisations**: organisations are said to differ only when the
  Kruskal–Wallis test across them has ``p_corr`` below :data:`SIGNIFICANCE`
  (Holm within the wave's group differences, family ``gruppskillnader``).
- **Small groups**: a shown group with fewer than :data:`SMALL_GROUP` answers
  is named as small and its result as uncertain; a hidden group is named as
  hidden for anonymity, never with its numbers.
- **Reliability**: an index whose Cronbach's alpha, as printed (two
  decimals), is below :data:`LOW_ALPHA` at a wave is flagged to be read with
  caution (:func:`low_alpha`), so "under 0,7 (0,70)" cannot be written.

Inputs are the tables of :mod:`slutrapport.analysis.describe`, :mod:`slutrapport.analysis.changes`,
:mod:`slutrapport.analysis.reliability`; the output is plain text (the renderer escapes it).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from slutrapport.analysis.families import PRIMARY, TREND_TESTS
from slutrapport.analysis.suppression import ALL
from slutrapport.core.swedish import format_number, format_p, format_percent, join_words, wave_list, wave_name
from slutrapport.wording.rows import row_dicts

__all__ = [
    "SIGNIFICANCE",
    "SMALL_GROUP",
    "LOW_ALPHA",
    "EFFECT_WORDS",
    "effect_word",
    "change_direction",
    "spread_out",
    "low_alpha",
    "alpha_text",
    "p_label",
    "index_paragraph",
    "trend_sentence",
    "survey_summary",
]

SIGNIFICANCE = 0.05
SMALL_GROUP = 10
LOW_ALPHA = 0.7
#: (upper limit of |rank-biserial r|, word); the last word applies above the last limit.
EFFECT_WORDS = ((0.1, "mycket liten"), (0.3, "liten"), (0.5, "måttlig"), (math.inf, "stor"))
#: The tests of the mean (rank tests, and the partially overlapping t-test of partly linked waves).
ORDINAL_TESTS = ("wilcoxon", "mann_whitney", "partover_t")
SHARE_TESTS = ("mcnemar", "chi2", "fisher", "partover_z")
#: How a sentence names each trend test (:data:`~slutrapport.analysis.families.TREND_TESTS`).
TREND_NAMES = {"trend_lmm": "linjär blandad modell", "page": "Pages test", "jonckheere": "Jonckheere–Terpstras test"}
_COUNT_WORDS = {3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta", 9: "nio", 10: "tio"}
OMNIBUS = "alla"


def effect_word(effect: float) -> str:
    """The Swedish word for the size of a rank-biserial correlation."""
    size = abs(effect)
    for limit, word in EFFECT_WORDS:
        if size < limit:
            return word
    return EFFECT_WORDS[-1][1]  # pragma: no cover - math.inf catches everything


def change_direction(row: pd.Series) -> int:
    """+1 or −1: the direction of a change according to the test of ``row`` (0 when it has none).

    Rank tests (``wilcoxon``, ``mann_whitney``) and the partially overlapping
    t-test: the sign of ``effekt`` (rank-biserial r, or r from t); trend
    tests: the sign of their ``effekt`` (the test's own direction); share
    tests: the sign of ``diff_andel_positiva``.
    """
    ranked = row["test"] in ORDINAL_TESTS or row["test"] in TREND_TESTS
    value = row["effekt"] if ranked else row["diff_andel_positiva"]
    if value is None or pd.isna(value) or value == 0:
        return 0
    return 1 if value > 0 else -1


def spread_out(row: pd.Series) -> bool:
    """A rank test's row whose mean difference does not move in the test's direction."""
    direction = change_direction(row)
    if row["test"] not in ORDINAL_TESTS or direction == 0 or pd.isna(row["diff_medel"]):
        return False
    return int(np.sign(row["diff_medel"])) != direction


def alpha_text(alpha: float) -> str:
    """Cronbach's alpha as the report prints it: two decimals."""
    return format_number(alpha, 2)


def low_alpha(alpha: float) -> bool:
    """Alpha below :data:`LOW_ALPHA` as printed by :func:`alpha_text` (0,695 prints and counts as 0,70)."""
    return not pd.isna(alpha) and float(f"{alpha:.2f}") < LOW_ALPHA


def _certain(p_corr: float) -> bool:
    return not math.isnan(p_corr) and p_corr < SIGNIFICANCE


#: ``justering`` → how the text names the adjusted p-value
_ADJUSTED = {"holm": "Holm-justerat", "bh": "BH-justerat"}


def _primary(row: pd.Series) -> bool:
    """The row is in the primary family (a row without ``familj`` never is)."""
    return row.get("familj") == PRIMARY


def p_label(row: pd.Series) -> str:
    """The adjusted p-value of a test row with its family: ``primärt test, Holm-justerat p = 0,004`` or
    ``utforskande, BH-justerat p = 0,03``."""
    adjusted = _ADJUSTED.get(row.get("justering"), "justerat")
    family = "primärt test" if _primary(row) else "utforskande"
    return f"{family}, {adjusted} {format_p(row['p_corr'])}"


def _mean(value: float) -> str:
    return format_number(value, 1)


def _level_sentence(cells: list[dict], waves: list[str]) -> str:
    shown = [row for row in cells if not bool(row["undertryckt"]) and (0 if pd.isna(row["n"]) else row["n"]) > 0]
    by_wave = {row["enkat"]: row for row in shown}
    present = [w for w in waves if w in by_wave]
    if not present:
        return "Resultatet för alla svarande är skyddat vid varje enkät och visas inte."
    shares = [format_percent(by_wave[w]["andel_positiva"]) for w in present]
    if len(set(shares)) == 1:
        text = f"Andelen positiva var {shares[0]} vid {wave_list(present)}"
    else:
        text = "Andelen positiva var " + join_words([f"{s} vid {wave_name(w)}" for s, w in zip(shares, present, strict=True)])
    means = [_mean(by_wave[w]["medel"]) for w in present]
    text += f" (medelvärde {join_words(means)})." if len(present) > 1 else f" (medelvärde {means[0]})."
    missing = [w for w in waves if w not in by_wave]
    if missing:
        text += f" Vid {wave_list(missing)} är resultatet för alla svarande skyddat och visas inte."
    return text


def _size(value: float, decimals: int = 1) -> str:
    """The size of a change whose direction the verb already says."""
    return format_number(abs(value), decimals)


def _pair_sentence(ordinal: pd.Series, share: pd.Series | None, cells: list[dict]) -> str:
    """One certain change. Direction and size come from the test's own data (linked people
    when paired); the levels quoted are those of all respondents, so both are named."""
    fran, till = ordinal["fran"], ordinal["till"]
    level = {row["enkat"]: row for row in cells}
    mean_a, mean_b = _mean(level[fran]["medel"]), _mean(level[till]["medel"])
    share_a, share_b = format_percent(level[fran]["andel_positiva"]), format_percent(level[till]["andel_positiva"])
    span = f"från {wave_name(fran)} till {wave_name(till)}"
    paired = bool(ordinal["parad"])
    people = f"de {int(ordinal['n_par'])} personer som svarade båda gångerna"
    if _certain(ordinal["p_corr"]) and spread_out(ordinal):
        text = _spread_sentence(ordinal, span, people, (level[fran]["medel"], level[till]["medel"]))
        return text + _share_addition(share, paired, people, share_a, share_b)
    if _certain(ordinal["p_corr"]):
        verb = "ökade" if change_direction(ordinal) > 0 else "minskade"
        where = (
            f"för {people} med {_size(ordinal['diff_medel'])} (alla svarande: {mean_a} och {mean_b})"
            if paired
            else f"från {mean_a} till {mean_b}" + _overlap_note(ordinal)
        )
        effect = effect_word(ordinal["effekt"])
        if _primary(ordinal):
            text = (
                f"Medelvärdet {verb} {span}, {where}; förändringen är statistiskt säkerställd "
                f"och effekten {effect} ({p_label(ordinal)})."
            )
        else:
            text = f"Medelvärdet {verb} {span}, {where}; effekten {effect} ({p_label(ordinal)})."
        return text + _share_addition(share, paired, people, share_a, share_b)
    share_verb = "ökade" if change_direction(share) > 0 else "minskade"
    return (
        f"Andelen positiva {share_verb} {span} med {_size(100 * share['diff_andel_positiva'], 0)} procentenheter"
        + (f" för {people}" if paired else f", från {share_a} till {share_b}")
        + f" ({p_label(share)}), medan medelvärdet inte förändrades säkert "
        f"({mean_a} och {mean_b})."
    )


def _overlap_note(row: pd.Series) -> str:
    """For partly linked waves: that every answer is used and how many of them came from the same people."""
    if row["test"] != "partover_t":
        return ""
    return f" (alla svar; {int(row['n_par'])} personer svarade båda gångerna)"


def _waves_word(count: int) -> str:
    return _COUNT_WORDS.get(count, str(count))


def trend_sentence(changes: pd.DataFrame, niva: str, item: str, waves: list[str]) -> str | None:
    """The trend across all waves of one question or index for all respondents (None without a trend row).

    Certain when ``p_corr`` is below :data:`SIGNIFICANCE`; the direction from
    the trend test (:func:`change_direction`), the size from the fitted change
    per wave (``diff_medel`` with ``diff_medel_lag``/``diff_medel_hog`` on a
    trend row) with its 95 % interval.
    """
    return _trend_sentence(row_dicts(changes[(changes["niva"] == niva) & (changes["id"] == item) & (changes["grupp"] == ALL)]), waves)


def _trend_sentence(changes: list[dict], waves: list[str]) -> str | None:
    """:func:`trend_sentence` from the rows of one item for all respondents."""
    rows = [row for row in changes if row["test"] in TREND_TESTS]
    if not rows or len(waves) < 3:
        return None
    row = rows[0]
    over = f"Över alla {_waves_word(len(waves))} enkäterna"
    slope, low, high = row["diff_medel"], row.get("diff_medel_lag", math.nan), row.get("diff_medel_hog", math.nan)
    size = ""
    if not pd.isna(slope):
        size = f"{format_number(slope, 1)} per enkät"
        if not (pd.isna(low) or pd.isna(high)):
            size += f", 95 % konfidensintervall {format_number(low, 1)} till {format_number(high, 1)}"
    test = TREND_NAMES.get(row["test"], row["test"])
    if pd.isna(row["p_corr"]):
        return None
    if not _certain(row["p_corr"]):
        detail = f"förändring {size}; " if size else ""
        return f"{over} går ingen säker trend att se ({detail}{test}, {p_label(row)})."
    up = change_direction(row) > 0
    certain = "statistiskt säkerställd " if _primary(row) else ""
    text = f"{over} fanns en {certain}trend {'uppåt' if up else 'nedåt'}"
    interval = "" if pd.isna(low) or pd.isna(high) else f"95 % konfidensintervall {format_number(low, 1)} till {format_number(high, 1)}; "
    if size and (slope > 0) == up and slope != 0:
        verb = "ökade" if up else "minskade"
        return f"{text}: medelvärdet {verb} med i genomsnitt {_size(slope, 1)} per enkät ({interval}{test}, {p_label(row)})."
    if size:
        text += f", fast medelvärdets förändring var {size}"
    return f"{text} ({test}, {p_label(row)})."


def _share_addition(share: pd.Series | None, paired: bool, people: str, share_a: str, share_b: str) -> str:
    """The certain change of the share positive, appended to a certain change of the ranks."""
    if share is None or not _certain(share["p_corr"]):
        return ""
    share_verb = "ökade" if change_direction(share) > 0 else "minskade"
    return (
        f" Andelen positiva {share_verb} med {_size(100 * share['diff_andel_positiva'], 0)} procentenheter"
        + (f" för {people}" if paired else f", från {share_a} till {share_b}")
        + f" ({p_label(share)})."
    )


def _spread_sentence(ordinal: pd.Series, span: str, people: str, means: tuple[float, float]) -> str:
    """A certain rank shift while the mean moved the other way (or not at all): the answers spread out.

    Means are given with two decimals here, so that a small movement against the shift is visible."""
    up = change_direction(ordinal) > 0
    higher, lower = ("högre", "lägre") if up else ("lägre", "högre")
    diff = float(ordinal["diff_medel"])
    mean_verb = "sjönk" if diff < 0 else "steg" if diff > 0 else "var oförändrat"
    mean_a, mean_b = format_number(means[0], 2), format_number(means[1], 2)
    if bool(ordinal["parad"]):
        size = _size(diff, 2)
        mean_text = f"medelvärdet för {people} {mean_verb}" + (f" med {size}" if size != "0,00" else " marginellt" if diff else "")
        mean_text += f" (alla svarande: {mean_a} och {mean_b})"
    else:
        mean_text = f"medelvärdet {mean_verb}" + (f" från {mean_a} till {mean_b}" if diff else f" ({mean_a})")
    text = (
        f"Svaren spreds ut {span}: fler svarade {higher}, men några svarade så mycket {lower} att {mean_text}."
        if diff
        else f"Svaren förskjöts {span} fast {mean_text}."
    )
    shift = ordinal.get("hl_skift", math.nan)
    estimate = ""
    if shift is not None and not pd.isna(shift) and (shift > 0) == up and shift != 0:
        estimate = f" med {_size(shift, 1)} skalsteg (Hodges–Lehmann-skattning"
        low, high = ordinal.get("hl_lag", math.nan), ordinal.get("hl_hog", math.nan)
        if not (pd.isna(low) or pd.isna(high)):
            estimate += f", 95 % konfidensintervall {format_number(low, 1)} till {format_number(high, 1)}"
        estimate += ")"
    return (
        f"{text} Rangtestet visar ändå en {'statistiskt säkerställd ' if _primary(ordinal) else ''}förskjutning "
        f"{'uppåt' if up else 'nedåt'}{estimate}, och effekten är {effect_word(ordinal['effekt'])} ({p_label(ordinal)})."
    )


def _change_sentences(changes: list[dict], cells: list[dict]) -> list[str]:
    rows = [row for row in changes if row["fran"] != OMNIBUS]
    ordinal = [row for row in rows if row["test"] in ORDINAL_TESTS]
    if not ordinal:
        return []
    shares: dict[tuple, dict] = {}  # (fran, till) → the first share test's row
    for row in rows:
        if row["test"] in SHARE_TESTS:
            shares.setdefault((row["fran"], row["till"]), row)
    sentences = []
    uncertain = []
    for row in ordinal:
        share_row = shares.get((row["fran"], row["till"]))
        if _certain(row["p_corr"]) or (share_row is not None and _certain(share_row["p_corr"])):
            sentences.append(_pair_sentence(row, share_row, cells))
        else:
            uncertain.append(row)
    if uncertain and not sentences:
        return ["Ingen av förändringarna mellan enkäterna är statistiskt säkerställd (justerat p ≥ 0,05), så "
                "skillnaderna i siffrorna ovan kan bero på slumpen."]
    if uncertain:
        spans = join_words([f"från {wave_name(r['fran'])} till {wave_name(r['till'])}" for r in uncertain])
        plural = "Förändringarna" if len(uncertain) > 1 else "Förändringen"
        verb = "är inte statistiskt säkerställda" if len(uncertain) > 1 else "är inte statistiskt säkerställd"
        sentences.append(f"{plural} {spans} {verb}.")
    return sentences


def _group_sentences(cells: list[dict], group_tests: pd.DataFrame, niva: str, item: str, waves: list[str]) -> list[str]:
    sentences = []
    omnibus = group_tests[(group_tests["niva"] == niva) & (group_tests["id"] == item) & (group_tests["grupp_a"] == OMNIBUS)]
    first: dict = {}  # wave → the first omnibus row's p_corr
    for wave, p_corr in zip(omnibus["enkat"], omnibus["p_corr"], strict=True):
        first.setdefault(wave, p_corr)
    tested = [w for w in waves if w in first]
    differing = []
    for wave in tested:
        p_corr = first[wave]
        if not _certain(p_corr):
            continue
        shown = [c for c in cells if c["enkat"] == wave and not bool(c["undertryckt"]) and not pd.isna(c["medel"])]
        high = max(shown, key=lambda c: c["medel"])  # the first of equal highest, as idxmax
        low = min(shown, key=lambda c: c["medel"])
        differing.append(
            f"Vid {wave_name(wave)} skilde sig organisationerna åt (Holm-justerat {format_p(p_corr)} inom "
            "enkätens jämförelser mellan organisationer): "
            f"högst låg {high['grupp']} ({_mean(high['medel'])}) och lägst {low['grupp']} ({_mean(low['medel'])})."
        )
    sentences += differing
    if tested and not differing:
        sentences.append(
            f"Skillnaderna mellan organisationerna är inte statistiskt säkerställda vid {wave_list(tested)}."
        )
    for wave in waves:
        at_wave = [c for c in cells if c["enkat"] == wave]
        small = [c for c in at_wave if not bool(c["undertryckt"]) and 0 < (0 if pd.isna(c["n"]) else c["n"]) < SMALL_GROUP]
        if small:
            names = join_words([f"{r['grupp']} (n = {int(r['n'])})" for r in small])
            sentences.append(f"Vid {wave_name(wave)} hade {names} få svar, så {'dess' if len(small) == 1 else 'deras'} resultat är osäkra.")
        hidden = [c["grupp"] for c in at_wave if bool(c["undertryckt"])]
        if hidden:
            sentences.append(f"{join_words(hidden)} visas inte vid {wave_name(wave)}, för att skydda svarande i små grupper.")
    return sentences


def _reliability_sentence(reliability: pd.DataFrame, item: str, waves: list[str]) -> str | None:
    rows = reliability[(reliability["index"] == item) & (reliability["grupp"] == ALL)]
    found = [(wave, alpha) for wave, alpha in zip(rows["enkat"], rows["alfa"], strict=True) if not pd.isna(alpha)]
    if not found:
        return None
    order = {w: i for i, w in enumerate(waves)}
    found.sort(key=lambda pair: (pair[0] not in order, order.get(pair[0], 0)))  # in wave order, other waves last (stable)
    low = [(wave, alpha) for wave, alpha in found if low_alpha(alpha)]
    if low:
        parts = join_words([f"{wave_name(wave)} ({alpha_text(alpha)})" for wave, alpha in low])
        return (
            f"Cronbachs alfa var under {format_number(LOW_ALPHA, 1)} vid {parts}: frågorna i indexet mäter inte "
            "tillräckligt samstämmigt, så indexet bör tolkas med försiktighet."
        )
    lo, hi = min(alpha for _, alpha in found), max(alpha for _, alpha in found)
    span = alpha_text(lo) if alpha_text(lo) == alpha_text(hi) else f"{alpha_text(lo)}–{alpha_text(hi)}"
    return f"Frågorna i indexet hänger väl ihop (Cronbachs alfa {span})."


def index_paragraph(
    item: str,
    waves: list[str],
    comparison: pd.DataFrame,
    changes: pd.DataFrame,
    group_tests: pd.DataFrame,
    reliability: pd.DataFrame,
) -> list[str]:
    """Sentences about one index: level per wave, changes, organisations, small groups, reliability."""
    rows = row_dicts(comparison[(comparison["niva"] == "index") & (comparison["id"] == item)])
    cells = [row for row in rows if row["grupp"] == ALL]
    own = row_dicts(changes[(changes["niva"] == "index") & (changes["id"] == item) & (changes["grupp"] == ALL)])
    sentences = [_level_sentence(cells, waves)]
    sentences += _change_sentences(own, cells)
    trend = _trend_sentence(own, waves)
    if trend:
        sentences.append(trend)
    sentences += _group_sentences([row for row in rows if row["grupp"] != ALL], group_tests, "index", item, waves)
    reliability_text = _reliability_sentence(reliability, item, waves)
    if reliability_text:
        sentences.append(reliability_text)
    return sentences


def _primary_rows(changes: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """The primary family's rows; a table without ``familj`` has the default plan's (indices, Alla, first → last)."""
    if "familj" in changes.columns:
        return changes[changes["familj"] == PRIMARY]
    return changes[
        (changes["niva"] == "index") & (changes["grupp"] == ALL) & (changes["fran"] == first)
        & (changes["till"] == last) & changes["test"].isin(ORDINAL_TESTS)
    ]  # fmt: skip


def survey_summary(
    indices: dict[str, str], waves: list[str], changes: pd.DataFrame, questions: dict[str, str] | None = None
) -> list[str]:
    """A short summary from the primary family only: which indices (or, when the primary family is the
    questions, which questions of ``questions``: id → text) changed with certainty between the first and last wave."""
    if len(waves) < 2:
        return [f"Personalenkäten har genomförts vid ett tillfälle ({wave_name(waves[0])}), så ingen förändring kan mätas."] if waves else []
    first, last = waves[0], waves[-1]
    primary = _primary_rows(changes, first, last)
    trends = primary[primary["test"].isin(TREND_TESTS)]
    rows = primary[~primary["test"].isin(TREND_TESTS)]
    level = str(primary["niva"].iloc[0]) if len(primary) else ("index" if indices else "fraga")
    if level == "index":
        names = {item: _lower_first(name) for item, name in indices.items()}
    else:
        names = {item: f"”{text}”" for item, text in (questions or {}).items()}
    up, down, spread, unsure = [], [], [], []
    rising, falling = [], []
    for item, name in names.items():
        trend = trends[trends["id"] == item]
        if len(trend) and _certain(trend.iloc[0]["p_corr"]):
            (rising if change_direction(trend.iloc[0]) > 0 else falling).append(name)
        row = rows[rows["id"] == item]
        if row.empty:
            continue
        row = row.iloc[0]
        if not _certain(row["p_corr"]) and name in rising + falling:
            continue  # no certain change first → last, but a certain trend (said below)
        if not _certain(row["p_corr"]):
            target = unsure
        elif spread_out(row):
            target = spread
        else:
            target = up if change_direction(row) > 0 else down
        target.append(name)
    span = f"mellan {wave_name(first)} och {wave_name(last)}"
    sentences = []
    if up:
        sentences.append(f"Statistiskt säkerställda ökningar {span}: {join_words(up)}.")
    if down:
        sentences.append(f"Statistiskt säkerställda minskningar {span}: {join_words(down)}.")
    if spread:
        where = "index" if level == "index" else "fråga"
        sentences.append(
            f"Statistiskt säkerställda förskjutningar {span} där svaren spreds ut och medelvärdet inte följde med: "
            f"{join_words(spread)} (se avsnittet om respektive {where})."
        )
    over = f"över alla {_waves_word(len(waves))} enkäterna"
    if rising:
        sentences.append(f"Statistiskt säkerställd trend uppåt {over}: {join_words(rising)}.")
    if falling:
        sentences.append(f"Statistiskt säkerställd trend nedåt {over}: {join_words(falling)}.")
    others = "övriga index" if level == "index" else "övriga frågor"
    if unsure and (up or down or spread or rising or falling):
        sentences.append(f"För {others} ({join_words(unsure)}) går ingen säker förändring att se.")
    elif unsure:
        none = "Inget index" if level == "index" else "Ingen fråga"
        sentences.append(
            f"{none} förändrades statistiskt säkerställt {span}; skillnaderna i siffrorna kan bero på slumpen."
        )
    family = int(primary["p_unc"].notna().sum())
    if family:
        what = "varje index" if level == "index" else "varje fråga"
        trend_text = f" och trenden {over}" if len(trends) else ""
        sentences.append(
            f"Slutsatserna bygger bara på rapportens primära test: medelvärdet för alla svarande i {what} {span} "
            f"(Wilcoxons eller Mann–Whitneys test, eller t-testet för delvis överlappande urval){trend_text}, "
            f"Holm-justerat över {family} test."
        )
    return sentences


def _lower_first(name: str) -> str:
    """'Aktivt samverkansarbete' → 'aktivt samverkansarbete'; acronyms ('LSG') stay."""
    return name[0].lower() + name[1:] if name[:2].istitle() else name
