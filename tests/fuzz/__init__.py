"""Fuzz suite (issue 25): the demo's inputs mutated, one module per kind of input, run through the command line.

- :mod:`.test_survey_csv`: survey CSV files, cell by cell and as text;
- :mod:`.test_survey_xlsx`: survey workbooks with cells of odd types;
- :mod:`.test_instrument_yaml`: instrument files;
- :mod:`.test_project_yaml`: projekt.yaml;
- :mod:`.test_texts`: the narrative texts, and the safety of the report written from them;
- :mod:`.test_bundles`: rapport.json bundles given to ``portfolio``;
- :mod:`.test_cli_options`: odd option values, ``--out`` pointing anywhere, and a funder's template whose heading
  ids lead out of the project given to ``init``;
- :mod:`.test_project_sources`: the participant register, the budget, the socio-economic parameters and the
  self-evaluation forms of a project.

:mod:`.support` holds the budget (small and fixed by default, ``SLUTRAPPORT_FUZZ=long`` for more) and the
checks every module shares; :mod:`.yaml_mutations` the mutations of YAML files.

What the suite found and main has fixed stays as minimal regression tests next to the fuzzing (impossible
dates and tags in YAML, deep nesting, a period with a time or ending 9999-12-31, ``--encoding undefined``, an
unterminated quote in a CSV file, tags the strict loader cannot build from a scalar such as ``!!bool maybe`` or
``!!set [a]``, and ``!!int 1.5`` once refused as a number "för stort").
"""
