"""Step 3 of the data path: Swedish sentences written from analysis tables (the direction of a sentence comes from the test that decided)."""
