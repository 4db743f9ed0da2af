"""Why the operating system refused a file operation, in Swedish, for every message that names a path.

Python's own text (``exc.strerror``: "No such file or directory") is English; :func:`os_reason` gives the
reason by its error code instead, for reading (``reading=True``) or writing.
"""

from __future__ import annotations

import errno

__all__ = ["os_reason"]

_REASONS = {
    getattr(errno, code): reason
    for code, reason in (
        ("EACCES", "behörighet saknas"),
        ("EPERM", "behörighet saknas"),
        ("ENOSPC", "disken är full"),
        ("EROFS", "platsen är skrivskyddad"),
        ("EISDIR", "det är en mapp"),
        ("ENOTDIR", "en del av sökvägen är ingen mapp"),
        ("ENAMETOOLONG", "namnet är för långt"),
        ("EDQUOT", "diskkvoten är slut"),
        ("EEXIST", "något annat än en mapp finns redan där"),
        ("ELOOP", "för många symboliska länkar i sökvägen"),
        ("EBUSY", "filen används av ett annat program"),
        ("ENOENT", "filen eller en mapp på vägen finns inte (och kunde inte skapas)"),
        ("EADDRINUSE", "den används redan av ett annat program"),
        ("EADDRNOTAVAIL", "adressen finns inte på den här datorn"),
        ("EINVAL", "namnet eller platsen går inte att använda"),
        ("EMFILE", "för många öppna filer"),
        ("EIO", "ett läs- eller skrivfel på disken"),
    )
    if hasattr(errno, code)
}


def os_reason(exc: OSError | ValueError, *, reading: bool = False) -> str:
    """Why a file operation failed, in Swedish ("behörighet saknas", "namnet är för långt"); else the system's error code.

    ``reading``: the path was to be read, so a missing file is just missing (nothing was to be created).
    """
    if isinstance(exc, ValueError):  # a NUL character in the path
        return "namnet innehåller ett otillåtet tecken"
    if reading and exc.errno == errno.ENOENT:
        return "filen eller en mapp på vägen finns inte"
    code = errno.errorcode.get(exc.errno or 0)
    return _REASONS.get(exc.errno or 0) or (f"operativsystemet svarade med felkoden {code}" if code else "okänt fel i filsystemet")
