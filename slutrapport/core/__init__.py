"""Building blocks every layer uses; imports nothing else from the package.

Errors, the problem list, text normalisation, Swedish number formats, YAML
reading and editing, atomic output writes.
"""
