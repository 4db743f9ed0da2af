"""YAML files written by users (project, instrument, template, column map): one way to read them."""

from __future__ import annotations

from typing import Any

import yaml

from slutrapport.core.errors import SlutrapportError

__all__ = ["parse_yaml", "yaml_flag", "FLAG_WORDS"]


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses what silently changes a user's settings.

    - a key given twice in one mapping (PyYAML keeps the last one, so
      ``anonymitetsgrans: 5`` … ``anonymitetsgrans: 1`` would build with 1);
    - aliases (``*namn``): nobody writes them in these files by hand, and a
      nest of aliases expands to billions of values (a "billion laughs" file).
    """

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem=f"aliaset *{event.anchor} används; skriv ut värdet i stället (alias och ankare tillåts inte)",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # PyYAML reports the unhashable key itself
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=f"nyckeln '{key}' anges två gånger (första gången på rad {seen[key]}); ta bort den ena",
                    problem_mark=key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


def parse_yaml(text: str, what: str, error: type[SlutrapportError]) -> Any:
    """The YAML in ``text``, read safely and strictly (:class:`_StrictLoader`).

    Invalid YAML, a key given twice in one mapping, or an alias raises
    ``error`` naming ``what`` and the row and column.
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else ""
        raise error(f"{what}{where}: filen är inte giltig YAML ({getattr(exc, 'problem', None) or exc}).") from exc


#: The words a yes/no setting may be written with besides YAML's own true/false.
FLAG_WORDS = {"true": True, "false": False, "ja": True, "nej": False}


def yaml_flag(value: Any, default: bool, where: str, problems: list[str]) -> bool:
    """A yes/no setting read strictly: YAML true/false, or the words ``ja``/``nej``/``true``/``false``.

    Anything else (``"0"``, ``1``, ``"kanske"``) is a problem naming ``where`` and the
    value, and the default is used meanwhile: ``bool("false")`` is True, so a flag is
    never read by truthiness.
    """
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in FLAG_WORDS:
        return FLAG_WORDS[value.strip().lower()]
    problems.append(f"{where} ska vara true eller false (ja eller nej), fick '{value}'")
    return default
