"""The report model's blocks per data source: staff survey, self-evaluation, participants and goals, economy."""
