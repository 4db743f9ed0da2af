"""The names of the export formats the readers accept, importable without pandas.

The command line shows them in ``--format``'s help, which must not load the
readers (and pandas with them) just to print help. :data:`FORMATS` is the same
tuple as :data:`slutrapport.sources.readers.FORMATS`: one name per tool module
(its ``NAME``), then ``plain`` and ``spss``; a test keeps the two equal.
"""

from __future__ import annotations

__all__ = ["FORMATS"]

#: Every export format :func:`slutrapport.sources.readers.read_raw` accepts as ``format=``.
FORMATS = (
    "google_forms",
    "microsoft_forms",
    "surveymonkey",
    "qualtrics",
    "limesurvey",
    "netigate",
    "webropol",
    "esmaker",
    "artologik",
    "plain",
    "spss",
)
