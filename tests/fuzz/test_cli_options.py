"""Fuzz class 7: the command line's options.

Odd values for the reading options of ``validate`` and ``compare``
(``--labels``, ``--rubrikrad``, ``--encoding`` with every codec Python has and
some it has not, ``--blad``, ``--format``, ``--wave-column``, ``--map`` and
``--etiketter`` pointing at files of the wrong kind, ``--behall-dubbletter``),
``--min-n``, and ``--out`` pointing at a file, under a file, at a device or at
nothing, for ``compare``, ``build``, ``portfolio`` and ``form``. A command must
end in 0, 1 or — for an option value click itself refuses — 2 with a Swedish
usage message; never an unexpected error; the survey files and a file that
``--out`` points at stay as they were; and what ``compare`` writes is safe
(labels with markup or formulas). ``init --templates`` with a funder's
mall.yaml whose heading ids lead anywhere (``../../offer``, absolute paths)
writes nothing outside the project folder.
"""

from __future__ import annotations

import encodings
import encodings.aliases
import json
import pkgutil
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from slutrapport.sources.readers import FORMATS
from tests.fuzz.support import MARK, assert_handled, assert_safe_html, assert_whole_office_file, budget, digests, run_cli

WAVES = ["blandad/enkat1.csv", "blandad/enkat2.csv", "enkater/enkat2_microsoft_forms.xlsx"]
LABELS = [
    "", ",", "a,,b", "a,a", "a ,a", "A,a", "Enkät 2,Enkät 1", "1,01", f"<script>{MARK}()</script>,=1+1", "@SUM(A1),-1",
    "a\x0bb,c\x00d", "$x$,$$", "\u2028,\u202e", "x" * 300 + ",y", 'a;b,c"d', "a", "a,b,c", " , ",
]  # fmt: skip
#: The codec that is known but decodes nothing: once an unexpected error (issue 25, test_undefined_encoding_… below).
UNDEFINED = "undefined"
CODECS = sorted(set(encodings.aliases.aliases.values()) | {m.name for m in pkgutil.iter_modules(encodings.__path__)})
ENCODINGS = CODECS + ["", " utf-8 ", "UTF8", "klingon", "utf-8\x00", "rot13", "base64"]
HEADER_ROWS = ["0", "-1", "1", "2", "3", "65", "66", "99999", "1" + "0" * 30, "tre", "1.5", ""]
SHEETS = ["Sheet1", "sheet1", "finns-inte", "", " ", "Blad1", "*", "../Sheet1"]
COLUMNS = ["finns-inte", "Vilken organisation arbetar du i?", "", "ID", "Din personliga kod"]
#: What --map, --etiketter and --out may point at (relative to the module's copy of the samples, or absolute).
FILES = ["blandad.yaml", "blandad/enkat1.csv", "deltagare.csv", "ekonomi.xlsx", "texter", "finns-inte.yaml", "/dev/null", "projekt.yaml"]


@st.composite
def reading_options(draw) -> list[str]:
    options: list[str] = []
    if draw(st.booleans()):
        options += ["--labels", draw(st.sampled_from(LABELS) | st.text(max_size=10))]
    if draw(st.booleans()):
        options += ["--rubrikrad", draw(st.sampled_from(HEADER_ROWS))]
    if draw(st.booleans()):
        options += ["--encoding", draw(st.sampled_from(ENCODINGS))]
    if draw(st.integers(0, 3)) == 0:
        options += ["--blad", draw(st.sampled_from(SHEETS))]
    if draw(st.integers(0, 3)) == 0:
        options += ["--format", draw(st.sampled_from([*FORMATS, "finns-inte", ""]))]
    if draw(st.integers(0, 3)) == 0:
        options += ["--wave-column", draw(st.sampled_from(COLUMNS))]
    if draw(st.integers(0, 3)) == 0:
        options += ["--map", draw(st.sampled_from(FILES))]
    if draw(st.integers(0, 3)) == 0:
        options += ["--etiketter", draw(st.sampled_from(FILES))]
    if draw(st.booleans()):
        options.append("--behall-dubbletter")
    return options


def _resolve(samples: Path, options: list[str]) -> list[str]:
    """Relative file names after --map and --etiketter made paths in the samples' copy."""
    out = list(options)
    for n, value in enumerate(out[:-1]):
        if value in ("--map", "--etiketter") and not out[n + 1].startswith("/"):
            out[n + 1] = str(samples / out[n + 1])
    return out


def _assert_allowed(result) -> None:
    assert_handled(result, allowed=(0, 1))
    if "Användning:" in result.output:  # a value click refuses: a Swedish usage message, refused like any input
        assert result.exit_code == 1 and "Fel:" in result.output, result.output


@budget(25)
@given(
    waves=st.lists(st.sampled_from(WAVES), min_size=1, max_size=2, unique=True),
    options=reading_options(),
    as_json=st.booleans(),
)
def test_validate_with_odd_reading_options(samples, waves, options, as_json):
    before = digests(samples)
    result = run_cli("validate", *(samples / w for w in waves), "--instrument", samples / "blandad.yaml", *_resolve(samples, options),
                     *(["--json"] if as_json else []))  # fmt: skip
    _assert_allowed(result)
    event(f"exit code {result.exit_code}")
    assert digests(samples) == before


#: Where --out points: (kind, what to create there first).
OUTS = ["ny", "fil", "under-fil", "dev-null", "befintlig-mapp", "tom"]


def _out(kind: str, folder: Path) -> tuple[str, Path | None]:
    """The --out value of ``kind`` and the file that must stay unchanged (None if none)."""
    user_file = folder / "min-fil.txt"
    user_file.write_text("användarens egen fil\n", encoding="utf-8")
    existing = folder / "befintlig"
    existing.mkdir(exist_ok=True)
    (existing / "anteckningar.txt").write_text("behåll mig\n", encoding="utf-8")
    return {
        "ny": (str(folder / "ut"), user_file),
        "fil": (str(user_file), user_file),
        "under-fil": (str(user_file / "ut"), user_file),
        "dev-null": ("/dev/null", user_file),
        "befintlig-mapp": (str(existing), existing / "anteckningar.txt"),
        "tom": (str(folder / "ut-tom") + "/", user_file),
    }[kind]


@budget(5, shrink=False)
@given(
    labels=st.none() | st.sampled_from([x for x in LABELS if x.count(",") == 1]),
    min_n=st.sampled_from(["1", "5", "0", "-3", "1" + "0" * 25, "fem", "2.5"]),
    out=st.sampled_from(OUTS),
    force=st.booleans(),
)
def test_compare_with_odd_labels_min_n_and_out(samples, tmp_path_factory, labels, min_n, out, force):
    folder = tmp_path_factory.mktemp("compare")
    target, kept = _out(out, folder)
    before = digests(samples, kept)
    result = run_cli("compare", "--instrument", samples / "blandad.yaml", samples / WAVES[0], samples / WAVES[1], "--min-n", min_n,
                     "--out", target, *(["--labels", labels] if labels is not None else []), *(["--force"] if force else []))  # fmt: skip
    _assert_allowed(result)
    event(f"exit code {result.exit_code}")
    assert digests(samples, kept) == before
    if result.exit_code == 0:
        assert_safe_html(Path(target) / "jamforelse.html")
        assert_whole_office_file(Path(target) / "jamforelse.xlsx")


@budget(8, shrink=False)
@given(command=st.sampled_from(["build", "portfolio", "form"]), out=st.sampled_from(OUTS), force=st.booleans())
def test_out_pointing_anywhere(samples, demo_dir, tmp_path_factory, command, out, force):
    """``--out`` of build (a project of the demo's texts only: fast), portfolio and form."""
    folder = tmp_path_factory.mktemp("out")
    target, kept = _out(out, folder)
    project = folder / "projekt"
    (project / "texter").mkdir(parents=True)
    (project / "texter" / "sammanfattning.md").write_text((samples / "texter" / "sammanfattning.md").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "projekt.yaml").write_text('projekt:\n  namn: "Vägen framåt"\nmall: rar-slutrapport\n', encoding="utf-8")
    if command == "form":
        target = target if out in ("fil", "dev-null", "befintlig-mapp") else target.rstrip("/") + ".xlsx"
    args = {
        "build": ["build", project, "--out", target],
        "portfolio": ["portfolio", demo_dir / "rapport.json", "--out", target],
        "form": ["form", "sjalvvardering", "--out", target],
    }[command]
    before = digests(samples, project, kept)
    result = run_cli(*args, *(["--force"] if force else []))
    _assert_allowed(result)
    event(f"{command} {out}: exit code {result.exit_code}")
    assert digests(samples, project, kept) == before


# ---------------------------------------------------------------- minimal examples of what the fuzzing found


def test_undefined_encoding_is_a_swedish_error(samples):
    """Once a UnicodeError in decoding (an unexpected error): now refused as the option's value."""
    result = run_cli("validate", samples / WAVES[0], "--instrument", samples / "blandad.yaml", "--encoding", UNDEFINED)
    _assert_allowed(result)
    assert result.exit_code == 1
    assert f"'--encoding': okänd teckenkodning '{UNDEFINED}'" in result.output, result.output


# ---------------------------------------------------------------- a funder's template given to init

#: Heading ids of a funder's mall.yaml (each also the name of the text file init writes); ``{root}`` is the
#: example's own folder, so an absolute id that escaped would land where the test can see it.
HEADING_IDS = [
    "../../offer", "../offer", "{root}/offer", "..", ".", "", "a/b", "a\\..\\..\\offer", "texter/../../offer",
    "sammanfattning/../../../offer", "~/offer", "$HOME", "CON", "Ö", " sammanfattning", "x" * 300, "ok-id", "ok_id", 7,
]  # fmt: skip


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): d for p, d in ((Path(k), v) for k, v in digests(folder).items())}


@budget(6)
@given(ids=st.lists(st.sampled_from(HEADING_IDS), min_size=1, max_size=3, unique=True), force=st.booleans())
def test_template_headings_never_write_outside_the_project(tmp_path_factory, ids, force):
    """Issue 25: a heading id ``../../victim`` in a funder's mall.yaml made ``init`` write two folders up. Whatever
    the ids, init writes only inside the project folder (or refuses with a Swedish message)."""
    root = tmp_path_factory.mktemp("init")
    (root / "mallar" / "egen").mkdir(parents=True)
    headings = "".join(f"  - id: {json.dumps(str(i).replace('{root}', str(root)) if isinstance(i, str) else i)}\n    rubrik: Rubrik {n}\n"
                       for n, i in enumerate(ids))  # fmt: skip
    (root / "mallar" / "egen" / "mall.yaml").write_text(f"id: egen\nnamn: Egen mall\nrubriker:\n{headings}", encoding="utf-8")
    before = _files(root)

    result = run_cli("init", root / "projekt", "--templates", root / "mallar", "--template", "egen", *(["--force"] if force else []))

    _assert_allowed(result)
    event(f"exit code {result.exit_code}")
    changed = {name for name, digest in _files(root).items() if before.get(name) != digest}
    outside = sorted(name for name in changed if not name.startswith("projekt/"))
    assert not outside, f"init wrote outside the project: {outside}\n{result.output}"
    assert not (Path.home() / "offer.md").exists()
