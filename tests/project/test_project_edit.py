"""Editing a project folder without losing the user's comments: projekt.yaml keys, texts, aliases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from slutrapport.core.errors import ProjectError
from slutrapport.core.yamledit import Append, Set
from slutrapport.pipeline import validate_project
from slutrapport.project.edit import EditConflict, edit_project, project_version, update_facts
from slutrapport.project.folder import init_project, load_project
from slutrapport.project.texts import read_text, save_text
from slutrapport.project.uploads import display_name, upload_names
from slutrapport.wording.groups import group_paragraph
from tests.conftest import HEADER, MINI_INSTRUMENT, write_csv

NBSP = "\u00a0"


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]


# ---------------------------------------------------------------- project_edit


@pytest.fixture
def root(tmp_path) -> Path:
    init_project(tmp_path / "p")
    return tmp_path / "p"


def test_edit_refused_when_the_file_changed_since_the_version(root):
    version = project_version(root)
    path = root / "projekt.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# ny rad\n", encoding="utf-8")
    changed = path.read_bytes()
    with pytest.raises(EditConflict, match="har ändrats på disken"):
        edit_project(root, version, [Set(("projekt", "namn"), "X")])
    assert path.read_bytes() == changed
    edit_project(root, project_version(root), [Set(("projekt", "namn"), "X")])
    assert load_project(root).name == "X"


def test_byte_order_mark_is_kept(root):
    path = root / "projekt.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    edit_project(root, project_version(root), [Set(("projekt", "namn"), "Med BOM")])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_project(root).name == "Med BOM"


def test_update_facts_only_touches_changed_keys(root):
    before = (root / "projekt.yaml").read_text(encoding="utf-8")
    values = {"namn": "Projektets namn", "projektagare": "", "projektledare": "", "finansiar": "", "malgrupp": "",
              "organisationer": "Arbetsförmedlingen\nSocialtjänsten", "mal": "", "start": f"{date.today().year}-01-01",
              "slut": f"{date.today().year}-12-31"}
    assert update_facts(root, project_version(root), values)
    assert (root / "projekt.yaml").read_text(encoding="utf-8") == before  # nothing changed, nothing rewritten
    values["finansiar"] = "Samordningsförbundet X"
    update_facts(root, project_version(root), values)
    after = (root / "projekt.yaml").read_text(encoding="utf-8")
    assert [b for _a, b in _changed_lines(before, after)] == ['  finansiar: "Samordningsförbundet X"  # t.ex. Samordningsförbundet …']
    with pytest.raises(ProjectError, match="projektets namn får inte vara tomt"):
        update_facts(root, project_version(root), {**values, "namn": "  "})


def test_text_editing_keeps_the_help_comment_and_detects_changes(root):
    path = root / "texter" / "uppdraget.md"
    head = path.read_text(encoding="utf-8").strip()
    current = read_text(root, "uppdraget")
    assert current.text == "" and current.version
    version = save_text(root, "uppdraget", "Första stycket.\r\n\r\nAndra.", current.version)
    assert path.read_text(encoding="utf-8") == head + "\n\nFörsta stycket.\n\nAndra.\n"
    assert read_text(root, "uppdraget") == type(current)("Första stycket.\n\nAndra.", version)
    with pytest.raises(EditConflict) as conflict:
        save_text(root, "uppdraget", "Annat", current.version)
    assert conflict.value.current == "Första stycket.\n\nAndra." and conflict.value.version == version
    with pytest.raises(ProjectError):
        read_text(root, "../projekt")
    with pytest.raises(ProjectError):
        save_text(root, "../../x", "text", "")


def test_display_name_and_upload_names(root):
    assert display_name("C:\\Users\\anna\\Enkät 1.xlsx") == "Enkät 1.xlsx"
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("a\x00b\nc\u202e.csv") == "abc.csv"
    assert display_name("") == "fil" and len(display_name("x" * 500)) == 80
    edit_project(root, project_version(root), [Append(("personalenkat", "enkater"), {"fil": "enkater/e1.csv"}, "uppladdad som: Enkät 1 # v2.csv")])
    assert upload_names(root) == {"enkater/e1.csv": "Enkät 1 # v2.csv"}


def test_project_aliases_are_read_and_checked(root, tmp_path):
    (root / "mini.yaml").write_text(MINI_INSTRUMENT, encoding="utf-8")
    write_csv(root / "enkater" / "w.csv", [["AF", "", "Toppen", 4, 2, ""]] * 5, header=HEADER)
    path = root / "projekt.yaml"
    text = path.read_text(encoding="utf-8").replace("instrument: samverkan", "instrument: mini.yaml")
    text = text.replace("  enkater:\n", "  enkater:\n    - fil: enkater/w.csv\n", 1)
    path.write_text(text, encoding="utf-8")
    assert not validate_project(root).valid
    edit_project(root, project_version(root), [Set(("personalenkat", "alias"), {"Toppen": 5})])
    assert load_project(root).answer_aliases == {"Toppen": 5}
    assert validate_project(root).valid
    edit_project(root, project_version(root), [Set(("personalenkat", "alias"), {"Toppen": 7})])
    with pytest.raises(ProjectError, match="pekar på 7, som inte finns på skalan 1–5"):
        validate_project(root)
    edit_project(root, project_version(root), [Set(("personalenkat", "alias"), {"Toppen": "fem"})])
    with pytest.raises(ProjectError, match="ska peka på ett skalvärde"):
        load_project(root)


# ---------------------------------------------------------------- group_wording


def _comparison() -> pd.DataFrame:
    rows = [
        ("AF", "Enkät 1", 12, 3.5, 0.5, False),
        ("AF", "Enkät 2", 8, 4.0, 0.75, False),
        ("AF", "Enkät 3", None, None, None, True),
        ("Alla", "Enkät 1", 40, 3.9, 0.7, False),
    ]
    return pd.DataFrame(
        [{"niva": "index", "id": "a", "grupp": g, "enkat": w, "n": n, "medel": m, "andel_positiva": a, "undertryckt": u} for g, w, n, m, a, u in rows]
    )


def _changes() -> pd.DataFrame:
    base = {"niva": "index", "id": "a", "grupp": "AF", "parad": False, "n_par": 0, "effekt": 0.35, "familj": "utforskande", "justering": "bh"}
    return pd.DataFrame(
        [
            {**base, "fran": "Enkät 1", "till": "Enkät 2", "test": "mann_whitney", "p_corr": 0.01, "diff_medel": 0.5},
            {**base, "fran": "Enkät 1", "till": "Enkät 2", "test": "chi2", "p_corr": 0.001, "diff_medel": 0.5},
            {**base, "fran": "Enkät 2", "till": "Enkät 3", "test": "mann_whitney", "p_corr": 0.2, "diff_medel": -0.1},
            {**base, "fran": "alla", "till": None, "test": "kruskal_wallis", "p_corr": 0.01, "diff_medel": None},
            {**base, "grupp": "Alla", "fran": "Enkät 1", "till": "Enkät 2", "test": "mann_whitney", "p_corr": 0.3, "diff_medel": 0.1},
        ]
    )


def test_group_paragraph_for_one_organisation():
    sentences = group_paragraph("a", "AF", ["Enkät 1", "Enkät 2", "Enkät 3"], _comparison(), _changes())
    assert sentences == [
        f"För AF var andelen positiva 50{NBSP}% vid enkät 1 och 75{NBSP}% vid enkät 2 (medelvärde 3,5 och 4,0).",
        "AF hade få svar vid enkät 2 (n = 8), så resultatet är osäkert.",  # 8 < SMALL_GROUP (10)
        "Vid enkät 3 visas inte resultatet för AF, för att skydda svarande i små grupper.",
        # an organisation's change is exploratory: BH p 0.01 < 0.05 → "utforskande", never "säkerställd";
        # |r| = 0.35 lies in [0.3, 0.5) → "måttlig"; 4.0 − 3.5 = 0.5
        "Medelvärdet för AF ökade från enkät 1 till enkät 2 med 0,5; effekten måttlig (utforskande, BH-justerat p = 0,01).",
        "Förändringen för AF från enkät 2 till enkät 3 är inte statistiskt säkerställd.",  # BH p 0.2 ≥ 0.05
    ]


def test_group_paragraph_without_answers_or_changes():
    assert group_paragraph("a", "Region", ["Enkät 1"], _comparison(), _changes()) == ["Region har inga svar på den här frågan."]
    paired = _changes().assign(parad=True, n_par=11)
    text = group_paragraph("a", "AF", ["Enkät 1", "Enkät 2"], _comparison(), paired)[2]
    assert "ökade från enkät 1 till enkät 2 för de 11 personer som svarade båda gångerna med 0,5" in text
