"""Swedish sentences about the questions that are not on an ordered scale: yes/no, single and multiple choice, numbers.

The rules of :mod:`.survey` hold here too:

- **Direction** comes from the test row's ``riktning`` (``ökning``,
  ``minskning`` or ``ingen säker skillnad``, set by the analysis after
  adjustment), never from comparing the two numbers quoted: when the shares
  rise but ``riktning`` says there is no certain difference, the sentence
  gives both numbers and says the difference is not statistically certain.
- **Certainty**: a change in the primary family is called statistically
  certain after adjustment; one in another family is told as exploratory with
  its adjusted p-value (:func:`~.survey.p_label`), a lead and not a conclusion.
- **Levels** quoted are those of all respondents (group ``Alla``); a wave
  whose cell is hidden is named as not shown, never with a reason.

Inputs are the analysis tables ``shares``/``share_tests`` and
``numeric``/``numeric_tests`` of :class:`~slutrapport.analysis.survey.SurveyResults`,
already narrowed to one question (and option) and to ``Alla``; the output is
plain text (the renderer escapes it).
"""

from __future__ import annotations

import math

import pandas as pd

from slutrapport.analysis.families import PRIMARY
from slutrapport.core.swedish import format_number, format_percent, join_words, wave_list, wave_name
from slutrapport.wording.survey import p_label

__all__ = [
    "INCREASE", "DECREASE", "NO_CHANGE", "OMNIBUS", "is_change", "certainty_text", "told_rows",
    "yes_no_sentences", "choice_sentences", "numeric_sentences", "plain_number",
]  # fmt: skip

#: The values of a test row's ``riktning``.
INCREASE, DECREASE, NO_CHANGE = "ökning", "minskning", "ingen säker skillnad"
#: A single-choice question's test of the whole distribution: it changed, without a direction.
DIFFERENT = "skillnad"
#: ``enkat_fran`` of a test across all waves (told in the tables, not in sentences).
OMNIBUS = "alla"
_NOT_CERTAIN = "skillnaden är inte statistiskt säker efter justering"


def is_change(row: pd.Series) -> bool:
    """The test row says there is a certain increase or decrease (its ``riktning``)."""
    return row.get("riktning") in (INCREASE, DECREASE)


def certainty_text(row: pd.Series) -> str:
    """How sure a change is, for the parenthesis after a sentence: certain in the primary family, else exploratory."""
    if row.get("familj") == PRIMARY:
        return f"skillnaden är statistiskt säker efter justering; {p_label(row)}"
    return f"{p_label(row)}: en ledtråd, inte en slutsats"


def told_rows(tests: pd.DataFrame, waves: list[str]) -> pd.DataFrame:
    """The test rows a text tells, in wave order: the first against the last wave, and any other pair with a
    certain change; without a first-to-last row, every pair. Tests across all waves are left to the tables."""
    if tests.empty:
        return tests
    order = {w: i for i, w in enumerate(waves)}
    pairs = tests[tests["enkat_fran"].isin(order) & tests["enkat_till"].isin(order) & (tests["enkat_fran"] != OMNIBUS)]
    pairs = pairs.assign(_a=pairs["enkat_fran"].map(order), _b=pairs["enkat_till"].map(order))
    pairs = pairs.assign(_other=~((pairs["_a"] == 0) & (pairs["_b"] == len(waves) - 1)))
    if not pairs["_other"].all():
        pairs = pairs[~pairs["_other"] | pairs["riktning"].isin([INCREASE, DECREASE])]
    return pairs.sort_values(["_other", "_a", "_b"], kind="stable").drop(columns=["_a", "_b", "_other"])


def _shown(row: pd.Series, column: str) -> bool:
    """The row's cell is shown: not marked ``undertryckt`` and with a value in ``column``."""
    marked = row.get("undertryckt")
    hidden = marked is not None and not pd.isna(marked) and bool(marked)
    return not hidden and not pd.isna(row.get(column))


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _levels_sentence(subject: str, levels: dict[str, str], waves: list[str]) -> str:
    present = [w for w in waves if w in levels]
    if not present:
        return f"Resultatet för alla svarande på {_lower(subject)} är skyddat vid varje enkät och visas inte."
    text = f"{subject} var " + join_words([f"{levels[w]} i {wave_name(w)}" for w in present]) + "."
    missing = [w for w in waves if w not in levels]
    if missing:
        text += f" Vid {wave_list(missing)} är resultatet för alla svarande skyddat och visas inte."
    return text


def _change_sentence(subject: str, row: pd.Series, levels: dict[str, str]) -> str:
    """One told test: ``<subject> ökade från 40 % i enkät 1 till 65 % i enkät 3 (…)``, or the two levels and
    that the difference is not certain. The verb comes from ``riktning`` alone."""
    fran, till = str(row["enkat_fran"]), str(row["enkat_till"])
    both = fran in levels and till in levels
    if is_change(row):
        verb = "ökade" if row["riktning"] == INCREASE else "minskade"
        where = (
            f"från {levels[fran]} i {wave_name(fran)} till {levels[till]} i {wave_name(till)}"
            if both
            else f"från {wave_name(fran)} till {wave_name(till)}"
        )
        return f"{subject} {verb} {where} ({certainty_text(row)})."
    if both:
        return f"{subject} var {levels[fran]} i {wave_name(fran)} och {levels[till]} i {wave_name(till)}; {_NOT_CERTAIN}."
    return f"Skillnaden i {_lower(subject)} mellan {wave_name(fran)} och {wave_name(till)} är inte statistiskt säker efter justering."


def _share_levels(shares: pd.DataFrame) -> dict[str, str]:
    """Wave → the share as text, for the shown cells (a row marked ``undertryckt`` or without a share is left out)."""
    return {str(row["enkat"]): format_percent(float(row["andel"])) for _, row in shares.iterrows() if _shown(row, "andel")}


def yes_no_sentences(text: str, waves: list[str], shares: pd.DataFrame, tests: pd.DataFrame) -> list[str]:
    """A yes/no question: the share answering yes per wave, and the told changes.

    ``shares``: the rows of ``results.shares`` for the question's yes option and ``Alla``;
    ``tests``: its rows of ``results.share_tests`` for ``Alla``.
    """
    subject = f"Andelen som svarade ja på ”{text}”"
    levels = _share_levels(shares)
    told = told_rows(tests, waves)
    if told.empty:
        return [_levels_sentence(subject, levels, waves)]
    return [_change_sentence(subject, row, levels) for _, row in told.iterrows()]


def choice_sentences(text: str, options: list[str], waves: list[str], shares: pd.DataFrame, tests: pd.DataFrame, multiple: bool) -> list[str]:
    """A single- or multiple-choice question: the certain changes in the share choosing an option, the rest in one sentence.

    ``shares``/``tests``: the question's rows of ``results.shares``/``results.share_tests`` for ``Alla``,
    with the option in ``alternativ``. Without tests, the last shown wave's shares are given.
    """
    told: list[str] = []
    quiet: list[str] = []
    spans: set[tuple[str, str]] = set()
    whole = tests["alternativ"].fillna("").astype(str) == "" if not tests.empty else pd.Series(dtype=bool)
    if not multiple and whole.any():
        # A single-choice question is tested as a whole distribution (``alternativ`` empty): it differs or not.
        for _, row in told_rows(tests[whole], waves).iterrows():
            between = f"mellan {wave_name(str(row['enkat_fran']))} och {wave_name(str(row['enkat_till']))}"
            if row.get("riktning") == DIFFERENT:
                told.append(f"Fördelningen av svaren på ”{text}” skilde sig {between} ({certainty_text(row)}).")
            else:
                told.append(f"Fördelningen av svaren på ”{text}” skilde sig inte statistiskt säkert {between} efter justering.")
        tests = tests[~whole]
        if told:
            return told + _last_wave_sentence(text, options, waves, shares, multiple)
    for option in options:
        rows = told_rows(tests[tests["alternativ"] == option], waves) if not tests.empty else tests
        subject = f"Andelen som valde ”{option}” på ”{text}”"
        levels = _share_levels(shares[shares["alternativ"] == option])
        for _, row in rows.iterrows():
            if is_change(row):
                told.append(_change_sentence(subject, row, levels))
            else:
                quiet.append(option)
                spans.add((str(row["enkat_fran"]), str(row["enkat_till"])))
    span = " och ".join(f"mellan {wave_name(a)} och {wave_name(b)}" for a, b in sorted(spans, key=lambda s: (waves.index(s[0]), waves.index(s[1]))))
    if told and quiet:
        told.append(f"För övriga alternativ är skillnaden {span} inte statistiskt säker efter justering.")
    elif quiet:
        told.append(f"Ingen av skillnaderna {span} i andelen som valde de olika alternativen på ”{text}” är statistiskt säker efter justering.")
    if told:
        return told
    return _last_wave_sentence(text, options, waves, shares, multiple)


def _last_wave_sentence(text: str, options: list[str], waves: list[str], shares: pd.DataFrame, multiple: bool) -> list[str]:
    for wave in reversed(waves):
        rows = shares[shares["enkat"] == wave]
        levels = {str(r["alternativ"]): format_percent(float(r["andel"])) for _, r in rows.iterrows() if _shown(r, "andel")}
        if levels:
            chosen = join_words([f"{levels[o]} ”{o}”" for o in options if o in levels])
            note = " (flera alternativ kunde väljas)" if multiple else ""
            return [f"I {wave_name(wave)} valde {chosen} på ”{text}”{note}."]
    return [f"Resultatet för alla svarande på ”{text}” är skyddat vid varje enkät och visas inte."]


def plain_number(value: float) -> str:
    """A number in a sentence: a whole number without decimals (``'4'``), else one decimal (``'4,5'``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return format_number(float(value), 0 if float(value).is_integer() else 1)


def numeric_sentences(text: str, waves: list[str], numeric: pd.DataFrame, tests: pd.DataFrame) -> list[str]:
    """A question answered with a number: median and mean per wave, and the told changes (higher or lower answers).

    ``numeric``: the question's rows of ``results.numeric`` for ``Alla``; ``tests``: of ``results.numeric_tests``.
    """
    stats: dict[str, tuple[str, str]] = {}
    for _, row in numeric.iterrows():
        if _shown(row, "median"):
            stats[str(row["enkat"])] = (plain_number(row["median"]), format_number(float(row["medel"]), 1))
    told = told_rows(tests, waves)
    if told.empty:
        present = [w for w in waves if w in stats]
        if not present:
            return [f"Resultatet för alla svarande på ”{text}” är skyddat vid varje enkät och visas inte."]
        medians = join_words([f"{stats[w][0]} i {wave_name(w)}" for w in present])
        means = join_words([stats[w][1] for w in present])
        return [f"Svaren på ”{text}” hade medianen {medians} (medelvärde {means})."]
    sentences = []
    for _, row in told.iterrows():
        fran, till = str(row["enkat_fran"]), str(row["enkat_till"])
        both = fran in stats and till in stats
        numbers = f"median {stats[fran][0]} och {stats[till][0]}, medelvärde {stats[fran][1]} och {stats[till][1]}" if both else ""
        if is_change(row):
            word = "högre" if row["riktning"] == INCREASE else "lägre"
            inside = f"{numbers}; {certainty_text(row)}" if both else certainty_text(row)
            sentences.append(f"Svaren på ”{text}” var {word} i {wave_name(till)} än i {wave_name(fran)} ({inside}).")
        elif both:
            sentences.append(
                f"Svaren på ”{text}” hade medianen {stats[fran][0]} i {wave_name(fran)} och {stats[till][0]} i {wave_name(till)} "
                f"(medelvärde {stats[fran][1]} och {stats[till][1]}); {_NOT_CERTAIN}."
            )
        else:
            sentences.append(f"Skillnaden i svaren på ”{text}” mellan {wave_name(fran)} och {wave_name(till)} är inte statistiskt säker efter justering.")
    return sentences
