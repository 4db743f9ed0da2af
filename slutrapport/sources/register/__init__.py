"""The participant register (deltagare): columns, categories and the tidy participant table."""
