"""Step 1 of the data path: the files users have → validated tidy tables. Imports only :mod:`slutrapport.core`."""
