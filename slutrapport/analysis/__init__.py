"""Step 2 of the data path: statistics only. Tidy DataFrames in, tidy DataFrames with fixed, documented columns out; no text for a file."""
