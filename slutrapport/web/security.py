"""The web page's locks: access token, host check, CSRF tokens and response headers.

The server binds to 127.0.0.1 only, but other users of the same computer and
web pages open in the same browser can still reach that address. So:

- **Access token**: every request needs the random token printed when the
  server starts (as Jupyter does). It is accepted once from the URL
  (``?token=…``), then kept in an HttpOnly, SameSite=Strict cookie and the
  URL is cleaned by a redirect. Without it the answer is a Swedish 403 page.
- **Host header** must be ``127.0.0.1`` or ``localhost`` (with any port), so
  a web page cannot reach the server through DNS rebinding.
- **CSRF**: every state-changing request is a POST carrying the session's
  CSRF token (a form field ``csrf`` or the header ``X-CSRF-Token``).
- **Headers**: a strict Content-Security-Policy (nothing from outside, no
  inline script), no referrer (the token never leaks in a Referer), no
  caching of pages with personal data, no framing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlencode

from flask import Flask, Response, abort, redirect, request, session

__all__ = ["install", "csrf_token", "cookie_name", "ALLOWED_HOSTS", "TOKEN_PARAMETER", "CSRF_FIELD", "CSRF_HEADER"]

ALLOWED_HOSTS = ("127.0.0.1", "localhost")
TOKEN_PARAMETER = "token"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def cookie_name(token: str, kind: str) -> str:
    """A cookie name unique to this server's token, so two servers on different ports do not share cookies."""
    return f"slutrapport_{kind}_{hashlib.sha256(token.encode()).hexdigest()[:10]}"


def csrf_token() -> str:
    """The CSRF token of the current session (created on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _host_allowed(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 or host.startswith("[") else host
    if name.startswith("["):
        return False
    return name.lower() in ALLOWED_HOSTS


def install(app: Flask, token: str) -> None:
    """Register the checks on ``app`` (called by :func:`slutrapport.web.app.create_app`)."""
    token_cookie = cookie_name(token, "token")
    app.config.update(
        SESSION_COOKIE_NAME=cookie_name(token, "session"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
    )

    @app.before_request
    def _check() -> Response | None:
        if not _host_allowed(request.host or ""):
            abort(403, "Sidan nås bara som 127.0.0.1 eller localhost.")
        given = request.args.get(TOKEN_PARAMETER)
        if given is not None:
            if not hmac.compare_digest(given.encode(), token.encode()):
                abort(403, "Fel nyckel i adressen.")
            rest = {k: v for k, v in request.args.items(multi=True) if k != TOKEN_PARAMETER}
            response = redirect(request.path + (f"?{urlencode(rest)}" if rest else ""), code=303)
            response.set_cookie(token_cookie, token, httponly=True, samesite="Strict", path="/")
            return response
        if not hmac.compare_digest(request.cookies.get(token_cookie, "").encode(), token.encode()):
            abort(403, "Nyckel saknas.")
        if request.method not in _SAFE_METHODS:
            sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
            expected = session.get("csrf")
            if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
                abort(403, "Formuläret är för gammalt eller kom inte från den här sidan (CSRF-kontroll).")
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", _POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    app.jinja_env.globals["csrf_token"] = csrf_token
