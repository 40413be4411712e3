"""Split articles into passages: sentence-aware for Chinese, stable ids, offsets into the article text.

A passage is always a contiguous slice `article.text[start:end]`, so what users see is the original text.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .corpus import Document
from .numbers import number_spans

SENTENCE_END = "。！？；!?;…"
CLAUSE_END = "，,、：:"
# Closing marks that belong to the sentence they end: 。” stays together.
CLOSERS = "”’」』）)】》\"'"
OPENERS = {"“": "”", "「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "《": "》", "‘": "’"}
HEADING_MAX_CHARS = 40
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass(frozen=True)
class Passage:
    """A slice of one article, with enough metadata to cite it."""

    id: str
    doc_id: str
    title: str
    date: str | None
    source: str | None
    paragraph: int  # 1-based number of the article paragraph the passage starts in
    ordinal: int  # 0-based position among the article's passages
    start: int  # offsets into Document.text
    end: int
    text: str

    @property
    def search_text(self) -> str:
        """What retrieval matches against: the title gives a passage the subject its text may only imply."""
        return f"{self.title}\n{self.text}"

    @functools.cached_property
    def content_hash(self) -> str:
        """Identifies the text that gets embedded; vectors are cached under it."""
        return hashlib.sha1(self.search_text.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, record: dict) -> "Passage":
        return cls(**{k: record[k] for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    paragraph: int


def _paragraphs(text: str) -> list[_Span]:
    """Non-blank lines, trimmed, numbered from 1."""
    spans, offset, number = [], 0, 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            number += 1
            start = offset + line.index(stripped[0])
            spans.append(_Span(start, start + len(stripped), number))
        offset += len(line) + 1
    return spans


def _is_heading(text: str, span: _Span) -> bool:
    piece = text[span.start : span.end]
    core = piece.rstrip(CLOSERS)
    return len(piece) <= HEADING_MAX_CHARS and bool(core) and core[-1] not in SENTENCE_END


def _cut_points(text: str, start: int, end: int, marks: str) -> list[int]:
    """Positions just after a mark at bracket depth 0 (closing quotes included), never between two digits."""
    points, closing_stack = [], []
    ascii_quote_open = False
    i = start
    while i < end:
        ch = text[i]
        if ch in OPENERS:
            closing_stack.append(OPENERS[ch])
        elif closing_stack and ch == closing_stack[-1]:
            closing_stack.pop()
        elif ch == '"':
            ascii_quote_open = not ascii_quote_open
        elif ch == "\n" and i + 1 < end:
            closing_stack.clear()
            ascii_quote_open = False
            points.append(i + 1)
        elif ch in marks and not closing_stack and not ascii_quote_open:
            j = i + 1
            while j < end and (text[j] in marks or text[j] in CLOSERS):
                j += 1
            between_digits = j < end and _DIGIT.match(text[j]) and _DIGIT.match(text[i - 1] if i > start else "")
            if j < end and not between_digits:
                points.append(j)
            i = j
            continue
        i += 1
    return points


# Digits and the one or two characters of their unit (6.5万辆, 38.1%): a length cut keeps them together even where
# the number parser reads no number (ab6.5万辆 is glued to a code).
_DIGITS_WITH_UNIT = re.compile(r"[0-9０-９][0-9０-９.,．，]*[%％]?[\u4e00-\u9fff]{0,2}")


def _in_token(ch: str) -> bool:
    """Letters, digits and the marks inside numbers (H1N1, 38.1%, １２３ab): a length cut never falls between two."""
    folded = unicodedata.normalize("NFKC", ch)
    return folded.isascii() and (folded.isalnum() or folded in ".,%")


def _pieces(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end]; a sentence over max_chars is cut at clauses, then (rarely) by length."""
    bounds = [start] + _cut_points(text, start, end, SENTENCE_END) + [end]
    pieces = []
    for a, b in zip(bounds, bounds[1:]):
        if b - a <= max_chars:
            pieces.append((a, b))
            continue
        clause_bounds = [a] + _cut_points(text, a, b, CLAUSE_END) + [b]
        for c, d in zip(clause_bounds, clause_bounds[1:]):
            while d - c > max_chars:
                cut = c + max_chars
                for span_start, span_end in number_spans(text[c:d]):
                    if c + span_start < cut < c + span_end and span_start > 0:
                        cut = c + span_start
                for glued in _DIGITS_WITH_UNIT.finditer(text, c, d):  # ab6.5万辆: a code to the parser, a figure still
                    if glued.start() < cut < glued.end() and glued.start() > c:
                        cut = glued.start()
                if _in_token(text[cut - 1]) and _in_token(text[cut]):
                    run_start = cut - 1
                    while run_start > c and _in_token(text[run_start - 1]):
                        run_start -= 1
                    cut = run_start if run_start > c else cut  # not inside a code or number: １２３ab, ab38.1%
                pieces.append((c, cut))
                c = cut
            pieces.append((c, d))
    return [p for p in pieces if p[1] > p[0]]


def _pack(pieces: list[tuple[int, int]], max_chars: int, min_chars: int) -> list[tuple[int, int]]:
    """Greedy packing into chunks of at most max_chars, carrying one short sentence over as overlap."""
    chunks: list[tuple[int, int]] = []
    chunk_start, chunk_end, last_piece = pieces[0][0], pieces[0][1], pieces[0]
    for piece in pieces[1:]:
        if piece[1] - chunk_start <= max_chars:
            chunk_end, last_piece = piece[1], piece
            continue
        chunks.append((chunk_start, chunk_end))
        overlap_fits = last_piece[1] - last_piece[0] <= max_chars // 3 and piece[1] - last_piece[0] <= max_chars
        chunk_start = last_piece[0] if overlap_fits else piece[0]
        chunk_end, last_piece = piece[1], piece
    chunks.append((chunk_start, chunk_end))
    if len(chunks) > 1:
        tail_start = max(chunks[-1][0], chunks[-2][1])
        if chunks[-1][1] - tail_start < min_chars and chunks[-1][1] - chunks[-2][0] <= max_chars + min_chars // 2:
            chunks[-2:] = [(chunks[-2][0], chunks[-1][1])]
    return chunks


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_article(doc: Document, max_chars: int = 250, min_chars: int = 100) -> list[Passage]:
    """Passages of one article: paragraphs kept whole when short, a heading joined to what follows it.

    >>> [p.text for p in split_article(Document(id="a", title="t", text="标题\\n宇通2024年销售6.5万辆。"))]
    ['标题\\n宇通2024年销售6.5万辆。']
    """
    text = doc.text
    groups: list[_Span] = []
    starts_section: list[bool] = []
    pending: _Span | None = None
    for span in _paragraphs(text):
        if _is_heading(text, span) and pending is None:
            pending = span
            continue
        heading, pending = pending, None
        if heading is not None:
            groups.append(_Span(heading.start, span.end, heading.paragraph))
            starts_section.append(True)
        elif groups and not starts_section[-1] and (
            groups[-1].end - groups[-1].start < min_chars and span.end - groups[-1].start <= max_chars
        ):  # consecutive short paragraphs share a passage; a passage of one short line has too little context
            groups[-1] = _Span(groups[-1].start, span.end, groups[-1].paragraph)
        else:
            groups.append(span)
            starts_section.append(False)
    if pending is not None:
        groups.append(pending)

    passages: list[Passage] = []
    for group in groups:
        if group.end - group.start <= max_chars:
            chunks = [(group.start, group.end)]
        else:
            chunks = _pack(_pieces(text, group.start, group.end, max_chars), max_chars, min_chars)
        for chunk_start, chunk_end in chunks:
            start, end = _trim(text, chunk_start, chunk_end)
            if start >= end:
                continue
            paragraph = group.paragraph + text.count("\n", group.start, start) - _blank_lines(text, group.start, start)
            passage_text = text[start:end]
            ordinal = len(passages)
            digest = hashlib.sha1(passage_text.encode("utf-8")).hexdigest()[:8]
            passages.append(
                Passage(
                    id=f"{doc.id}#{ordinal}-{digest}",
                    doc_id=doc.id,
                    title=doc.title,
                    date=doc.date,
                    source=doc.source,
                    paragraph=paragraph,
                    ordinal=ordinal,
                    start=start,
                    end=end,
                    text=passage_text,
                )
            )
    return passages


def _blank_lines(text: str, start: int, end: int) -> int:
    """Blank lines between start and end, which do not count as paragraphs."""
    return sum(1 for line in text[start:end].split("\n")[1:-1] if not line.strip())
