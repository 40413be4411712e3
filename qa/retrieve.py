"""Hybrid retrieval: dense (FAISS inner product) and lexical (BM25) rankings fused by reciprocal rank (RRF)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .corpus import normalise_for_matching
from .embed import Embedder
from .errors import QuestionError
from .index import SearchIndex
from .passages import Passage


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # fused score in [0, 1]: 1.0 means ranked first by both signals
    dense_score: float | None  # cosine similarity, None if the passage was not in the dense top list
    dense_rank: int | None  # 1-based
    lexical_rank: int | None
    # The text of the article's first passage when this is a later one: an article often names the day or the
    # place it reports on there only (周一（2月7日）欧市尾盘，…).
    lead: str = ""

    def to_dict(self) -> dict:
        return {
            "passage_id": self.passage.id,
            "score": self.score,
            "dense_score": self.dense_score,
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
        }


def _iso_date(value, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    label = {"since": "起始日期", "until": "截止日期"}[name]
    raise QuestionError(f"{label}应是 2025-07-01 这样的日期 ({name} must be an ISO date, got {value!r})")


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a question is asked of: dated since/until (ISO dates, both included) and published by one
    of `sources`. An article without a date is left out by since/until; an empty filter lets everything through.

    >>> ArticleFilter.of(since="2025-01-01", sources=["新华社"]).allows(passage)
    """

    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()

    @classmethod
    def of(cls, since=None, until=None, sources=None) -> "ArticleFilter":
        """Checked values (QuestionError names a bad one): dates as ISO strings, sources as a list of names."""
        if isinstance(sources, str):
            sources = [s for s in sources.split(",")]
        if sources is not None and (not isinstance(sources, (list, tuple))
                                    or not all(isinstance(s, str) for s in sources)):
            raise QuestionError(f"来源应是来源名称的列表 (sources must be a list of source names, got {sources!r})")
        names = tuple(dict.fromkeys(s.strip() for s in sources or () if s.strip()))
        return cls(_iso_date(since, "since"), _iso_date(until, "until"), names)

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.sources)

    def allows(self, passage: Passage) -> bool:
        if self.sources and (passage.source or "").strip() not in self.sources:
            return False
        if self.since or self.until:
            date = (passage.date or "")[:10]
            if not date or (self.since and date < self.since) or (self.until and date > self.until):
                return False
        return True


class Retriever:
    """Ranks the passages of one SearchIndex for a question. Thread-safe: FAISS and bm25s searches only read."""

    def __init__(self, index: SearchIndex, embedder: Embedder, depth: int = 50, rrf_k: int = 60,
                 signals: tuple[str, ...] = ("dense", "lexical")):
        self.index = index
        self.embedder = embedder
        self.depth = depth
        self.rrf_k = rrf_k
        self.signals = signals

    def dense_ranking(self, question: str, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        query = self.embedder.encode_queries([normalise_for_matching(question)])
        if allowed is not None:  # exact search among the allowed passages' vectors
            scores = np.asarray(self.index.vectors[allowed], dtype=np.float32) @ query[0]
            top = np.argsort(-scores, kind="stable")[: self.depth]
            return allowed[top], scores[top]
        depth = min(self.depth, len(self.index.passages))
        scores, positions = self.index.faiss_index.search(query, depth)
        keep = positions[0] >= 0
        return positions[0][keep], scores[0][keep]

    def allowed(self, only: ArticleFilter | None) -> np.ndarray | None:
        """The positions of the passages a filter lets through (None: no filter, all of them)."""
        if only is None or not only.active:
            return None
        return np.array([i for i, p in enumerate(self.index.passages) if only.allows(p)], dtype=np.int64)

    def _lead(self, position: int) -> str:
        passage = self.index.passages[position]
        first = position - passage.ordinal  # an article's passages are consecutive, in order
        if passage.ordinal and first >= 0 and self.index.passages[first].doc_id == passage.doc_id:
            return self.index.passages[first].text
        return ""

    def search(self, question: str, k: int, only: ArticleFilter | None = None) -> list[Hit]:
        """The k best passages, best first; with `only`, among the articles it lets through."""
        allowed = self.allowed(only)
        if not self.index.passages or (allowed is not None and not len(allowed)):
            return []
        dense_positions, dense_scores = (
            self.dense_ranking(question, allowed) if "dense" in self.signals else (np.empty(0, int), np.empty(0))
        )
        lexical_positions = (
            self.index.lexical.search(question, self.depth, allowed)[0] if "lexical" in self.signals
            else np.empty(0, int)
        )
        fused: dict[int, float] = {}
        dense_rank = {int(p): r for r, p in enumerate(dense_positions, start=1)}
        dense_score = {int(p): float(s) for p, s in zip(dense_positions, dense_scores)}
        lexical_rank = {int(p): r for r, p in enumerate(lexical_positions, start=1)}
        for ranking in (dense_rank, lexical_rank):
            for position, rank in ranking.items():
                fused[position] = fused.get(position, 0.0) + 1.0 / (self.rrf_k + rank)
        best_possible = len(self.signals) / (self.rrf_k + 1)
        ordered = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [
            Hit(
                passage=self.index.passages[position],
                score=round(score / best_possible, 4),
                dense_score=dense_score.get(position),
                dense_rank=dense_rank.get(position),
                lexical_rank=lexical_rank.get(position),
                lead=self._lead(position),
            )
            for position, score in ordered
        ]


def moved_back(hits: list[Hit], off_topic: Callable[[Hit], bool]) -> list[Hit]:
    """The hits in the same order, except that those off_topic (an article on another day than the one asked) come
    after all the others."""
    return [h for h in hits if not off_topic(h)] + [h for h in hits if off_topic(h)]
