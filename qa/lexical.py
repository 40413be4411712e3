"""Lexical side of retrieval: jieba tokens (numbers and units kept whole) scored with bm25s.

Entity names found in the corpus (quoted names, headline subjects) go into jieba's dictionary so that
中创智领 stays one token; the list is saved with the index so queries are cut the same way.
"""
from __future__ import annotations

import functools
import json
import logging
import math
import re
import threading
from pathlib import Path
from typing import Iterable, Mapping, Protocol, Sequence, runtime_checkable

import numpy as np

from .corpus import normalise_for_matching

log = logging.getLogger(__name__)

USER_WORDS_FILE = "user_words.json"
# Each passage's tokens as ids into the BM25 vocabulary, so that adding an article re-tokenises only its passages.
TOKEN_IDS_FILE = "passage_token_ids.npy"
TOKEN_OFFSETS_FILE = "passage_token_offsets.npy"
# Question words and particles carry no evidence; punctuation never does.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 也 都 就 而 并 被 把 对 从 向 为 以 于 之 其 这 那 该 此 吗 呢 吧 啊 呀 么 "
    "多少 几 什么 哪 哪些 哪个 哪里 何时 怎么 怎样 如何 多 少 有 个 请问 一下".split()
)
_NUMBER_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?(?:%|[万亿千]?[年月日号万亿元辆台家个P]?)")
_QUOTED = re.compile(r"[“\"「『‘'《]([\u4e00-\u9fff]{2,8})[”\"」』’'》]")
_HEADLINE_SUBJECT = re.compile(r"^([\u4e00-\u9fff]{2,8})[:：]", re.M)
_SHORT_NAME = re.compile(r"简称[:：]?[“\"「‘']?([\u4e00-\u9fff]{2,8})")
_WORD = re.compile(r"\w", re.U)


def entity_words(texts: Iterable[str]) -> list[str]:
    """Names worth keeping whole, taken from the corpus itself (quoted terms, headline subjects, 简称)."""
    words: set[str] = set()
    for text in texts:
        words.update(_entity_words_in(text))
    return sorted(words)


@functools.lru_cache(maxsize=1 << 16)  # an incremental build asks again for every unchanged article
def _entity_words_in(text: str) -> frozenset[str]:
    text = normalise_for_matching(text)
    return frozenset(word for pattern in (_QUOTED, _HEADLINE_SUBJECT, _SHORT_NAME) for word in pattern.findall(text))


@functools.lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict, int]:
    """jieba's prefix dictionary and total, read once per process (~1 s); each Tokenizer starts from a copy."""
    import jieba

    base = jieba.Tokenizer()
    base.initialize()
    return base.FREQ, base.total


@functools.lru_cache(maxsize=1)
def _jieba_word_tags() -> dict[str, str]:
    """jieba's part-of-speech table, read once per process (~0.8 s): each index build makes a new Tokenizer, and
    reading it again made the first question after every add 20× slower."""
    import jieba.posseg

    return jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab


def _tagger(tokenizer):
    """jieba's part-of-speech tagger over `tokenizer`, its table copied from the process's one."""
    import jieba.posseg

    class Tagger(jieba.posseg.POSTokenizer):
        def load_word_tag(self, f):
            f.close()
            self.word_tag_tab = dict(_jieba_word_tags())

    return Tagger(tokenizer)


class Tokenizer:
    """Cuts normalised text into search tokens: jieba search mode, plus numbers with their unit as one token."""

    def __init__(self, user_words: Sequence[str] = ()):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.user_words = list(user_words)
        self._user_word_set = frozenset(self.user_words)
        self._jieba = jieba.Tokenizer()
        # What initialize() would load, copied (~30 ms) instead of read again: the same state, word for word.
        frequencies, total = _jieba_dictionary()
        self._jieba.FREQ, self._jieba.total, self._jieba.initialized = dict(frequencies), total, True
        for word in self.user_words:
            self._jieba.add_word(word, freq=20000)
        # jieba's lazy structures are not safe to build from several threads at once.
        self._lock = threading.Lock()
        self._tagger = None

    def names(self, text: str, corpus_entities: bool = False) -> list[str]:
        """Proper nouns (people, places, organisations, brands) jieba's part-of-speech tagger finds in text; with
        corpus_entities, also the names the corpus itself gives (entity_words: 宇通客车, 华翔股份) that jieba's table
        does not know."""
        with self._lock:
            if self._tagger is None:
                self._tagger = _tagger(self._jieba)
            pairs = list(self._tagger.cut(normalise_for_matching(text)))
        known = self._user_word_set if corpus_entities else frozenset()
        return [p.word for p in pairs
                if (p.flag[:2] in ("nr", "ns", "nt", "nz") or p.flag == "x" and p.word in known) and len(p.word) > 1]

    def tokens(self, text: str) -> list[str]:
        text = normalise_for_matching(text).lower()
        tokens = [m.group() for m in _NUMBER_WITH_UNIT.finditer(text) if not m.group().isdigit()]
        with self._lock:
            pieces = self._jieba.lcut_for_search(text)
        tokens.extend(p for p in pieces if p.strip() and _WORD.search(p) and p not in STOPWORDS)
        return tokens


@runtime_checkable
class LexicalBackend(Protocol):
    """What retrieval and answering ask of the lexical side; `LexicalIndex` (bm25s, in process) is the one we ship.

    Past a few million passages a search engine the newsroom already runs (Elasticsearch/OpenSearch with a
    Chinese analyzer) can stand behind this instead: `search` returns passage positions (row i of the index) with
    their scores, best first; `idf` weighs question words for answer scoring. See docs/scaling.md.
    """

    tokenizer: Tokenizer

    @property
    def size(self) -> int: ...

    def idf(self, token: str) -> float: ...

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]: ...

    def save(self, directory: Path) -> None: ...


def _bm25_scores(retriever, unique_token_ids, corpus_token_ids, show_progress=False, leave_progress=False) -> dict:
    """bm25s's build_index_from_ids for its default Lucene BM25 (idf log(1 + (N - df + .5)/(df + .5)), term weight
    tf / (tf + k1·(1 - b + b·dl/avgdl))), computed over all tokens at once with numpy instead of one Python loop
    per passage. The same CSC matrix (tested against bm25s's own)."""
    if retriever.method != "lucene" or retriever.idf_method != "lucene":
        raise ValueError("the vectorised BM25 covers the Lucene variant only")
    retriever.nonoccurrence_array = None  # what bm25s's own builder sets for Lucene (read again by save)
    n_docs, n_vocab = len(corpus_token_ids), len(unique_token_ids)
    lengths = np.fromiter((len(ids) for ids in corpus_token_ids), dtype=np.int64, count=n_docs)
    tokens = np.concatenate([np.asarray(ids, dtype=np.int64) for ids in corpus_token_ids])
    pairs, tf = np.unique(tokens * n_docs + np.repeat(np.arange(n_docs, dtype=np.int64), lengths), return_counts=True)
    token_of, doc_of = np.divmod(pairs, n_docs)  # sorted by token, then passage: the CSC order
    per_token = np.bincount(token_of, minlength=n_vocab)
    idf = np.log(1 + (n_docs - per_token + 0.5) / (per_token + 0.5)).astype(retriever.dtype)
    tf = tf.astype(retriever.dtype)
    norms = retriever.k1 * ((1 - retriever.b) + retriever.b * lengths[doc_of] / lengths.mean())
    data = (idf[token_of] * (tf / (norms + tf))).astype(retriever.dtype)
    indptr = np.concatenate([[0], np.cumsum(per_token)]).astype(np.int64)
    return {"data": data, "indices": doc_of.astype(retriever.int_dtype), "indptr": indptr, "num_docs": n_docs}


def _check_arrays(retriever, directory: Path) -> None:
    """bm25s loads whatever arrays it finds; arrays out of step with each other or with the vocabulary would only
    fail (or mislead) at search time, on every question. Raises ValueError so that loading calls the index corrupt."""
    scores, vocab = retriever.scores, retriever.vocab_dict
    data, indices, indptr = (np.asarray(scores[name]) for name in ("data", "indices", "indptr"))
    ids = np.fromiter(vocab.values(), dtype=np.int64, count=len(vocab))
    consistent = (
        data.ndim == indices.ndim == indptr.ndim == 1 and len(indptr) > 0
        and data.dtype.kind == "f" and indices.dtype.kind in "iu" and indptr.dtype.kind in "iu"
        and len(data) == len(indices) and indptr[0] == 0 and indptr[-1] == len(data)
        and bool(np.all(indptr[1:] >= indptr[:-1]))
        and (len(indices) == 0 or (indices.min() >= 0 and indices.max() < int(scores["num_docs"])))
        and len(vocab) in (len(indptr) - 1, len(indptr)) and len(np.unique(ids)) == len(ids)
        and (len(ids) == 0 or (ids.min() >= 0 and ids.max() < len(indptr)))
    )
    if not consistent:
        raise ValueError(f"{directory}: BM25 arrays out of step with each other or with the vocabulary")


class LexicalIndex:
    """BM25 over passage tokens (bm25s sparse matrices, saved as .npy + JSON, never pickle)."""

    def __init__(self, retriever, tokenizer: Tokenizer, document_ids: list[np.ndarray] | None = None,
                 directory: Path | None = None):
        self._retriever = retriever
        self.tokenizer = tokenizer
        self._vocab = retriever.vocab_dict
        self._document_ids = document_ids  # each passage's tokens as ids into self._vocab
        self._directory = directory

    @classmethod
    def build(cls, texts: Sequence[str], user_words: Sequence[str], known_ids: Mapping[str, np.ndarray] | None = None,
              vocabulary: Mapping[str, int] | None = None) -> "LexicalIndex":
        """BM25 over the texts. `known_ids` (text → token ids into `vocabulary`, cut with these user words, e.g. a
        previous build's, see reusable_ids) spares re-tokenising them; new tokens extend the vocabulary."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG on import
        tokenizer = Tokenizer(user_words)
        known = known_ids or {}
        vocab = dict(vocabulary or {}) if known else {}
        document_ids = []
        for text in texts:
            ids = known.get(text)
            if ids is None:
                tokens = tokenizer.tokens(text) or ["<empty>"]
                ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int32, count=len(tokens))
            document_ids.append(ids)
        retriever = bm25s.BM25()
        retriever.build_index_from_ids = functools.partial(_bm25_scores, retriever)
        retriever.index((document_ids, vocab), show_progress=False)
        return cls(retriever, tokenizer, document_ids)

    def reusable_ids(self) -> tuple[list[np.ndarray], dict[str, int]] | None:
        """Each passage's token ids and the vocabulary they index, for an incremental rebuild; None when the index
        was saved without them (it is then rebuilt by tokenising every passage)."""
        if self._document_ids is None and self._directory is not None:
            try:
                ids = np.load(self._directory / TOKEN_IDS_FILE, allow_pickle=False)
                offsets = np.load(self._directory / TOKEN_OFFSETS_FILE, allow_pickle=False)
                if len(offsets) != self.size + 1 or offsets[-1] != len(ids) or (len(ids) and ids.max() >= len(self._vocab)):
                    raise ValueError(f"{len(offsets) - 1} token lists for {self.size} passages")
                self._document_ids = np.split(ids, offsets[1:-1])
            except (OSError, ValueError) as error:
                log.info("no reusable passage tokens in %s (%s); they will be cut again", self._directory, error)
                return None
        return None if self._document_ids is None else (self._document_ids, self._vocab)

    def document_tokens(self) -> list[list[str]] | None:
        """Each passage's tokens as indexed (the words behind reusable_ids)."""
        reusable = self.reusable_ids()
        if reusable is None:
            return None
        words = [""] * len(self._vocab)
        for word, position in self._vocab.items():
            words[position] = word
        return [[words[i] for i in ids.tolist()] for ids in reusable[0]]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(directory), show_progress=False)
        (directory / USER_WORDS_FILE).write_text(json.dumps(self.tokenizer.user_words, ensure_ascii=False), "utf-8")
        if self._document_ids is not None:
            ids = np.concatenate(self._document_ids) if self._document_ids else np.empty(0, dtype=np.int32)
            offsets = np.cumsum([0] + [len(i) for i in self._document_ids], dtype=np.int64)
            np.save(directory / TOKEN_IDS_FILE, ids.astype(np.int32), allow_pickle=False)
            np.save(directory / TOKEN_OFFSETS_FILE, offsets, allow_pickle=False)

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        import bm25s

        user_words = json.loads((directory / USER_WORDS_FILE).read_text("utf-8"))
        if not isinstance(user_words, list) or not all(isinstance(word, str) for word in user_words):
            raise ValueError(f"{directory / USER_WORDS_FILE}: not a list of words")
        # Score arrays memory-mapped read-only, shared by the processes serving this build (as the FAISS file is).
        retriever = bm25s.BM25.load(str(directory), allow_pickle=False, show_progress=False, mmap=True)
        _check_arrays(retriever, directory)
        return cls(retriever, Tokenizer(user_words), directory=directory)

    def tokens(self, text: str) -> list[str]:
        """text cut into words as this index cuts passages (numbers with their units kept whole)."""
        return self.tokenizer.tokens(text)

    def names(self, text: str, corpus_entities: bool = False) -> list[str]:
        """The names (people, places, organisations) jieba's tagger finds in text (Tokenizer.names)."""
        return self.tokenizer.names(text, corpus_entities)

    def document_frequency(self, token: str) -> int:
        """How many passages contain the token."""
        position = self._vocab.get(token)
        indptr = self._retriever.scores["indptr"]
        return 0 if position is None else int(indptr[position + 1] - indptr[position])

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency; a token the corpus never uses gets the highest value."""
        df = self.document_frequency(token)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    @property
    def size(self) -> int:
        return int(self._retriever.scores["num_docs"])

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Passage positions and BM25 scores of the k best matches (only those with a positive score); with
        `allowed` (passage positions), only among those."""
        tokens = [t for t in self.tokenizer.tokens(query) if t in self._vocab]
        if not tokens:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        scores = self._retriever.get_scores(tokens)
        if allowed is not None:
            masked = np.zeros_like(scores)
            masked[allowed] = scores[allowed]
            scores = masked
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        keep = scores[top] > 0
        return top[keep].astype(np.int64), scores[top][keep].astype(np.float32)
