"""The web layer: JSON API contract and errors, auth, request limits, the chat's replies, and a gradio_client round
trip against a real server (directly and behind a prefix-stripping reverse proxy), all without leaving loopback.

`serve` and `prefix_proxy` are also used by tests/test_browser.py.
"""
import base64
import io
import json
import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

import qa
from qa.chat import answerable_examples, build_chat, reply_html
from qa.policy import SORRY_UNEXPECTED, load_auth, polite_message
from qa.web import create_app

QUESTION = "宇通客车2024年卖了多少辆车?"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "testserver"}
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- helpers shared with test_browser.py -----------------------------------------------------------------------

@contextlib.contextmanager
def serve(app, root_path: str = ""):
    """Run an ASGI app with uvicorn on a free 127.0.0.1 port in a thread; yields its base URL, stops on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, root_path=root_path,
                                           log_level="warning", timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def prefix_proxy(upstream: str, prefix: str):
    """A tiny reverse proxy like the nginx snippet in docs/web.md: serves `upstream` under `prefix`, strips the
    prefix, keeps the Host header, adds X-Forwarded-Proto, and streams responses (Gradio's queue uses SSE)."""
    hop_by_hop = {b"connection", b"keep-alive", b"transfer-encoding", b"upgrade", b"te", b"trailer"}

    async def proxy(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                await send({"type": message["type"] + ".complete"})
                if message["type"] == "lifespan.shutdown":
                    return
        path = scope["path"]
        if path != prefix and not path.startswith(prefix + "/"):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"outside the prefix"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        target = (path[len(prefix):] or "/") + (f"?{scope['query_string'].decode()}" if scope["query_string"] else "")
        headers = [(k, v) for k, v in scope["headers"] if k not in hop_by_hop]
        headers.append((b"x-forwarded-proto", b"http"))
        async with httpx.AsyncClient(base_url=upstream, timeout=60) as client:
            request = client.build_request(scope["method"], target, headers=headers, content=body)
            response = await client.send(request, stream=True)
            await send({"type": "http.response.start", "status": response.status_code,
                        "headers": [(k, v) for k, v in response.headers.raw if k.lower() not in hop_by_hop]})
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
            await response.aclose()

    return proxy


@contextlib.contextmanager
def record_host_lookups():
    """Every host name this process resolves while inside the block (servers in threads included)."""
    hosts: list[str] = []
    original = socket.getaddrinfo

    def recording(host, *args, **kwargs):
        hosts.append(host.decode() if isinstance(host, bytes) else str(host))
        return original(host, *args, **kwargs)

    socket.getaddrinfo = recording
    try:
        yield hosts
    finally:
        socket.getaddrinfo = original


def assert_chinese_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and CJK.search(detail), detail
    for leak in ("Traceback", "File \"", ".py", "/work", "/tmp", "Error"):
        assert leak not in detail, detail
    return detail


# --- fixtures --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(seed_assistant):
    return TestClient(create_app(seed_assistant))


class BrokenAssistant:
    """Looks like an Assistant but every question fails in an unexpected way, with internals in the message."""

    def __init__(self, real):
        self.documents, self.settings = real.documents, real.settings

    def ask(self, question, top_k=3, **filters_and_history):
        raise RuntimeError("index shard /srv/qa/index/secret.faiss unreadable")


# --- the JSON API ----------------------------------------------------------------------------------------------

def test_get_returns_exactly_result_to_dict(client, seed_assistant):
    response = client.get("/api/ask", params={"q": QUESTION, "top_k": 3})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body == seed_assistant.ask(QUESTION, top_k=3).to_dict()
    assert set(body) == {"question", "understood_as", "asks_number", "answer", "text_answer", "passages"}
    assert body["answer"]["text"] == "6.5万辆"
    assert set(body["answer"]) == {"text", "value", "unit", "qualifier", "direction", "passage_rank", "start", "end",
                                   "score", "period", "sources", "conflicts", "alternatives"}
    assert len(body["passages"]) == 3
    assert set(body["passages"][0]) == {"rank", "doc_id", "title", "date", "paragraph", "passage_id", "text",
                                        "score", "highlights", "keywords"}
    first = body["passages"][0]
    assert first["text"][body["answer"]["start"]:body["answer"]["end"]] == "6.5万辆"


def test_post_accepts_q_or_question_and_defaults_top_k(client, seed_assistant):
    by_q = client.post("/api/ask", json={"q": QUESTION, "top_k": 2})
    by_question = client.post("/api/ask", json={"question": QUESTION, "top_k": "2"})
    assert by_q.status_code == by_question.status_code == 200
    assert by_q.json() == by_question.json() == seed_assistant.ask(QUESTION, top_k=2).to_dict()
    default = client.post("/api/ask", json={"q": QUESTION}).json()
    assert len(default["passages"]) == 3


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "  ？？ "}, {}, {"q": QUESTION, "top_k": "0"},
                                    {"q": QUESTION, "top_k": "abc"}, {"q": QUESTION, "top_k": "2.5"}])
def test_get_rejects_bad_questions_with_a_chinese_422(client, params):
    detail = assert_chinese_error(client.get("/api/ask", params=params), 422)
    assert detail.startswith("抱歉，")


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"q"', "{\"q\": \"宇通\"".encode()])
def test_post_rejects_malformed_bodies_with_a_chinese_400(client, body):
    assert_chinese_error(client.post("/api/ask", content=body, headers={"content-type": "application/json"}), 400)


@pytest.mark.parametrize("body", [{"q": None}, {"q": 42}, {"q": QUESTION, "top_k": -1}, {"q": QUESTION, "top_k": True}])
def test_post_rejects_bad_fields_with_a_chinese_422(client, body):
    assert_chinese_error(client.post("/api/ask", json=body), 422)


FOLLOW_UP = "2025年上半年呢？"
UNDERSTOOD = "2025年上半年宇通客车卖了多少辆车"


def test_follow_ups_take_history_by_post_and_get(client, seed_assistant):
    expected = seed_assistant.ask(FOLLOW_UP, top_k=3, history=[QUESTION]).to_dict()
    assert expected["understood_as"] == UNDERSTOOD and expected["answer"]["text"] == "21321辆"
    by_post = client.post("/api/ask", json={"q": FOLLOW_UP, "history": [QUESTION]})
    by_get = client.get("/api/ask", params=[("q", FOLLOW_UP), ("history", QUESTION)])
    assert by_post.status_code == by_get.status_code == 200
    assert by_post.json() == by_get.json() == expected
    long = client.post("/api/ask", json={"q": FOLLOW_UP, "history": ["无关的问题是多少"] * 30 + [QUESTION]})
    assert long.status_code == 200 and long.json()["understood_as"] == UNDERSTOOD  # cut to the last 10 turns


def test_filters_by_get_and_post(client, seed_assistant):
    kept = client.get("/api/ask", params=[("q", QUESTION), ("since", "2025-07-01"), ("sources", "大河报·豫视频")])
    assert kept.status_code == 200 and kept.json() == seed_assistant.ask(QUESTION, since="2025-07-01",
                                                                         sources=["大河报·豫视频"]).to_dict()
    gone = client.post("/api/ask", json={"q": QUESTION, "until": "2025-01-01"})
    assert gone.status_code == 200 and gone.json()["answer"] is None and gone.json()["passages"] == []
    assert_chinese_error(client.post("/api/ask", json={"q": QUESTION, "since": "2025-02-30"}), 422)
    assert_chinese_error(client.get("/api/ask", params={"q": QUESTION, "until": "下周"}), 422)
    assert_chinese_error(client.post("/api/ask", json={"q": QUESTION, "sources": [1, 2]}), 422)


@pytest.mark.parametrize("history", [QUESTION, {"0": QUESTION}, 7, [QUESTION, 3], [None], [[QUESTION]]])
def test_bad_history_is_a_chinese_422(client, history):
    detail = assert_chinese_error(client.post("/api/ask", json={"q": FOLLOW_UP, "history": history}), 422)
    assert "对话历史" in detail and detail.count("。") == 1


def test_request_size_is_limited(client):
    huge = "宇" * 20_000
    assert_chinese_error(client.post("/api/ask", json={"q": huge}), 413)
    assert_chinese_error(client.get("/api/ask", params={"q": huge[:5000]}), 414)  # 45 KB once URL-encoded

    def chunks():  # no Content-Length: the limit has to count what arrives
        for _ in range(40):
            yield b"x" * 1024

    assert_chinese_error(client.post("/api/ask", content=chunks()), 413)
    assert client.post("/api/ask", json={"q": "宇" * 2000}).status_code == 200  # long but fine: cut, answered


def test_unexpected_errors_are_generic_and_logged(seed_assistant, caplog):
    broken = TestClient(create_app(BrokenAssistant(seed_assistant), examples=[]))
    detail = assert_chinese_error(broken.get("/api/ask", params={"q": QUESTION}), 500)
    assert detail == SORRY_UNEXPECTED
    assert "secret.faiss" in caplog.text  # the log keeps what the user must not see


def test_healthz_and_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text
    policy = page.headers["content-security-policy"]
    assert "img-src 'self' data: blob:" in policy and "connect-src 'self'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


def test_only_the_ask_endpoints_are_public_in_gradio(client):
    info = client.get("/gradio_api/info").json()
    assert list(info["named_endpoints"]) == ["/ask", "/ask_followup"]
    assert info["unnamed_endpoints"] == {}
    # queue(api_open=False): the endpoint cannot be called around the queue and its concurrency limit
    direct = client.post("/gradio_api/run/ask", json={"data": [QUESTION]})
    assert direct.status_code >= 400


def test_chat_shows_our_html_without_markdown(client):
    config = client.get("/config").json()
    chatbot = next(c["props"] for c in config["components"] if c["props"].get("elem_id") == "qa-chat")
    assert chatbot["render_markdown"] is False  # escaped text cannot turn into links or images
    assert chatbot["sanitize_html"] is True  # Gradio's sanitiser stays on as a second line


def test_questions_share_one_concurrency_limit_and_the_queue_is_closed(seed_assistant):
    chat = build_chat(seed_assistant, examples=[], concurrency_limit=3)
    asking = [fn for fn in chat.fns.values() if fn.name in ("respond", "ask")]
    assert len(asking) == 3  # Enter, the button, and the API endpoint
    assert {(fn.concurrency_id, fn.concurrency_limit) for fn in asking} == {("qa", 3)}
    assert [fn.api_name for fn in asking if fn.api_visibility == "public"] == ["ask"]
    assert chat.api_open is False


def test_chat_can_be_mounted_under_a_path(seed_assistant):
    app_client = TestClient(create_app(seed_assistant, path="/chat", examples=[]), follow_redirects=False)
    redirect = app_client.get("/")
    assert redirect.status_code in (302, 307) and redirect.headers["location"] == "/chat/"
    assert app_client.get("/chat/").status_code == 200
    assert app_client.get("/api/ask", params={"q": QUESTION}).json()["answer"]["text"] == "6.5万辆"
    with pytest.raises(ValueError):
        create_app(seed_assistant, path="chat", examples=[])


# --- auth ------------------------------------------------------------------------------------------------------

def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_password_auth_guards_ui_gradio_api_and_json_api(seed_assistant):
    guarded = TestClient(create_app(seed_assistant, auth=[("editor", "密码s3cret"), ("desk", "x")], examples=[]))
    detail = assert_chinese_error(guarded.get("/api/ask", params={"q": QUESTION}), 401)
    assert "登录" in detail
    assert guarded.get("/api/ask", params={"q": QUESTION}).headers["www-authenticate"].startswith("Basic")
    assert_chinese_error(guarded.get("/api/ask", params={"q": QUESTION}, headers=basic("editor", "wrong")), 401)
    assert_chinese_error(guarded.post("/api/ask", json={"q": QUESTION}, headers=basic("nobody", "x")), 401)
    ok = guarded.get("/api/ask", params={"q": QUESTION}, headers=basic("editor", "密码s3cret"))
    assert ok.status_code == 200 and ok.json()["answer"]["text"] == "6.5万辆"
    assert guarded.post("/api/ask", json={"q": QUESTION}, headers=basic("desk", "x")).status_code == 200

    assert guarded.get("/config").status_code == 401  # the chat's config and Gradio API need a login
    assert guarded.get("/gradio_api/info").status_code == 401
    assert guarded.post("/login", data={"username": "editor", "password": "wrong"}).status_code >= 400
    assert guarded.post("/login", data={"username": "editor", "password": "密码s3cret"}).status_code == 200
    assert guarded.get("/config").status_code == 200
    assert guarded.get("/healthz").status_code == 200  # for the load balancer


def test_sso_dependency_guards_everything(seed_assistant):
    def intranet_user(request):  # the proxy authenticates and passes the user name on
        return request.headers.get("x-remote-user")

    guarded = TestClient(create_app(seed_assistant, auth_dependency=intranet_user, examples=[]))
    assert_chinese_error(guarded.get("/api/ask", params={"q": QUESTION}), 401)
    assert guarded.get("/").status_code == 401
    assert guarded.get("/gradio_api/info").status_code == 401
    signed_in = {"x-remote-user": "zhang.san"}
    assert guarded.get("/api/ask", params={"q": QUESTION}, headers=signed_in).status_code == 200
    assert guarded.get("/", headers=signed_in).status_code == 200
    with pytest.raises(ValueError):
        create_app(seed_assistant, auth=[("a", "b")], auth_dependency=intranet_user, examples=[])


def test_unauthenticated_app_needs_no_login(client):
    assert client.get("/config").status_code == 200
    assert client.get("/api/ask", params={"q": QUESTION}).status_code == 200


def test_load_auth_from_file_and_env(tmp_path):
    users = tmp_path / "users.txt"
    users.write_text("# 编辑部\neditor:s3cret:with:colons\n\n  desk : 密码 \n", encoding="utf-8")
    assert load_auth(users, environ={}) == [("editor", "s3cret:with:colons"), ("desk", "密码")]
    assert load_auth(environ={"QA_AUTH_FILE": str(users)}) == load_auth(users, environ={})
    assert load_auth(environ={"QA_AUTH": "a:1,b:2"}) == [("a", "1"), ("b", "2")]
    assert load_auth(environ={}) is None

    bad = tmp_path / "bad.txt"
    bad.write_text("editor:ok\nnopassword-here\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt, line 2: expected user:password"):
        load_auth(bad, environ={})
    with pytest.raises(ValueError, match="cannot read the auth file"):
        load_auth(tmp_path / "missing.txt", environ={})
    with pytest.raises(ValueError, match="no user:password"):
        load_auth(environ={"QA_AUTH": " , "})


# --- the chat's replies ----------------------------------------------------------------------------------------

def test_chat_reply_errors_are_one_polite_sentence(seed_assistant):
    reply = reply_html(seed_assistant, "   ", 3)
    assert reply == ('<div class="qa-error">抱歉，问题为空：请输入一个问题。</div>', False)  # no turn of the conversation
    broken = reply_html(BrokenAssistant(seed_assistant), QUESTION, 3)
    assert broken == (f'<div class="qa-error">{SORRY_UNEXPECTED}</div>', False)
    assert polite_message(qa.QuestionError("top_k 必须至少为 1 (top_k must be >= 1, got 0)")) == "抱歉，top_k 必须至少为 1。"


def test_chat_reply_marks_the_answer(seed_assistant):
    reply, answered = reply_html(seed_assistant, QUESTION, 2.0)  # the slider may send a float
    assert answered
    assert '答：<strong class="qa-answer-text">6.5万辆</strong>' in reply
    assert '<mark class="qa-answer">6.5万辆</mark>' in reply
    assert reply.count('<li class="qa-passage">') == 2


def test_examples_are_the_questions_the_corpus_answers(seed_assistant):
    examples = answerable_examples(seed_assistant, [QUESTION, "火星基地2024年有多少名宇航员?", "郑州计划让算力规模达到多少？"])
    assert examples == [QUESTION, "郑州计划让算力规模达到多少？"]
    assert len(answerable_examples(seed_assistant)) >= 3


def test_offline_environment_is_set_before_gradio_is_imported():
    # huggingface_hub reads HF_HUB_OFFLINE when it is imported, so a fresh interpreter shows whether qa.web set the
    # variables early enough.
    script = ("import qa.web, huggingface_hub.constants as hub, gradio.analytics as analytics; "
              "print(hub.HF_HUB_OFFLINE, hub.HF_HUB_DISABLE_TELEMETRY, analytics.analytics_enabled())")
    environ = {k: v for k, v in os.environ.items()
               if k not in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY", "GRADIO_ANALYTICS_ENABLED")}
    out = subprocess.run([sys.executable, "-c", script], env=environ, capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True", "False"]


# --- gradio_client against a launched server -------------------------------------------------------------------

def test_gradio_client_round_trip(seed_assistant):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    with record_host_lookups() as hosts:
        app = create_app(seed_assistant)
        with serve(app) as url:
            client = Client(url + "/", verbose=False)
            result = client.predict(QUESTION, api_name="/ask")
            assert result == seed_assistant.ask(QUESTION, top_k=3).to_dict()
            assert result["answer"]["text"] == "6.5万辆"
            assert len(client.predict(QUESTION, 1, api_name="/ask")["passages"]) == 1
            with pytest.raises(AppError, match="抱歉，问题为空"):
                client.predict("   ", api_name="/ask")
            follow_up = client.predict(FOLLOW_UP, [QUESTION], api_name="/ask_followup")
            assert follow_up == seed_assistant.ask(FOLLOW_UP, history=[QUESTION]).to_dict()
            assert follow_up["understood_as"] == UNDERSTOOD
    assert hosts and set(hosts) <= LOOPBACK, hosts


def test_behind_a_prefix_stripping_proxy(seed_assistant):
    """nginx `location /qa/ { proxy_pass http://127.0.0.1:PORT/; }` with `python app.py --root-path /qa`."""
    from gradio_client import Client

    with record_host_lookups() as hosts:
        app = create_app(seed_assistant, root_path="/qa", examples=[])
        with serve(app, root_path="/qa") as upstream, serve(prefix_proxy(upstream, "/qa")) as proxy:
            public = proxy + "/qa"
            assert httpx.get(public + "/healthz").json() == {"status": "ok"}
            api = httpx.get(public + "/api/ask", params={"q": QUESTION, "top_k": 1}).json()
            assert api["answer"]["text"] == "6.5万辆"
            config = httpx.get(public + "/config").json()
            assert config["root"] == public
            page = httpx.get(public + "/")
            assert page.status_code == 200 and "<html" in page.text
            result = Client(public + "/", verbose=False).predict(QUESTION, api_name="/ask")
            assert result["answer"]["text"] == "6.5万辆"
    assert hosts and set(hosts) <= LOOPBACK, hosts


def test_mounted_inside_another_app(seed_assistant):
    """The README's recipe for the intranet's own FastAPI app: mount it, and run its lifespan (Gradio's queue)."""
    from fastapi import FastAPI
    from gradio_client import Client

    qa_app = create_app(seed_assistant, root_path="/qa", examples=[])

    @contextlib.asynccontextmanager
    async def lifespan(app):
        async with qa_app.router.lifespan_context(qa_app):
            yield

    intranet = FastAPI(lifespan=lifespan)
    intranet.mount("/qa", qa_app)
    with serve(intranet) as url:
        assert httpx.get(url + "/qa/api/ask", params={"q": QUESTION}).json()["answer"]["text"] == "6.5万辆"
        assert Client(url + "/qa/", verbose=False).predict(QUESTION, api_name="/ask")["answer"]["text"] == "6.5万辆"


# --- the living library over HTTP: /api/articles, who may write, the 资料库 tab ------------------------------------

from qa.chat import add_uploaded_files  # noqa: E402
from qa.policy import (ARTICLES_MAX_REQUEST_BYTES, SORRY_NOT_AN_EDITOR, SORRY_NOT_LOCAL, WritePolicy,  # noqa: E402
                       load_editors)

BYD = {"id": "byd-2024", "title": "比亚迪2024年销量", "date": "2025-01-02", "source": "测试",
       "text": "比亚迪2024年累计销售新能源汽车427.2万辆,同比增长41.3%。"}
PORT = {"id": "port-2024", "title": "宁波舟山港2024年货物吞吐量", "date": "2025-01-10", "source": "测试",
        "text": "宁波舟山港2024年完成货物吞吐量13.77亿吨,连续16年位居全球第一。"}
LOCAL = ("127.0.0.1", 50000)


def test_articles_api_adds_lists_and_deletes(library):
    api = TestClient(create_app(library, examples=[]), client=LOCAL)
    added = api.post("/api/articles", json=BYD)
    assert added.status_code == 200, added.text
    assert added.json()["added"] == ["byd-2024"] and added.json()["documents"] == 2
    assert api.get("/api/ask", params={"q": "比亚迪2024年卖了多少辆车?"}).json()["answer"]["text"] == "427.2万辆"
    jsonl = "\n".join(json.dumps(d, ensure_ascii=False) for d in (PORT, {**BYD, "text": BYD["text"] + "海外41.7万辆。"}))
    both = api.post("/api/articles", content=jsonl.encode(), headers={"content-type": "application/x-ndjson"}).json()
    assert both["added"] == ["port-2024"] and both["updated"] == ["byd-2024"]
    listing = api.get("/api/articles", params={"limit": 2}).json()
    assert listing["total"] == 3 and listing["offset"] == 0 and len(listing["articles"]) == 2
    assert listing["articles"][1] == {"id": "port-2024", "title": PORT["title"], "date": "2025-01-10",
                                      "source": "测试", "passages": 1}  # newest first
    assert listing["articles"][0]["id"] == "zhengzhou-industry-2025-07-28"
    rest = api.get("/api/articles", params={"offset": 2, "limit": 2}).json()["articles"]
    assert [a["id"] for a in rest] == ["byd-2024"]
    assert api.delete("/api/articles/port-2024").json()["removed"] == ["port-2024"]
    assert_chinese_error(api.delete("/api/articles/port-2024"), 404)
    assert api.get("/api/articles").json()["total"] == 2
    assert_chinese_error(api.get("/api/articles", params={"limit": "0"}), 422)


@pytest.mark.parametrize("body", [b"", b"{not json", b'{"id": "x", "title": "t"}', b'[{"id": "a", "text": "x"}, 3]',
                                  b'{"id": "a", "title": "t", "text": "\\ud800"}', b"\xff\xfe\x00",
                                  b'[{"id": "d", "text": "x"}, {"id": "d", "text": "y"}]', b'{"id": ["x"], "text": "y"}'])
def test_bad_article_bodies_are_a_chinese_400_and_change_nothing(library, body):
    api = TestClient(create_app(library, examples=[]), client=LOCAL)
    before = library.index.path
    assert_chinese_error(api.post("/api/articles", content=body), 400)
    assert library.index.path == before and api.get("/api/articles").json()["total"] == 1


def test_oversize_article_upload_is_a_413(library):
    api = TestClient(create_app(library, examples=[]), client=LOCAL)
    huge = json.dumps({**BYD, "text": "宇" * (ARTICLES_MAX_REQUEST_BYTES // 3 + 10)}, ensure_ascii=False).encode()
    assert_chinese_error(api.post("/api/articles", content=huge), 413)
    assert api.post("/api/articles", json={**BYD, "text": BYD["text"] * 200}).status_code == 200  # big but fine


def test_without_auth_only_loopback_may_write(library):
    app = create_app(library, examples=[])
    remote = TestClient(app, client=("203.0.113.7", 40000))
    assert assert_chinese_error(remote.post("/api/articles", json=BYD), 403) == SORRY_NOT_LOCAL
    assert_chinese_error(remote.delete("/api/articles/zhengzhou-industry-2025-07-28"), 403)
    assert remote.get("/api/articles").json()["total"] == 1  # reading is open to whoever may ask
    assert remote.get("/api/ask", params={"q": QUESTION}).status_code == 200
    assert {a.id for a in library.documents()} == {"zhengzhou-industry-2025-07-28"}
    assert TestClient(app, client=("::1", 40000)).post("/api/articles", json=BYD).status_code == 200


@pytest.mark.parametrize("mode", ["password", "sso"])
def test_with_auth_only_editors_may_write(library, mode):
    if mode == "password":
        app = create_app(library, examples=[], auth=[("editor", "e"), ("reader", "r")], editors=["editor"])
        as_editor, as_reader, anonymous = basic("editor", "e"), basic("reader", "r"), {}
    else:
        app = create_app(library, examples=[], auth_dependency=lambda r: r.headers.get("x-remote-user"),
                         editors=load_editors("editor, desk"))
        as_editor, as_reader, anonymous = {"x-remote-user": "editor"}, {"x-remote-user": "reader"}, {}
    api = TestClient(app, client=LOCAL)  # loopback does not help without the editor's name
    assert api.post("/api/articles", json=BYD, headers=anonymous).status_code == 401
    assert assert_chinese_error(api.post("/api/articles", json=BYD, headers=as_reader), 403) == SORRY_NOT_AN_EDITOR
    assert_chinese_error(api.delete("/api/articles/zhengzhou-industry-2025-07-28", headers=as_reader), 403)
    assert api.get("/api/articles", headers=as_reader).json()["total"] == 1
    assert api.get("/api/ask", params={"q": QUESTION}, headers=as_reader).status_code == 200
    assert api.post("/api/articles", json=BYD, headers=as_editor).json()["added"] == ["byd-2024"]
    assert api.delete("/api/articles/byd-2024", headers=as_editor).json()["removed"] == ["byd-2024"]


def test_write_policy_and_editors_list():
    assert load_editors(None, environ={"QA_EDITORS": " editor ,desk,, "}) == {"editor", "desk"}
    assert load_editors(None, environ={}) == frozenset()
    open_policy, signed_in = WritePolicy(False), WritePolicy(True, ["editor"])
    assert open_policy.refusal(None, "127.0.0.1") is None and open_policy.refusal(None, "10.0.0.2") == SORRY_NOT_LOCAL
    assert signed_in.refusal("editor", "10.0.0.2") is None
    assert signed_in.refusal("reader", "127.0.0.1") == SORRY_NOT_AN_EDITOR
    assert signed_in.refusal(None, "127.0.0.1") == SORRY_NOT_AN_EDITOR


def docx_bytes(paragraphs, title=""):
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_uploads_report_per_file(library):
    page = ("<html><head><title>宁波舟山港 - 港口报</title><meta property='og:site_name' content='港口报'></head><body>"
            "<article><h1>宁波舟山港2024年货物吞吐量</h1><p>" + PORT["text"] + "这是正文的其余部分，说明港口的发展情况。</p>"
            "</article></body></html>")
    archive = "\n".join([json.dumps(BYD, ensure_ascii=False), "{broken", json.dumps({"id": "n3", "title": "无正文"})])
    lines = add_uploaded_files(library, [
        ("port.html", page.encode("utf-8")),
        ("wire.jsonl", archive.encode("utf-8")),
        ("notes.docx", docx_bytes(["郑州国际物流园2024年货运量达到1.2亿吨。"], title="郑州物流")),
        ("bad.docx", b"PK\x03\x04 not really a zip"),
        ("gbk.txt", bytes(range(0x80, 0x100)) * 8),
        ("photo.png", b"\x89PNG"),
    ])
    assert lines[0] == "port.html：已加入 1 篇"
    assert lines[1].startswith("wire.jsonl：已加入 1 篇；2 篇无法读取：第2行")
    assert lines[2] == "notes.docx：已加入 1 篇"
    assert lines[3].startswith("bad.docx：1 篇无法读取：") and "Word" in lines[3]
    assert lines[4].startswith("gbk.txt：1 篇无法读取：") and "编码" in lines[4]
    assert lines[5].startswith("photo.png：1 篇无法读取：不支持的文件类型")
    articles = {a.id: a for a in library.documents()}
    assert articles["port"].title == "宁波舟山港2024年货物吞吐量" and articles["port"].source == "港口报"
    assert articles["notes"].title == "郑州物流"
    assert library.ask("宁波舟山港2024年货物吞吐量是多少?").answer.text == "13.77亿吨"
    assert library.ask("郑州国际物流园2024年货运量是多少?").answer.text == "1.2亿吨"
    assert add_uploaded_files(library, [("port.html", page.encode("utf-8"))]) == ["port.html：已加入 1 篇（1 篇与已有的相同）"]
