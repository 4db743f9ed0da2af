"""Label files: the texts behind a survey tool's question and answer codes (``--etiketter FIL``).

A LimeSurvey (Sunet Survey) export with "question code" headings and "answer
code" answers says ``G01Q03[SQ001]`` and ``A4`` where a reader wants the
question and the scale label. A label file gives the texts. Accepted files:

- **LimeSurvey survey structure** (``.lss``, XML; "Exportera → Enkätstruktur
  (.lss)"). Both layouts are read: LimeSurvey 4 and later keep codes in
  ``questions``/``subquestions``/``answers`` and the texts in
  ``question_l10ns``/``answer_l10ns`` (joined on ``qid``/``aid``); LimeSurvey 2
  and 3 keep the text and ``language`` in the same rows;
- **LimeSurvey survey archive** (``.lsa``, a zip holding the ``.lss``);
- **LimeSurvey tab-separated survey structure** ("Exportera → Enkätstruktur
  (.txt)", also saved from Excel as CSV or ``.xlsx``): columns ``class``,
  ``name``, ``text``, ``language`` (and ``type/scale``). A ``Q`` row is a
  question (``name`` = code), the ``SQ`` and ``A`` rows after it are its
  subquestions and answers (``name`` = code); an ``S`` row named ``language``
  gives the base language;
- **a code list** made by hand (CSV or ``.xlsx``) with the columns ``fråga``,
  ``kod`` and ``text`` (or ``question``, ``code``, ``text``): a row with a
  blank ``kod`` gives the question's text, a row with a ``kod`` gives an
  answer's text. A blank ``fråga`` means the question of the row above; a
  ``fråga`` like ``G01Q03[SQ001]`` with a blank ``kod`` names a subquestion.

Texts are taken in Swedish (``sv``) where the survey has them, otherwise in
the survey's base language. HTML in LimeSurvey texts is removed. A file that
cannot be read, or holds no question codes, raises :class:`InputFileError`
naming the file.
"""

from __future__ import annotations

import codecs
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import damage_reason, read_bytes_limited
from slutrapport.core.text import normalise
from slutrapport.sources.readers.options import DEFAULT_LIMITS, Limits
from slutrapport.sources.readers.sheet import XLSX
from slutrapport.sources.readers.tabular import Sheet, load_csv, load_workbook

__all__ = ["Codebook", "QuestionLabels", "read_labels", "clean_text", "PREFERRED_LANGUAGE"]

#: The language whose texts are preferred when a survey has several.
PREFERRED_LANGUAGE = "sv"

_TAG = re.compile(r"<[^>]*>")
_DANGEROUS_XML = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CODE_LIST_COLUMNS = {
    "question": ("fråga", "fraga", "frågekod", "question", "question code"),
    "code": ("kod", "svarskod", "code", "answer code"),
    "text": ("text", "etikett", "label"),
}


@dataclass
class QuestionLabels:
    """One question's texts: its own, its subquestions' (by code) and its answers' (by code)."""

    code: str
    text: str = ""
    type: str = ""
    subquestions: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)


@dataclass
class Codebook:
    """Every question of a label file by its code, and which file and language the texts came from."""

    path: Path
    questions: dict[str, QuestionLabels]
    language: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def question(self, code: str) -> QuestionLabels | None:
        """The question with ``code`` (exact, else ignoring case)."""
        found = self.questions.get(code)
        if found is None:
            folded = {c.casefold(): q for c, q in self.questions.items()}
            found = folded.get(code.casefold())
        return found


def read_labels(path: Path, limits: Limits = DEFAULT_LIMITS) -> Codebook:
    """The codebook in the label file at ``path``; raises :class:`InputFileError` in Swedish."""
    path = Path(path)
    raw = read_bytes_limited(path, limits.max_text_bytes, "Etikettfilen")  # only a regular file, at most the limit
    if not raw.strip():
        raise InputFileError(f"Etikettfilen {path.name} är tom.")
    if raw.startswith(b"PK"):
        codebook = _from_zip(path, raw, limits)
    elif _strip_bom(raw).lstrip().startswith(b"<"):
        codebook = _from_lss(path, raw)
    else:
        codebook = _from_table(path, load_csv(path, raw))
    if not codebook.questions:
        raise InputFileError(f"Etikettfilen {path.name} innehåller inga frågekoder med texter.")
    return codebook


def _strip_bom(raw: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if raw.startswith(bom):
            return raw[len(bom) :]
    return raw


def clean_text(value: str | None) -> str:
    """LimeSurvey text without HTML tags and entities, single-spaced."""
    if not value:
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", value)).split())


# --------------------------------------------------------------------------- .lsa and .xlsx


def _from_zip(path: Path, raw: bytes, limits: Limits) -> Codebook:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" in names:
                return _from_table(path, load_workbook(path, raw, XLSX, limits=limits)[0])
            structures = [n for n in names if n.lower().endswith(".lss")]
            if not structures:
                raise InputFileError(
                    f"Etikettfilen {path.name} är ett zip-arkiv utan enkätstruktur (.lss). "
                    "Ange .lss-filen, eller en .lsa-fil exporterad från LimeSurvey."
                )
            info = archive.getinfo(structures[0])
            if info.file_size > limits.max_text_bytes:
                raise InputFileError(f"Enkätstrukturen i etikettfilen {path.name} är för stor.")
            content = archive.read(info)
    except InputFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile raises many kinds of errors on damaged archives
        raise InputFileError(f"Etikettfilen {path.name} kunde inte läsas, arkivet är skadat: {damage_reason(exc)}.") from exc
    return _from_lss(path, content)


# --------------------------------------------------------------------------- .lss (XML)


def _rows(root: ElementTree.Element, table: str) -> list[dict[str, str]]:
    """The rows of one table of a LimeSurvey XML dump as ``{field: text}``."""
    element = root.find(table)
    if element is None:
        return []
    return [{child.tag: (child.text or "") for child in row} for row in element.iterfind("rows/row")]


def _from_lss(path: Path, raw: bytes) -> Codebook:
    if _DANGEROUS_XML.search(raw[:65536]):
        raise InputFileError(f"Etikettfilen {path.name} innehåller en DOCTYPE-deklaration och är ingen LimeSurvey-enkätstruktur.")
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise InputFileError(
            f"Etikettfilen {path.name} kunde inte läsas som LimeSurvey-enkätstruktur (.lss): XML-filen är trasig "
            f"på rad {line}, kolumn {column + 1} (ett otillåtet tecken, en tagg som inte är stängd eller en avbruten fil)."
        ) from exc
    if root.tag != "document" or root.find("questions") is None:
        raise InputFileError(
            f"Etikettfilen {path.name} är ingen LimeSurvey-enkätstruktur (.lss): den saknar frågor. "
            "Exportera enkätstrukturen från LimeSurvey (Exportera → Enkätstruktur (.lss))."
        )
    surveys = _rows(root, "surveys")
    languages = [e.text or "" for e in root.iterfind("languages/language")]
    base = (surveys[0].get("language") if surveys else None) or (languages[0] if languages else None)

    texts: dict[str, dict[str, str]] = {}  # qid → language → text
    for row in _rows(root, "question_l10ns"):
        texts.setdefault(row.get("qid", ""), {})[row.get("language", "")] = row.get("question", "")
    question_rows = [*_rows(root, "questions"), *_rows(root, "subquestions")]
    info: dict[str, dict[str, str]] = {}
    for row in question_rows:
        qid = row.get("qid", "")
        info.setdefault(qid, row)
        if "question" in row:  # LimeSurvey 2/3: the text is in the row
            texts.setdefault(qid, {})[row.get("language", "")] = row["question"]

    answer_texts: dict[str, dict[str, str]] = {}  # aid → language → text
    for row in _rows(root, "answer_l10ns"):
        answer_texts.setdefault(row.get("aid", ""), {})[row.get("language", "")] = row.get("answer", "")
    answers: dict[str, dict[str, dict[str, str]]] = {}  # qid → code → language → text
    for row in sorted(_rows(root, "answers"), key=lambda r: r.get("scale_id", "0") != "0"):
        by_language = answers.setdefault(row.get("qid", ""), {}).setdefault(row.get("code", ""), {})
        if "answer" in row:
            by_language.setdefault(row.get("language", ""), row["answer"])
        for language, text in answer_texts.get(row.get("aid", ""), {}).items():
            by_language.setdefault(language, text)

    questions: dict[str, QuestionLabels] = {}
    for qid, row in info.items():
        if row.get("parent_qid", "0") not in ("", "0"):
            continue
        code = row.get("title", "").strip()
        if not code:
            continue
        question = QuestionLabels(code, _pick(texts.get(qid, {}), base), row.get("type", ""))
        question.answers = {c: _pick(t, base) for c, t in answers.get(qid, {}).items() if c}
        questions[code] = question
    by_qid = {qid: row.get("title", "").strip() for qid, row in info.items()}
    for qid, row in info.items():
        parent = by_qid.get(row.get("parent_qid", "0"))
        if parent in questions and row.get("title"):
            questions[parent].subquestions.setdefault(row["title"].strip(), _pick(texts.get(qid, {}), base))
    return Codebook(path, questions, _chosen_language(texts, base))


def _pick(by_language: dict[str, str], base: str | None) -> str:
    """The Swedish text, else the base language's, else any."""
    for language in (PREFERRED_LANGUAGE, base):
        for key, text in by_language.items():
            if language and key.split("-")[0].lower() == language.split("-")[0].lower() and clean_text(text):
                return clean_text(text)
    return next((clean_text(t) for t in by_language.values() if clean_text(t)), "")


def _chosen_language(texts: dict[str, dict[str, str]], base: str | None) -> str | None:
    languages = {key.split("-")[0].lower() for by_language in texts.values() for key in by_language}
    return PREFERRED_LANGUAGE if PREFERRED_LANGUAGE in languages else base


# --------------------------------------------------------------------------- tables (TSV structure, code list)


def _from_table(path: Path, sheet: Sheet) -> Codebook:
    if sheet.frame.empty:
        raise InputFileError(f"Etikettfilen {path.name} är tom.")
    headings = [normalise(h) for h in sheet.cells(0)]
    rows = [[str(v) for v in row] for row in sheet.frame.iloc[1:].itertuples(index=False)]
    if {"class", "name", "text"} <= set(headings):
        return _from_structure_table(path, headings, rows)
    positions = {}
    for role, names in _CODE_LIST_COLUMNS.items():
        positions[role] = next((headings.index(n) for n in names if n in headings), None)
    if None in positions.values():
        raise InputFileError(
            f"Etikettfilen {path.name} känns inte igen. Använd LimeSurveys enkätstruktur (.lss eller .txt), "
            "eller en kodlista med kolumnerna 'fråga', 'kod' och 'text'. Filens rubriker: "
            + ", ".join(repr(h) for h in sheet.cells(0) if h)
        )
    return _from_code_list(path, positions, rows)


def _from_structure_table(path: Path, headings: list[str], rows: list[list[str]]) -> Codebook:
    """LimeSurvey's tab-separated survey structure: Q rows followed by their SQ and A rows."""
    col = {name: headings.index(name) for name in ("class", "name", "text", "language", "type/scale") if name in headings}

    def get(row: list[str], name: str) -> str:
        return row[col[name]].strip() if name in col and col[name] < len(row) else ""

    base = next((get(r, "text") for r in rows if get(r, "class") == "S" and get(r, "name") == "language"), None)
    texts: dict[tuple[str, str], dict[str, str]] = {}  # (question, subquestion or "") → language → text
    answers: dict[str, dict[str, dict[str, str]]] = {}
    types: dict[str, str] = {}
    current: str | None = None
    for row in rows:
        kind, name, language = get(row, "class"), get(row, "name"), get(row, "language")
        if kind == "Q" and name:
            current = name
            types.setdefault(name, get(row, "type/scale"))
            texts.setdefault((name, ""), {})[language] = get(row, "text")
        elif kind in ("SQ", "A") and current and name:
            if kind == "SQ":
                texts.setdefault((current, name), {})[language] = get(row, "text")
            else:
                answers.setdefault(current, {}).setdefault(name, {}).setdefault(language, get(row, "text"))
        elif kind == "G":
            current = None
    questions: dict[str, QuestionLabels] = {}
    for (code, sub), by_language in texts.items():
        question = questions.setdefault(code, QuestionLabels(code, type=types.get(code, "")))
        if sub:
            question.subquestions.setdefault(sub, _pick(by_language, base))
        else:
            question.text = _pick(by_language, base)
            question.answers = {c: _pick(t, base) for c, t in answers.get(code, {}).items()}
    return Codebook(path, questions, _chosen_language({k[0] + k[1]: v for k, v in texts.items()}, base))


def _from_code_list(path: Path, positions: dict[str, int | None], rows: list[list[str]]) -> Codebook:
    questions: dict[str, QuestionLabels] = {}
    current: str | None = None
    for number, row in enumerate(rows, start=2):
        cell = {role: row[pos].strip() if pos is not None and pos < len(row) else "" for role, pos in positions.items()}
        if not any(cell.values()):
            continue
        code = cell["question"] or current
        if not code:
            raise InputFileError(f"Etikettfilen {path.name}, rad {number}: kolumnen 'fråga' är tom och ingen fråga står ovanför.")
        current = code
        base, _, sub = code.partition("[")
        question = questions.setdefault(base.strip(), QuestionLabels(base.strip()))
        if cell["code"]:
            question.answers[cell["code"]] = cell["text"]
        elif sub and cell["text"]:
            question.subquestions[sub.rstrip("]").strip()] = cell["text"]
        elif cell["text"]:
            question.text = cell["text"]
    for question in questions.values():
        question.text = question.text or question.code
    return Codebook(path, questions, None)
