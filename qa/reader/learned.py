"""The learned number scorer: a small fine-tuned multilingual-e5 encoder (ONNX, onnxruntime) that reads the
question and a passage and gives each number mention of the passage a probability of being the answer.

    >>> scorer = LearnedScorer.load()
    >>> passage = "2024年累计销售各类商用车6.5万辆，同比增长43.8%"
    >>> scores = scorer.score("宇通客车2024年卖了多少辆车", passage, find_numbers(passage))
    >>> [round(s, 2) for s in scores]  # doctest: +SKIP
    [0.01, 0.96, 0.02]

One forward pass per passage window scores all its mentions at once. The input is `<s> question </s></s> window
</s>`; a passage longer than the window budget is cut into windows of whole mentions. Within a window the scores
are a softmax over "none of them" and the window's mentions, so they sum to at most 1 and a low total means the
model thinks the answer is not there. The artifact (`models/number_scorer/`: the .onnx, the pruned vocabulary,
the model card) is checked against card.json (size and sha256 of each file) before it is used; training code and
figures: benchmarks/train_reader.py and MODEL_CARD.md.
"""
from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelError
from ..numbers import NumberMention
from .tokenizer import Encoding, Tokenizer, Vocabulary

__all__ = ["LearnedScorer", "MODEL_DIR", "load_or_none"]

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "models" / "number_scorer"
BOS, PAD, EOS = 0, 1, 2


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_card(path: Path) -> dict:
    """card.json of the artifact folder, after checking every file it lists (size, then sha256)."""
    card_path = path / "card.json"
    if not card_path.is_file():
        raise ModelError(f"model card not found: {card_path} (restore the folder or retrain with "
                                 f"benchmarks/train_reader.py)")
    try:
        card = json.loads(card_path.read_text("utf-8"))
        files = card["files"]
    except (ValueError, KeyError) as error:
        raise ModelError(f"{card_path}: unreadable model card ({error})") from error
    for name, expected in files.items():
        file = path / name
        if not file.is_file():
            raise ModelError(f"{file}: listed in card.json but missing")
        size = file.stat().st_size
        if size != expected["bytes"]:
            raise ModelError(f"{file}: {size} bytes, card.json says {expected['bytes']} (file altered or "
                                     f"truncated; restore it from git)")
        if _sha256(file) != expected["sha256"]:
            raise ModelError(f"{file}: sha256 differs from card.json (file altered; restore it from git)")
    return card


class LearnedScorer:
    """Scores the number mentions of passages for a question; load once, call from any thread."""

    def __init__(self, session, tokenizer: Tokenizer, card: dict, path: Path, max_tokens: int | None = None):
        self._session = session
        self.tokenizer = tokenizer
        self.card = card
        self.path = path
        self.max_tokens = int(max_tokens or card["max_tokens"])
        self.max_question_tokens = int(card.get("max_question_tokens", 48))
        self._encode = lru_cache(maxsize=4096)(tokenizer.encode)  # the same passages come back for many questions

    @classmethod
    def load(cls, path: str | Path | None = None, intra_op_num_threads: int = 1,
             max_tokens: int | None = None) -> "LearnedScorer":
        """Verify the artifact in `path` (default: the bundled one) against its card and open it.

        `max_tokens` caps the window (question + passage) below the trained length (card.json) to trade accuracy for
        speed: the cost grows with the tokens of every window.
        """
        path = Path(path) if path is not None else MODEL_DIR
        card = read_card(path)
        try:
            import onnxruntime
        except ImportError as error:
            raise ModelError("onnxruntime is not installed (pip install onnxruntime)") from error
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = intra_op_num_threads
        options.inter_op_num_threads = 1
        try:
            session = onnxruntime.InferenceSession(str(path / "number_scorer.onnx"), options,
                                                   providers=["CPUExecutionProvider"])
            vocabulary = Vocabulary.load(path / "vocab.json")
        except Exception as error:  # onnxruntime raises its own untyped errors
            raise ModelError(f"{path}: cannot open the model ({error})") from error
        log.info("learned scorer loaded from %s (%s, %d layers)", path, card.get("quantisation"), card.get("layers"))
        return cls(session, Tokenizer(vocabulary), card, path, max_tokens)

    def clear_cache(self) -> None:
        """Forget the tokenised passages and questions (kept for the last 4,096 texts)."""
        self._encode.cache_clear()

    def score(self, question: str, passage_text: str, mentions: Sequence[NumberMention]) -> list[float]:
        """One probability-like score in [0, 1] per mention, in the order given."""
        return self.score_many(question, [(passage_text, mentions)])[0]

    def score_many(self, question: str,
                   passages: Sequence[tuple[str, Sequence[NumberMention]]]) -> list[list[float]]:
        """score() for several passages of one question, in one onnxruntime run."""
        question_ids = list(self._encode(question).ids[:self.max_question_tokens])
        budget = self.max_tokens - len(question_ids) - 4
        windows = []  # (passage index, window ids, [(mention index, first, last)])
        for index, (text, mentions) in enumerate(passages):
            if mentions:
                encoding = self._encode(text)
                for ids, placed in _windows(encoding, mentions, budget):
                    windows.append((index, ids, placed))
        results = [[0.0] * len(mentions) for _, mentions in passages]
        if not windows:
            return results
        prefix = [BOS, *question_ids, EOS, EOS]
        length = max(len(prefix) + len(ids) + 1 for _, ids, _ in windows)
        candidates = max(len(placed) for _, _, placed in windows)
        input_ids = np.full((len(windows), length), PAD, dtype=np.int64)
        attention_mask = np.zeros((len(windows), length), dtype=np.int64)
        weights = np.zeros((len(windows), candidates, length), dtype=np.float32)
        candidate_mask = np.zeros((len(windows), candidates), dtype=np.float32)
        for row, (_, ids, placed) in enumerate(windows):
            tokens = prefix + ids + [EOS]
            input_ids[row, :len(tokens)] = tokens
            attention_mask[row, :len(tokens)] = 1
            for column, (_, first, last) in enumerate(placed):
                weights[row, column, len(prefix) + first:len(prefix) + last] = 1.0 / (last - first)
                candidate_mask[row, column] = 1.0
        logits = self._session.run(["logits"], {"input_ids": input_ids, "attention_mask": attention_mask,
                                                "candidate_weights": weights, "candidate_mask": candidate_mask})[0]
        logits = logits - logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        for row, (index, _, placed) in enumerate(windows):
            for column, (mention_index, _, _) in enumerate(placed):
                results[index][mention_index] = float(probabilities[row, 1 + column])
        return results


def _windows(encoding: Encoding, mentions: Sequence[NumberMention], budget: int):
    """Windows of at most `budget` passage tokens that hold every mention whole, each mention in exactly one."""
    ranges = []
    for index, mention in enumerate(mentions):
        covered = [i for i, (a, b) in enumerate(encoding.spans) if a < mention.end and mention.start < b]
        if covered and covered[-1] + 1 - covered[0] <= budget:
            ranges.append((index, covered[0], covered[-1] + 1))
    if len(encoding.ids) <= budget:
        if ranges:
            yield list(encoding.ids), ranges
        return
    pending = sorted(ranges, key=lambda r: r[1])
    while pending:
        _, start, end = pending[0]
        lead = min(budget // 4, budget - (end - start))  # some context before the first mention, which still fits
        first = max(0, min(start - lead, len(encoding.ids) - budget))
        last = first + budget
        inside = [(i, a - first, b - first) for i, a, b in pending if first <= a and b <= last]
        pending = [r for r in pending if not (first <= r[1] and r[2] <= last)]
        yield list(encoding.ids[first:last]), inside


_load_failed: set[str] = set()


def load_or_none(path: str | Path | None = None, intra_op_num_threads: int = 1) -> LearnedScorer | None:
    """The scorer, or None when it cannot be used (missing or altered file, no onnxruntime); logs that once."""
    try:
        return LearnedScorer.load(path, intra_op_num_threads)
    except ModelError as error:
        key = str(path)
        if key not in _load_failed:
            _load_failed.add(key)
            log.warning("learned scorer unavailable, falling back to the rule-based ranking: %s", error)
        return None
