"""Ingest and validation of survey files and instrument definitions."""

from __future__ import annotations

from slutrapport.core.problems import Problem, ValidationReport
from slutrapport.sources.survey.ingest import TIDY_COLUMNS, SurveyData, default_labels, read_waves
from slutrapport.sources.survey.instrument import Instrument, Question, Scale, builtin_instruments, load_instrument

__all__ = [
    "TIDY_COLUMNS",
    "SurveyData",
    "read_waves",
    "default_labels",
    "Instrument",
    "Question",
    "Scale",
    "load_instrument",
    "builtin_instruments",
    "Problem",
    "ValidationReport",
]
