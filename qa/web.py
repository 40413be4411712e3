"""The chat (qa/chat.py), the JSON API and /healthz on one FastAPI app, ready to mount behind an intranet proxy;
who may do what is qa/policy.py. Wiring only.

    from qa.web import create_app
    app = create_app(qa.Assistant.load(), path="/", root_path="/qa", auth=[("editor", "secret")])
    # uvicorn.run(app, host="127.0.0.1", port=7860)

Routes (relative to the public prefix): the Gradio chat at `path` (tabs 问答 and 资料库), `GET|POST /api/ask` →
`Result.to_dict()`, `GET|POST /api/articles`, `DELETE /api/articles/{id}`, `GET /healthz`. The Gradio endpoint
`/ask` serves `gradio_client.Client(url).predict("问题", api_name="/ask")`.

Writes (adding or removing articles) are privileged: with auth configured only the users named in `editors` may
write; without auth only requests from this machine (loopback) may. Everyone who may ask may list the articles.
"""
from __future__ import annotations

import contextlib
import functools
import hmac
import inspect
import json
import logging
import os
import threading
from base64 import b64decode
from typing import Awaitable, Callable, Iterable, Sequence

from .chat import CJK_FONTS, CSS, HEAD, MONO_FONTS, TITLE, build_chat  # first: it sets the offline environment

import anyio  # noqa: E402
import gradio as gr  # noqa: E402
from fastapi import Depends, FastAPI, HTTPException, Query, Request  # noqa: E402
from fastapi.responses import JSONResponse, RedirectResponse  # noqa: E402

from .assistant import Assistant, ChangeReport  # noqa: E402
from .errors import CorpusError, QAError, QuestionError  # noqa: E402
from .policy import (API_MAX_REQUEST_BYTES, ARTICLES_MAX_PAGE_SIZE, ARTICLES_MAX_REQUEST_BYTES,  # noqa: E402
                     ARTICLES_PAGE_SIZE, DEFAULT_TOP_K, SORRY_NOT_LOCAL, SORRY_NOT_SIGNED_IN, SORRY_TOO_LARGE,
                     SORRY_UNEXPECTED, SORRY_UPLOAD_TOO_LARGE, UI_MAX_REQUEST_BYTES, WritePolicy, as_top_k,
                     load_auth, load_editors, newest_first, polite_message)
from .watch import CorpusWatcher  # noqa: E402

log = logging.getLogger(__name__)

Credentials = Sequence[tuple[str, str]] | Callable[[str, str], bool]
# An SSO hook: gets the request, returns the user name, or None when the request is not signed in.
AuthDependency = Callable[[Request], "str | None | Awaitable[str | None]"]

# Defence in depth behind the escaping in qa.render: even an escaping bug could not fetch from another host.
DEFAULT_CSP = ("default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; "
               "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'")


# --- auth ------------------------------------------------------------------------------------------------------

def _credentials_ok(auth: Credentials, user: str, password: str) -> bool:
    if callable(auth):
        return bool(auth(user, password))
    ok = False
    for known_user, known_password in auth:  # compare against every entry: the timing says nothing
        same_user = hmac.compare_digest(known_user.encode(), user.encode())
        same_password = hmac.compare_digest(known_password.encode(), password.encode())
        ok |= same_user and same_password
    return ok


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        user, sep, password = b64decode(token, validate=True).decode("utf-8").partition(":")
    except ValueError:
        return None
    return (user, password) if sep else None


def _user_or_none(auth_dependency: AuthDependency) -> AuthDependency:
    """Gradio lets in any user name that is not None, the empty one too; an SSO proxy that sets X-Remote-User to
    $remote_user sends an empty one for anonymous requests. Here an empty name means not signed in, as in the API."""

    async def user_or_none(request: Request) -> str | None:
        user = auth_dependency(request)
        if inspect.isawaitable(user):
            user = await user
        return user or None

    return user_or_none


def _api_guard(auth: Credentials | None, auth_dependency: AuthDependency | None):
    """The FastAPI dependency that applies the UI's auth to the JSON API (HTTP Basic, or the SSO hook)."""

    async def require_user(request: Request) -> str | None:
        if auth_dependency is not None:
            user = auth_dependency(request)
            if inspect.isawaitable(user):
                user = await user
            if not user:
                raise HTTPException(401, SORRY_NOT_SIGNED_IN)
            return user
        if auth is None:
            return None
        credentials = _basic_credentials(request)
        if credentials is None or not _credentials_ok(auth, *credentials):
            raise HTTPException(401, "请先登录：用户名或密码不正确。",
                                headers={"WWW-Authenticate": 'Basic realm="qa", charset="UTF-8"'})
        return credentials[0]

    return require_user


# --- request limits and headers --------------------------------------------------------------------------------

class _RequestLimits:
    """ASGI middleware: caps request bodies and query strings (413/414), and adds the security headers."""

    def __init__(self, app, api_bytes: int, ui_bytes: int, csp: str | None,
                 articles_bytes: int = ARTICLES_MAX_REQUEST_BYTES, policy: "WritePolicy | None" = None):
        self.app, self.api_bytes, self.ui_bytes, self.csp = app, api_bytes, ui_bytes, csp
        self.articles_bytes = articles_bytes
        self.policy = policy

    def limit(self, path: str, client_host: str | None = None) -> tuple[int, str]:
        """The body limit for a path, and the message when a request goes over it. Article-sized bodies only for
        the article routes, and (without auth) only from clients that may write: others cannot even park them."""
        may_write = self.policy is None or self.policy.refusal("", client_host) != SORRY_NOT_LOCAL
        if may_write and (path == "/api/articles" or path.endswith("/gradio_api/upload")):
            return self.articles_bytes, SORRY_UPLOAD_TOO_LARGE
        return (self.api_bytes if path.startswith("/api/") else self.ui_bytes), SORRY_TOO_LARGE

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path, root = scope["path"], scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        client = scope.get("client")
        limit, too_large = self.limit(path, client[0] if client else None)
        if len(scope.get("query_string", b"")) > min(limit, self.ui_bytes):
            return await _send_error(send, 414, "请求的网址太长：问题请控制在几百字以内。")
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await _send_error(send, 413, too_large)

        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if self.csp:
                    headers.append((b"content-security-policy", self.csp.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _TooLarge:
            if not started:
                await _send_error(send, 413, too_large)


class _TooLarge(Exception):
    pass


async def _send_error(send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# --- the JSON API ----------------------------------------------------------------------------------------------

def _add_api_routes(app: FastAPI, assistant: Assistant, guard, limiter: anyio.CapacityLimiter) -> None:
    async def answer(question, top_k, history=None, since=None, until=None, sources=None) -> JSONResponse:
        ask = functools.partial(assistant.ask, question, as_top_k(top_k), history=history, since=since, until=until,
                                sources=sources)
        try:
            result = await anyio.to_thread.run_sync(ask, limiter=limiter)
        except QuestionError as error:
            return JSONResponse({"detail": polite_message(error)}, status_code=422)
        except Exception:
            log.exception("the JSON API failed on %r", question)
            return JSONResponse({"detail": SORRY_UNEXPECTED}, status_code=500)
        return JSONResponse(result.to_dict())

    @app.get("/api/ask", dependencies=[Depends(guard)])
    async def ask_get(q: str = "", top_k: str = str(DEFAULT_TOP_K), history: list[str] = Query(default=[]),
                      since: str | None = None, until: str | None = None,
                      sources: list[str] = Query(default=[])) -> JSONResponse:
        """`GET /api/ask?q=宇通客车2024年卖了多少辆车?&top_k=3` → Result.to_dict(); a follow-up repeats
        `history=…` for each earlier question, oldest first; `since`/`until` (ISO dates) and repeated `sources=…`
        restrict the articles searched."""
        return await answer(q, top_k, history, since, until, sources or None)

    @app.post("/api/ask", dependencies=[Depends(guard)])
    async def ask_post(request: Request) -> JSONResponse:
        """`POST /api/ask` with `{"q": "…", "top_k": 3, "history": ["…", …], "since": "2025-01-01", "until": …,
        "sources": ["新华社"]}` ("question" works as well as "q"; all but q optional) → Result.to_dict()"""
        try:
            body = json.loads(await request.body() or b"null")
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: '[[[[…' nested past the limit
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"detail": '抱歉，请求体应是 JSON 对象，例如 {"q": "宇通客车2024年卖了多少辆车?", "top_k": 3}。'},
                                status_code=400)
        return await answer(body.get("q", body.get("question", "")), body.get("top_k", DEFAULT_TOP_K),
                            body.get("history"), body.get("since"), body.get("until"), body.get("sources"))

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}


def parse_articles_body(body: bytes) -> list:
    """A POST /api/articles body: one JSON object, a JSON list of them, or JSONL (one object per line).

    Raises CorpusError with the line that is not JSON.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise CorpusError("请求体不是 UTF-8 文本 (body is not valid UTF-8)") from None
    try:
        parsed = json.loads(text)
    except RecursionError:
        raise CorpusError("请求体嵌套太深 (JSON nested too deeply)") from None
    except ValueError:
        parsed = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                parsed.append(json.loads(line))
            except (ValueError, RecursionError):
                raise CorpusError(f"第 {number} 行不是 JSON (line {number} is not JSON); send one article object, "
                                  "a list of them, or JSONL") from None
        if not parsed:
            raise CorpusError('请求体为空：请发送文章，例如 {"id": "a1", "title": "标题", "text": "正文"}')
    return parsed if isinstance(parsed, list) else [parsed]


def _report_json(report: ChangeReport, status_code: int = 200) -> JSONResponse:
    return JSONResponse(report.to_dict(), status_code=status_code)


def _add_article_routes(app: FastAPI, assistant: Assistant, guard, policy: WritePolicy) -> None:
    writer = anyio.CapacityLimiter(1)  # writes queue here; the assistant's lock would serialise them anyway

    async def require_writer(request: Request, user: str | None = Depends(guard)) -> str | None:
        refusal = policy.refusal(user, request.client.host if request.client else None)
        if refusal is not None:
            raise HTTPException(403, refusal)
        return user

    async def change(function, *args) -> JSONResponse:
        try:
            return _report_json(await anyio.to_thread.run_sync(function, *args, limiter=writer))
        except CorpusError as error:
            return JSONResponse({"detail": polite_message(error)}, status_code=400)
        except QAError as error:
            return JSONResponse({"detail": polite_message(error)}, status_code=409)
        except Exception:
            log.exception("changing the library failed")
            return JSONResponse({"detail": SORRY_UNEXPECTED}, status_code=500)

    @app.get("/api/articles", dependencies=[Depends(guard)])
    async def list_articles(offset: str = "0", limit: str = str(ARTICLES_PAGE_SIZE)) -> JSONResponse:
        """`GET /api/articles?offset=0&limit=50` → {"total", "offset", "limit", "articles": [{id, title, date,
        source, passages}]}, newest first."""
        try:
            offset_n, limit_n = int(offset), int(limit)
        except ValueError:
            offset_n = limit_n = -1
        if offset_n < 0 or not 1 <= limit_n <= ARTICLES_MAX_PAGE_SIZE:
            return JSONResponse({"detail": f"抱歉，offset 应为非负整数，limit 应为 1–{ARTICLES_MAX_PAGE_SIZE}。"},
                                status_code=422)
        articles = newest_first(assistant.documents())
        page = articles[offset_n : offset_n + limit_n]
        return JSONResponse({"total": len(articles), "offset": offset_n, "limit": limit_n,
                             "articles": [a.to_dict() for a in page]})

    @app.post("/api/articles")
    async def add_articles(request: Request, _user=Depends(require_writer)) -> JSONResponse:
        """`POST /api/articles` with one article {"id", "title", "text", "date", "source", "url"}, a list of them, or
        JSONL → ChangeReport.to_dict() (added, updated, unchanged, documents, passages, embedded, seconds)."""
        try:
            articles = parse_articles_body(await request.body())
        except CorpusError as error:
            return JSONResponse({"detail": polite_message(error)}, status_code=400)
        return await change(assistant.add, articles)

    @app.delete("/api/articles/{doc_id:path}")
    async def remove_article(doc_id: str, _user=Depends(require_writer)) -> JSONResponse:
        """`DELETE /api/articles/{id}` → ChangeReport.to_dict(); 404 when the library has no such article."""
        if doc_id not in {a.id for a in assistant.documents()}:
            return JSONResponse({"detail": "抱歉，资料库中没有这篇文章。"}, status_code=404)
        return await change(assistant.remove, [doc_id])


# --- the app ---------------------------------------------------------------------------------------------------

def _prepare_changes(assistant: Assistant) -> None:
    try:
        assistant.prepare_changes()
    except Exception:  # a speed-up only: the first change does the same work if this fails
        log.warning("preparing the corpus for changes failed", exc_info=True)


def create_app(assistant: Assistant | None = None, path: str = "/", *, auth: Credentials | None = None,
               auth_dependency: AuthDependency | None = None, root_path: str = "",
               concurrency_limit: int = 4, examples: Sequence[str] | None = None,
               max_request_bytes: int = API_MAX_REQUEST_BYTES,
               content_security_policy: str | None = DEFAULT_CSP,
               editors: Iterable[str] = (), watch: bool = False) -> FastAPI:
    """One FastAPI app: the chat (tabs 问答 and 资料库) at `path`, `/api/ask`, `/api/articles`, `/healthz`.

    assistant:       a loaded Assistant (default: `Assistant.load()` on the configured corpus and index)
    path:            where the chat is mounted inside the app ("/" or e.g. "/chat")
    auth:            [(user, password), …] or a callable(user, password) -> bool; applies to the chat, the
                     Gradio API and the JSON API (HTTP Basic there). See load_auth for files and env vars.
    auth_dependency: an SSO hook instead: request -> user name or None (None means 401), for all three.
    root_path:       the public prefix when a reverse proxy serves the app under e.g. "/qa" (give the same to
                     uvicorn's root_path, as app.py does)
    editors:         user names who may add and remove articles when auth is configured (see load_editors);
                     without auth, only requests from loopback may
    watch:           pick up changes made by hand in the corpus folder while serving (qa.watch.CorpusWatcher)
    """
    if auth is not None and auth_dependency is not None:
        raise ValueError("give either auth (user/password) or auth_dependency (SSO), not both")
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/', got {path!r}")
    root_path = root_path.rstrip("/")
    if root_path and not root_path.startswith("/"):
        raise ValueError(f"root_path must start with '/', got {root_path!r}")
    assistant = assistant or Assistant.load()
    if auth_dependency is not None:
        auth_dependency = _user_or_none(auth_dependency)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        # in the background: the first article added after start-up is then searchable as fast as the later ones
        threading.Thread(target=_prepare_changes, args=(assistant,), name="qa-prepare", daemon=True).start()
        watcher = CorpusWatcher(assistant).start() if watch else None
        try:
            yield
        finally:
            if watcher is not None:
                await anyio.to_thread.run_sync(watcher.stop)

    # No Swagger/ReDoc pages: they load their scripts from a CDN.
    app = FastAPI(title=TITLE, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    policy = WritePolicy(auth is not None or auth_dependency is not None, editors)
    app.add_middleware(_RequestLimits, api_bytes=max_request_bytes, ui_bytes=UI_MAX_REQUEST_BYTES,
                       csp=content_security_policy, policy=policy)
    guard = _api_guard(auth, auth_dependency)
    _add_api_routes(app, assistant, guard, anyio.CapacityLimiter(concurrency_limit))
    _add_article_routes(app, assistant, guard, policy)
    if path != "/":
        @app.get("/", include_in_schema=False)
        async def to_chat(request: Request) -> RedirectResponse:
            prefix = (request.scope.get("root_path") or root_path).rstrip("/")
            return RedirectResponse(prefix + path.rstrip("/") + "/")

    chat = build_chat(assistant, examples, concurrency_limit, policy)
    theme = gr.themes.Default(primary_hue="red", neutral_hue="slate", font=CJK_FONTS, font_mono=MONO_FONTS)
    return gr.mount_gradio_app(
        app, chat, path=path, auth=auth, auth_dependency=auth_dependency,
        auth_message="请输入用户名和密码。" if auth is not None else None,
        root_path=(root_path + path).rstrip("/") or None,
        footer_links=["api"], show_error=False, ssr_mode=False, pwa=False, mcp_server=False,
        enable_monitoring=False, max_file_size=ARTICLES_MAX_REQUEST_BYTES, theme=theme, css=CSS, head=HEAD,
    )


def app_from_env() -> FastAPI:
    """For `uvicorn --factory qa.web:app_from_env`: the default Assistant, auth from QA_AUTH_FILE / QA_AUTH,
    editors from QA_EDITORS, prefix from QA_ROOT_PATH, folder watch when QA_WATCH=1."""
    return create_app(auth=load_auth(), root_path=os.environ.get("QA_ROOT_PATH", ""), editors=load_editors(),
                      watch=os.environ.get("QA_WATCH", "") not in ("", "0", "false"))
