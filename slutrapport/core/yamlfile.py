"""YAML files written by users (project, instrument, template, column map): one way to read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from slutrapport.core.errors import SlutrapportError
from slutrapport.core.yamlerrors import StrictYAMLError, yaml_place, yaml_problem
from slutrapport.core.yamlschema import INVALID

__all__ = ["parse_yaml", "key_lines", "yaml_flag", "FLAG_WORDS", "WrittenDateTime"]


class WrittenDateTime(dt.datetime):
    """A YAML timestamp with a time, as :class:`datetime.datetime`, that also keeps ``written``: the text in
    the file (``2025-01-01 12:00:00``, not ``2025-01-01T12:00:00``). A schema checks it, and its messages echo
    it, as that text (:mod:`.yamlschema`)."""

    written: str = ""


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses what silently changes a user's settings.

    - a key given twice in one mapping (PyYAML keeps the last one, so
      ``anonymitetsgrans: 5`` … ``anonymitetsgrans: 1`` would build with 1);
    - aliases (``*namn``): nobody writes them in these files by hand, and a
      nest of aliases expands to billions of values (a "billion laughs" file);
    - a tag other than YAML's plain ``!!str``, ``!!int``, ``!!float``,
      ``!!bool``, ``!!null`` (on a single value), ``!!seq`` (on a list) and
      ``!!map`` (on keys with values), or one on a value it cannot read
      (``!!bool kanske``), and the merge key ``<<``: they build Python sets,
      bytes or pairs that no file here means.

    A number that is not finite (``.inf``, ``.nan``, ``1.0e+400``) is read as
    it is; every file's schema refuses it with its key (:mod:`.yamlschema`).

    A date that does not exist (``2025-02-30``, month 13) is read as the text
    it is written as, not a crash: the file's schema names its key and line.
    A date with a time (``2025-01-01 12:00:00``) is a :class:`WrittenDateTime`,
    so that a message about it shows it as the user wrote it.
    """

    def construct_yaml_timestamp(self, node):  # noqa: ANN001 - PyYAML's signature
        try:
            value = super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)
        if isinstance(value, dt.datetime):  # a date with a time: remember how it was written
            value = WrittenDateTime.combine(value.date(), value.timetz())
            value.written = str(node.value)
        return value

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise StrictYAMLError(
                problem=f"aliaset *{event.anchor} används; skriv ut värdet i stället (alias och ankare tillåts inte)",
                problem_mark=event.start_mark,
            )
        explicit = getattr(event, "tag", None) not in (None, "!")
        if explicit and (problem := _tag_problem(self, event)):
            raise StrictYAMLError(problem=problem, problem_mark=event.start_mark)
        node = super().compose_node(parent, index)
        if not explicit and node.tag == _CORE + "merge":
            raise StrictYAMLError(
                problem="sammanslagningsnyckeln '<<' används; skriv ut nycklarna i stället (eller sätt '<<' inom citattecken)",
                problem_mark=node.start_mark,
            )
        if not explicit and node.tag == _CORE + "value":  # a lone '=': plain text, as in YAML 1.2
            node.tag = _CORE + "str"
        return node

    def construct_object(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        # A scalar PyYAML recognises but cannot build raises a bare ValueError: a date that is not
        # in the calendar (2025-02-30), an integer of more than 4300 digits. Name it and its place.
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            raise StrictYAMLError(problem=_unbuildable(node), problem_mark=node.start_mark) from exc

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # PyYAML reports the unhashable key itself
            if key in seen:
                raise StrictYAMLError(
                    problem=f"nyckeln '{key}' anges två gånger (första gången på rad {seen[key]}); ta bort den ena",
                    problem_mark=key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


def _unbuildable(node: yaml.Node) -> str:
    """Why the scalar ``node`` cannot be read, in Swedish."""
    value = str(getattr(node, "value", ""))
    shown = value if len(value) <= 30 else f"{value[:12]}… ({len(value)} tecken)"
    if node.tag.endswith(":timestamp"):
        return f"datumet '{shown}' finns inte i kalendern; skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-01"
    if node.tag.endswith((":int", ":float")):
        return f"talet '{shown}' är för stort för att läsas"
    return f"värdet '{shown}' kan inte läsas"


_CORE = "tag:yaml.org,2002:"
#: The tags a user may write, by the kind of node they may stand on; for a single value, which
#: of the kinds PyYAML reads a plain value as fit the tag (``!!float 5`` is 5.0).
_SCALAR_TAGS = {"str": None, "int": {"int"}, "float": {"float", "int"}, "bool": {"bool"}, "null": {"null"}}
_KINDS = {yaml.ScalarEvent: "ett enskilt värde", yaml.SequenceStartEvent: "en lista", yaml.MappingStartEvent: "nycklar med värden"}
_TAG_KIND = {"str": yaml.ScalarEvent, "int": yaml.ScalarEvent, "float": yaml.ScalarEvent, "bool": yaml.ScalarEvent,
             "null": yaml.ScalarEvent, "seq": yaml.SequenceStartEvent, "map": yaml.MappingStartEvent}  # fmt: skip
_ALLOWED = "bara !!str, !!int, !!float, !!bool, !!null, !!seq och !!map kan användas"


def _tag_problem(loader: yaml.SafeLoader, event: yaml.NodeEvent) -> str | None:
    """Why the tag written on ``event`` is refused (Swedish), or None when it is a plain tag that fits."""
    tag = str(event.tag)
    name = tag[len(_CORE) :] if tag.startswith(_CORE) else None
    shown = f"!!{name}" if name is not None else tag
    shown = shown if len(shown) <= 40 else shown[:37] + "…"
    kind = _TAG_KIND.get(name or "")
    if kind is None:
        return f"taggen '{shown}' stöds inte; ta bort den, {_ALLOWED}"
    if not isinstance(event, kind):
        return f"taggen '{shown}' hör till {_KINDS[kind]} men står på {_KINDS[type(event)]}; ta bort taggen"
    fits = _SCALAR_TAGS.get(str(name))
    if fits is not None:
        read_as = loader.resolve(yaml.ScalarNode, event.value, (True, False))[len(_CORE) :]
        if read_as not in fits:
            value = event.value if len(event.value) <= 30 else event.value[:27] + "…"
            what = {"int": "ett heltal", "float": "ett tal", "bool": "true eller false", "null": "tomt"}[str(name)]
            return f"värdet '{value}' kan inte läsas som {shown} ({what}); rätta värdet eller ta bort taggen"
    return None


_StrictLoader.add_constructor(_CORE + "timestamp", _StrictLoader.construct_yaml_timestamp)


def parse_yaml(text: str, what: str, error: type[SlutrapportError]) -> Any:
    """The YAML in ``text``, read safely and strictly (:class:`_StrictLoader`).

    Invalid YAML, a key given twice in one mapping, or an alias raises
    ``error`` naming ``what`` and the row and column (its ``rad`` the row).
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError as exc:  # lists or mappings nested thousands of levels deep
        raise error(f"{what}: filen är för djupt nästlad för att läsas (listor eller nycklar i tusentals nivåer).") from exc
    except yaml.YAMLError as exc:
        where, problem = yaml_problem(exc, text)
        place = yaml_place(exc, text)
        raise error(f"{what}{where}: filen är inte giltig YAML ({problem}).", rad=place[0] if place else None) from exc


def key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """The line (1-based) where each key and list item of the YAML in ``text`` is written, by its path.

    A path is the keys (as ``str()`` of the key PyYAML reads, so ``1:`` is
    ``"1"``) and list positions (0-based) leading to the value:
    ``("fragor", 2, "omvand")`` is the ``omvand:`` line of the third question;
    ``()`` is the document's first line. Call it on text :func:`parse_yaml`
    has read without error; anything it cannot read gives ``{}``.
    """
    loader = _StrictLoader(text)
    try:
        root = loader.get_single_node()
        lines: dict[tuple[str | int, ...], int] = {}
        if root is not None:
            lines[()] = root.start_mark.line + 1
            _node_lines(loader, root, (), lines)
        return lines
    except yaml.YAMLError:
        return {}
    finally:
        loader.dispose()


def _node_lines(loader: _StrictLoader, node: yaml.Node, path: tuple[str | int, ...], lines: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node, deep=True)) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _node_lines(loader, value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            lines[(*path, position)] = item.start_mark.line + 1
            _node_lines(loader, item, (*path, position), lines)


#: The words a yes/no setting may be written with besides YAML's own true/false.
FLAG_WORDS = {"true": True, "false": False, "ja": True, "nej": False}


def yaml_flag(value: Any, default: bool, where: str, problems: list[str]) -> bool:
    """A yes/no setting read strictly: YAML true/false, or the words ``ja``/``nej``/``true``/``false``.

    Anything else (``"0"``, ``1``, ``"kanske"``) is a problem naming ``where`` and the
    value, and the default is used meanwhile: ``bool("false")`` is True, so a flag is
    never read by truthiness.
    """
    if value is None or value is INVALID:  # INVALID: the file's schema already named it
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in FLAG_WORDS:
        return FLAG_WORDS[value.strip().lower()]
    problems.append(f"{where} ska vara true eller false (ja eller nej), fick '{value}'")
    return default
