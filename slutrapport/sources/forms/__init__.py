"""Fillable forms (the självvärdering): definitions, the Excel form, and reading filled forms back."""

from __future__ import annotations

from slutrapport.sources.forms.definition import FormDefinition, FormDefinitionError, load_definition

__all__ = ["FormDefinition", "FormDefinitionError", "load_definition"]
