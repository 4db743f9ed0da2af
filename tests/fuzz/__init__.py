"""Fuzz suite (issue 25): the demo's inputs mutated, one module per kind of input, run through the command line.

- :mod:`.test_survey_csv`: survey CSV files, cell by cell and as text;
- :mod:`.test_survey_xlsx`: survey workbooks with cells of odd types;
- :mod:`.test_instrument_yaml`: instrument files;
- :mod:`.test_project_yaml`: projekt.yaml;
- :mod:`.test_texts`: the narrative texts, and the safety of the report written from them;
- :mod:`.test_bundles`: rapport.json bundles given to ``portfolio``;
- :mod:`.test_cli_options`: odd option values and ``--out`` pointing anywhere.

:mod:`.support` holds the budget (small and fixed by default, ``SLUTRAPPORT_FUZZ=long`` for more) and the
checks every module shares; :mod:`.yaml_mutations` the mutations of YAML files.

Known bugs are kept out of the default budget (and in the long run), each with a minimal regression test
marked ``xfail(strict=True)`` that turns into a failure once the bug is fixed, when the exclusion and the
marker are removed:

- :data:`.yaml_mutations.CONSTRUCTOR_ERRORS`: YAML scalars PyYAML's constructors refuse with something else
  than a YAMLError (impossible dates, bad tags, a 5000-digit integer);
- :data:`.yaml_mutations.TOO_DEEP`: nesting past the recursion limit;
- :data:`.yaml_mutations.DATE_WITH_TIME`: a date with a time as the period's start;
- :data:`.yaml_mutations.LAST_DATE`: 9999-12-31 as a date (the period's end);
- :data:`.test_cli_options.UNDEFINED`: ``--encoding undefined``.

The unterminated quote of :mod:`.test_survey_csv` is not excluded: the default examples do not draw it.
"""
