"""The budget file (ekonomi) and the socio-economic parameter file (socioekonomi)."""
