"""The chat UI, the JSON API and /healthz on one FastAPI app, ready to mount behind an intranet proxy. Wiring only.

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
import hmac
import inspect
import json
import logging
import os
import re
from base64 import b64decode
from pathlib import Path
from typing import Awaitable, Callable, Iterable, Sequence

# The intranet has no internet: Gradio would look up its version-check and telemetry hosts, and gradio_client /
# huggingface_hub the Hub. These must be set before gradio is imported.
for _name, _value in (("GRADIO_ANALYTICS_ENABLED", "False"), ("HF_HUB_OFFLINE", "1"),
                      ("HF_HUB_DISABLE_TELEMETRY", "1")):
    os.environ.setdefault(_name, _value)

import anyio  # noqa: E402
import gradio as gr  # noqa: E402
from fastapi import Depends, FastAPI, HTTPException, Request  # noqa: E402
from fastapi.responses import JSONResponse, RedirectResponse  # noqa: E402

from .assistant import Assistant, ChangeReport  # noqa: E402
from .corpus import MAX_ARTICLE_BYTES, READABLE_SUFFIXES, read_article_file  # noqa: E402
from .errors import CorpusError, QAError, QuestionError  # noqa: E402
from .render import corpus_html, library_html, message_html, render_html  # noqa: E402
from .watch import CorpusWatcher  # noqa: E402

log = logging.getLogger(__name__)

Credentials = Sequence[tuple[str, str]] | Callable[[str, str], bool]
# An SSO hook: gets the request, returns the user name, or None when the request is not signed in.
AuthDependency = Callable[[Request], "str | None | Awaitable[str | None]"]

TITLE = "新闻数字问答"
DEFAULT_TOP_K = 3
UI_MAX_TOP_K = 10
MAX_HISTORY_MESSAGES = 20  # the chat history travels with every request; keep it (and the request) bounded
# Gradio keeps a copy of the page's state for every session (each page load, each gradio_client, each
# /gradio_api/call request): about 50 KB, up to 10,000 sessions by default. The chat keeps no state between
# requests (the history comes with each one), so a forgotten session costs nothing; keep only the recent ones.
GRADIO_SESSIONS_KEPT = 256
API_MAX_REQUEST_BYTES = 16 * 1024
UI_MAX_REQUEST_BYTES = 1024 * 1024
# Articles come in bigger bodies than questions: a POST /api/articles, an upload in the 资料库 tab.
ARTICLES_MAX_REQUEST_BYTES = 2 * MAX_ARTICLE_BYTES
ARTICLES_PAGE_SIZE = 50
ARTICLES_MAX_PAGE_SIZE = 1000
LIBRARY_LISTED = 500  # rows of the 资料库 tab's table; the API pages through any number
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
SORRY_NOT_AN_EDITOR = "抱歉，只有编辑可以增删文章。"
SORRY_NOT_LOCAL = "抱歉，未配置登录时只能在本机增删文章（请配置 QA_AUTH 与 QA_EDITORS）。"
SORRY_TOO_LARGE = "请求内容太大：问题请控制在几百字以内。"
SORRY_UPLOAD_TOO_LARGE = f"上传内容太大：单次不超过 {ARTICLES_MAX_REQUEST_BYTES // 2**20} MB。"
SORRY_UNEXPECTED = "抱歉，系统出了点问题，请稍后再试。"
SORRY_NOT_SIGNED_IN = "请先登录。"

# Questions offered as examples. Each is asked once at start-up; only those the loaded corpus answers are shown,
# so another corpus simply shows fewer (or none).
EXAMPLE_CANDIDATES = (
    "宇通客车2024年卖了多少辆车?",
    "郑州计划让算力规模达到多少？",
    "2024年中创智领集团营收是多少?",
    "超聚变2024年产值增长了多少？",
    "宇通产品远销全球多少个国家和地区？",
)

# System fonts only: the page must not fetch fonts from anywhere.
CJK_FONTS = ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "ui-sans-serif", "system-ui", "sans-serif")
MONO_FONTS = ("ui-monospace", "SFMono-Regular", "Consolas", "Noto Sans Mono CJK SC", "monospace")

# Defence in depth behind the escaping in qa.render: even an escaping bug could not fetch from another host.
DEFAULT_CSP = ("default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; "
               "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'")

# Gradio scopes `css` to the inside of its layout, so the rules for the page around it go into <head>.
PAGE_CSS = """
.gradio-container .main.app { max-width: 960px; margin: 0 auto; }
footer .divider { display: none; }
@media (max-width: 640px) { .gradio-container .main.app { padding-left: 8px !important; padding-right: 8px !important; } }
"""
CSS = """
#qa-header h1 { font-size: 1.6rem; margin: 0.2em 0; }
#qa-header p { margin: 0.2em 0; color: var(--body-text-color-subdued); line-height: 1.6; }
.qa-reply, .qa-message, .qa-error { line-height: 1.75; font-size: 15px; }
.qa-answer-line { margin: 0 0 0.6em 0 !important; font-size: 16px; }
.qa-answer-text { font-size: 1.15em; color: #b91c1c; }
.qa-answer-source { color: var(--body-text-color-subdued); }
.qa-not-found { color: var(--body-text-color-subdued); }
.qa-passages { list-style: none; padding: 0 !important; margin: 0 !important; }
.qa-passage { margin: 0.6em 0 !important; padding: 0.5em 0.75em; border-left: 3px solid #e5e7eb;
              background: rgba(127, 127, 127, 0.06); border-radius: 4px; }
.qa-meta { display: flex; flex-wrap: wrap; gap: 0.2em 0.8em; font-size: 12.5px;
           color: var(--body-text-color-subdued); margin-bottom: 0.25em; }
.qa-rank { font-weight: 600; }
.qa-rank::before { content: "#"; }
.qa-title { font-weight: 600; color: var(--body-text-color); }
.qa-text { margin: 0 !important; overflow-wrap: anywhere; }
mark.qa-answer { white-space: nowrap; background: #fde047; color: #7f1d1d; font-weight: 700; padding: 0 0.15em;
                 border-radius: 3px; box-shadow: 0 0 0 1px #eab308; }
mark.qa-number { white-space: nowrap; background: #fef9c3; color: inherit; padding: 0 0.1em; border-radius: 2px; }
.qa-error { color: #b45309; }
#qa-library { max-height: 50vh; overflow: auto; }
.qa-library-table { width: 100%; font-size: 13.5px; }
.qa-library-table td:nth-child(2), .qa-library-table td:nth-child(4) { white-space: nowrap; }
.qa-library-id { color: var(--body-text-color-subdued); overflow-wrap: anywhere; }
@media (max-width: 640px) {  /* phones: give the text the width Gradio spends on gutters */
  #qa-chat .bot-row { margin-left: 4px !important; margin-right: 4px !important; }
  #qa-chat .bot.message { padding: 6px !important; }
  .qa-passage { padding: 0.4em 0.5em; }
  #qa-header h1 { font-size: 1.3rem; }
  .qa-reply, .qa-message { font-size: 14px; }
}
"""
# After a reply, scroll the chat so the new question and the start of its answer are in view (the default, scrolling
# to the bottom, shows the last passage and hides the answer line).
SCROLL_TO_QUESTION_JS = """() => { setTimeout(() => {
  const rows = document.querySelectorAll('#qa-chat .message-row.user-row');
  const last = rows[rows.length - 1];
  const box = last && last.closest('.bubble-wrap');
  if (box) box.scrollTop = last.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 8;
}, 60); }"""
HEAD = f'<meta name="referrer" content="no-referrer"><style>{PAGE_CSS}</style>'


# --- auth ------------------------------------------------------------------------------------------------------

def load_auth(path: str | Path | None = None, environ: dict | None = None) -> list[tuple[str, str]] | None:
    """Users allowed in, from a file (`path`, else $QA_AUTH_FILE) or from $QA_AUTH; None when neither is set.

    The file has one `user:password` per line (blank lines and `# comments` ignored, spaces around names and
    passwords too; a password may contain ':'); QA_AUTH holds
    `user:password` pairs separated by commas, e.g. QA_AUTH="editor:s3cret,desk:other".
    """
    environ = os.environ if environ is None else environ
    path = path or environ.get("QA_AUTH_FILE")
    if path:
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise ValueError(f"cannot read the auth file {path}: {error.strerror}; "
                             "give a file with one user:password per line") from None
        where = lambda number: f"{path}, line {number}"  # noqa: E731
    elif environ.get("QA_AUTH"):
        lines = environ["QA_AUTH"].split(",")
        where = lambda number: f"QA_AUTH, entry {number}"  # noqa: E731
    else:
        return None
    users = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user.strip() or not password.strip():
            raise ValueError(f"{where(number)}: expected user:password")
        users.append((user.strip(), password.strip()))
    if not users:
        raise ValueError(f"{where(1)}: no user:password entries")
    return users


def load_editors(value: str | Iterable[str] | None = None, environ: dict | None = None) -> frozenset[str]:
    """Users who may add and remove articles: `value` (names separated by commas, or a list), else $QA_EDITORS.

    >>> sorted(load_editors("editor, desk"))
    ['desk', 'editor']
    """
    environ = os.environ if environ is None else environ
    if value is None:
        value = environ.get("QA_EDITORS", "")
    names = value.split(",") if isinstance(value, str) else list(value)
    return frozenset(name.strip() for name in names if name and name.strip())


class WritePolicy:
    """Who may change the library: with auth, the named editors; without auth, only this machine (loopback)."""

    def __init__(self, auth_configured: bool, editors: Iterable[str] = ()):
        self.auth_configured = auth_configured
        self.editors = frozenset(editors)

    def refusal(self, user: str | None, client_host: str | None) -> str | None:
        """None when this user, from this address, may write; else the polite Chinese reason."""
        if self.auth_configured:
            return None if user and user in self.editors else SORRY_NOT_AN_EDITOR
        return None if client_host in LOOPBACK_HOSTS else SORRY_NOT_LOCAL


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

def polite_message(error: QAError) -> str:
    """The Chinese half of a QAError as one polite sentence: '抱歉，问题为空：请输入一个问题。'"""
    text = str(error).split(" (", 1)[0].strip().rstrip("。.")
    return f"抱歉，{text or '这个问题无法处理'}。"


def _as_top_k(value):
    """HTTP gives strings and JSON gives numbers; anything not a whole number goes on to Assistant.ask as is,
    which rejects it with its own message."""
    if isinstance(value, str) and len(value) < 10:
        try:
            return int(value)
        except ValueError:  # '²' and '+-5' pass str.isdigit-style checks but are not numbers
            return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _add_api_routes(app: FastAPI, assistant: Assistant, guard, limiter: anyio.CapacityLimiter) -> None:
    async def answer(question, top_k) -> JSONResponse:
        try:
            result = await anyio.to_thread.run_sync(assistant.ask, question, _as_top_k(top_k), limiter=limiter)
        except QuestionError as error:
            return JSONResponse({"detail": polite_message(error)}, status_code=422)
        except Exception:
            log.exception("the JSON API failed on %r", question)
            return JSONResponse({"detail": SORRY_UNEXPECTED}, status_code=500)
        return JSONResponse(result.to_dict())

    @app.get("/api/ask", dependencies=[Depends(guard)])
    async def ask_get(q: str = "", top_k: str = str(DEFAULT_TOP_K)) -> JSONResponse:
        """`GET /api/ask?q=宇通客车2024年卖了多少辆车?&top_k=3` → Result.to_dict()"""
        return await answer(q, top_k)

    @app.post("/api/ask", dependencies=[Depends(guard)])
    async def ask_post(request: Request) -> JSONResponse:
        """`POST /api/ask` with `{"q": "…", "top_k": 3}` ("question" works as well as "q") → Result.to_dict()"""
        try:
            body = json.loads(await request.body() or b"null")
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: '[[[[…' nested past the limit
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"detail": '抱歉，请求体应是 JSON 对象，例如 {"q": "宇通客车2024年卖了多少辆车?", "top_k": 3}。'},
                                status_code=400)
        return await answer(body.get("q", body.get("question", "")), body.get("top_k", DEFAULT_TOP_K))

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


def newest_first(articles):
    return sorted(articles, key=lambda a: (a.date or "", a.id), reverse=True)


# --- the chat --------------------------------------------------------------------------------------------------

def answerable_examples(assistant: Assistant, candidates: Iterable[str] = EXAMPLE_CANDIDATES,
                        limit: int = 4) -> list[str]:
    """The candidate questions the loaded corpus has an answer for, at most `limit` of them."""
    chosen = []
    for question in candidates:
        try:
            if assistant.ask(question, top_k=1).answer is not None:
                chosen.append(question)
        except Exception:  # an example is a nicety; never let it stop the app from starting
            log.exception("example question %r failed", question)
        if len(chosen) >= limit:
            break
    return chosen


def reply_html(assistant: Assistant, question: str, top_k) -> str:
    """The chat's answer to one question; errors become one Chinese sentence, never a traceback."""
    try:
        return render_html(assistant.ask(question, top_k=_as_top_k(top_k)))
    except QuestionError as error:
        return message_html(polite_message(error), "qa-error")
    except Exception:
        log.exception("the chat failed on %r", question)
        return message_html(SORRY_UNEXPECTED, "qa-error")


def header_html(assistant: Assistant) -> str:
    return (f'<h1>{TITLE}</h1><p>用中文提问新闻里的数字，答案会被标出，并注明出自哪篇文章、哪一段。</p>'
            f'{corpus_html(assistant.documents())}')


def _short_reason(text, name: str = "") -> str:
    """The Chinese half of an error message, without the file name it starts with (the English in parentheses is
    for logs and the API)."""
    text = str(text)
    if name and text.startswith(f"{name}: "):
        text = text[len(name) + 2:]
    return re.sub(r"\s*\([\x00-\x7f]*\)", "", text).strip() or text


def add_uploaded_files(assistant: Assistant, files: Sequence[tuple[str, bytes]]) -> list[str]:
    """Read each uploaded file, add what could be read in one change, and say per file what happened:
    '新闻.jsonl：已加入 3 篇；1 篇无法读取：第2行 跳过此行'. Raises QAError when the library cannot be changed."""
    documents, outcomes, seen = [], [], set()
    for name, data in files:
        name = Path(name).name
        try:
            if Path(name).suffix.lower() not in READABLE_SUFFIXES:
                raise CorpusError(f"{name}: 不支持的文件类型，请上传 {' '.join(READABLE_SUFFIXES)} 文件")
            if len(data) > ARTICLES_MAX_REQUEST_BYTES:
                raise CorpusError(f"{name}: 文件太大 (over {ARTICLES_MAX_REQUEST_BYTES // 2**20} MB)")
            read, problems = read_article_file(data, name)
        except CorpusError as error:
            outcomes.append((name, [], [_short_reason(error, name)]))
            continue
        reasons = [f"{p.path.rpartition(':')[2] and '第' + p.path.rpartition(':')[2] + '行'} {_short_reason(p.reason)}"
                   for p in problems]
        kept = []
        for document in read:
            if document.id in seen:
                reasons.append(f"重复的文章 id {document.id}")
            else:
                seen.add(document.id)
                kept.append(document)
        documents.extend(kept)
        outcomes.append((name, kept, reasons))
    report = assistant.add(documents) if documents else None
    lines = []
    for name, kept, reasons in outcomes:
        parts = []
        if kept:
            updated = sum(d.id in report.updated for d in kept)
            same = sum(d.id in report.unchanged for d in kept)
            note = "，".join(x for x in (f"{updated} 篇为更新" if updated else "",
                                         f"{same} 篇与已有的相同" if same else "") if x)
            parts.append(f"已加入 {len(kept)} 篇" + (f"（{note}）" if note else ""))
        if reasons:
            parts.append(f"{len(reasons)} 篇无法读取：" + "；".join(reasons[:3]) + (" 等" if len(reasons) > 3 else ""))
        lines.append(f"{name}：" + "；".join(parts))
    return lines


def build_chat(assistant: Assistant, examples: Sequence[str] | None = None,
               concurrency_limit: int = 4, policy: WritePolicy | None = None) -> gr.Blocks:
    """The Gradio Blocks: a 问答 tab (chat, question box, top-k slider, examples) and a 资料库 tab (the articles,
    upload, delete with a confirmation); plus the API endpoint `/ask`."""
    if examples is None:
        examples = answerable_examples(assistant)
    policy = policy or WritePolicy(auth_configured=False)
    max_top_k = max(1, min(UI_MAX_TOP_K, assistant.settings.max_top_k))

    def refusal(request: gr.Request | None) -> str | None:
        client = getattr(request, "client", None)
        return policy.refusal(getattr(request, "username", None), getattr(client, "host", None))

    def delete_choices():
        return [(f"《{a.title}》{a.date or ''}（{a.id}）", a.id)
                for a in newest_first(assistant.documents())[:LIBRARY_LISTED]]

    def library_views():
        return header_html(assistant), library_html(newest_first(assistant.documents()), LIBRARY_LISTED), \
            gr.update(choices=delete_choices(), value=None)

    def on_load(request: gr.Request):
        return *library_views(), gr.update(visible=refusal(request) is None)

    def upload(files, request: gr.Request):
        if refusal(request) is not None:
            return (*library_views(), message_html(refusal(request), "qa-error"), None)
        if not files:
            return (*library_views(), message_html("请先选择要上传的文件。", "qa-error"), None)
        try:
            loaded = [(Path(f).name, Path(f).read_bytes()) for f in files]
            lines = add_uploaded_files(assistant, loaded)
            result = "".join(message_html(line, "qa-upload-line") for line in lines)
        except QAError as error:
            result = message_html(polite_message(error), "qa-error")
        except Exception:
            log.exception("upload failed")
            result = message_html(SORRY_UNEXPECTED, "qa-error")
        return (*library_views(), result, None)

    def ask_to_delete(doc_id, request: gr.Request):
        if refusal(request) is not None:
            return gr.update(visible=False), message_html(refusal(request), "qa-error"), None
        article = next((a for a in assistant.documents() if a.id == doc_id), None)
        if article is None:
            return gr.update(visible=False), message_html("请先选择要删除的文章。", "qa-error"), None
        return (gr.update(visible=True), message_html(f"确定删除《{article.title}》吗？文件会移到 corpus/.trash/。",
                                                      "qa-confirm"), doc_id)

    def delete(doc_id, request: gr.Request):
        if refusal(request) is not None:
            result = message_html(refusal(request), "qa-error")
        elif not doc_id:
            result = message_html("请先选择要删除的文章。", "qa-error")
        else:
            try:
                report = assistant.remove([doc_id])
                result = message_html(f"已删除 {len(report.removed)} 篇，资料库现有 {report.documents} 篇。"
                                      if report.removed else "资料库中没有这篇文章。", "qa-message")
            except QAError as error:
                result = message_html(polite_message(error), "qa-error")
            except Exception:
                log.exception("delete failed")
                result = message_html(SORRY_UNEXPECTED, "qa-error")
        return (*library_views(), gr.update(visible=False), result, None)

    def respond(question: str, top_k, history: list | None):
        question = question or ""
        history = list(history or [])[-(MAX_HISTORY_MESSAGES - 2):]
        history.append({"role": "user", "content": message_html(question.strip() or "（空白问题）")})
        history.append({"role": "assistant", "content": reply_html(assistant, question, top_k)})
        return history, ""

    def ask(question: str, top_k: int = DEFAULT_TOP_K) -> dict:
        """新闻数字问答：答案数字及最相关的段落（与 JSON API 相同，即 Result.to_dict()）。

        Args:
            question: 中文问题，例如「宇通客车2024年卖了多少辆车?」
            top_k: 返回的段落数（1–20）
        Returns:
            {"question", "answer": {"text", "value", "unit", "qualifier", "direction", "passage_rank", "start", "end",
            "score"} 或 null,
            "passages": [{"rank", "doc_id", "title", "date", "paragraph", "passage_id", "text", "score", "highlights"}]}
        """
        try:
            return assistant.ask(question, top_k=_as_top_k(top_k)).to_dict()
        except QuestionError as error:
            raise gr.Error(polite_message(error), print_exception=False) from None
        except Exception:
            log.exception("the Gradio API failed on %r", question)
            raise gr.Error(SORRY_UNEXPECTED, print_exception=False) from None

    with gr.Blocks(title=TITLE, analytics_enabled=False) as chat:
        header = gr.HTML(header_html(assistant), elem_id="qa-header")
        with gr.Tabs(elem_id="qa-tabs"):
            with gr.Tab("问答", id="ask", elem_id="qa-ask-tab"):
                chatbot = gr.Chatbot(label="对话", elem_id="qa-chat", height="68vh", min_height=360, autoscroll=False,
                                     sanitize_html=True, render_markdown=False, feedback_options=None, buttons=[],
                                     placeholder="<p>在下方输入问题，按回车或点「提问」。</p>")
                with gr.Row(equal_height=True):
                    question = gr.Textbox(show_label=False, placeholder="例如：宇通客车2024年卖了多少辆车?", scale=5,
                                          min_width=200, max_length=assistant.settings.max_question_chars,
                                          elem_id="qa-question", autofocus=True, submit_btn=False)
                    send = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="qa-send")
                with gr.Row(equal_height=True):
                    top_k = gr.Slider(1, max_top_k, value=min(DEFAULT_TOP_K, max_top_k), step=1, label="显示段落数",
                                      elem_id="qa-top-k", scale=4, min_width=200)
                    gr.ClearButton([chatbot, question], value="清空", scale=1, min_width=80)
                if examples:
                    gr.Examples(list(examples), inputs=question, label="示例问题", examples_per_page=len(examples))

                for trigger in (question.submit, send.click):
                    trigger(respond, [question, top_k, chatbot], [chatbot, question], api_visibility="private",
                            concurrency_id="qa", concurrency_limit=concurrency_limit).then(None, js=SCROLL_TO_QUESTION_JS)
                gr.api(ask, api_name="ask", concurrency_id="qa", concurrency_limit=concurrency_limit)
            with gr.Tab("资料库", id="library", elem_id="qa-library-tab"):
                listing = gr.HTML(library_html(newest_first(assistant.documents()), LIBRARY_LISTED),
                                  elem_id="qa-library")
                with gr.Column(elem_id="qa-library-edit") as editing:
                    files = gr.File(label="上传文章（.txt .md .jsonl .html .docx）", file_count="multiple",
                                    file_types=list(READABLE_SUFFIXES), elem_id="qa-upload")
                    send_files = gr.Button("加入资料库", variant="primary", elem_id="qa-upload-send")
                    upload_result = gr.HTML(elem_id="qa-upload-result")
                    with gr.Row(equal_height=True):
                        doomed = gr.Dropdown(label="删除文章", choices=delete_choices(), value=None,
                                             allow_custom_value=True, filterable=True, scale=4,
                                             elem_id="qa-delete-choice")
                        ask_delete = gr.Button("删除", variant="stop", scale=1, min_width=80, elem_id="qa-delete")
                    pending = gr.State(None)
                    with gr.Row(visible=False, elem_id="qa-delete-confirm-row") as confirm_row:
                        confirm_text = gr.HTML(elem_id="qa-delete-question")
                        confirm = gr.Button("确认删除", variant="stop", min_width=80, elem_id="qa-delete-confirm")
                        cancel = gr.Button("取消", min_width=80, elem_id="qa-delete-cancel")
                    delete_result = gr.HTML(elem_id="qa-delete-result")
        views = [header, listing, doomed]
        library_events = dict(api_visibility="private", concurrency_id="library", concurrency_limit=1)
        # its own group: a visitor's page must not wait behind an upload being indexed
        chat.load(on_load, None, [*views, editing], api_visibility="private", concurrency_id="library-view")
        send_files.click(upload, [files], [*views, upload_result, files], **library_events)
        ask_delete.click(ask_to_delete, [doomed], [confirm_row, confirm_text, pending], **library_events)
        confirm.click(delete, [pending], [*views, confirm_row, delete_result, pending], **library_events)
        cancel.click(lambda: (gr.update(visible=False), None), None, [confirm_row, pending], **library_events)
    chat.queue(api_open=False, default_concurrency_limit=concurrency_limit, max_size=64)
    chat.state_session_capacity = GRADIO_SESSIONS_KEPT  # read when the app is mounted
    return chat


# --- the app ---------------------------------------------------------------------------------------------------

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
