"""Running the web page: bind 127.0.0.1 on a free port, print the URL with the token, open the browser.

Werkzeug's threaded development server is enough for a local single-user
tool. Ctrl+C stops it cleanly.
"""

from __future__ import annotations

import errno
import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from slutrapport.core.errors import SlutrapportError
from slutrapport.core.oserrors import os_reason
from slutrapport.web.app import DEFAULT_MAX_UPLOAD, create_app
from slutrapport.web.security import TOKEN_PARAMETER

__all__ = ["serve", "bind_free_port", "HOST", "DEFAULT_PORT", "PORT_ATTEMPTS"]

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
PORT_ATTEMPTS = 50


class _QuietHandler(WSGIRequestHandler):
    """No line per request in the terminal (the URLs carry the token and personal data in file names)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def bind_free_port(port: int, attempts: int = PORT_ATTEMPTS) -> socket.socket:
    """A listening socket on 127.0.0.1 at ``port``, or the next free port after it."""
    for candidate in range(port, min(port + attempts, 65536)):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((HOST, candidate))
            sock.listen(64)
            return sock
        except OSError as exc:
            sock.close()
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise SlutrapportError(f"Kunde inte öppna port {candidate}: {os_reason(exc)}") from exc
    raise SlutrapportError(f"Ingen ledig port mellan {port} och {port + attempts - 1}. Ange en annan med --port.")


def serve(
    project_dir: Path | None = None,
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    max_upload: int = DEFAULT_MAX_UPLOAD,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve the web page until Ctrl+C."""
    token = secrets.token_urlsafe(32)
    app = create_app(project_dir, max_upload=max_upload, token=token)
    sock = bind_free_port(port)
    actual = sock.getsockname()[1]
    server = make_server(HOST, actual, app, threaded=True, request_handler=_QuietHandler, fd=sock.fileno())
    url = f"http://{HOST}:{actual}/?{TOKEN_PARAMETER}={token}"
    if actual != port:
        echo(f"Port {port} är upptagen; använder port {actual} i stället.")
    state = app.extensions["slutrapport"]
    if state.has_project:
        echo(f"Projekt: {state.project}")
    elif project_dir is not None:
        echo(f"{project_dir} har ingen projekt.yaml ännu; skapa projektet på sidan.")
    echo("Slutrapport körs på den här datorn. Öppna adressen nedan i webbläsaren (den innehåller din nyckel):")
    echo(f"    {url}")
    echo("Stäng med Ctrl+C.")
    if open_browser:
        threading.Timer(0.3, webbrowser.open, [url]).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sock.close()
    echo("Servern är stoppad.")
