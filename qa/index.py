"""The index on disk: passages, FAISS vectors, the lexical index and a manifest — built, saved atomically, verified.

Layout of `index_dir`:
    CURRENT            name of the active build folder (replaced atomically with os.replace)
    .lock              held while a build is written, so two builders never interleave
    build-<stamp>/     manifest.json, passages.jsonl, vectors.npy, vectors.faiss, lexical/
The previous build is kept until the next one lands, so a reader that has just read CURRENT still finds its files.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import logging
import math
import os
import re
import shutil
import time
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .corpus import Document, fsync_dir
from .embed import Embedder
from .errors import IndexCorruptError, StaleIndexError
from .lexical import LexicalBackend, LexicalIndex, entity_words
from .passages import Passage, split_article
from .settings import Settings

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
# Bump when splitting or tokenising changes in a way that changes results.
PIPELINE_VERSION = 1
CURRENT_FILE = "CURRENT"
LOCK_FILE = ".lock"
EMBED_BATCH = 32


def corpus_fingerprint(documents: Sequence[Document]) -> str:
    lines = sorted(f"{d.id}\t{d.content_hash}" for d in documents)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class ArticleSummary:
    """One indexed article as the library lists it."""

    id: str
    title: str
    date: str | None
    source: str | None
    passages: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchIndex:
    """Everything retrieval needs, in memory: passages[i] has vector row i and lexical document i."""

    manifest: dict
    passages: list[Passage]
    vectors: np.ndarray
    faiss_index: object
    lexical: LexicalBackend
    path: Path | None = None

    def check_embedder(self, embedder: Embedder) -> None:
        """Raises StaleIndexError when the passages were embedded by another model than the questions will be."""
        if self.manifest["embedder"] != {"name": embedder.name, "dim": embedder.dim}:
            raise StaleIndexError(f"{self.path or 'index'} was built with embedder {self.manifest['embedder']}, "
                                  f"questions are embedded with {embedder.name}")

    def articles(self) -> list[ArticleSummary]:
        """The indexed articles in index order, with how many passages each has."""
        counts: dict[str, int] = {}
        first: dict[str, Passage] = {}
        for p in self.passages:
            counts[p.doc_id] = counts.get(p.doc_id, 0) + 1
            first.setdefault(p.doc_id, p)
        return [ArticleSummary(i, p.title, p.date, p.source, counts[i]) for i, p in first.items()]

    def check_fresh(self, documents: Sequence[Document], embedder: Embedder, settings: Settings) -> None:
        """Raises StaleIndexError naming what changed since this index was built."""
        self.check_embedder(embedder)
        m = self.manifest
        if m["settings"] != settings.result_affecting() or m["pipeline_version"] != PIPELINE_VERSION:
            raise StaleIndexError("index was built with other settings")
        if m["corpus_fingerprint"] != corpus_fingerprint(documents):
            raise StaleIndexError("corpus changed since the index was built")


# Settings.index_type "auto": exact search while it meets the latency goal, IVF above that size. Measured with
# benchmarks/bench_scale.py (figures in benchmarks/README.md): one exact Flat search costs ~0.06–0.2 ms per 1,000
# passages on 2 cores, so ask() stays within 60 ms up to ~10^5–2·10^5 passages; IVF with nlist ≈ 4·√N lists and
# nprobe = nlist/16 kept recall@10 ≥ 0.99 against exact at 10^5 in about 1 ms (HNSW32 needed efSearch > 256).
AUTO_EXACT_BELOW = 200_000


def ivf_lists(passages: int) -> int:
    """IVF lists for this many passages: the power of two nearest 4·√N (1024 at 10^5, 4096 at 10^6)."""
    return 2 ** round(math.log2(4 * math.sqrt(max(passages, 1))))


def resolve_index_type(index_type: str, passages: int) -> tuple[str, str]:
    """Settings.index_type → (FAISS index_factory string, search parameters), at this many passages.

    "auto" is exact Flat below AUTO_EXACT_BELOW passages and IVF above; any other value is a factory string,
    optionally followed by FAISS search parameters (without them HNSW searches with efSearch=16 and IVF with
    nprobe=1, which lose recall).
    >>> resolve_index_type("auto", 23), resolve_index_type("auto", 10**6), resolve_index_type("HNSW32 efSearch=512", 9)
    (('Flat', ''), ('IVF4096,Flat', 'nprobe=256'), ('HNSW32', 'efSearch=512'))
    """
    if index_type.strip() == "auto":
        lists = ivf_lists(passages)
        index_type = "Flat" if passages < AUTO_EXACT_BELOW else f"IVF{lists},Flat nprobe={max(1, lists // 16)}"
    factory, _, parameters = index_type.strip().partition(" ")
    return factory, parameters.strip()


def _make_faiss_index(vectors: np.ndarray, index_type: str):
    """The FAISS index over `vectors`, and the index type it resolved to (recorded in the manifest)."""
    import faiss

    factory, parameters = resolve_index_type(index_type, len(vectors))
    index = faiss.index_factory(vectors.shape[1], factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        try:
            index.train(vectors)
        except RuntimeError as error:  # e.g. IVF asked for more centroids than there are vectors
            log.warning("cannot train %s on %d vectors (%s); using exact Flat", factory, len(vectors), error)
            index, factory, parameters = faiss.IndexFlatIP(vectors.shape[1]), "Flat", ""
    if parameters:
        faiss.ParameterSpace().set_index_parameters(index, parameters)  # saved with the index
    index.add(vectors)
    return index, f"{factory} {parameters}".strip()


def embed_in_batches(embedder: Embedder, texts: Sequence[str], progress: bool = False) -> np.ndarray:
    """The local embedding engine: one process, batches of EMBED_BATCH, a progress bar when asked."""
    from tqdm import tqdm

    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    with tqdm(total=len(texts), desc="embedding passages", unit="passage", disable=not progress) as bar:
        for start in range(0, len(texts), EMBED_BATCH):
            vectors[start : start + EMBED_BATCH] = embedder.encode_passages(texts[start : start + EMBED_BATCH])
            bar.update(min(EMBED_BATCH, len(texts) - start))
    return vectors


EmbedEngine = Callable[[Embedder, Sequence[str], bool], np.ndarray]


@functools.lru_cache(maxsize=1 << 16)  # an incremental build splits every unchanged article again otherwise
def _passages_of(document: Document, max_chars: int, min_chars: int) -> tuple[Passage, ...]:
    return tuple(split_article(document, max_chars, min_chars))


def prepare_articles(documents: Sequence[Document], settings: Settings) -> None:
    """Split the articles and find their entity words once, ahead of time: the next incremental build finds both
    cached and spends its time on the changed articles only (~0.7 s less for the first add at 10^4 passages)."""
    for document in documents:
        _passages_of(document, settings.passage_max_chars, settings.passage_min_chars)
    entity_words(d.title + "\n" + d.text for d in documents)


def build_index(
    documents: Sequence[Document],
    embedder: Embedder,
    settings: Settings,
    previous: SearchIndex | None = None,
    progress: bool = False,
    embed_engine: EmbedEngine = embed_in_batches,
) -> SearchIndex:
    """Split, embed (reusing previous vectors of unchanged passages) and index the documents, in memory.

    `embed_engine(embedder, texts, progress)` embeds the passages that have no cached vector; the default runs
    in this process, a distributed engine (Ray) can be passed instead: the result is the same index.
    """
    passages = [p for d in documents for p in _passages_of(d, settings.passage_max_chars, settings.passage_min_chars)]
    cached: dict[str, np.ndarray] = {}
    if previous is not None and previous.manifest["embedder"] == {"name": embedder.name, "dim": embedder.dim}:
        cached = {p.content_hash: previous.vectors[i] for i, p in enumerate(previous.passages)}
    missing = [i for i, p in enumerate(passages) if p.content_hash not in cached]
    log.info("index: %d passages, %d to embed, %d reused", len(passages), len(missing), len(passages) - len(missing))

    vectors = np.zeros((len(passages), embedder.dim), dtype=np.float32)
    for i, p in enumerate(passages):
        if p.content_hash in cached:
            vectors[i] = cached[p.content_hash]
    if missing:
        vectors[missing] = embed_engine(embedder, [passages[i].search_text for i in missing], progress)

    user_words = entity_words(d.title + "\n" + d.text for d in documents)
    lexical = LexicalIndex.build([p.search_text for p in passages], user_words, *_reusable_tokens(previous, user_words))
    faiss_index, resolved_type = _make_faiss_index(vectors, settings.index_type)
    manifest = {
        "format_version": FORMAT_VERSION,
        "pipeline_version": PIPELINE_VERSION,
        "embedder": {"name": embedder.name, "dim": embedder.dim},
        "settings": settings.result_affecting(),
        "index_type": resolved_type,  # what settings.index_type ("auto") resolved to at this size
        "corpus_fingerprint": corpus_fingerprint(documents),
        "documents": {d.id: d.content_hash for d in documents},
        "counts": {"documents": len(documents), "passages": len(passages), "embedded": len(missing)},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    return SearchIndex(manifest, passages, vectors, faiss_index, lexical)


def _reusable_tokens(previous: SearchIndex | None, user_words: Sequence[str]) -> tuple[dict, dict]:
    """(search text → token ids, the vocabulary they index) of the previous build's passages that this build's
    tokenizer would cut the same way: all of them when the corpus's entity words are unchanged, else those
    containing none of the words that came or went (matched after width folding; a word found only after
    traditional → simplified conversion is missed)."""
    if previous is None or previous.manifest.get("pipeline_version") != PIPELINE_VERSION:
        return {}, {}
    reusable = getattr(previous.lexical, "reusable_ids", lambda: None)()
    if reusable is None or len(reusable[0]) != len(previous.passages):
        return {}, {}
    ids, vocabulary = reusable
    changed = set(previous.lexical.tokenizer.user_words) ^ set(user_words)
    touched = re.compile("|".join(re.escape(w.lower()) for w in sorted(changed, key=len, reverse=True))) if changed else None
    known = {p.search_text: i for p, i in zip(previous.passages, ids)
             if touched is None or not touched.search(unicodedata.normalize("NFKC", p.search_text).lower())}
    return known, vocabulary


@contextlib.contextmanager
def build_lock(index_dir: Path):
    """Exclusive lock on index_dir: a second builder waits instead of writing over the first."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK_FILE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def save_index(index: SearchIndex, index_dir: Path) -> Path:
    """Write a new build folder, then point CURRENT at it in one rename. Call under build_lock."""
    import faiss

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"build-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    staging = index_dir / f".tmp-{name}"
    staging.mkdir()
    with open(staging / "passages.jsonl", "w", encoding="utf-8") as out:
        for p in index.passages:
            out.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    np.save(staging / "vectors.npy", index.vectors, allow_pickle=False)
    faiss.write_index(index.faiss_index, str(staging / "vectors.faiss"))
    index.lexical.save(staging / "lexical")
    # The manifest goes last: a folder without one is never loaded.
    (staging / "manifest.json").write_text(json.dumps(index.manifest, ensure_ascii=False, indent=2), "utf-8")
    for path in staging.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    os.rename(staging, index_dir / name)
    # The build CURRENT names until now is kept (readers may be serving it), not the newest other folder: a build
    # that crashed between the rename above and the switch below leaves a newer folder nobody serves.
    previous = (index_dir / CURRENT_FILE).read_text("utf-8").strip() if (index_dir / CURRENT_FILE).is_file() else None
    pointer = index_dir / f".{CURRENT_FILE}.{uuid.uuid4().hex[:6]}"
    pointer.write_text(name, "utf-8")
    os.replace(pointer, index_dir / CURRENT_FILE)
    fsync_dir(index_dir)
    index.path = index_dir / name
    _remove_old_builds(index_dir, keep={name, previous})
    return index.path


def _remove_old_builds(index_dir: Path, keep: set) -> None:
    for path in index_dir.iterdir():
        if path.name.startswith((".tmp-build-", "build-")) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(f".{CURRENT_FILE}."):
            path.unlink(missing_ok=True)


def current_build(index_dir: Path) -> Path | None:
    pointer = Path(index_dir) / CURRENT_FILE
    if not pointer.is_file():
        return None
    name = pointer.read_text("utf-8").strip()
    if not name.startswith("build-") or "/" in name:
        raise IndexCorruptError(f"{pointer}: does not name a build folder")
    return Path(index_dir) / name


def _mmap_flags(faiss) -> int:
    """IO_FLAG_MMAP_IFC maps Flat, IVF (Flat/SQ/PQ) and HNSW files whole; faiss builds without it (older than about
    1.10) map only IVF lists with IO_FLAG_MMAP and read the rest into memory."""
    return getattr(faiss, "IO_FLAG_MMAP_IFC", faiss.IO_FLAG_MMAP) | faiss.IO_FLAG_READ_ONLY


def load_index(index_dir: Path) -> SearchIndex | None:
    """The active build, fully verified; None when nothing was built yet; IndexCorruptError when unreadable."""
    import faiss

    build = current_build(index_dir)
    if build is None:
        return None
    try:
        manifest = json.loads((build / "manifest.json").read_text("utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexCorruptError(f"{build}: index format {manifest.get('format_version')}, expected {FORMAT_VERSION}")
        with open(build / "passages.jsonl", encoding="utf-8") as handle:
            passages = [Passage.from_dict(json.loads(line)) for line in handle if line.strip()]
        # Memory-mapped read-only (a build is never changed once written), so processes serving it share its pages.
        vectors = np.load(build / "vectors.npy", allow_pickle=False, mmap_mode="r")
        faiss_index = faiss.read_index(str(build / "vectors.faiss"), _mmap_flags(faiss))
        lexical = LexicalIndex.load(build / "lexical")
        expected = manifest["counts"]["passages"]
        dim = manifest["embedder"]["dim"]
        sizes = {"passages": len(passages), "vectors": len(vectors), "faiss": faiss_index.ntotal, "bm25": lexical.size}
        if any(n != expected for n in sizes.values()) or vectors.shape[1:] != (dim,) or faiss_index.d != dim:
            raise IndexCorruptError(f"{build}: parts out of step {sizes}, manifest says {expected} × {dim}")
    except IndexCorruptError:
        raise
    except Exception as error:  # any unreadable part means the same thing to the caller: rebuild
        raise IndexCorruptError(f"{build}: unreadable index ({type(error).__name__}: {error})") from error
    return SearchIndex(manifest, passages, vectors, faiss_index, lexical, path=build)
