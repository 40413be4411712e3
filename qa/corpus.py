"""Load articles from a corpus folder (txt/md with optional front matter, jsonl, html, docx), in any common Chinese
encoding, and write to it: the folder is the source of truth, so articles added or removed while the assistant
serves are files here first.

A file that cannot be read is reported by name in `Corpus.problems` and skipped; the rest still load. Hidden
files and folders (`.trash/`, `.tmp-*`) are never read.
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import os
import re
import time
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from charset_normalizer import from_bytes

from .errors import CorpusError

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIX = ".docx"
ARCHIVE_SUFFIX = ".jsonl"
READABLE_SUFFIXES = ARTICLE_SUFFIXES + HTML_SUFFIXES + (DOCX_SUFFIX, ARCHIVE_SUFFIX)
MAX_ARTICLE_BYTES = 10 * 1024 * 1024  # one news article is far below this; anything larger is a wrong file
# A .docx is a zip: what it unpacks to is bounded too, so a small "zip bomb" cannot fill the memory.
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_DOCX_MEMBERS = 2000
TRASH_DIR = ".trash"
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

    @functools.cached_property
    def content_hash(self) -> str:
        """Changes whenever anything that ends up in the index changes."""
        payload = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "text": self.text, "date": self.date, "source": self.source,
                "url": self.url}


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
    # article id → the file it was read from, relative to the corpus folder ("news/a.txt", "archive.jsonl")
    locations: dict[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise_for_matching(text: str) -> str:
    """Text as matched, never as shown: NFKC (full-width digits → ASCII) and traditional → simplified.

    >>> normalise_for_matching("宇通客車２０２４年賣了多少輛車？")
    '宇通客车2024年卖了多少辆车?'
    """
    return _normalised_short(text) if len(text) <= CACHED_TEXT_CHARS else _normalised(text)


def _normalised(text: str) -> str:
    return _t2s().convert(unicodedata.normalize("NFKC", text))


CACHED_TEXT_CHARS = 1000  # passages, titles, questions: read again for every question; whole articles are not
_normalised_short = functools.lru_cache(maxsize=8192)(_normalised)


def normalise_aligned(text: str) -> str:
    """Like normalise_for_matching, but always the same length, so offsets into it index the original."""
    folded = "".join(n if len(n := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text)
    converted = _t2s().convert(folded)
    if len(converted) == len(folded):
        return converted
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in folded)


# Characters that are surely fine (assigned, not control): printable ASCII, CJK punctuation, fullwidth forms and the
# CJK Unified Ideographs block. Only the rest is looked up one by one: the same verdict, ~10× faster on news text.
_SURELY_TEXT = re.compile(r"[\n\r\t\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff01-\uff60]+")


def _looks_like_text(text: str) -> bool:
    """Guards against a wrong decoding: real Chinese news is CJK, ASCII and punctuation, no control chars."""
    if not text:
        return False
    bad = sum(
        1
        for ch in _SURELY_TEXT.sub("", text)
        if unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") or ch == "\ufffd"
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


def document_from_record(record) -> Document:
    """A Document from a JSON object with the fields of Document (id and text required); CorpusError otherwise.

    >>> document_from_record({"id": "a1", "title": "郑州产业", "text": "宇通客车2024年累计销售6.5万辆。"}).title
    '郑州产业'
    """
    if not isinstance(record, dict):
        raise CorpusError("每篇文章应是一个 JSON 对象 (an article must be a JSON object with id, title, text, …)")
    if record.get("id") in (None, ""):
        raise CorpusError("文章缺少 id (article has no id)")
    for key in ("id", "title", "text", "date", "source", "url"):
        if isinstance(record.get(key), (dict, list)):
            raise CorpusError(f"文章字段 {key} 应是文本 (field {key!r} must be a string)")
    return Document(
        id=str(record["id"]),
        title=str(record.get("title") or record["id"]),
        text=_clean(str(record.get("text") or "")),
        date=_optional_str(record.get("date")),
        source=_optional_str(record.get("source")),
        url=_optional_str(record.get("url")),
    )


def parse_archive(data: bytes, name: str) -> tuple[list[Document], list[CorpusProblem]]:
    """One article per JSONL line: id, title, text, optional date/source/url. Bad lines are reported."""
    documents, problems = [], []
    for number, line in enumerate(decode_bytes(data, name).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            documents.append(document_from_record(json.loads(line)))
        except (ValueError, KeyError, CorpusError, RecursionError) as error:
            problems.append(CorpusProblem(where, f"跳过此行 (skipped line): {error}"))
    return documents, problems


def _optional_str(value) -> str | None:
    return None if value in (None, "") else str(value)


def parse_html(data: bytes, doc_id: str, name: str) -> Document:
    """A news page: main text, title, date, site name and canonical URL as trafilatura reads them."""
    import trafilatura

    html = decode_bytes(data, name)
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=True,
                                            date_extraction_params={"extensive_search": False, "original_date": True})
    text = _clean(extracted.text or "") if extracted is not None else ""
    if not text.strip():
        raise CorpusError(f"{name}: 网页中没有找到正文 (no article text found in the page)")
    title = (extracted.title or "").strip()
    lines = text.split("\n")
    if title and lines[0].strip() == title:  # the headline is the title, not the first paragraph
        text = "\n".join(lines[1:]).strip("\n") or text
    return Document(id=doc_id, title=title or doc_id, text=text, date=extracted.date or None,
                    source=extracted.sitename or extracted.hostname or None, url=extracted.url or None)


def _docx_blocks(document) -> Iterable[str]:
    """Paragraphs and table rows in reading order (a row's cells joined by ' | ')."""
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                yield " | ".join(c for c in cells if c)
        else:
            yield block.text


def parse_docx(data: bytes, doc_id: str, name: str) -> Document:
    """A Word file: its paragraphs and tables as text; title from its properties, a `---` header or the first line."""
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
        if len(members) > MAX_DOCX_MEMBERS or unpacked > MAX_DOCX_UNPACKED_BYTES:
            raise CorpusError(f"{name}: 解压后过大 (unpacks to {unpacked // 2**20} MB in {len(members)} parts; "
                              f"limit {MAX_DOCX_UNPACKED_BYTES // 2**20} MB), not a news article")
        document = docx.Document(io.BytesIO(data))
    except CorpusError:
        raise
    except Exception as error:  # not a zip, not a Word file, a broken part: all mean "cannot read this file"
        raise CorpusError(f"{name}: 不是有效的 Word 文件 (not a readable .docx: {type(error).__name__})") from None
    text = _clean("\n".join(_docx_blocks(document)))
    title = (document.core_properties.title or "").strip()
    has_front_matter = text.split("\n", 1)[0].strip() == "---"
    if title and not has_front_matter:
        meta, body = {"title": title}, text
        first, _, rest = text.partition("\n")
        if first.strip() == title:
            body = rest
    else:
        meta, body = _split_front_matter(text)
    body = body.strip("\n")
    if not body.strip():
        raise CorpusError(f"{name}: 文件为空 (no article text)")
    return Document(id=meta.get("id") or doc_id, title=meta.get("title") or doc_id, text=body,
                    date=meta.get("date") or None, source=meta.get("source") or None, url=meta.get("url") or None)


def read_article_file(data: bytes, name: str, doc_id: str | None = None) -> tuple[list[Document], list[CorpusProblem]]:
    """The articles in one file's bytes, by its suffix: .txt/.md/.html/.htm/.docx hold one, .jsonl one per line.

    `doc_id` defaults to the name without its suffix. Raises CorpusError when the file as a whole is unreadable;
    bad lines of a .jsonl are returned as problems.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        raise CorpusError(f"{name}: 不支持的文件类型 (unsupported file type; use "
                          f"{', '.join(READABLE_SUFFIXES)})")
    if suffix == ARCHIVE_SUFFIX:
        return parse_archive(data, name)
    if len(data) > MAX_ARTICLE_BYTES:
        raise CorpusError(f"{name}: 文件过大 (over {MAX_ARTICLE_BYTES // 2**20} MB), not an article")
    doc_id = doc_id or str(Path(name).with_suffix("")).replace("\\", "/")
    if suffix in HTML_SUFFIXES:
        return [parse_html(data, doc_id, name)], []
    if suffix == DOCX_SUFFIX:
        return [parse_docx(data, doc_id, name)], []
    return [parse_article(data, doc_id, name)], []


def _read_file_once(path: Path, name: str) -> tuple[list[Document], list[CorpusProblem]]:
    """read_article_file, remembered while the file stays the same (same inode, size and modification time): the
    library re-reads the folder on every change, and only the files written since need parsing again."""
    status = path.stat()
    return _read_file_version(path, name, (status.st_ino, status.st_size, status.st_mtime_ns))


@functools.lru_cache(maxsize=8192)
def _read_file_version(path: Path, name: str, version: tuple) -> tuple[list[Document], list[CorpusProblem]]:
    documents, problems = read_article_file(path.read_bytes(), name)
    return tuple(documents), tuple(problems)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def load_corpus(corpus_dir: Path | str) -> Corpus:
    """Every .txt/.md/.html/.docx/.jsonl file under corpus_dir, in path order; problems are reported, never raised.

    Files reached through a symlink that points outside corpus_dir are not read, nor hidden files and folders.
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise CorpusError(f"语料目录不存在 (corpus folder not found): {root}")
    real_root = root.resolve()
    documents: dict[str, Document] = {}
    locations: dict[str, str] = {}
    problems: list[CorpusProblem] = []

    def add(doc: Document, where: str) -> None:
        if doc.id in documents:
            problems.append(CorpusProblem(where, f"重复的文章 id (duplicate article id) {doc.id!r}: kept the first"))
        else:
            documents[doc.id] = doc
            locations[doc.id] = where

    for path in sorted(root.rglob("*")):
        suffix = path.suffix.lower()
        # rglob does not enter linked folders; one leading outside is reported like a linked file
        linked_folder = path.is_symlink() and path.is_dir()
        if (suffix not in READABLE_SUFFIXES and not linked_folder) or _hidden(path.relative_to(root)):
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
            if suffix != ARCHIVE_SUFFIX and path.stat().st_size > MAX_ARTICLE_BYTES:
                raise CorpusError(f"{name}: 文件过大 (over {MAX_ARTICLE_BYTES // 2**20} MB), not an article")
            docs, bad_lines = _read_file_once(path, name)
            problems.extend(bad_lines)
            for doc in docs:
                add(doc, name)
        except (CorpusError, OSError) as error:
            problems.append(CorpusProblem(printable, str(error)))
    for problem in problems:
        log.warning("corpus: %s", problem)
    return Corpus(list(documents.values()), problems, locations)


# --- writing to the corpus folder ------------------------------------------------------------------------------
# Every write is a new file renamed into place (fsynced), so a crash leaves the old file or the new one, never half
# of either. Callers serialise writers (Assistant holds the index's build lock around them).

_UNSAFE_FILE_CHARS = re.compile(r"[^\w\-]+")


def article_file_name(doc_id: str) -> str:
    """The file an article given by id is written to: word characters only, never a path, one file per id.

    >>> article_file_name("../../etc/passwd")
    'etc_passwd-936d7c04.jsonl'
    """
    slug = _UNSAFE_FILE_CHARS.sub("_", doc_id).strip("_")[:80] or "article"
    return f"{slug}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}{ARCHIVE_SUFFIX}"


def _inside(root: Path, path: Path) -> Path:
    """path, checked to lie inside root (no '..', no symlink out); CorpusError otherwise."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise CorpusError(f"{path.name}: 路径在语料目录之外 (path leaves the corpus folder), refused")
    return path


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in the folder durable (the index's saves use it too)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, data: bytes) -> None:
    staging = path.parent / f".tmp-{uuid.uuid4().hex[:8]}-{path.name}"
    try:
        with open(staging, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
    fsync_dir(path.parent)


def _record_line(document: Document) -> bytes:
    return (json.dumps(document.to_dict(), ensure_ascii=False) + "\n").encode("utf-8")


def _trash_path(root: Path, relative: str) -> Path:
    trash = root / TRASH_DIR
    trash.mkdir(exist_ok=True)
    flat = relative.replace("\\", "/").replace("/", "__")
    return trash / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}-{flat}"


def _lines_with_ids(path: Path, name: str) -> list[tuple[str | None, str]]:
    """(id or None, line) for each line of a JSONL archive, blank lines dropped."""
    out = []
    for line in decode_bytes(path.read_bytes(), name).split("\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            doc_id = str(record["id"]) if isinstance(record, dict) and "id" in record else None
        except (ValueError, RecursionError):
            doc_id = None
        out.append((doc_id, line))
    return out


def trash_articles(corpus_dir: Path, locations: dict[str, str], ids: Iterable[str]) -> None:
    """Take these articles out of the corpus folder into corpus/.trash/, where nothing is lost by a slip.

    A file that holds only them moves there whole; a JSONL archive that holds others too is rewritten without
    their lines (atomically), and the lines are kept in .trash. `locations` is Corpus.locations.
    """
    root = Path(corpus_dir)
    by_file: dict[str, set[str]] = {}
    for doc_id in ids:
        by_file.setdefault(locations[doc_id], set()).add(doc_id)
    for relative, doomed in by_file.items():
        path = _inside(root, root / relative)
        if not path.exists():
            continue
        if path.suffix.lower() == ARCHIVE_SUFFIX:
            lines = _lines_with_ids(path, relative)
            kept = [line for doc_id, line in lines if doc_id not in doomed]
            if kept:
                removed = [line for doc_id, line in lines if doc_id in doomed]
                _write_atomically(_trash_path(root, relative), ("\n".join(removed) + "\n").encode("utf-8"))
                _write_atomically(path, ("\n".join(kept) + "\n").encode("utf-8"))
                continue
        os.rename(path, _trash_path(root, relative))
        fsync_dir(path.parent)
    log.info("corpus: moved %s to %s", sorted(i for d in by_file.values() for i in d), root / TRASH_DIR)


def write_articles(corpus_dir: Path, documents: Iterable[Document], locations: dict[str, str]) -> list[str]:
    """Write each document into corpus_dir as its own one-line JSONL file (named by article_file_name).

    An id the folder already holds is an update: the previous version is kept in .trash and taken out of the
    file it was in, after the new file is in place (a crash in between leaves both, reported as a duplicate id,
    never neither). Returns the file names written.
    """
    root = Path(corpus_dir)
    for stale in root.glob(".tmp-*"):  # left by a writer killed mid-write (we hold the writers' lock)
        stale.unlink(missing_ok=True)
    written, replaced = [], []
    for document in documents:
        name = article_file_name(document.id)
        path = _inside(root, root / name)
        previous = locations.get(document.id)
        if previous == name and path.exists():
            _write_atomically(_trash_path(root, name), path.read_bytes())
        elif previous is not None:
            replaced.append(document.id)
        _write_atomically(path, _record_line(document))
        written.append(name)
    if replaced:
        trash_articles(root, locations, replaced)
    return written
