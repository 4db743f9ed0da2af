"""How the budget and parameter readers report problems: the error naming the file, and YAML line numbers."""

from __future__ import annotations

import yaml

from slutrapport.core.errors import ValidationError
from slutrapport.core.problems import ValidationReport

__all__ = ["EconomyValidationError", "yaml_lines"]


class EconomyValidationError(ValidationError):
    """A budget or parameter file has errors; the message names that file (not survey files)."""

    def __init__(self, report: ValidationReport, what: str) -> None:
        self.report = report
        Exception.__init__(
            self,
            f"{what} innehåller {len(report.errors())} fel som måste rättas innan rapporten kan byggas.\n\n"
            + report.to_text(),
        )


def yaml_lines(text: str) -> dict[tuple, int]:
    """The 1-based line of every node of a YAML document, by its path of keys (as text) and list positions."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple, int] = {}

    def walk(node: yaml.Node, path: tuple) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, path + (str(key.value),))
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                walk(item, path + (position,))

    if root is not None:
        walk(root, ())
    return lines
