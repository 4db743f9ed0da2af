"""Step 4 of the data path: the report model (sections, tables, charts, texts) built from the results under the funder's headings."""
