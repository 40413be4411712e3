"""The façade: build or load an index, then ask questions. `qa.ask` is a convenience over a cached Assistant."""
from __future__ import annotations

import logging
import threading
import unicodedata
from pathlib import Path
from typing import Sequence

from .corpus import CorpusProblem, Document, load_corpus
from .embed import Embedder, load_embedder
from .errors import IndexCorruptError, QuestionError, StaleIndexError
from .index import (EmbedEngine, SearchIndex, build_index, build_lock, current_build, embed_in_batches, load_index,
                    save_index)
from .reader import NumberReader, Result, assemble_result
from .retrieve import Retriever
from .settings import Settings

log = logging.getLogger(__name__)


def clean_question(question, max_chars: int) -> str:
    """The question as searched: control characters and broken surrogates dropped, cut to max_chars.

    Raises QuestionError when nothing searchable is left.
    """
    if not isinstance(question, str):
        raise QuestionError(f"问题必须是文本 (question must be a string, got {type(question).__name__})")
    question = question.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become '?'
    question = "".join(ch for ch in question if unicodedata.category(ch) not in ("Cc", "Cf") or ch in " \t")
    question = " ".join(question.split())
    if len(question) > max_chars:
        log.info("question cut from %d to %d characters", len(question), max_chars)
        question = question[:max_chars]
    if not any(ch.isalnum() for ch in question):
        raise QuestionError("问题为空：请输入一个问题 (question is empty or has no words)")
    return question


def check_top_k(top_k, max_top_k: int) -> int:
    if isinstance(top_k, bool) or not isinstance(top_k, int):
        raise QuestionError(f"top_k 必须是正整数 (top_k must be an integer, got {top_k!r})")
    if top_k < 1:
        raise QuestionError(f"top_k 必须至少为 1 (top_k must be >= 1, got {top_k})")
    return min(top_k, max_top_k)


class Assistant:
    """Answers questions about one indexed corpus.

    >>> a = Assistant.load()
    >>> a.ask("宇通客车2024年卖了多少辆车?").answer.text
    '6.5万辆'
    """

    def __init__(self, index: SearchIndex, embedder: Embedder, settings: Settings,
                 problems: Sequence[CorpusProblem] = (), reader: NumberReader | None = None):
        self.embedder = embedder
        self.settings = settings
        self.problems = list(problems)
        self.retriever = Retriever(index, embedder, settings.retrieval_depth, settings.rrf_k)
        self.reader = reader or NumberReader()
        self._refresh_lock = threading.Lock()

    @property
    def index(self) -> SearchIndex:
        """The build being served. It is the retriever's, so that refresh() swaps both with one assignment."""
        return self.retriever.index

    @property
    def documents(self) -> dict[str, dict]:
        """Article id → title/date/source of what the index holds (for the UI's description of the corpus)."""
        seen: dict[str, dict] = {}
        for p in self.index.passages:
            seen.setdefault(p.doc_id, {"title": p.title, "date": p.date, "source": p.source})
        return seen

    @classmethod
    def build(cls, documents: Sequence[Document], index_dir: str | Path | None = None,
              settings: Settings | None = None, progress: bool = False,
              problems: Sequence[CorpusProblem] = (), embed_engine: EmbedEngine | None = None,
              embedder: Embedder | None = None) -> "Assistant":
        """Build (or update incrementally) the index of `documents` in index_dir and return an Assistant on it.

        embedder: instead of the one the settings name (tests use a small stand-in).
        """
        settings = (settings or Settings.from_env()).replace(index_dir=index_dir)
        embedder = embedder or load_embedder(settings)
        with build_lock(settings.index_dir):
            try:
                previous = load_index(settings.index_dir)
            except IndexCorruptError as error:
                log.warning("%s; rebuilding from the corpus", error)
                previous = None
            index = build_index(documents, embedder, settings, previous, progress=progress,
                                embed_engine=embed_engine or embed_in_batches)
            save_index(index, settings.index_dir)
        return cls(index, embedder, settings, problems)

    @classmethod
    def load(cls, corpus_dir: str | Path | None = None, index_dir: str | Path | None = None,
             settings: Settings | None = None, progress: bool = False) -> "Assistant":
        """The index of corpus_dir, rebuilt first (incrementally) if missing, corrupt or stale."""
        settings = (settings or Settings.from_env()).replace(corpus_dir=corpus_dir, index_dir=index_dir)
        corpus = load_corpus(settings.corpus_dir)
        embedder = load_embedder(settings)
        try:
            index = load_index(settings.index_dir)
            if index is not None:
                index.check_fresh(corpus.documents, embedder, settings)
                return cls(index, embedder, settings, corpus.problems)
            log.info("no index in %s yet; building it", settings.index_dir)
        except (IndexCorruptError, StaleIndexError) as error:
            log.warning("%s; rebuilding", error)
        return cls.build(corpus.documents, settings=settings, progress=progress, problems=corpus.problems)

    def ask(self, question: str, top_k: int = 3) -> Result:
        """The best passages for the question, and the number that answers it (or None)."""
        question = clean_question(question, self.settings.max_question_chars)
        top_k = check_top_k(top_k, self.settings.max_top_k)
        retriever = self.retriever  # one build for the whole question, even if refresh() swaps it meanwhile
        vocabulary = retriever.index.lexical
        intent = self.reader.analyse(question, vocabulary)
        hits = retriever.search(question, max(top_k, self.reader.depth))
        answer = self.reader.read(intent, hits, vocabulary)
        return assemble_result(question, hits, answer, top_k, answer_first=intent.asks_number)

    def refresh(self) -> bool:
        """Serve the newest build of index_dir if one landed since (`python -m qa build` in another process).

        The new build is loaded (memory-mapped) beside the one in use and swapped in with one assignment:
        questions already being answered finish on the old build, later ones use the new one, none fails.
        Returns whether it swapped. A build that cannot be served (IndexCorruptError, or StaleIndexError for
        another embedder) is raised and the current one stays in service.

        >>> Assistant.load().refresh()
        False
        """
        with self._refresh_lock:
            build = current_build(self.settings.index_dir)
            if build is None or build == self.index.path:
                return False
            index = load_index(self.settings.index_dir)
            index.check_embedder(self.embedder)
            old = self.retriever
            self.retriever = Retriever(index, self.embedder, old.depth, old.rrf_k, old.signals)
            log.info("now serving %s (was %s)", index.path, old.index.path)
            return True


_cached: dict[tuple, Assistant] = {}
_cached_lock = threading.Lock()


def ask(question: str, top_k: int = 3) -> Result:
    """`Assistant.load().ask(...)` with the Assistant kept for the life of the process.

    >>> ask("郑州计划让算力规模达到多少?").answer.text
    '17万P'
    """
    settings = Settings.from_env()
    key = (str(settings.corpus_dir), str(settings.index_dir), settings.model)
    with _cached_lock:
        if key not in _cached:
            _cached[key] = Assistant.load(settings=settings)
        assistant = _cached[key]
    return assistant.ask(question, top_k=top_k)
