"""How the staff survey's files are read, as ``projekt.yaml`` says: sheet, header row, label file, encoding, duplicates.

The keys are allowed under ``personalenkat:`` (for every wave) and in each
``enkater:`` entry (for that wave's file, over the survey-level value)::

    personalenkat:
      teckenkodning: cp1252          # every file
      enkater:
        - fil: enkater/enkat1.xlsx
          blad: Svar                 # this file only
          rubrikrad: 3
          etiketter: enkater/enkat1.lss
          dubbletter: behalls

- ``blad``: the worksheet's name in a workbook (by default the sheet that
  matches the instrument best);
- ``rubrikrad``: the row holding the question texts, 1-based as Excel shows it
  (an integer ≥ 1); the rows above it are skipped;
- ``etiketter``: a label file beside the data (LimeSurvey ``.lss`` or a code
  list), a path in the project folder that must exist;
- ``teckenkodning``: the text encoding of a CSV file, a codec name Python
  knows (``utf-8``, ``cp1252``, ``mac_roman``, ``utf-16`` …);
- ``dubbletter``: what happens to a respondent ID that occurs twice in one
  file: ``raknas_en_gang`` (the default: the first row counts, the others are
  listed in a warning) or ``behalls`` (every row counts). The Swedish spellings
  ``räknas_en_gång`` / ``behålls`` and spaces instead of ``_`` are accepted;
- ``format`` (already a survey-level key) may also be given per wave.

:func:`parse_read_options` turns one level into a
:class:`~slutrapport.sources.readers.options.ReadOptions`, collecting a
Swedish problem for every wrong value; :func:`encoding_problem` is the codec
check the command line's ``--encoding`` shares.
"""

from __future__ import annotations

import codecs
from dataclasses import replace
from pathlib import Path
from typing import Any

from slutrapport.core.yamlschema import INVALID
from slutrapport.sources.readers import FORMATS
from slutrapport.sources.readers.options import ReadOptions

__all__ = [
    "READ_KEYS",
    "WAVE_KEYS",
    "DUPLICATES",
    "KEEP_DUPLICATES",
    "COUNT_ONCE",
    "parse_read_options",
    "encoding_problem",
    "duplicates_choice",
]

#: The reading keys allowed under ``personalenkat:`` and in each ``enkater:`` entry.
READ_KEYS = ("blad", "rubrikrad", "etiketter", "teckenkodning", "dubbletter")
#: Every key of an ``enkater:`` entry.
WAVE_KEYS = ("fil", "etikett", "datum", "format", "inbjudna", *READ_KEYS)

COUNT_ONCE, KEEP_DUPLICATES = "raknas_en_gang", "behalls"
#: ``dubbletter:`` values → whether every row of a repeated respondent ID is kept.
DUPLICATES = {COUNT_ONCE: False, KEEP_DUPLICATES: True}
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", " ": "_", "-": "_"})


def _given(value: Any) -> bool:
    """A value written and not already rejected by the project file's schema (:data:`~slutrapport.core.yamlschema.INVALID`)."""
    return value not in (None, "") and value is not INVALID


def encoding_problem(name: str) -> str | None:
    """A Swedish problem when ``name`` is no text encoding Python knows (``codecs.lookup``); None when it is."""
    try:
        info = codecs.lookup(str(name).strip())
        b"a".decode(info.name)  # a codec that decodes nothing ("undefined") is no text encoding
    except UnicodeDecodeError:
        pass  # a text encoding that needs more than one byte
    except (LookupError, ValueError, UnicodeError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        return f"okänd teckenkodning '{name}' (exempel: utf-8, cp1252, mac_roman, utf-16)"
    return None


def duplicates_choice(value: Any) -> bool | None:
    """``True`` (behalls), ``False`` (raknas_en_gang) or None for a value that is neither."""
    if not isinstance(value, str):
        return None
    return DUPLICATES.get(" ".join(value.lower().split()).translate(_FOLD))


def parse_read_options(
    raw: dict,
    root: Path,
    where: str,
    problems: list[str],
    base: ReadOptions | None = None,
    *,
    lines: dict[tuple[str | int, ...], int] | None = None,
    at: tuple[str | int, ...] = (),
) -> ReadOptions:
    """The reading keys of one level of ``projekt.yaml`` (``raw``) over ``base``.

    ``where`` names the level in the problems (``" under 'personalenkat'"``);
    a key that is absent or empty keeps the value of ``base``. Every wrong
    value adds a Swedish problem to ``problems`` and is left out; with
    ``lines`` (:func:`~slutrapport.core.yamlfile.key_lines` of the file) and
    ``at`` (the level's key path) the problem starts with the key's line, ``"rad 7: …"``.
    """
    options = base or ReadOptions()
    changes: dict[str, Any] = {}
    value = raw.get("format")
    if _given(value):
        if str(value) in FORMATS:
            changes["format"] = str(value)
        else:
            _add(problems, lines, (*at, "format"), f"okänt format '{value}'{where}; giltiga format: {', '.join(FORMATS)}")
    value = raw.get("blad")
    if _given(value):
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            changes["sheet"] = str(value).strip()
        else:
            _add(problems, lines, (*at, "blad"), f"'blad'{where} ska vara kalkylbladets namn, fick {value!r}")
    value = raw.get("rubrikrad")
    if _given(value):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            changes["header_row"] = value
        else:
            _add(problems, lines, (*at, "rubrikrad"), f"'rubrikrad'{where} ska vara ett heltal ≥ 1 (raden med frågornas rubriker, som i Excel), fick {value!r}")
    value = raw.get("etiketter")
    if _given(value):
        path = Path(root) / str(value)
        if not isinstance(value, str):
            _add(problems, lines, (*at, "etiketter"), f"'etiketter'{where} ska vara en fil i projektmappen, t.ex. enkater/enkat1.lss, fick {value!r}")
        elif not path.exists():  # a pipe, a device or a folder is refused unopened when read
            _add(problems, lines, (*at, "etiketter"), f"etikettfilen {value}{where} finns inte i {root}")
        else:
            changes["labels_file"] = path
    value = raw.get("teckenkodning")
    if _given(value):
        problem = encoding_problem(value) if isinstance(value, str) else f"ska vara kodningens namn, fick {value!r}"
        if problem:
            _add(problems, lines, (*at, "teckenkodning"), f"'teckenkodning'{where}: {problem}")
        else:
            changes["encoding"] = value.strip()
    value = raw.get("dubbletter")
    if _given(value):
        keep = duplicates_choice(value)
        if keep is None:
            _add(problems, lines, (*at, "dubbletter"), f"'dubbletter'{where} ska vara {COUNT_ONCE} (standard) eller {KEEP_DUPLICATES}, fick {value!r}")
        else:
            changes["keep_duplicates"] = keep
    return replace(options, **changes)


def _add(problems: list[str], lines: dict[tuple[str | int, ...], int] | None, key: tuple[str | int, ...], message: str) -> None:
    """``message`` added to ``problems``, after ``"rad 7: "`` when the line of ``key`` is known."""
    line = (lines or {}).get(key)
    problems.append(f"rad {line}: {message}" if line else message)
