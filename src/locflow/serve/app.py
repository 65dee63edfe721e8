"""The desk's web application (Starlette): routes, forms, and the security around them.

Every page is rendered on the server with Jinja2 (autoescaping) and every decision
is a plain HTML form post, so the desk works without JavaScript; ``static/desk.js``
adds the keyboard shortcuts. Writes go through :mod:`locflow.pipeline` (locked,
atomic) and carry the hash of the entry as shown: a changed file answers 409.

Security, for a server on the editor's machine that any web page in their
browser could try to reach:

- the Host header must name the address the desk listens on (DNS rebinding);
- every POST needs the desk's token (a cross-site form cannot know it) and is
  refused when the browser says it comes from another site;
- a strict Content-Security-Policy: scripts and styles only from ``/static``;
  the article preview gets its own, with no script at all, in a sandboxed frame;
- catalogs are only found by locale and slug among the project's own files.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from .. import pipeline
from ..config import Project
from ..errors import ConflictError, InputError, LocflowError
from ..locales import bcp47_tag, display_name
from ..model import ReviewState
from ..review import check_reviewer, today
from . import views

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
REVIEWER_COOKIE = "locflow_reviewer"
CSRF_FIELD = "csrf"

DESK_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; "
            "base-uri 'none'")
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer would make form posts send Origin: null
    "x-frame-options": "SAMEORIGIN",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
WILDCARDS = ("0.0.0.0", "::", "")

# done=... in a redirect → what the page says (never text from the request itself)
MESSAGES = {
    "approved": "Approved.",
    "approved-all": "Approved every entry awaiting review.",
    "approved-correction": "Correction approved.",
    "approved-corrections": "Approved every correction.",
    "not-correction": "Not approved: the entry is no longer a correction draft.",
    "rejected": "Rejected: the translator sees your reason in their editor.",
    "edited": "Saved: the entry is translated and awaits review.",
    "unchanged": "Nothing changed.",
    "not-approved": "Not approved: only translated entries (awaiting review) can be approved.",
    "blocked": "Not approved: a check reports an error on this entry. Fix the translation, or "
               "silence the check with a `# locflow-ignore:` comment if it is wrong here.",
    "named": "Thanks: your decisions are recorded under this name.",
}

# an error page's heading (and title), by status
ERROR_HEADINGS = {
    400: "Not done",
    403: "Not done: the form is out of date",
    404: "Not found",
    405: "Not a page to open",
    500: "The desk failed",
}

ASGIApp = Callable[[MutableMapping[str, Any], Callable[[], Awaitable[Any]],
                    Callable[[MutableMapping[str, Any]], Awaitable[None]]], Awaitable[None]]


# -- hosts ----------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether *host* (a name or address to listen on) is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers a desk listening on *host*:*port* answers."""
    names = {_bracket(host), "localhost", "127.0.0.1", "[::1]"} - {""}
    return frozenset(f"{name}:{port}" for name in names)


def host_allowed(header: str, allowed: frozenset[str], port: int, wildcard: bool) -> bool:
    """Whether a request's Host header is acceptable.

    A domain name other than ``localhost`` or the one listened on is refused: that is
    what a DNS-rebinding page sends. Listening on every interface (``0.0.0.0``), an IP
    address with the desk's port is accepted too: rebinding needs a name.
    """
    header = header.strip().lower()
    if header in allowed:
        return True
    if not wildcard:
        return False
    name, _, given_port = header.rpartition(":")
    if given_port != str(port):
        return False
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


class Guard:
    """ASGI middleware: Host check, cross-site POST refusal, security headers."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str], port: int, wildcard: bool) -> None:
        self.app = app
        self.hosts = hosts
        self.port = port
        self.wildcard = wildcard

    async def __call__(self, scope: MutableMapping[str, Any],
                       receive: Callable[[], Awaitable[Any]],
                       send: Callable[[MutableMapping[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        refusal = None
        if not host_allowed(host, self.hosts, self.port, self.wildcard):
            refusal = PlainTextResponse("unknown host: open the desk at the address "
                                        "`locflow serve` printed", status_code=400)
        elif scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if headers.get("sec-fetch-site") == "cross-site" or (
                    origin is not None and origin.lower() != f"http://{host.lower()}"):
                refusal = PlainTextResponse("cross-site request refused", status_code=403)
        if refusal is not None:
            await refusal(scope, receive, self._secured(send))
            return
        await self.app(scope, receive, self._secured(send))

    @staticmethod
    def _secured(send: Callable[[MutableMapping[str, Any]], Awaitable[None]]
                 ) -> Callable[[MutableMapping[str, Any]], Awaitable[None]]:
        async def send_secured(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                extra = dict(SECURITY_HEADERS)
                extra["content-security-policy"] = DESK_CSP
                for name, value in extra.items():
                    if name.encode() not in present:
                        raw.append((name.encode(), value.encode()))
                message["headers"] = raw
            await send(message)

        return send_secured


# -- the application --------------------------------------------------------------------


@dataclass
class Desk:
    """What every request handler shares."""

    project: Project
    token: str  # the CSRF token of this server run
    env: jinja2.Environment

    # -- rendering --------------------------------------------------------------------
    def page(self, request: Request, template: str, status_code: int = 200,
             **context: Any) -> HTMLResponse:
        # path: the page the name form comes back to (a form's address is no page)
        values = {"csrf": self.token, "reviewer": reviewer_name(request),
                  "path": request.url.path, "project_name": self.project.config.name}
        html = self.env.get_template(template).render({**values, **context})
        return HTMLResponse(html, status_code=status_code,
                            headers={"cache-control": "no-store"})

    def error(self, request: Request, status_code: int, message: str, back: str = ""
              ) -> HTMLResponse:
        """The error page: what went wrong, and a way back (*back*: a path of the desk,
        the review page the request came from; else the one its address names)."""
        heading = ERROR_HEADINGS.get(status_code, "Not done")
        if not back and request.method == "POST":
            back = self.back(request)
        return self.page(request, "error.html", status_code, message=message,
                         heading=heading, title=f"{heading} ({status_code})", back=back,
                         path=back.partition("#")[0] or "/")

    def back(self, request: Request, form: FormData | None = None) -> str:
        """The desk page a request came from, to link back to: the review page of the
        catalog its address names (at the entry its form names), or the page a name form
        was given on; "" if none. Only ever a path of this desk, built from what the
        desk knows (never a URL from the request)."""
        params = request.path_params
        if isinstance(params.get("locale"), str) and isinstance(params.get("slug"), str):
            ref = views.find_catalog(self.project, params["locale"], params["slug"])
            if ref is not None:
                return _review_url(ref, anchor=_anchor(form, "index") if form is not None
                                   else "")
        given = form.get("back") if form is not None else None
        return _desk_path(given) if isinstance(given, str) else ""

    # -- requests ---------------------------------------------------------------------
    async def form(self, request: Request) -> FormData:
        """The posted form, after checking the desk's token (403 without it)."""
        form = await request.form()
        given = form.get(CSRF_FIELD)
        if not isinstance(given, str) or not hmac.compare_digest(given.encode(),
                                                                  self.token.encode()):
            raise _Refused(403, "Nothing was saved: this form is out of date (the desk was "
                                "restarted since the page was loaded) or did not come from "
                                "the desk. Go back to the page, which shows the current text, "
                                "and decide again.", back=self.back(request, form))
        return form

    def catalog(self, request: Request) -> pipeline.CatalogRef:
        locale = request.path_params["locale"]
        slug = request.path_params["slug"]
        ref = views.find_catalog(self.project, locale, slug)
        if ref is None:
            raise _Refused(404, "No such catalog in this project.")
        return ref


class _Refused(Exception):
    def __init__(self, status: int, message: str, back: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.back = back


def reviewer_name(request: Request) -> str:
    """The reviewer's name from the desk's cookie, or "" if none (or not a valid name)."""
    raw = request.cookies.get(REVIEWER_COOKIE, "")
    try:
        return check_reviewer(unquote(raw)) if raw else ""
    except InputError:
        return ""


def _field(form: FormData, name: str, limit: int = 100_000) -> str:
    value = form.get(name)
    if not isinstance(value, str) or len(value) > limit:
        raise _Refused(400, f"The form lacks a valid {name!r} field.")
    return value


def _state(form: FormData) -> ReviewState:
    try:
        return ReviewState(_field(form, "state", 20))
    except ValueError:
        raise _Refused(400, "The form names an unknown state.") from None


def _review_url(ref: pipeline.CatalogRef, done: str = "", anchor: str = "", **query: str) -> str:
    url = f"/review/{quote(ref.locale or '')}/{quote(ref.article or '')}"
    params = {"done": done, **query} if done else dict(query)
    if params:
        url += "?" + "&".join(f"{k}={quote(v)}" for k, v in params.items() if v)
    return url + (f"#{anchor}" if anchor else "")


def _anchor(form: FormData, name: str) -> str:
    """The page anchor of the entry whose index the form field *name* holds; none for
    anything but a plain number of ASCII digits (``²``, ``١``, or thousands of digits,
    which ``int()`` refuses: a 500)."""
    value = form.get(name)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        return f"e{int(value)}"
    return ""


def _why_not_approved(path: Path, key: views.Key, correction: bool = False) -> str:
    """The message key saying why an approval (of a *correction*) changed nothing."""
    entry = views.current_entry(path, key)
    if correction:
        return "blocked" if entry is not None and entry.correction else "not-correction"
    return "blocked" if entry is not None and entry.state is ReviewState.TRANSLATED \
        else "not-approved"


def _desk_path(value: str) -> str:
    """*value* if it is a path of the desk (``/review/es/vote``), else "": what a form
    may name as the page to go back to; never another site (``//evil``, ``https:``)."""
    if re.fullmatch(r"/[\w\-/.%]*", value) and not value.startswith("//"):
        return value
    return ""


def _style_hashes(html: str) -> str:
    """CSP source expressions for the inline ``<style>`` blocks of a rendered page."""
    hashes = []
    for match in re.finditer(r"<style>([^<]*)</style>", html):
        digest = hashlib.sha256(match.group(1).encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return " ".join(hashes) or "'none'"


def create_app(project: Project, *, host: str = "127.0.0.1", port: int = 8765,
               token: str | None = None) -> ASGIApp:
    """The desk for *project*, answering requests addressed to *host*:*port*."""
    desk = Desk(project, token or secrets.token_urlsafe(32), _environment())

    async def http_error(request: Request, exc: Exception) -> Response:
        """Starlette's own refusals (an unknown address, a GET of a form's address, a
        missing static file) as the desk's error page."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        headers = exc.headers if isinstance(exc, HTTPException) else None
        messages = {404: "There is no page at this address.",
                    405: "This address takes a form sent from a desk page; there is "
                         "nothing to open here."}
        response = desk.error(request, status, messages.get(
            status, "The request failed. The terminal running `locflow serve` says why."))
        response.headers.update(headers or {})
        return response

    app = Starlette(routes=_routes(desk),
                    exception_handlers={HTTPException: http_error, 500: http_error})
    wildcard = host in WILDCARDS
    return Guard(app, allowed_hosts(host, port), port, wildcard)


def _environment() -> jinja2.Environment:
    """The desk's templates: autoescaped, and strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["states"] = views.STATES
    return env


_Handler = Callable[[Desk, Request], Awaitable[Response]]


def _routes(desk: Desk) -> list[BaseRoute]:
    """Every page and form of the desk, each handler bound to *desk*."""
    post = ["POST"]
    return [
        Route("/", _guarded(desk, _dashboard)),
        Route("/review/{locale}/{slug}", _guarded(desk, _review)),
        Route("/preview/{locale}/{slug}", _guarded(desk, _preview)),
        Route("/review/{locale}/{slug}/approve", _guarded(desk, _approve), methods=post),
        Route("/review/{locale}/{slug}/approve-all", _guarded(desk, _approve_all),
              methods=post),
        Route("/review/{locale}/{slug}/approve-correction",
              _guarded(desk, _approve_correction), methods=post),
        Route("/review/{locale}/{slug}/approve-corrections",
              _guarded(desk, _approve_corrections), methods=post),
        Route("/review/{locale}/{slug}/reject", _guarded(desk, _reject), methods=post),
        Route("/review/{locale}/{slug}/edit", _guarded(desk, _edit), methods=post),
        Route("/reviewer", _guarded(desk, _set_reviewer), methods=post),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]


def _guarded(desk: Desk, handler: _Handler) -> Callable[[Request], Awaitable[Response]]:
    """*handler* for *desk*, with refusals and locflow's errors answered as error pages."""
    async def run(request: Request) -> Response:
        try:
            return await handler(desk, request)
        except _Refused as refused:
            return desk.error(request, refused.status, refused.message, refused.back)
        except InputError as exc:
            return desk.error(request, 400, str(exc))
        except LocflowError as exc:
            return desk.error(request, 500, str(exc))

    return run


# -- pages ----------------------------------------------------------------------------


async def _dashboard(desk: Desk, request: Request) -> Response:
    config = desk.project.config
    state = request.query_params.get("state", "")
    state = state if state in views.STATES else ""
    locale = request.query_params.get("locale", "")
    every_locale = (*config.target_locales, *(d.locale for d in config.derived))
    locale = locale if locale in every_locale else ""
    every = await run_in_threadpool(views.catalog_rows, desk.project, locale=locale)
    late = await run_in_threadpool(views.behind_rows, desk.project, every,
                                   dt.date.fromisoformat(today()))
    derived = await run_in_threadpool(views.derived_rows, desk.project, every)
    rows = views.with_state(every, state)
    locales = [(code, display_name(code), bcp47_tag(code)) for code in every_locale]
    message = MESSAGES.get(request.query_params.get("done", ""), "")
    return desk.page(request, "dashboard.html", rows=rows, totals=views.totals(rows),
                     message=message, behind=late, outdated_mode=config.outdated,
                     derived=derived, state=state, locale=locale, locales=locales,
                     title="Review desk")


async def _review(desk: Desk, request: Request) -> Response:
    ref = desk.catalog(request)
    page = await run_in_threadpool(views.review_page, desk.project, ref)
    draft = request.query_params.get("preview") == "translated"
    preview = None
    if ref.article != pipeline.SITE:
        from ..publish import preview_page

        preview = await run_in_threadpool(preview_page, desk.project, ref.article or "",
                                          ref.locale or "")
    done = request.query_params.get("done", "")
    message = MESSAGES.get(done, "")
    if done in ("approved-all", "approved-corrections"):
        count = request.query_params.get("n", "")
        skipped = request.query_params.get("skipped", "")
        what = ("entr" + ("y" if count == "1" else "ies") if done == "approved-all"
                else "correction" + ("" if count == "1" else "s"))
        if count.isdigit():
            message = f"Approved {count} {what}."
        if skipped.isdigit() and skipped != "0":
            was = "awaiting review" if done == "approved-all" else "a correction draft"
            message += (f" {skipped} not approved: no longer {was}, or a check "
                        "reports an error on them.")
    return desk.page(request, "review.html", page=page, message=message, draft=draft,
                     preview=preview, title=f"{page.title} · {page.locale_name}",
                     review_url=_review_url(ref))


async def _preview(desk: Desk, request: Request) -> Response:
    from ..publish import preview_page

    ref = desk.catalog(request)
    if ref.article == pipeline.SITE:
        raise _Refused(404, "The interface strings have no page of their own.")
    draft = request.query_params.get("preview") == "translated"
    result = await run_in_threadpool(preview_page, desk.project, ref.article or "",
                                     ref.locale or "", include_translated=draft)
    csp = (f"default-src 'none'; style-src {_style_hashes(result.html)}; "
           "img-src 'self' data: https:; frame-ancestors 'self'; base-uri 'none'; "
           "form-action 'none'; sandbox")
    return HTMLResponse(result.html, headers={"content-security-policy": csp,
                                              "cache-control": "no-store"})


# -- decisions ------------------------------------------------------------------------


def _need_reviewer(request: Request) -> str:
    name = reviewer_name(request)
    if not name:
        raise _Refused(400, "Tell the desk your name first (at the top of the page): "
                            "it is recorded with each decision.")
    return name


async def _conflict(desk: Desk, request: Request, ref: pipeline.CatalogRef,
                    exc: ConflictError, action: str, yours: Sequence[str],
                    index: str = "") -> Response:
    keys = exc.keys or ()
    current = [await run_in_threadpool(views.current_entry, ref.path, key) for key in keys]
    now = current[0] if len(current) == 1 else None
    diffs = views.conflict_diffs(action, yours, now) if now is not None else []
    locale = ref.locale or ""
    return desk.page(request, "conflict.html", 409, action=action, yours=list(yours),
                     keys=keys, current=current, message=exc.message, index=index,
                     review_url=_review_url(ref), title="Changed meanwhile", diffs=diffs,
                     lang=bcp47_tag(locale) if locale else "",
                     locale_name=display_name(locale) if locale else "",
                     source_lang=bcp47_tag(desk.project.config.source_locale),
                     back_url=_review_url(ref, anchor=f"e{index}" if index else ""),
                     path=_review_url(ref))


async def _decide(desk: Desk, request: Request, action: str) -> Response:
    ref = desk.catalog(request)
    form = await desk.form(request)
    key = views.entry_key(_field(form, "key"))
    seen_hash = _field(form, "hash", 64)
    seen_state = _state(form)
    anchor = _anchor(form, "next")
    seen = [v for v in form.getlist("seen") if isinstance(v, str)]
    yours = seen
    try:
        if action in ("approve", "approve-correction"):
            name = _need_reviewer(request)
            correction = action == "approve-correction"
            approve = pipeline.approve_correction if correction else pipeline.approve_entry
            changed = await run_in_threadpool(approve, ref.path, key, seen_hash, name,
                                              today(), seen_state=seen_state,
                                              project=desk.project)
            done = ("approved-correction" if correction else "approved") if changed \
                else await run_in_threadpool(_why_not_approved, ref.path, key, correction)
        elif action == "reject":
            name = _need_reviewer(request)
            reason = _field(form, "reason", 2000)
            changed = await run_in_threadpool(pipeline.reject_entry, ref.path, key,
                                              seen_hash, name, today(), reason,
                                              seen_state=seen_state)
            done = "rejected" if changed else "unchanged"
        else:
            yours = [v for v in form.getlist("msgstr") if isinstance(v, str)]
            changed = await run_in_threadpool(pipeline.edit_entry, ref.path, key,
                                              seen_hash, yours, seen_state=seen_state)
            done = "edited" if changed else "unchanged"
            anchor = _anchor(form, "index")  # stay: the editor may approve it next
    except ConflictError as exc:
        index = form.get("index")
        return await _conflict(desk, request, ref, exc, action, yours,
                               index if isinstance(index, str) and index.isdigit() else "")
    return RedirectResponse(_review_url(ref, done, anchor), status_code=303)


async def _approve(desk: Desk, request: Request) -> Response:
    return await _decide(desk, request, "approve")


async def _approve_correction(desk: Desk, request: Request) -> Response:
    return await _decide(desk, request, "approve-correction")


async def _reject(desk: Desk, request: Request) -> Response:
    return await _decide(desk, request, "reject")


async def _edit(desk: Desk, request: Request) -> Response:
    return await _decide(desk, request, "edit")


async def _approve_all(desk: Desk, request: Request, corrections: bool = False) -> Response:
    """Approve every entry awaiting review the page listed (or, with *corrections*,
    every correction draft), all or none."""
    ref = desk.catalog(request)
    form = await desk.form(request)
    name = _need_reviewer(request)
    seen: dict[views.Key, str] = {}
    for item in views.parse_json_list(_field(form, "entries", 5_000_000)):
        if not (isinstance(item, list) and len(item) == 3 and all(
                isinstance(v, str) for v in item[1:])
                and (item[0] is None or isinstance(item[0], str))):
            raise _Refused(400, "The form's entry list is malformed.")
        seen[(item[0], item[1])] = item[2]
    action = "approve-corrections" if corrections else "approve-all"
    try:
        result = await run_in_threadpool(pipeline.approve_entries, ref.path, seen, name,
                                         today(), corrections=corrections,
                                         project=desk.project)
    except ConflictError as exc:
        return await _conflict(desk, request, ref, exc, action, [])
    done = "approved-corrections" if corrections else "approved-all"
    return RedirectResponse(_review_url(ref, done, n=str(result.changed),
                                        skipped=str(result.skipped)), status_code=303)


async def _approve_corrections(desk: Desk, request: Request) -> Response:
    return await _approve_all(desk, request, corrections=True)


async def _set_reviewer(desk: Desk, request: Request) -> Response:
    form = await desk.form(request)
    try:
        name = check_reviewer(_field(form, "name", 200))
    except InputError as exc:
        raise _Refused(400, exc.message) from None
    back = form.get("back")
    # back to the page the name was given on: a path of the desk, nothing else
    target = (_desk_path(back) if isinstance(back, str) else "") or "/"
    response = RedirectResponse(target + "?done=named", status_code=303)
    response.set_cookie(REVIEWER_COOKIE, quote(name), max_age=365 * 24 * 3600,
                        httponly=True, samesite="strict", path="/")
    return response
