"""The activity log (aktiviteter): dated activities of a type, counted by the goals ``matt: aktiviteter``."""
