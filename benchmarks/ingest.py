"""Time reading survey waves through slutrapport against plain pandas, for every layout the readers know.

Usage: python benchmarks/ingest.py [--respondents 20000] [--waves 3] [--repeat 3]
       [--formats csv,xlsx,netigate,webropol,esmaker,surveymonkey_expanded,limesurvey_codes,cp1252]
       [--excel-engine calamine|openpyxl] [--clock wall|cpu] [--profile]

Writes ``--waves`` files per format with ``--respondents`` rows each, in the
columns of the default instrument ``samverkan`` (organisation, personal code,
37 scale questions and 2 free-text questions: 41 columns, close to the 40
asked for), answers written as labels with about 3 % "Vet ej" and 2 % blank.
XLSX files are written with openpyxl in write-only mode. The formats
(``--formats``, default all):

- ``csv``: a plain UTF-8 CSV; ``xlsx``: a plain workbook;
- ``netigate``: a workbook with an information sheet first and the answers on
  ``Rådata``, Netigate's own columns, statements as ``Fråga - Påstående``;
- ``webropol``: a workbook with three title rows and a blank row, the matrix
  heading over its statements (in its first cell, as a merged cell keeps it)
  and the statements on the row below;
- ``esmaker``: a CSV (``;``, UTF-8 with BOM) with question codes (``F3_1``)
  on the row above the question texts;
- ``surveymonkey_expanded``: SurveyMonkey's "Columns: Expanded" CSV, every
  scale question and the organisation one column per option (240 columns);
- ``limesurvey_codes``: question codes as headings and answer codes as
  answers, read with a code list as the label file (``--etiketter``);
- ``cp1252``: the plain table as Swedish Excel saves "CSV
  (semikolonavgränsad)": Windows-1252 (guessed), ``;``, CRLF.

For each format it times, best of ``--repeat`` (``--repeat`` minus 2 for the workbooks):

- ``pandas``: ``pandas.read_csv(dtype=str)`` / ``pandas.read_excel(dtype=str)``
  of every file with the separator, encoding, sheet and header rows given
  (workbooks with ``--excel-engine``, by default ``calamine``: python-calamine,
  the library slutrapport reads workbooks with, so the ratio is like for like);
- ``read_raw``: slutrapport's reader alone (detection, decoding, header handling, labels);
- ``read_waves``: the whole ingest (reader, column matching, answer parsing, tidy table);

and prints seconds and the ratio to pandas. ``--clock cpu`` times CPU seconds
(``time.process_time``) instead of wall seconds: on a shared machine the
ratios then say more. ``--profile`` prints the top
functions of one ``read_waves`` call per format (cProfile, cumulative time).

Example run (``--respondents 5000 --waves 3 --repeat 1``, on a shared
machine with 2 cores, so the ratios say more than the seconds)::

    Wrote 3 waves × 5000 respondents × 41 questions as csv, xlsx, netigate, webropol, esmaker, surveymonkey_expanded, limesurvey_codes, cp1252 in 19.6 s

    format                   pandas  read_raw  ratio  read_waves  ratio
    csv                       0.08s     0.13s   1.6×       0.68s   8.6×
    xlsx                     11.94s     1.35s   0.1×       2.00s   0.2×
    netigate                 12.06s     1.72s   0.1×       2.47s   0.2×
    webropol                 11.02s     1.52s   0.1×       2.16s   0.2×
    esmaker                   0.12s     0.14s   1.2×       0.70s   5.8×
    surveymonkey_expanded     0.43s     1.89s   4.4×       2.14s   5.0×
    limesurvey_codes          0.05s     0.27s   5.4×       0.93s  18.5×
    cp1252                    0.12s     0.22s   1.8×       0.69s   5.6×

In that run pandas read the workbooks with openpyxl (``--excel-engine
openpyxl``), slutrapport with python-calamine. The expanded SurveyMonkey file has 240 columns that the reader folds into
41; the LimeSurvey reader replaces every answer code with its label (pandas
does neither).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import pstats
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from slutrapport.sources.readers import ReadOptions, read_raw
from slutrapport.sources.survey import Instrument, load_instrument, read_waves

ORGANISATIONS = ["Arbetsförmedlingen", "Socialtjänsten", "Arbetsmarknadsenheten", "Försäkringskassan", "Regionen"]
FREE_TEXT = ["Bra samarbete", "Tydligare ansvar, tack", "Fler gemensamma möten"]


def make_rows(respondents: int, seed: int) -> tuple[list[str], list[list[str]]]:
    """The header and rows of one wave, answers as labels (3 % Vet ej, 2 % blank)."""
    inst = load_instrument("samverkan")
    rng = np.random.default_rng(seed)
    labels = np.array([inst.scale.values[v] for v in sorted(inst.scale.values)], dtype=object)
    header = [inst.background["organisation"], inst.background["kod"]] + [q.text for q in inst.questions]
    columns: list[np.ndarray] = [
        np.array(ORGANISATIONS, dtype=object)[rng.integers(len(ORGANISATIONS), size=respondents)],
        np.array([f"p{seed}-{i}" for i in range(respondents)], dtype=object),
    ]
    for question in inst.questions:
        draw = rng.random(respondents)
        if question.kind == "fritext":
            text = np.array(FREE_TEXT, dtype=object)[rng.integers(len(FREE_TEXT), size=respondents)]
            columns.append(np.where(draw < 0.2, text, ""))
            continue
        answers = labels[rng.integers(len(labels), size=respondents)]
        answers = np.where(draw < 0.03, "Vet ej", answers)
        columns.append(np.where((draw >= 0.03) & (draw < 0.05), "", answers))
    return header, np.column_stack(columns).tolist()


MATRIX = "Hur väl stämmer påståendena?"
DONT_KNOW = "Vet ej"
FORMATS = ("csv", "xlsx", "netigate", "webropol", "esmaker", "surveymonkey_expanded", "limesurvey_codes", "cp1252")
#: format → file ending
ENDINGS = {"csv": "csv", "xlsx": "xlsx", "netigate": "xlsx", "webropol": "xlsx", "esmaker": "csv", "surveymonkey_expanded": "csv",
           "limesurvey_codes": "csv", "cp1252": "csv"}
SM_META = ["Respondent-ID", "Insamlar-ID", "Startdatum", "Slutdatum", "IP-adress", "E-postadress", "Förnamn", "Efternamn", "Anpassade data 1"]
LS_META = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl", "token"]
LABEL_FILE = "limesurvey_etiketter.csv"


def _csv_bytes(rows: list[list[object]], sep: str = ",", encoding: str = "utf-8", newline: str = "\n") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=sep, lineterminator=newline).writerows(rows)
    return buffer.getvalue().encode(encoding)


def _scale_labels(inst: Instrument) -> list[str]:
    return [inst.scale.values[v] for v in sorted(inst.scale.values)]


def _is_scale(inst: Instrument) -> list[bool]:
    """Per column of :func:`make_rows`: a scale question (not background, not free text)."""
    return [False, False] + [q.kind != "fritext" for q in inst.questions]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    workbook = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([v if v != "" else None for v in row])
    workbook.save(path)


def write_netigate(path: Path, header: list[str], rows: list[list[str]], inst: Instrument, wave: int) -> None:
    info = [["Enkät", "Samverkan i projektet"], ["Antal svar", len(rows)], [], ["Svaren finns på bladet Rådata."]]
    own = ["RespondentID", "Status", "Startdatum", "Slutdatum", "E-post", "Språk"]
    headings = [f"{MATRIX} - {h}" if scale else h for h, scale in zip(header, _is_scale(inst), strict=True)]
    data = [[*own, *headings]] + [
        [10_000_000 * wave + i, "Avslutad", "2025-03-12 10:15", "2025-03-12 10:21", f"p{wave}.{i}@example.se", "Svenska", *row]
        for i, row in enumerate(rows)
    ]
    _workbook(path, {"Information": info, "Rådata": data})


def write_webropol(path: Path, header: list[str], rows: list[list[str]], inst: Instrument, wave: int) -> None:
    top, sub, previous = ["Respondent", "Svarstid", "E-post"], ["", "", ""], False
    for heading, scale in zip(header, _is_scale(inst), strict=True):
        top.append((MATRIX if not previous else "") if scale else heading)
        sub.append(heading if scale else "")
        previous = scale
    titles = [["Samverkan i projektet"], [f"Antal svar: {len(rows)}"], ["Rapport skapad 2025-04-01 09:00"], []]
    data = [[i + 1, "2025-03-12 10:15", f"p{wave}.{i}@example.se", *row] for i, row in enumerate(rows)]
    _workbook(path, {"Svar": [*titles, top, sub, *data]})


def write_esmaker(path: Path, header: list[str], rows: list[list[str]], inst: Instrument, wave: int) -> None:
    codes, number, sub, previous = ["RespID", "Status", "Svarsdatum", "Epost", "F1", "F2"], 2, 0, False
    for scale in _is_scale(inst)[2:]:  # a run of scale questions is one matrix: F3_1, F3_2 …; other questions F4, F5 …
        number, sub = (number, sub + 1) if scale and previous else (number + 1, 1)
        codes.append(f"F{number}_{sub}" if scale else f"F{number}")
        previous = scale
    texts = ["Respondent-ID", "Status", "Svarsdatum", "E-postadress", *header]
    data = [[str(1000 + i), "Komplett", "2025-03-12 10:15", f"p{wave}.{i}@example.se", *row] for i, row in enumerate(rows)]
    path.write_bytes(_csv_bytes([codes, texts, *data], sep=";", encoding="utf-8-sig", newline="\r\n"))


def write_surveymonkey_expanded(path: Path, header: list[str], rows: list[list[str]], inst: Instrument, wave: int) -> None:
    options = [*_scale_labels(inst), DONT_KNOW]
    orgs = sorted(ORGANISATIONS)
    top = [*SM_META, header[0], *[""] * len(orgs), header[1]]
    sub = [""] * len(SM_META) + [*orgs, "Annat (ange)", "Öppet svar"]
    for heading, scale in zip(header[2:], _is_scale(inst)[2:], strict=True):
        top += [heading, *[""] * (len(options) - 1)] if scale else [heading]
        sub += options if scale else ["Öppet svar"]
    data = []
    for i, row in enumerate(rows):
        meta = [str(100_000_000_000 * wave + i), "512345678", "2025-03-12 10:15:00", "2025-03-12 10:20:00", "192.0.2.1", "", "", "", ""]
        cells = [*meta, *(row[0] if org == row[0] else "" for org in orgs), "", row[1]]
        for value, scale in zip(row[2:], _is_scale(inst)[2:], strict=True):
            cells += [value if value == option else "" for option in options] if scale else [value]
        data.append(cells)
    path.write_bytes(_csv_bytes([top, sub, *data], encoding="utf-8-sig", newline="\r\n"))


def _limesurvey_codes(inst: Instrument) -> tuple[list[str], dict[str, str]]:
    """The question code of each column of :func:`make_rows`, and the answer code of each answer."""
    codes, sub, free = ["G01Q01", "G01Q02"], 0, 0
    for scale in _is_scale(inst)[2:]:
        if scale:
            sub += 1
            codes.append(f"G01Q03[SQ{sub:03d}]")
        else:
            free += 1
            codes.append(f"G02Q{free:02d}")
    answers = {label: f"A{n}" for n, label in enumerate([*_scale_labels(inst), DONT_KNOW], start=1)}
    answers |= {org: f"O{n}" for n, org in enumerate(sorted(ORGANISATIONS), start=1)}
    return codes, answers


def write_limesurvey_codes(path: Path, header: list[str], rows: list[list[str]], inst: Instrument, wave: int) -> None:
    codes, answers = _limesurvey_codes(inst)
    coded = [True, False, *_is_scale(inst)[2:]]
    data = [
        [str(i + 1), "2025-03-12 10:21:00", "2", "sv", str(wave * 1000 + i), "2025-03-12 10:15:00", "2025-03-12 10:21:00", "", "", "",
         *(answers.get(v, v) if code else v for v, code in zip(row, coded, strict=True))]
        for i, row in enumerate(rows)
    ]  # fmt: skip
    path.write_bytes(_csv_bytes([[*LS_META, *codes], *data], encoding="utf-8-sig", newline="\r\n"))
    label_file = path.parent / LABEL_FILE
    if not label_file.exists():  # a code list made by hand: fråga, kod, text
        lines = [["fråga", "kod", "text"], ["G01Q01", "", header[0]]]
        lines += [["", code, org] for org, code in answers.items() if code.startswith("O")]
        lines += [["G01Q02", "", header[1]], ["G01Q03", "", MATRIX]]
        lines += [["", code, label] for label, code in answers.items() if code.startswith("A")]
        lines += [[code, "", heading] for code, heading in zip(codes[2:], header[2:], strict=True)]
        label_file.write_bytes(_csv_bytes(lines, sep=";", encoding="utf-8-sig"))


def write_waves(folder: Path, respondents: int, waves: int, formats: list[str]) -> dict[str, list[Path]]:
    inst = load_instrument("samverkan")
    paths: dict[str, list[Path]] = {f: [] for f in formats}
    writers = {
        "netigate": write_netigate,
        "webropol": write_webropol,
        "esmaker": write_esmaker,
        "surveymonkey_expanded": write_surveymonkey_expanded,
        "limesurvey_codes": write_limesurvey_codes,
    }
    for wave in range(1, waves + 1):
        header, rows = make_rows(respondents, seed=wave)
        for fmt in formats:
            path = folder / (f"wave{wave}.{fmt}" if fmt in ("csv", "xlsx") else f"{fmt}_wave{wave}.{ENDINGS[fmt]}")
            if fmt == "csv":
                path.write_bytes(_csv_bytes([header, *rows], newline="\r\n"))
            elif fmt == "cp1252":
                path.write_bytes(_csv_bytes([header, *rows], sep=";", encoding="cp1252", newline="\r\n"))
            elif fmt == "xlsx":
                _workbook(path, {"Svar": [header, *rows]})
            else:
                writers[fmt](path, header, rows, inst, wave)
            paths[fmt].append(path)
    return paths


#: How pandas reads the workbooks (``--excel-engine``).
EXCEL_ENGINE = {"engine": "calamine"}
#: pandas reading the same files, told what slutrapport finds by itself.
PANDAS = {
    "csv": lambda p: pd.read_csv(p, dtype=str),
    "xlsx": lambda p: pd.read_excel(p, dtype=str, **EXCEL_ENGINE),
    "netigate": lambda p: pd.read_excel(p, sheet_name="Rådata", dtype=str, **EXCEL_ENGINE),
    "webropol": lambda p: pd.read_excel(p, dtype=str, skiprows=4, header=[0, 1], **EXCEL_ENGINE),
    "esmaker": lambda p: pd.read_csv(p, sep=";", dtype=str, skiprows=[0], encoding="utf-8-sig"),
    "surveymonkey_expanded": lambda p: pd.read_csv(p, dtype=str, header=[0, 1], encoding="utf-8-sig"),
    "limesurvey_codes": lambda p: pd.read_csv(p, dtype=str, encoding="utf-8-sig"),
    "cp1252": lambda p: pd.read_csv(p, sep=";", dtype=str, encoding="cp1252"),
}


def read_options(fmt: str, files: list[Path]) -> ReadOptions:
    return ReadOptions(labels_file=files[0].parent / LABEL_FILE) if fmt == "limesurvey_codes" else ReadOptions()


#: The clock ``best_of`` reads (``--clock``): wall seconds, or CPU seconds of this process.
CLOCK = {"now": time.perf_counter}


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        start = CLOCK["now"]()
        func()
        times.append(CLOCK["now"]() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20000)
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated, of: {', '.join(FORMATS)}")
    parser.add_argument("--excel-engine", choices=("calamine", "openpyxl"), default="calamine", help="how pandas reads the workbooks")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="time wall seconds or CPU seconds")
    parser.add_argument("--profile", action="store_true", help="print the top functions of read_waves")
    args = parser.parse_args()
    CLOCK["now"] = time.process_time if args.clock == "cpu" else time.perf_counter
    EXCEL_ENGINE["engine"] = args.excel_engine
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        parser.error(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    inst = load_instrument("samverkan")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = write_waves(Path(tmp), args.respondents, args.waves, formats)
        print(f"Wrote {args.waves} waves × {args.respondents} respondents × 41 questions "
              f"as {', '.join(formats)} in {time.perf_counter() - start:.1f} s\n")
        width = max(len(f) for f in formats)
        print(f"pandas reads workbooks with {args.excel_engine}; {args.clock} seconds\n")
        print(f"{'format':<{width}} {'pandas':>9} {'read_raw':>9} {'ratio':>6} {'read_waves':>11} {'ratio':>6}")
        for fmt in formats:
            files, options = paths[fmt], read_options(fmt, paths[fmt])
            repeat = args.repeat if ENDINGS[fmt] == "csv" else max(1, args.repeat - 2)
            plain = best_of(repeat, lambda fmt=fmt, files=files: [PANDAS[fmt](p) for p in files])
            raw = best_of(repeat, lambda files=files, options=options: [read_raw(p, options=options) for p in files])
            full = best_of(repeat, lambda files=files, options=options: read_waves(files, inst, options=options))
            print(f"{fmt:<{width}} {plain:>8.2f}s {raw:>8.2f}s {raw / plain:>5.1f}× {full:>10.2f}s {full / plain:>5.1f}×")
        if args.profile:
            for fmt in formats:
                print(f"\n--- read_waves, {fmt}: top functions by cumulative time ---")
                profiler = cProfile.Profile()
                profiler.runcall(read_waves, paths[fmt], inst, options=read_options(fmt, paths[fmt]))
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
