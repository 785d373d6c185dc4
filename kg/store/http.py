"""Talk to a SPARQL 1.1 server over HTTP: one request, bounded in time, errors as sentences.

The only outbound connections ``kg`` makes are to the URLs a user names
(``--endpoint``, ``--update-endpoint``, ``--store-endpoint``): this module
refuses any other scheme than ``http``/``https`` and follows no redirect (a
server that redirects elsewhere is reported with the address it named, for
the user to pass on purpose). Each request has a time limit for connecting
and for the whole answer, and an answer is read up to a size cap.

Every failure is an :class:`EndpointError`: one sentence with the URL, what
happened (refused, timed out, the HTTP status and the server's own first
line) and what to check, so the CLI prints it and exits with code 2. A
server's 400 on a query is a :class:`RefusedQueryError` instead, in the
server's words: the query, not the server, is what the user must change, and
:func:`kg.query.run` points at the place in the query that the server names.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import KgError, StoreError

#: Seconds allowed by default for one request (connecting and reading the whole answer).
DEFAULT_TIMEOUT = 60.0
#: Bytes read at most from one answer (a larger one is refused, not kept in memory).
MAX_RESPONSE = 1024 * 1024 * 1024
USER_AGENT = "thb-kg (https://w3id.org/thb-kg)"


class EndpointError(StoreError):
    """A SPARQL server that cannot be reached, is too slow, or refuses a request."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message)


class RefusedQueryError(KgError):
    """A server's 400 on a query: its own words, which :func:`kg.query.run` places in the
    user's query when they hold a position (``error at 3:14``, as Oxigraph writes)."""


@dataclass(frozen=True)
class Response:
    """An answer: its status, media type (without parameters) and body."""

    status: int
    media_type: str
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: only the URL the user named is ever contacted."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> None:
        raise EndpointError(
            f"The SPARQL server at {req.full_url} redirects to {newurl} (HTTP {code}); "
            "kg follows no redirect: give that address itself if you trust it.",
            url=req.full_url, status=code,
        )


_OPENER = urllib.request.build_opener(_NoRedirect)

# Virtuoso answers a query that names 100 graphs with 100 "X-SPARQL-named-graph" headers;
# http.client refuses more than 100 headers (a module setting, no per-request knob).
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 100_000)  # type: ignore[attr-defined]


def check_url(url: str, what: str = "--endpoint") -> str:
    """``url`` if it is an absolute http(s) URL with a host, else an :class:`EndpointError`."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(
            f"{what} {url!r} is not an http:// or https:// URL of a SPARQL server "
            "(for example http://127.0.0.1:7878/query).",
            url=url,
        )
    return url


def request(
    url: str,
    *,
    method: str = "GET",
    data: bytes | Iterable[bytes] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    what: str = "SPARQL server",
    hint: str = "check that the server is running and that the URL is its endpoint",
) -> Response:
    """Send one request to ``url`` and return the answer, or raise :class:`EndpointError`
    (a server's 400 on a query: :class:`RefusedQueryError`).

    ``timeout`` bounds connecting and reading the whole answer (None: no limit).
    """
    check_url(url)
    head = {"User-Agent": USER_AGENT, **(headers or {})}
    req = urllib.request.Request(url, data=data, headers=head, method=method)  # type: ignore[arg-type]
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        with _OPENER.open(req, timeout=timeout) as answer:
            body = _read(answer, url, deadline, timeout, what)
            media = answer.headers.get_content_type()
            return Response(answer.status, media, body)
    except urllib.error.HTTPError as exc:
        body = _safe_read(exc)
        raise _status_error(url, exc.code, exc.reason, body, what, hint) from None
    except urllib.error.URLError as exc:
        raise _network_error(url, exc.reason, timeout, what, hint) from None
    except TimeoutError:
        raise _timeout_error(url, timeout, what) from None
    except http.client.HTTPException as exc:  # a broken answer: bad status line, headers
        raise EndpointError(
            f"The {what} at {url} sent an answer that is not valid HTTP "
            f"({type(exc).__name__}: {' '.join(str(exc).split())[:100]}); check that the URL "
            "is its endpoint.",
            url=url,
        ) from None
    except (ConnectionError, OSError) as exc:
        if isinstance(exc, EndpointError):
            raise
        raise _network_error(url, exc, timeout, what, hint) from None


def _read(answer: Any, url: str, deadline: float | None, timeout: float | None,
          what: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if deadline is not None and time.monotonic() > deadline:
            raise _timeout_error(url, timeout, what)
        chunk = answer.read(1 << 16)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE:
            raise EndpointError(
                f"The {what} at {url} sent more than {MAX_RESPONSE:,} bytes in one answer; "
                "ask for less (add LIMIT, or fewer columns).",
                url=url,
            )
        chunks.append(chunk)


def _safe_read(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read(64 * 1024) or b""
    except Exception:  # noqa: BLE001 - the status is what we report
        return b""


def server_message(body: bytes, limit: int = 300) -> str:
    """The server's own explanation, on one line and short: its first lines of text."""
    text = body.decode("utf-8", errors="replace")
    import re

    if re.search(r"</[A-Za-z][\w-]*\s*>", text):  # an HTML error page: keep its text only
        text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _status_error(url: str, status: int, reason: Any, body: bytes, what: str,
                  hint: str) -> KgErrorLike:
    said = server_message(body)
    said = f": {said}" if said else ""
    if status == 400:
        return RefusedQueryError(server_message(body) or
                                 f"the {what} at {url} refused the request (HTTP 400)")
    if status in (401, 403):
        advice = "check that this server lets you do this (write access to publish)"
    elif status == 404:
        advice = "check the URL: it is not the endpoint's path (Oxigraph: /query, /update, " \
                 "/store; Virtuoso: /sparql, /sparql-graph-crud)"
    elif status in (405, 415):
        advice = "check that the URL is the right endpoint for this (query, update, or " \
                 "Graph Store)"
    elif status == 413:
        advice = "send less at once (a smaller --batch)"
    elif status in (429, 503):
        advice = "the server is busy or limits its clients; try again later"
    elif status >= 500:
        advice = "check the server's log"
    else:
        advice = hint
    return EndpointError(
        f"The {what} at {url} answered HTTP {status} {reason}{said}; {advice}.",
        url=url, status=status,
    )


KgErrorLike = EndpointError | KgError


def _network_error(url: str, reason: Any, timeout: float | None, what: str,
                   hint: str) -> EndpointError:
    if isinstance(reason, EndpointError):
        return reason
    if isinstance(reason, TimeoutError):
        return _timeout_error(url, timeout, what)
    if isinstance(reason, ConnectionRefusedError):
        why = "the connection was refused"
    elif isinstance(reason, socket.gaierror):
        why = "its host name is unknown"
    elif isinstance(reason, ConnectionResetError):
        why = "the server closed the connection"
    else:
        why = str(getattr(reason, "strerror", None) or reason or "no answer").rstrip(".")
    return EndpointError(f"Cannot reach the {what} at {url}: {why}; {hint}.", url=url)


def _timeout_error(url: str, timeout: float | None, what: str) -> EndpointError:
    limit = f"{timeout:g} s" if timeout is not None else "the time limit"
    return EndpointError(
        f"The {what} at {url} did not answer within {limit}; check that it is not "
        "overloaded, or allow more time (kg query, kg publish: --timeout).",
        url=url,
    )


def form(fields: Iterable[tuple[str, str]]) -> bytes:
    """``application/x-www-form-urlencoded`` bytes of ``fields`` (repeated names kept)."""
    return urllib.parse.urlencode(list(fields)).encode("ascii")
