"""Hybrid retrieval: dense (FAISS inner product) and lexical (BM25) rankings fused by reciprocal rank (RRF)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .corpus import normalise_for_matching
from .embed import Embedder
from .index import SearchIndex
from .passages import Passage


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # fused score in [0, 1]: 1.0 means ranked first by both signals
    dense_score: float | None  # cosine similarity, None if the passage was not in the dense top list
    dense_rank: int | None  # 1-based
    lexical_rank: int | None

    def to_dict(self) -> dict:
        return {
            "passage_id": self.passage.id,
            "score": self.score,
            "dense_score": self.dense_score,
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
        }


class Retriever:
    """Ranks the passages of one SearchIndex for a question. Thread-safe: FAISS and bm25s searches only read."""

    def __init__(self, index: SearchIndex, embedder: Embedder, depth: int = 50, rrf_k: int = 60,
                 signals: tuple[str, ...] = ("dense", "lexical")):
        self.index = index
        self.embedder = embedder
        self.depth = depth
        self.rrf_k = rrf_k
        self.signals = signals

    def dense_ranking(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        query = self.embedder.encode_queries([normalise_for_matching(question)])
        depth = min(self.depth, len(self.index.passages))
        scores, positions = self.index.faiss_index.search(query, depth)
        keep = positions[0] >= 0
        return positions[0][keep], scores[0][keep]

    def search(self, question: str, k: int) -> list[Hit]:
        """The k best passages, best first."""
        if not self.index.passages:
            return []
        dense_positions, dense_scores = (
            self.dense_ranking(question) if "dense" in self.signals else (np.empty(0, int), np.empty(0))
        )
        lexical_positions = (
            self.index.lexical.search(question, self.depth)[0] if "lexical" in self.signals else np.empty(0, int)
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
            )
            for position, score in ordered
        ]
