"""Bearer tokens.

When ``CORROBORATE_API_TOKEN`` is set every call needs ``Authorization: Bearer
<token>`` (the admin token is accepted too). Changing the corpus always needs
``CORROBORATE_ADMIN_TOKEN``; without one configured, it cannot be changed over HTTP.
"""

from __future__ import annotations

import functools
import hmac

from flask import Flask, current_app, request

from service.errors import APIError

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="corroborate"'}


def _presented() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def tokens(configured: str | None) -> list[str]:
    """The tokens a setting lists: one, or several separated by commas (one per user or client)."""
    return [t.strip() for t in (configured or "").split(",") if t.strip()]


def _matches(token: str | None, expected: str | None) -> bool:
    if not token:
        return False
    found = False
    for candidate in tokens(expected):  # every candidate compared, in constant time each
        found |= hmac.compare_digest(token.encode(), candidate.encode())
    return found


def client_token() -> str | None:
    """The bearer token presented, when it is one of the configured ones (the rate limits key on it)."""
    token = _presented()
    config = current_app.config
    if _matches(token, config.get("API_TOKEN")) or _matches(token, config.get("ADMIN_TOKEN")):
        return token
    return None


def _check_api_token() -> None:
    expected = current_app.config.get("API_TOKEN")
    if expected is None or request.method == "OPTIONS":  # CORS preflights carry no credentials
        return
    token = _presented()
    if not (_matches(token, expected) or _matches(token, current_app.config.get("ADMIN_TOKEN"))):
        message = "this API needs Authorization: Bearer <token>" if token is None else "wrong bearer token"
        raise APIError(401, message, headers=CHALLENGE)


def admin_required(view):
    """The view needs the admin token, whatever the API token setting."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        expected = current_app.config.get("ADMIN_TOKEN")
        if expected is None:
            raise APIError(
                401, "changing the corpus needs CORROBORATE_ADMIN_TOKEN set on the server", headers=CHALLENGE
            )
        token = _presented()
        if not _matches(token, expected):
            message = "this call needs Authorization: Bearer <admin token>" if token is None else "wrong admin token"
            raise APIError(401, message, headers=CHALLENGE)
        return view(*args, **kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    app.before_request(_check_api_token)
