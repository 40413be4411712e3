"""Load articles from a corpus folder (txt/md with optional front matter, jsonl), in any common Chinese encoding.

A file that cannot be read is reported by name in `Corpus.problems` and skipped; the rest still load.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import CorpusError

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md")
ARCHIVE_SUFFIX = ".jsonl"
MAX_ARTICLE_BYTES = 10 * 1024 * 1024  # one news article is far below this; anything larger is a wrong file
FRONT_MATTER_KEYS = ("title", "date", "source", "url", "id")


@dataclass(frozen=True)
class Document:
    """One article. `text` is exactly what users are shown; passage offsets index it.

    >>> Document(id="a1", title="郑州产业", text="宇通客车2024年累计销售6.5万辆。", date="2025-07-28")
    """

    id: str
    title: str
    text: str
    date: str | None = None
    source: str | None = None
    url: str | None = None

    def __post_init__(self):
        if not isinstance(self.id, str) or not self.id.strip():
            raise CorpusError("文档缺少 id (document id must be a non-empty string)")
        if not isinstance(self.text, str) or not self.text.strip():
            raise CorpusError(f"document {self.id!r} has no text")
        for value in (self.id, self.title, self.text, self.date, self.source, self.url):
            if isinstance(value, str) and not value.isascii():
                try:  # a lone surrogate (a "\ud800" escape in JSON) would break every later write of the index
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise CorpusError(f"document {ascii(self.id)}: 含无效字符 (text is not valid UTF-8)") from None

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that ends up in the index changes."""
        payload = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CorpusProblem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Corpus:
    documents: list[Document]
    problems: list[CorpusProblem] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise_for_matching(text: str) -> str:
    """Text as matched, never as shown: NFKC (full-width digits → ASCII) and traditional → simplified.

    >>> normalise_for_matching("宇通客車２０２４年賣了多少輛車？")
    '宇通客车2024年卖了多少辆车?'
    """
    return _t2s().convert(unicodedata.normalize("NFKC", text))


def normalise_aligned(text: str) -> str:
    """Like normalise_for_matching, but always the same length, so offsets into it index the original."""
    folded = "".join(n if len(n := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text)
    converted = _t2s().convert(folded)
    if len(converted) == len(folded):
        return converted
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in folded)


def _looks_like_text(text: str) -> bool:
    """Guards against a wrong decoding: real Chinese news is CJK, ASCII and punctuation, no control chars."""
    if not text:
        return False
    bad = sum(
        1
        for ch in text
        if (unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") and ch not in "\n\r\t")
        or ch == "\ufffd"
    )
    return bad / len(text) < 0.001


def decode_bytes(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), GB18030/GBK, or whatever charset-normalizer is sure of; else CorpusError."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data:
        raise CorpusError(f"{name}: 文件为空 (empty file)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _looks_like_text(text):
            log.warning("%s: decoded as %s (detected)", name, best.encoding)
            return text
    raise CorpusError(f"{name}: 无法识别文件编码 (not UTF-8, GB18030 or another detectable encoding)")


def _split_front_matter(text: str) -> tuple[dict, str]:
    """`---` key: value lines `---` at the top, else the first non-empty line is the title."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() == "---":
                meta = {}
                for line in lines[1:end]:
                    key, sep, value = line.partition(":")
                    if sep and key.strip().lower() in FRONT_MATTER_KEYS:
                        meta[key.strip().lower()] = value.strip().strip("\"'")
                return meta, "\n".join(lines[end + 1 :])
    for i, line in enumerate(lines):
        if line.strip():
            title = line.strip().lstrip("#").strip()
            return {"title": title}, "\n".join(lines[i + 1 :])
    return {}, ""


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip("\n")


def parse_article(data: bytes, doc_id: str, name: str) -> Document:
    meta, body = _split_front_matter(_clean(decode_bytes(data, name)))
    body = body.strip("\n")
    if not body.strip():
        raise CorpusError(f"{name}: 文件为空 (no article text)")
    return Document(
        id=meta.get("id") or doc_id,
        title=meta.get("title") or doc_id,
        text=body,
        date=meta.get("date") or None,
        source=meta.get("source") or None,
        url=meta.get("url") or None,
    )


def parse_archive(data: bytes, name: str) -> tuple[list[Document], list[CorpusProblem]]:
    """One article per JSONL line: id, title, text, optional date/source/url. Bad lines are reported."""
    documents, problems = [], []
    for number, line in enumerate(decode_bytes(data, name).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            text = _clean(str(record.get("text") or ""))
            documents.append(
                Document(
                    id=str(record["id"]),
                    title=str(record.get("title") or record["id"]),
                    text=text,
                    date=_optional_str(record.get("date")),
                    source=_optional_str(record.get("source")),
                    url=_optional_str(record.get("url")),
                )
            )
        except (ValueError, KeyError, CorpusError) as error:
            problems.append(CorpusProblem(where, f"跳过此行 (skipped line): {error}"))
    return documents, problems


def _optional_str(value) -> str | None:
    return None if value in (None, "") else str(value)


def load_corpus(corpus_dir: Path | str) -> Corpus:
    """Every .txt/.md/.jsonl file under corpus_dir, in path order; problems are reported, never raised.

    Files reached through a symlink that points outside corpus_dir are not read.
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise CorpusError(f"语料目录不存在 (corpus folder not found): {root}")
    real_root = root.resolve()
    documents: dict[str, Document] = {}
    problems: list[CorpusProblem] = []

    def add(doc: Document, where: str) -> None:
        if doc.id in documents:
            problems.append(CorpusProblem(where, f"重复的文章 id (duplicate article id) {doc.id!r}: kept the first"))
        else:
            documents[doc.id] = doc

    for path in sorted(root.rglob("*")):
        suffix = path.suffix.lower()
        # rglob does not enter linked folders; one leading outside is reported like a linked file
        linked_folder = path.is_symlink() and path.is_dir()
        if (suffix not in ARTICLE_SUFFIXES + (ARCHIVE_SUFFIX,) and not linked_folder) or path.name.startswith("."):
            continue
        name = str(path.relative_to(root))
        printable = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        try:
            if not path.resolve().is_relative_to(real_root):
                raise CorpusError(f"{printable}: 指向语料目录之外 (links outside the corpus folder), not read")
            if printable != name:
                raise CorpusError(f"{printable}: 文件名不是 UTF-8 (file name is not UTF-8), rename the file")
            if not path.is_file():
                continue
            if suffix == ARCHIVE_SUFFIX:
                docs, bad_lines = parse_archive(path.read_bytes(), name)
                problems.extend(bad_lines)
                for doc in docs:
                    add(doc, name)
                continue
            if path.stat().st_size > MAX_ARTICLE_BYTES:
                raise CorpusError(f"{name}: 文件过大 (over {MAX_ARTICLE_BYTES // 2**20} MB), not an article")
            doc_id = str(Path(name).with_suffix("")).replace("\\", "/")
            add(parse_article(path.read_bytes(), doc_id, name), name)
        except (CorpusError, OSError) as error:
            problems.append(CorpusProblem(printable, str(error)))
    for problem in problems:
        log.warning("corpus: %s", problem)
    return Corpus(list(documents.values()), problems)
