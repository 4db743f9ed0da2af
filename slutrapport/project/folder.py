"""A project folder: ``projekt.yaml``, the survey files and the narrative texts.

Layout::

    projekt.yaml          project facts, template, anonymity threshold, survey waves
    enkater/              the survey exports, one file per wave
    sjalvvardering/       filled self-evaluation forms (optional, key sjalvvardering:)
    texter/<rubrik>.md    the project's own text under each heading (Markdown)

:func:`load_project` reads and checks ``projekt.yaml``; :func:`init_project`
writes a new, commented folder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from slutrapport.analysis.competence import categorisation_groups, volume_bands
from slutrapport.core.errors import ProjectError, problem_list
from slutrapport.core.inputs import read_text_limited
from slutrapport.core.outputs import unreadable, write_text_atomic
from slutrapport.core.yamlfile import parse_yaml
from slutrapport.core.yamlschema import INVALID
from slutrapport.project.reading import READ_KEYS, WAVE_KEYS, parse_read_options
from slutrapport.project.schema import PROJECT_SCHEMA, check_project
from slutrapport.project.templates import DEFAULT_TEMPLATE, ReportTemplate, load_template
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.survey.columnmap import ColumnMap
from slutrapport.sources.survey.statistics import parse_statistics

__all__ = ["Project", "WaveSpec", "load_project", "init_project", "PROJECT_FILE", "read_narrative", "SURVEY_KEYS", "WAVE_KEYS"]

PROJECT_FILE = "projekt.yaml"
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class WaveSpec:
    file: Path
    label: str
    date: str | None = None
    #: how the file is read: the survey-level keys (blad:, rubrikrad: …) with the wave's own over them
    options: ReadOptions = field(default_factory=ReadOptions)
    #: inbjudna: the invited counts, organisation → count (``Alla`` the total); empty when not given
    invited: dict[str, int] = field(default_factory=dict)


@dataclass
class Project:
    root: Path
    name: str
    facts: dict[str, str]
    template: ReportTemplate
    min_n: int = 5
    instrument: str | None = None
    waves: list[WaveSpec] = field(default_factory=list)
    column_map: dict[str, str] = field(default_factory=dict)
    format: str | None = None  # force an export format for every survey file
    wave_column: str | None = None  # the files name the wave of each row in this column
    competence: dict[str, Any] = field(default_factory=dict)  # kompetenssatsning: (Socialstyrelsen)
    template_dirs: list[Path] = field(default_factory=list)  # mallar: the funder's own template folders
    #: the whole parsed projekt.yaml; each data source (deltagare:, ekonomi: …) reads and checks its own key
    data: dict[str, Any] = field(default_factory=dict, repr=False)
    #: personalenkat: alias: extra answer labels → scale value, added to the instrument's own (skala: alias:)
    answer_aliases: dict[str, int] = field(default_factory=dict)
    #: personalenkat: alias: <skala or question id>: {label: value}: answer labels for another scale (see project.aliases)
    scale_aliases: dict[str, dict[str, int]] = field(default_factory=dict)
    #: personalenkat: statistik: the multiplicity settings given ({"primary": …, "secondary": …}), over the instrument's
    statistics: dict[str, str] = field(default_factory=dict)
    #: personalenkat: format:, blad:, rubrikrad:, etiketter:, teckenkodning:, dubbletter: (each wave's own are in WaveSpec)
    read_options: ReadOptions = field(default_factory=ReadOptions)
    #: the line of every key of projekt.yaml, by its path (for messages about the file's values)
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, repr=False)

    @property
    def path(self) -> Path:
        return self.root / PROJECT_FILE

    def narrative(self, heading_id: str) -> str | None:
        return read_narrative(self.root / "texter" / f"{heading_id}.md")


def read_narrative(path: Path) -> str | None:
    """The Markdown text of a narrative file without its help comments; None when empty or absent.

    Something else than a file at the path (a folder, a pipe, a device) and a file over
    :data:`~slutrapport.core.inputs.TEXT_LIMIT` raise :class:`ProjectError`.
    """
    if not path.exists():
        return None
    try:
        text = read_text_limited(path, "Textfilen", error=ProjectError)
    except UnicodeDecodeError as exc:
        raise ProjectError(f"Textfilen {path} kunde inte läsas: {unreadable(exc)}.") from exc
    text = _COMMENT.sub("", text).strip()
    return text or None


_FACT_KEYS = {
    "namn": "Projektets namn",
    "projektagare": "Projektägare",
    "projektledare": "Projektledare",
    "finansiar": "Finansiär",
    "period": "Projektperiod",
    "malgrupp": "Målgrupp",
    "organisationer": "Samverkansparter",
    "mal": "Mål",
    "dnr": "Dnr",
    "dnr_finansiar": "Finansiärens dnr",
    "statsbidrag": "Statsbidrag",
    "datum": "Datum",
}

#: The keys projekt.yaml may hold at the top and under ``personalenkat:`` (the schema,
#: ``projekt.schema.json``, lists the same). Under ``personalenkat:`` any other key is an
#: error; at the top only one close to these (a data source of the web page may add its own).
TOP_KEYS = (
    "projekt", "mall", "delrapport_mall", "mallar", "word_mall", "anonymitetsgrans", "personalenkat", "kompetenssatsning", "sjalvvardering",
    "deltagare", "deltagarenkat", "aktiviteter", "mal", "ekonomi", "socioekonomi", "sekretess", "platser", "finansiering",
)  # fmt: skip
SURVEY_KEYS = ("instrument", "enkater", "kolumner", "alias", "statistik", "format", "enkatkolumn", "inbjudna", *READ_KEYS)


def load_project(root: Path, template_dirs: list[Path] | None = None) -> Project:
    """Read ``root/projekt.yaml``; raise :class:`ProjectError` naming every problem.

    ``template_dirs`` (``--templates``) are searched for the template before
    the project's own ``mallar:`` folders and the shipped templates.
    """
    root = Path(root)
    path = root / PROJECT_FILE
    if not path.exists():
        raise ProjectError(
            f"Hittar ingen {PROJECT_FILE} i {root}. Skapa en ny projektmapp med: slutrapport init {root}"
        )
    try:  # a folder, a pipe or a device named projekt.yaml is refused unopened
        text = read_text_limited(path, "Projektfilen", error=ProjectError)
        data = parse_yaml(text, str(path), ProjectError) or {}
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path} är inte sparad som UTF-8.") from exc
    if not isinstance(data, dict):
        raise ProjectError(f"{path}: filen ska innehålla nycklar som projekt:, mall: och personalenkat:.")

    # The schema checks every key, type and range; what it rejected is INVALID below (falsy, and
    # never read: the problems are raised before a Project is made), so nothing is reported twice.
    checked, found = check_project(data, text)
    problems: list[str] = found.messages()
    info = checked.get("projekt") or {}
    values: dict[str, str] = {}
    for key in _FACT_KEYS:
        value = info.get(key)
        if value in (None, "", []) or value is INVALID:
            continue
        if isinstance(value, dict) and key == "period":
            value = f"{value.get('start', '')} – {value.get('slut', '')}"
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        values[key] = str(value)

    min_n = checked.get("anonymitetsgrans", 5)  # an integer 1–1000 (the schema)
    min_n = 5 if min_n is INVALID else min_n

    survey = checked.get("personalenkat") or {}
    read_options = parse_read_options(survey, root, " under 'personalenkat'", problems, lines=found.lines, at=("personalenkat",))
    waves = _waves(root, survey.get("enkater") or [], problems, read_options, found.lines)
    column_map = survey.get("kolumner") or {}

    answer_aliases, scale_aliases = _answer_aliases(survey.get("alias"))
    statistik = None if found.flagged(("personalenkat", "statistik")) else survey.get("statistik")
    statistics = parse_statistics(statistik, problems, "personalenkat: statistik")

    folders = data.get("mallar") or []
    folders = [root / str(f) for f in (folders if isinstance(folders, list) else [folders])]
    competence = data.get("kompetenssatsning") or {}
    if problems:
        raise ProjectError(problem_list(str(path), problems))
    template_dirs = [*(template_dirs or []), *folders]
    template = load_template(str(data.get("mall") or DEFAULT_TEMPLATE), template_dirs)
    return Project(
        root=root,
        name=str(info.get("namn") or root.resolve().name),
        facts=_facts(values, template),
        template=template,
        min_n=min_n,
        instrument=str(survey.get("instrument") or "samverkan") if waves else None,
        waves=waves,
        column_map=ColumnMap(
            {str(k): str(v) for k, v in column_map.items()},
            f"{path} (personalenkat: kolumner:)",
            {str(k): found.lines.get(("personalenkat", "kolumner", str(k))) for k in column_map},
        ),
        format=str(survey["format"]) if survey.get("format") else None,
        wave_column=str(survey["enkatkolumn"]) if survey.get("enkatkolumn") else None,
        competence=competence,
        template_dirs=template_dirs,
        data=data,
        answer_aliases=answer_aliases,
        scale_aliases=scale_aliases,
        statistics=statistics,
        read_options=read_options,
        lines=found.lines,
    )


def _facts(values: dict[str, str], template: ReportTemplate) -> dict[str, str]:
    """The facts given, label → value: those the template names (``uppgifter:``) first, in its order and
    with its labels ("Socialstyrelsens dnr"), then the others in :data:`_FACT_KEYS` order."""
    order = [*template.fact_labels, *(k for k in _FACT_KEYS if k not in template.fact_labels)]
    labels = _FACT_KEYS | template.fact_labels
    return {labels[key]: values[key] for key in order if key in values}


def _answer_aliases(raw: Any) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """``personalenkat: alias:``: answer labels as written in the files → values of the default scale,
    and ``<skala or question id>: {label: value}`` for another scale (see :mod:`slutrapport.project.aliases`).
    The schema checked that every value is an integer (or, for a scale, a mapping of integers)."""
    if not isinstance(raw, dict):
        return {}, {}
    aliases: dict[str, int] = {}
    by_scale: dict[str, dict[str, int]] = {}
    for label, value in raw.items():
        if isinstance(value, dict):
            by_scale[str(label)] = {str(k): v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)}
        elif isinstance(value, int) and not isinstance(value, bool):
            aliases[str(label)] = value
    return aliases, by_scale


def _waves(root: Path, raw: Any, problems: list[str], options: ReadOptions, lines: dict[tuple[str | int, ...], int]) -> list[WaveSpec]:
    """The waves under ``enkater:`` (their keys and types checked by the schema): a problem for a file that does not exist.
    ``lines`` are where the keys of ``projekt.yaml`` are written, for the problems of the waves' reading keys."""
    if not isinstance(raw, list):
        return []
    waves = []
    for number, item in enumerate(raw, start=1):
        if isinstance(item, str):
            item = {"fil": item}
        if not isinstance(item, dict) or not isinstance(item.get("fil"), str) or not item["fil"]:
            continue  # the schema named it
        file = root / str(item["fil"])
        if not file.exists():  # a pipe, a device or a folder is refused unopened when read
            problems.append(f"enkät nr {number}: filen {item['fil']} finns inte i {root}")
        where = f" i enkät nr {number} under 'enkater'"
        when = item.get("datum")
        invited = item.get("inbjudna")
        invited = {"Alla": invited} if isinstance(invited, int) and not isinstance(invited, bool) else invited
        waves.append(
            WaveSpec(
                file=file,
                label=str(item.get("etikett") or f"Enkät {number}"),
                date=when.isoformat() if isinstance(when, date) else (str(when) if when else None),
                options=parse_read_options(item, root, where, problems, options, lines=lines, at=("personalenkat", "enkater", number - 1)),
                invited={str(k): v for k, v in invited.items() if isinstance(v, int) and not isinstance(v, bool)} if isinstance(invited, dict) else {},
            )
        )
    return waves


def init_project(
    root: Path, template_id: str = DEFAULT_TEMPLATE, force: bool = False, template_dirs: list[Path] | None = None
) -> list[Path]:
    """Create a new project folder with commented files; returns the files written.

    Refuses to overwrite existing files unless ``force`` is true.
    """
    root = Path(root)
    template = load_template(template_id, template_dirs)
    files: dict[Path, str] = {
        root / PROJECT_FILE: PROJECT_SCHEMA.modeline(
            _PROJECT_TEMPLATE.format(mall=template.id, today=date.today().year, facts=_header_facts(template, date.today().year))
        )
        + _competence_template(template),
        root / "enkater" / "LÄS MIG.txt": _WAVES_README,
    }
    for heading in template.all_headings():
        help_text = heading.help.strip().replace("--", "–")
        required = "Rubriken krävs av finansiären." if heading.required else "Rubriken är frivillig."
        files[root / "texter" / f"{heading.id}.md"] = (
            f"<!--\n{(heading.number + ' ') if heading.number else ''}{heading.title}\n\n{help_text}\n\n{required}\n"
            "Skriv din text under den här kommentaren, i vanlig text eller Markdown\n"
            "(tom rad mellan stycken, - för punktlistor, **fetstil**). Kommentaren syns inte i rapporten.\n-->\n\n"
        )
    existing = [p for p in files if p.exists()]
    if existing and not force:
        raise ProjectError(
            f"Mappen {root} innehåller redan {len(existing)} av filerna som skulle skapas "
            f"(t.ex. {existing[0].relative_to(root)}). Välj en ny mapp, eller lägg till --force för att skriva över dem."
        )
    for path, text in files.items():
        write_text_atomic(path, text, inside=root)
    return list(files)


_PROJECT_TEMPLATE = """\
# Projektfil för slutrapport. Fyll i uppgifterna nedan.
# Rader som börjar med # är kommentarer och påverkar inte rapporten.
# Text efter ett kolon är värdet. Sätt citattecken runt text som innehåller kolon.

projekt:
  namn: "Projektets namn"              # visas överst i rapporten
  projektagare: ""                     # t.ex. Storsjö kommun, socialförvaltningen
  projektledare: ""                    # namn på projektledaren
  finansiar: ""                        # t.ex. Samordningsförbundet …
  period:
    start: {today}-01-01               # ÅÅÅÅ-MM-DD
    slut: {today}-12-31
  malgrupp: ""                         # vilka deltagarna är
  organisationer:                      # samverkansparterna
    - Arbetsförmedlingen
    - Socialtjänsten
{facts}
# Vilken finansiärs mall rapporten följer (lista mallar: slutrapport templates).
mall: {mall}
# Finansiärens egna mallar, om ni har fått en mallmapp (sökväg från projektmappen):
# mallar: [finansiarens-mallar]

# Anonymitetsgräns: grupper med färre svar än så här visas inte någonstans
# i rapporten, inte heller så att de kan räknas fram ur totalen.
anonymitetsgrans: 5

# Personalenkäten (enkät 1, 2, 3 …). Lägg exportfilerna i mappen enkater/
# (CSV eller Excel från Google Forms, Microsoft Forms eller en vanlig tabell)
# och ta bort # framför raderna nedan, en rad per enkättillfälle i tidsordning.
personalenkat:
  instrument: samverkan                # inbyggt instrument, eller sökväg till en egen YAML-fil
  enkater:
  #  - fil: enkater/enkat1.csv
  #    etikett: Enkät 1
  #    datum: {today}-03-15
  #  - fil: enkater/enkat2.xlsx
  #    etikett: Enkät 2
  #    datum: {today}-09-15
  #    inbjudna:                       # hur många som fick enkäten, för svarsfrekvensen (frivilligt)
  #      Arbetsförmedlingen: 20        # organisationen som den står i svaren
  #      Alla: 45                      # totalen (annars summan av organisationerna)
  # Antalet inbjudna kan också stå i en fil med kolumnerna enkät, organisation, inbjudna:
  # inbjudna:
  #   fil: inbjudna.csv
  # Om en fil innehåller flera enkättillfällen, ange kolumnen som säger vilket
  # (etiketterna tas då från kolumnens värden):
  # enkatkolumn: Enkät
  # Exportformatet känns igen automatiskt; ange det bara om det blir fel
  # (google_forms, microsoft_forms, surveymonkey, qualtrics, limesurvey, netigate,
  #  webropol, esmaker, artologik, plain, spss):
  # format: surveymonkey
  # Om en fil inte läses rätt kan du ange hur den ska läsas: här för alla filer,
  # eller på en enkäts rader under enkater: för bara den filen (t.ex. blad: Svar).
  # blad: Svar                         # kalkylbladet i en Excel-fil (annars det som passar instrumentet bäst)
  # rubrikrad: 3                       # raden med frågornas rubriker, som i Excel; raderna ovanför hoppas över
  # etiketter: enkater/enkat1.lss      # frågornas och svarens etiketter (LimeSurvey .lss eller en kodlista)
  # teckenkodning: cp1252              # CSV-filens teckenkodning (annars känns den igen automatiskt)
  # dubbletter: raknas_en_gang         # samma svars-id två gånger i en fil: raknas_en_gang (standard) eller behalls
  # Om en kolumnrubrik i filen inte är exakt frågans text i instrumentet,
  # ange vilken fråga (id) den hör till:
  kolumner:
  #  "Jag känner de andras uppdrag": q07
  # Om ett svar i filen inte är skalans text (t.ex. "Stämmer helt" i stället
  # för "Instämmer helt"), ange vilket skalvärde det betyder:
  alias:
  #  "Stämmer helt": 5
  # Vilka test som bär rapportens slutsatser (se README, Förändringar, test och
  # formuleringar): primar: index (standard) eller fragor; sekundar: bh
  # (standard, Benjamini–Hochberg) eller holm för de utforskande testen.
  # statistik:
  #   primar: index
  #   sekundar: bh

# Ekonomisk redovisning: budget enligt ansökan och utfall per kategori och period.
# Lägg filen i projektmappen och ta bort # framför raderna. Filen kan vara .xlsx,
# CSV eller YAML, med en rad per kategori och två kolumner per period
# (Kategori | Budget 2025 | Utfall 2025 | Budget 2026 | Utfall 2026) eller en rad
# per kategori och period (Kategori | Period | Budget | Utfall). Belopp i kronor,
# t.ex. 1 234 567 eller 1 234 567 kr (tkr i rubriken räknas om till kronor).
# ekonomi:
#   fil: ekonomi.xlsx
#   blad: Ekonomi                        # bara om tabellen inte ligger på första bladet
#   kategorier: [Personal, Lokal, Övrigt] # tillåtna kategorier (annars mallens)

# Samhällsekonomisk beräkning enligt typfallsmetoden (t.ex. från en extern
# utvärdering): en YAML-fil med typfall, kostnad per aktör och år FÖRE och
# EFTER insatsen, andelar per scenario och projektets kostnad. Exempel på filen:
#   avslutade: 34                        # antal avslutade deltagare
#   projektkostnad: 4 000 000            # utelämnas: utfallet i ekonomi: används
#   typfall:
#     - namn: Långtidsarbetslös med försörjningsstöd
#       fore: {{kommun: 130 000, region: 12 000, individen: 110 000}}   # individen: inkomst
#       efter:
#         - {{namn: Arbete, andel: 0.3, kommun: {{kostnad: 4 000, intakt: 36 000}}, individen: 200 000}}
#         - {{namn: Oförändrat, andel: 0.7, som_fore: true}}
# socioekonomi:
#   fil: socioekonomi.yaml

# Självvärderingen. Skapa formuläret med: slutrapport form sjalvvardering --out sjalvvardering.xlsx
# Projektledaren, styrgruppen och handläggarna fyller i var sitt exemplar vid varje
# tillfälle (till exempel start, halvtid och slut). Lägg de ifyllda filerna i mappen
# sjalvvardering/ (filnamnen spelar ingen roll) och ta bort # framför raderna nedan.
# sjalvvardering:
#   mapp: sjalvvardering
#   definition: min-sjalvvardering.yaml   # bara om formuläret skapades med en egen definition

# Deltagarregistret: en rad per deltagare med ett pseudonymt id (aldrig namn
# eller personnummer) och kolumnerna kön, ålder, inskrivningsdatum, avslutsdatum,
# försörjning vid inskrivning, status vid avslut och antal möten. En deltagare
# som fortfarande är aktiv har varken avslutsdatum eller status. Datum skrivs
# ÅÅÅÅ-MM-DD. Ta bort # framför raderna för att använda registret.
# deltagare:
#   fil: deltagare.csv                 # CSV eller Excel (.xlsx) i projektmappen
#   period: halvar                     # tabellerna per halvar, kvartal, ar eller manad
#   kolumner:                          # om en rubrik i filen heter något annat:
#     "Huvudsaklig försörjning före": forsorjning
#   kategorier:                        # egna statusar med nationell grupp ersätter standardlistan
#     alias:                           # fler stavningar av en kategori
#       jobb: arbete

# Projektets mål; fler slag (förändring, deltagarenkät, aktiviteter, kvalitativa) i docs/projektfil.md.
# mal:
#   - mal: "Minst 40 % av de avslutade deltagarna går till arbete eller studier"
#     matt: andel                      # andel, antal, forandring, andel_svar, aktiviteter eller kvalitativt
#     population: avslutade            # avslutade eller inskrivna
#     kategorier: [arbete, studier]    # statusar vid avslut, eller nationella grupper som förvärvsarbete
#     malvarde: 40 %
#   - mal: "Minst 25 deltagare skrivs in"
#     matt: antal
#     population: inskrivna
#     malvarde: 25
"""

_HEADER_FACTS = {
    "dnr": ('""', "organisationens diarienummer, t.ex. Son 2010/204"),
    "dnr_finansiar": ('""', "finansiärens diarienummer (t.ex. Socialstyrelsens dnr)"),
    "statsbidrag": ('""', "statsbidragets namn, som i beslutet"),
    "datum": ('""', "rapportens datum, ÅÅÅÅ-MM-DD eller t.ex. September {today}"),
}


def _header_facts(template: ReportTemplate, today: int) -> str:
    """The ``projekt:`` lines of the header facts: filled in where the template names them (``uppgifter:``), else commented."""
    lines = []
    for key, (value, help_text) in _HEADER_FACTS.items():
        line = f"{key}: {value}"
        lead = "  " if key in template.fact_labels else "  # "
        lines.append(f"{lead}{line:<{36 - len(lead) + 2}} # {help_text.format(today=today)}")
    return "\n".join(lines) + "\n"


def _yaml_text(text: str, always: bool = False) -> str:
    """``text`` as a YAML scalar: plain when that is safe, else double-quoted (JSON quoting is valid YAML)."""
    if always or not re.fullmatch(r"[A-Za-zÅÄÖåäö0-9][\w ,/()åäöÅÄÖ–-]*", text) or text.strip() != text:
        return json.dumps(text, ensure_ascii=False)
    return text


def _competence_template(template: ReportTemplate) -> str:
    """The commented ``kompetenssatsning:`` part for templates that use its blocks."""
    blocks = {b for h in template.all_headings() for b in h.blocks}
    if not blocks & {"kategorisering", "utbildningarnas_omfattning"}:
        return ""
    lines = [
        "",
        "# Kompetenssatsningen (Socialstyrelsens avsnitt 3.4 och 4). Tabellerna i rapporten fylls i härifrån.",
        "kompetenssatsning:",
    ]
    groups, _tick = categorisation_groups(template.settings.get("kategorisering") or {})
    if groups:
        lines.append("  # 3.4: ta bort # framför de alternativ som stämmer för satsningen. Ett alternativ med")
        lines.append("  # 'Ange vad!' får er egen text efter kolonet, t.ex. - Annat: Föreläsning om NPF.")
        lines.append("  kategorisering:")
        for group in groups:
            lines.append(f"    {_yaml_text(group.id)}:" + (f"  # {group.focus}" if group.focus else ""))
            for option in group.options:
                lines.append(f"    #  - {_yaml_text(option.label)}" + (": skriv vad" if option.specify else ""))
    bands = volume_bands(template.settings.get("utbildningarnas_omfattning") or {})
    if bands:
        lines.append("  # 4: en rad per kurslängd. deltagare = landsting + kommun + annan. Ett antal som är en")
        lines.append('  # uppskattning skrivs "ca 60" (visas så, med en fotnot; fotnot: ersätter fotnotens text).')
        lines.append("  omfattning:")
        for band, _aliases in bands:
            lines.append(
                f"  #  - {{kurslangd: {_yaml_text(band, always=True)}, kursdagar: 0, deltagare: 0, landsting: 0, kommun: 0, annan: 0, utan_hogskoleexamen: 0}}"
            )
    return "\n".join(lines) + "\n"


_WAVES_README = """\
Lägg personalenkätens exportfiler här, en fil per enkättillfälle.

Fungerar: CSV eller .xlsx från Google Forms och Microsoft Forms, och vanliga
Excel-/CSV-filer med en rubrikrad (även semikolonavgränsad CSV från svenska Excel).
Kolumnrubrikerna ska vara frågornas text i instrumentet (stor/liten bokstav och
mellanslag spelar ingen roll). Svaren kan vara skalans etiketter ("Instämmer helt"),
siffror (5) eller båda ("5 - Instämmer helt"). "Vet ej" räknas inte som ett värde.

Ange sedan filerna i projekt.yaml under personalenkat: enkater:.
Filerna ändras aldrig av programmet.
"""
