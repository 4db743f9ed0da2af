"""Funder templates: the required headings of a report, as data.

Each template is a folder ``<id>/`` holding ``mall.yaml``. Three ship in the
package (``report_templates/``); a funder's own folder of templates is added
with ``--templates DIR`` or ``mallar:`` in ``projekt.yaml``, without code::

    id: rar-slutrapport
    namn: Slutrapport enligt RAR Sörmlands mall
    finansiar: Samordningsförbundet RAR i Sörmland
    numrering: auto               # auto: 1, 2, 3 … and 3.1, 3.2; egen: only the headings' own 'nummer'
    typ: slutrapport              # or delrapport: an interim report's headings (build --delrapport)
    detaljniva: sammanfattning    # sammanfattning (default): full tables in bilaga.html/.docx; full: all in the report
    word_mall: mall.docx          # optional: the Word document whose look rapport.docx takes (from this folder)
    rubriker:
      - id: sammanfattning        # also the name of texter/<id>.md
        rubrik: Sammanfattning    # verbatim heading
        kravs: true               # required by the funder
        hjalp: What the funder expects under the heading.
        block: [personalenkat]    # generated content placed here (optional)
        nummer: "1"               # optional explicit number
        underrubriker: [...]      # optional subheadings, same fields

Blocks may take settings from the template (``block_installningar:``), e.g.
the tick-box lists of Socialstyrelsen's section 3.4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from slutrapport.core.errors import ProjectError, problem_list
from slutrapport.core.inputs import check_input_file, read_text_limited
from slutrapport.core.outputs import unreadable
from slutrapport.core.yamlfile import key_lines, parse_yaml, yaml_flag
from slutrapport.core.yamlschema import INVALID, KeyPath, LocatedProblems, Namer, UserSchema

__all__ = [
    "Heading",
    "ReportTemplate",
    "load_template",
    "available_templates",
    "BLOCKS",
    "DEFAULT_TEMPLATE",
    "DEFAULT_INTERIM_TEMPLATE",
    "FINAL",
    "INTERIM",
    "template_summaries",
    "TEMPLATE_SCHEMA",
    "FLAG_SETTINGS",
    "DETAIL_LEVELS",
    "SUMMARY",
    "FULL",
    "word_reference",
]

DEFAULT_TEMPLATE = "rar-slutrapport"
#: The interim report's template when ``projekt.yaml`` names none (``delrapport_mall:``).
DEFAULT_INTERIM_TEMPLATE = "rar-lagesrapport"
#: ``typ:`` of a template: a final report's headings (the default) or an interim report's.
FINAL, INTERIM = "slutrapport", "delrapport"
#: How much of the computed content stands in the report itself (``detaljniva:``, ``build --detaljniva``):
#: ``sammanfattning`` moves the full tables to the appendix (:mod:`slutrapport.report.appendix`), ``full`` keeps all.
SUMMARY, FULL = "sammanfattning", "full"
DETAIL_LEVELS = (SUMMARY, FULL)
#: A heading id names the file ``texter/<id>.md``: no path separators, dots or upper case.
_HEADING_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

#: Generated blocks a heading can ask for, with a Swedish description.
BLOCKS = {
    "personalenkat": "Personalenkätens resultat: tabeller, diagram, test och fritextsvar per index",
    "personalenkat_sammanfattning": "Personalenkäten i korthet: säkerställda förändringar mellan första och sista enkäten",
    "kategorisering": "Kryssrutor för satsningens innehåll och inriktning, ifyllda från projekt.yaml",
    "utbildningarnas_omfattning": "Tabell över utbildningarnas omfattning per kurslängd, från projekt.yaml",
    "ekonomi": "Budget enligt ansökan och utfall per kategori och period, avvikelser och kostnad per deltagare (ekonomi: i projekt.yaml)",
    "socioekonomi": "Samhällsekonomiskt resultat: årlig vinst per aktör, lönsamhet efter 1, 3 och 5 år, återbetalningstid, "
    "utnyttjad potential och känslighetsanalys (socioekonomi: i projekt.yaml)",
    "socioekonomi_underlag": "Underlaget för den samhällsekonomiska beräkningen: aktörer, avslutade deltagare, projektkostnad och antaganden",
    "socioekonomi_fore": "Typfallen och varje aktörs kostnad per person och år FÖRE insatsen",
    "socioekonomi_efter": "Scenarierna EFTER insatsen per typfall: kostnad per aktör, andel och vinst per person",
    "socioekonomi_sammanfattning": "Samhällsekonomisk nytta i korthet: intäkt, kostnad, återbetalningstid, lönsamhet och potential, "
    "sammanfattningstabellerna efter ett och fem år och diagrammet (tyst utan parameterfil)",
    "sjalvvardering": "Självvärderingen: betyg per avsnitt, tillfälle och roll, diagram och fritextsvar per avsnitt",
    "deltagare": "Deltagarna: inskrivna, aktiva och avslutade per period, status vid avslut, försörjning före och efter, tid i projektet (deltagarregistret)",
    "maluppfyllelse": "Måluppfyllelse: projektets mål (mal: i projekt.yaml) mot utfallet i deltagarregistret, deltagarenkäten eller aktivitetsloggen",
}


#: Block settings (``block_installningar:``) that are yes/no, read strictly (YAML true/false or ja/nej).
FLAG_SETTINGS = ("kravs", "underlag")


class _TemplateNamer(Namer):
    """Headings as the template's messages name them: ``rubriken 'Ekonomi': 'kravs'``."""

    whole = "mallen"
    item_first = True

    def item(self, path: KeyPath, data: Any) -> str:
        if len(path) < 2 or path[-2] not in ("rubriker", "underrubriker"):
            return super().item(path, data)
        value: Any = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else value[part] if isinstance(value, list) else None
        title = value.get("rubrik") if isinstance(value, dict) else None
        if isinstance(title, str | int) and not isinstance(title, bool) and str(title).strip():
            return f"rubriken '{title}'"
        return f"rubrik nr {path[-1] + 1}"


#: The schema of ``mall.yaml`` (package data) and how its messages name keys.
TEMPLATE_SCHEMA = UserSchema(__package__, "mall.schema.json", _TemplateNamer())


@dataclass(frozen=True)
class Heading:
    id: str
    title: str
    required: bool
    help: str
    blocks: tuple[str, ...] = ()
    number: str | None = None
    level: int = 1
    children: tuple[Heading, ...] = ()

    def walk(self):
        """This heading and all its subheadings, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ReportTemplate:
    id: str
    name: str
    funder: str
    headings: tuple[Heading, ...]
    source: str = ""
    settings: dict[str, Any] = field(default_factory=dict)  # block_installningar
    #: uppgifter: the header facts the funder names, in its order: key under projekt: → its label
    fact_labels: dict[str, str] = field(default_factory=dict)
    #: typ: FINAL (a slutrapport) or INTERIM (a delrapport/lägesrapport for a period)
    kind: str = FINAL
    #: detaljniva: how much stands in the report itself (:data:`DETAIL_LEVELS`; default :data:`SUMMARY`)
    detail: str = SUMMARY
    #: word_mall: the reference Word document of rapport.docx (styles, page, header and footer); None: the program's own
    word_reference: Path | None = None

    def all_headings(self) -> list[Heading]:
        """Every heading and subheading in document order."""
        return [h for top in self.headings for h in top.walk()]


def _shipped() -> Path:
    return Path(str(files("slutrapport") / "report_templates"))


def _folders(extra: list[Path] | None) -> list[Path]:
    return [Path(p) for p in (extra or [])] + [_shipped()]


def available_templates(extra: list[Path] | None = None) -> list[str]:
    """Ids of every template found (a user's folders first, then the shipped ones)."""
    found: list[str] = []
    for folder in _folders(extra):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if (path / "mall.yaml").is_file() and path.name not in found:
                found.append(path.name)
    return found


def template_summaries(extra: list[Path] | None = None) -> list[dict[str, str]]:
    """id, name, funder, headings and source of every template (for ``slutrapport templates``)."""
    out = []
    for template_id in available_templates(extra):
        template = load_template(template_id, extra)
        headings = template.all_headings()
        out.append(
            {
                "id": template.id,
                "namn": template.name,
                "finansiar": template.funder,
                "rubriker": f"{len(headings)} ({sum(h.required for h in headings)} krävs)",
                "typ": template.kind,
                "kalla": template.source,
            }
        )
    return out


def load_template(template_id: str, extra: list[Path] | None = None) -> ReportTemplate:
    """Load a template by id from the user's folders or the package; every problem in one error."""
    text_id = str(template_id)
    if any(c in text_id for c in "/\\") or ".." in text_id:  # the id names a folder: never one elsewhere
        raise ProjectError(
            f"Mallens id '{text_id}' får inte innehålla / eller .. (ange mallmappens namn, t.ex. {DEFAULT_TEMPLATE})."
        )
    for folder in _folders(extra):
        path = folder / text_id / "mall.yaml"
        if path.exists():  # a pipe, a device or a folder named mall.yaml is refused unopened
            return _parse(path, text_id)
    if extra:
        for folder in extra:
            if not Path(folder).is_dir():
                raise ProjectError(f"Mallmappen {folder} finns inte.")
    raise ProjectError(
        f"Mallen '{template_id}' finns inte. Tillgängliga mallar: {', '.join(available_templates(extra))}."
    )


def _parse(path: Path, template_id: str) -> ReportTemplate:
    try:
        text = read_text_limited(path, "Mallfilen", error=ProjectError)
        raw = parse_yaml(text, f"Mallfilen {path}", ProjectError)
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"Mallfilen {path} kunde inte läsas: {unreadable(exc)}.") from exc
    if not isinstance(raw, dict):
        raise ProjectError(f"Mallfilen {path} ska innehålla nycklarna id, namn och rubriker.")
    # The schema checks keys, types and block names; the checks below skip what it rejected (INVALID).
    found = LocatedProblems(key_lines(text))
    data = TEMPLATE_SCHEMA.check(raw, found, required=False)
    numbering = str(data.get("numrering") or "auto")
    ids: dict[str, list[KeyPath]] = {}
    headings = _headings(data.get("rubriker"), ("rubriker",), found, ids, numbering == "auto", parent_number=None, level=1)
    if not headings and not found.flagged(("rubriker",)):
        found.add(("rubriker",), "mallen har inga rubriker")
    for heading_id, paths in ids.items():
        if len(paths) > 1:
            found.add(paths[1], f"rubrik-id används flera gånger: {heading_id}")
    settings = _settings(data.get("block_installningar") or {})
    _check_form_lists(settings, found)
    reference = word_reference(data.get("word_mall"), path.parent, f"mallfilen {path}") if not found.flagged(("word_mall",)) else None
    problems = found.messages()
    if problems:
        raise ProjectError(problem_list(f"Mallfilen {path}", problems))
    return ReportTemplate(
        id=str(data.get("id") or template_id),
        name=str(data.get("namn") or template_id),
        funder=str(data.get("finansiar") or ""),
        headings=tuple(headings),
        source=str(path.parent),
        settings=settings,
        fact_labels={str(k): str(v) for k, v in (data.get("uppgifter") or {}).items() if v},
        kind=str(data.get("typ") or FINAL),
        detail=str(data.get("detaljniva") or SUMMARY),
        word_reference=reference,
    )


def word_reference(value: Any, folder: Path, source: str) -> Path | None:
    """The Word document ``word_mall:`` names (a path from ``folder``), checked to be a .docx file that
    exists; ``source`` ("mallfilen …", "projektfilen …") is named in the Swedish message of a wrong one."""
    if value in (None, "", INVALID):
        return None
    path = folder / str(value).strip()
    if path.suffix.lower() != ".docx":
        raise ProjectError(f"'word_mall' i {source} ska vara ett Word-dokument som slutar på .docx, inte {value}.")
    try:
        check_input_file(path, "Word-mallen", error=ProjectError)
    except ProjectError as exc:
        raise ProjectError(f"{exc} Den anges under 'word_mall' i {source}.") from None
    return path


def _check_form_lists(settings: dict[str, Any], found: LocatedProblems) -> None:
    """The keys the form's lists need (the schema's ``required``, which templates report here in words):
    each group of ``kategorisering: grupper:`` an ``id``, a ``rubrik`` and ``alternativ``, each option given as
    a mapping (there and in ``kurslangder:``) an ``etikett``."""
    lists: list[tuple[KeyPath, str, Any]] = []
    groups = (settings.get("kategorisering") or {}).get("grupper") if isinstance(settings.get("kategorisering"), dict) else None
    for number, group in enumerate(groups if isinstance(groups, list) else []):
        at: KeyPath = ("block_installningar", "kategorisering", "grupper", number)
        if not isinstance(group, dict):
            continue
        for key in ("id", "rubrik", "alternativ"):
            if key not in group:
                found.add(at, f"grupp nr {number + 1} under 'block_installningar: kategorisering: grupper' saknar '{key}'")
        lists.append(((*at, "alternativ"), f"i grupp nr {number + 1} under 'block_installningar: kategorisering: grupper'", group.get("alternativ")))
    volume = settings.get("utbildningarnas_omfattning")
    if isinstance(volume, dict):
        where = "under 'block_installningar: utbildningarnas_omfattning: kurslangder'"
        lists.append((("block_installningar", "utbildningarnas_omfattning", "kurslangder"), where, volume.get("kurslangder")))
    for at, where, items in lists:
        for number, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and "etikett" not in item:
                found.add((*at, number), f"alternativ nr {number + 1} {where} saknar 'etikett'")


def _settings(raw: dict) -> dict[str, Any]:
    """``block_installningar:`` (checked by the schema) with every yes/no setting (:data:`FLAG_SETTINGS`) a real boolean.

    A flag left empty is left out, so that the block's default applies.
    """
    settings: dict[str, Any] = {}
    for block, values in raw.items():
        if not isinstance(values, dict):
            settings[block] = values
            continue
        settings[block] = {
            key: yaml_flag(value, True, f"'{key}' under '{block}'", []) if key in FLAG_SETTINGS else value
            for key, value in values.items()
            if not (key in FLAG_SETTINGS and value is None)  # kravs: (empty) is the block's default
        }
    return settings


def _headings(
    raw: Any, at: KeyPath, found: LocatedProblems, ids: dict[str, list[KeyPath]], auto: bool, parent_number: str | None, level: int
) -> list[Heading]:
    """The headings of the list at ``at`` (checked by the schema); what only the code can tell is added to ``found``."""
    if not isinstance(raw, list):  # absent, or rejected by the schema (INVALID)
        return []
    headings = []
    counter = 0
    for position, item in enumerate(raw, start=1):
        path = (*at, position - 1)
        where = f"rubrik nr {position}" + (f" under {parent_number}" if parent_number else "")
        if not isinstance(item, dict) or item.get("id") is INVALID or item.get("rubrik") is INVALID:
            continue  # the schema named it
        missing = [key for key in ("id", "rubrik") if not item.get(key)]
        if missing:
            found.add(path, f"{where} saknar {', '.join(missing)}")
            continue
        blocks = item.get("block") or []
        blocks = blocks if isinstance(blocks, list) else [blocks]
        number = str(item["nummer"]) if item.get("nummer") not in (None, INVALID) else None
        flags: list[str] = []
        numbered = yaml_flag(item.get("numrerad"), True, f"rubriken '{item['rubrik']}': 'numrerad'", flags)
        if number is None and auto and numbered:
            counter += 1
            number = f"{parent_number}.{counter}" if parent_number else str(counter)
        heading_id = str(item["id"])
        if not _HEADING_ID.match(heading_id):
            found.add(
                (*path, "id"),
                f"rubriken '{item['rubrik']}' har id '{heading_id}', som inte kan bli ett filnamn i texter/: "
                "använd små bokstäver a–z, siffror, - och _ (t.ex. lsg-analys)",
            )
            continue
        ids.setdefault(heading_id, []).append((*path, "id"))
        required = yaml_flag(item.get("kravs"), False, f"rubriken '{item['rubrik']}': 'kravs'", flags)
        for message in flags:  # the schema allows only flags yaml_flag reads; kept as a safety net
            found.add(path, message)
        headings.append(
            Heading(
                id=heading_id,
                title=str(item["rubrik"]),
                required=required,
                help=" ".join(str(item.get("hjalp") or "").split()),
                blocks=tuple(str(b) for b in blocks if b in BLOCKS),
                number=number,
                level=level,
                children=tuple(_headings(item.get("underrubriker"), (*path, "underrubriker"), found, ids, auto, number, level + 1)),
            )
        )
    return headings
