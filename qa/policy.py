"""Who may do what through the web, and what they are told: the login list and the editors, the write policy,
request limits, the polite Chinese sentences, and the checks every entry point (JSON API, chat) applies alike.

    >>> WritePolicy(auth_configured=False).refusal(None, "10.0.0.5")
    '抱歉，未配置登录时只能在本机增删文章（请配置 QA_AUTH 与 QA_EDITORS）。'
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from .corpus import MAX_ARTICLE_BYTES
from .errors import QAError

DEFAULT_TOP_K = 3
API_MAX_REQUEST_BYTES = 16 * 1024
UI_MAX_REQUEST_BYTES = 1024 * 1024
# Articles come in bigger bodies than questions: a POST /api/articles, an upload in the 资料库 tab.
ARTICLES_MAX_REQUEST_BYTES = 2 * MAX_ARTICLE_BYTES
ARTICLES_PAGE_SIZE = 50
ARTICLES_MAX_PAGE_SIZE = 1000
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
SORRY_NOT_AN_EDITOR = "抱歉，只有编辑可以增删文章。"
SORRY_NOT_LOCAL = "抱歉，未配置登录时只能在本机增删文章（请配置 QA_AUTH 与 QA_EDITORS）。"
SORRY_TOO_LARGE = "请求内容太大：问题请控制在几百字以内。"
SORRY_UPLOAD_TOO_LARGE = f"上传内容太大：单次不超过 {ARTICLES_MAX_REQUEST_BYTES // 2**20} MB。"
SORRY_UNEXPECTED = "抱歉，系统出了点问题，请稍后再试。"
SORRY_NOT_SIGNED_IN = "请先登录。"


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


def polite_message(error: QAError) -> str:
    """The Chinese half of a QAError as one polite sentence: '抱歉，问题为空：请输入一个问题。'"""
    text = str(error).split(" (", 1)[0].strip().rstrip("。.")
    return f"抱歉，{text or '这个问题无法处理'}。"


def as_top_k(value):
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


def newest_first(articles):
    return sorted(articles, key=lambda a: (a.date or "", a.id), reverse=True)
