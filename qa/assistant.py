"""The façade: build or load an index, then ask questions. `qa.ask` is a convenience over a cached Assistant."""
from __future__ import annotations

import logging
import os
import threading
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .corpus import (Corpus, CorpusProblem, Document, document_from_record, load_corpus, trash_articles,
                     write_articles)
from .embed import Embedder, embedding_threads, load_embedder
from .errors import CorpusError, IndexCorruptError, QAError, QuestionError, StaleIndexError
from .index import (ArticleSummary, EmbedEngine, SearchIndex, build_index, build_lock, current_build,
                    embed_in_batches, load_index, prepare_articles, save_index)
from .reader import NumberReader, Result, assemble_result, resolve_followup, stated_answer
from .retrieve import ArticleFilter, Retriever
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


MAX_HISTORY_TURNS = 10


def clean_history(history, max_chars: int) -> list[str]:
    """Earlier questions of the conversation, oldest first, each cleaned like a question; only the last
    MAX_HISTORY_TURNS are kept, and turns with no words are skipped.

    Raises QuestionError when history is not a list of strings.
    """
    if history is None:
        return []
    if isinstance(history, (str, bytes)) or not isinstance(history, (list, tuple)):
        raise QuestionError(f"对话历史必须是问题的列表 (history must be a list of earlier questions, "
                            f"got {type(history).__name__})")
    if not all(isinstance(turn, str) for turn in history):
        raise QuestionError("对话历史中的每一项都必须是文本 (every history item must be a string)")
    turns = []
    for turn in history[-MAX_HISTORY_TURNS:]:
        try:
            turns.append(clean_question(turn, max_chars))
        except QuestionError:
            continue  # an empty turn says nothing to follow up on
    return turns


def check_top_k(top_k, max_top_k: int) -> int:
    if isinstance(top_k, bool) or not isinstance(top_k, int):
        raise QuestionError(f"top_k 必须是正整数 (top_k must be an integer, got {top_k!r})")
    if top_k < 1:
        raise QuestionError(f"top_k 必须至少为 1 (top_k must be >= 1, got {top_k})")
    return min(top_k, max_top_k)


MAX_ARTICLES_PER_CHANGE = 10_000
# A change that embeds this few passages (an article or two) uses every core: it is over in under a second, and a
# question asked meanwhile waits at most that long (benchmarks/bench_serving.py: POST → first answer).
SMALL_CHANGE_PASSAGES = 32


@dataclass(frozen=True)
class ChangeReport:
    """What one change of the library did: Assistant.add, Assistant.remove, or a change found in the folder."""

    added: list[str] = field(default_factory=list)  # ids new to the library
    updated: list[str] = field(default_factory=list)  # ids whose article was replaced
    unchanged: list[str] = field(default_factory=list)  # ids given again with the same content: nothing done
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # ids asked to be removed that the library does not hold
    documents: int = 0  # articles in the library afterwards
    passages: int = 0
    embedded: int = 0  # passages embedded by this change (the others' vectors were reused)
    seconds: float = 0.0
    build: str | None = None  # the index build now served

    def to_dict(self) -> dict:
        return asdict(self)


def as_documents(items: Iterable) -> list[Document]:
    """Documents (or JSON objects with Document's fields), checked: CorpusError names the first bad one."""
    documents, seen = [], set()
    for number, item in enumerate(items, start=1):
        try:
            document = item if isinstance(item, Document) else document_from_record(item)
        except CorpusError as error:
            raise CorpusError(f"第 {number} 篇：{error}") from None
        if document.id in seen:
            raise CorpusError(f"重复的文章 id {document.id!r} (duplicate article id: give each article once)")
        seen.add(document.id)
        documents.append(document)
        if len(documents) > MAX_ARTICLES_PER_CHANGE:
            raise CorpusError(f"一次最多加入 {MAX_ARTICLES_PER_CHANGE} 篇 (at most {MAX_ARTICLES_PER_CHANGE} articles "
                              f"per request)")
    return documents


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
        # The folder this index mirrors: set by load(); an Assistant built from a list of documents has none and
        # cannot add or remove articles (there is no folder to keep them in).
        self.corpus_dir: Path | None = None
        self._write_lock = threading.Lock()

    @property
    def index(self) -> SearchIndex:
        """The build being served. It is the retriever's, so that refresh() swaps both with one assignment."""
        return self.retriever.index

    def documents(self) -> list[ArticleSummary]:
        """The articles being served: id, title, date, source and passage count, in index order.

        >>> [a.id for a in Assistant.load().documents()]
        ['zhengzhou-industry-2025-07-28']
        """
        return self.index.articles()

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
                assistant = cls(index, embedder, settings, corpus.problems)
                assistant.corpus_dir = settings.corpus_dir
                return assistant
            log.info("no index in %s yet; building it", settings.index_dir)
        except (IndexCorruptError, StaleIndexError) as error:
            log.warning("%s; rebuilding", error)
        assistant = cls.build(corpus.documents, settings=settings, progress=progress, problems=corpus.problems)
        assistant.corpus_dir = settings.corpus_dir
        return assistant

    def ask(self, question: str, top_k: int = 3, *, history: Sequence[str] | None = None,
            since: str | None = None, until: str | None = None, sources: Sequence[str] | None = None) -> Result:
        """The best passages for the question, and the number that answers it (or None).

        history: the earlier questions of this conversation, oldest first. A follow-up (净利润呢？ 2023年呢？) takes
        what it leaves out from them; Result.understood_as is the question as answered. Only the last
        MAX_HISTORY_TURNS count. A question that asks for no number (是什么, 为什么) gets no number: its passages
        come back with the question's words marked, and a name it asks for (谁, 更名为什么) as Result.text_answer
        where a passage states it plainly.

        since/until (ISO dates, both included) and sources (names of publishers) restrict the articles searched;
        a bad value raises QuestionError.
        """
        question = clean_question(question, self.settings.max_question_chars)
        top_k = check_top_k(top_k, self.settings.max_top_k)
        history = clean_history(history, self.settings.max_question_chars)
        only = ArticleFilter.of(since, until, sources)
        retriever = self.retriever  # one build for the whole question, even if refresh() swaps it meanwhile
        vocabulary = retriever.index.lexical
        if history:  # a name the corpus gives (宇通客车) is a subject, not what is measured
            understood = resolve_followup(question, history, lambda text: vocabulary.names(text, True)).text
        else:
            understood = question
        intent = self.reader.analyse(understood, vocabulary)
        wanted = max(top_k, self.reader.agreement_depth)
        searched = 2 * wanted if intent.days else wanted  # daily reports look alike: the day asked may rank lower
        hits = self.reader.order(intent, retriever.search(understood, searched, only))[:wanted]
        if intent.asks_other:
            keywords = [w for term in intent.terms for w in term.words] + list(intent.names)
            named = stated_answer(intent, hits, top_k, vocabulary.names)
            return assemble_result(question, hits, None, top_k, asks_number=False, understood_as=understood,
                                   keywords=keywords, text_answer=named)
        answer = self.reader.read(intent, hits, vocabulary)
        return assemble_result(question, hits, answer, top_k, intent.asks_number, understood_as=understood)

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


    # --- the living library: articles come and go while questions are answered ---------------------------------

    def add(self, documents: Iterable) -> ChangeReport:
        """Add articles (Documents, or dicts with Document's fields); an id already held is an update.

        Each article is written into the corpus folder first (so a restart or `python -m qa build` keeps it), then
        only its passages are embedded, the index is rebuilt from cached vectors, saved, and swapped in: questions
        being answered finish on the build they started with. Raises CorpusError (nothing written) for a bad
        article or an id given twice.

        >>> Assistant.load().add([{"id": "byd-2024", "title": "比亚迪年报", "text": "比亚迪2024年销量427万辆。"}]).added
        ['byd-2024']
        """
        documents = as_documents(documents)

        def change(corpus: Corpus) -> dict:
            held = {d.id: d for d in corpus.documents}
            fresh = [d for d in documents if d.id not in held or held[d.id].content_hash != d.content_hash]
            if fresh:
                write_articles(self._corpus_dir(), fresh, corpus.locations)
            return {"added": [d.id for d in fresh if d.id not in held],
                    "updated": [d.id for d in fresh if d.id in held],
                    "unchanged": [d.id for d in documents if d.id in held and held[d.id].content_hash == d.content_hash]}

        return self._change(change)

    def remove(self, ids: Iterable[str]) -> ChangeReport:
        """Take articles out of the library: their files go to corpus/.trash/ (nothing is lost by a slip), then the
        index is rebuilt from cached vectors and swapped in. Ids the library does not hold come back as `missing`.

        >>> Assistant.load().remove(["byd-2024"]).removed
        ['byd-2024']
        """
        ids = list(dict.fromkeys(ids))
        if not all(isinstance(i, str) for i in ids):
            raise CorpusError("文章 id 应是文本 (article ids must be strings)")

        def change(corpus: Corpus) -> dict:
            held = [i for i in ids if i in corpus.locations]
            if held:
                trash_articles(self._corpus_dir(), corpus.locations, held)
            return {"removed": held, "missing": [i for i in ids if i not in corpus.locations]}

        return self._change(change)

    def sync(self) -> ChangeReport | None:
        """Index what the corpus folder holds now, if it differs from what is served (the folder watch calls this
        after files were copied in, edited or deleted by hand). Returns None when nothing changed."""
        before = dict(self.index.manifest.get("documents", {}))
        report = self._change(lambda corpus: {})
        after = self.index.manifest.get("documents", {})
        if after == before:
            return None
        return ChangeReport(**{**report.to_dict(), "added": sorted(set(after) - set(before)),
                               "removed": sorted(set(before) - set(after)),
                               "updated": sorted(i for i in set(after) & set(before) if after[i] != before[i])})

    def prepare_changes(self) -> None:
        """Read the corpus folder and split its articles once, so that the first add or remove of this process is as
        fast as the later ones (a server calls this in the background at start-up)."""
        if self.corpus_dir is not None:
            prepare_articles(load_corpus(self.corpus_dir).documents, self.settings)

    def _corpus_dir(self) -> Path:
        if self.corpus_dir is None:
            raise QAError("这个 Assistant 不是从语料目录加载的，无法增删文章 (built from a list of documents, not a corpus "
                          "folder: use Assistant.load(corpus_dir=...) to add or remove articles)")
        return self.corpus_dir

    def _change(self, change: Callable[[Corpus], dict]) -> ChangeReport:
        """Under the writers' lock (this process's threads, and other processes through the index's build lock):
        apply `change` to the corpus folder, re-read the folder and, if it differs from the build in service,
        build from cached vectors, save, and swap the new build in."""
        corpus_dir = self._corpus_dir()
        started = time.perf_counter()
        with self._write_lock, build_lock(self.settings.index_dir):
            outcome = change(load_corpus(corpus_dir))
            corpus = load_corpus(corpus_dir)
            index = self._newest_build()
            built = index.manifest.get("documents") != {d.id: d.content_hash for d in corpus.documents}
            if built:
                index = build_index(corpus.documents, self.embedder, self.settings, index,
                                    embed_engine=self._embed_within_budget)
                save_index(index, self.settings.index_dir)
            if index is not self.index:
                self._serve(index)
            self.problems = list(corpus.problems)
        counts = index.manifest["counts"]
        report = ChangeReport(**outcome, documents=counts["documents"], passages=counts["passages"],
                              embedded=counts["embedded"] if built else 0,
                              seconds=round(time.perf_counter() - started, 3), build=index.path.name)
        log.info("library changed: %s", report)
        return report

    def _embed_within_budget(self, embedder: Embedder, texts: Sequence[str], progress: bool = False):
        """Embed a change's new passages: a few (one article) with every core, so that it is searchable within
        about a second; more with settings.build_threads, leaving a core to the questions asked meanwhile."""
        threads = (os.cpu_count() or 0) if len(texts) <= SMALL_CHANGE_PASSAGES else self.settings.build_threads
        with embedding_threads(embedder, threads):
            return embed_in_batches(embedder, texts, progress)

    def _newest_build(self) -> SearchIndex:
        """The build to extend: the one served, or a newer one another process saved meanwhile (its vectors too)."""
        build = current_build(self.settings.index_dir)
        if build is None or build == self.index.path:
            return self.index
        try:
            return load_index(self.settings.index_dir) or self.index
        except IndexCorruptError as error:
            log.warning("%s; extending the build in service instead", error)
            return self.index

    def _serve(self, index: SearchIndex) -> None:
        with self._refresh_lock:
            old = self.retriever
            self.retriever = Retriever(index, self.embedder, old.depth, old.rrf_k, old.signals)


_cached: dict[tuple, Assistant] = {}
_cached_lock = threading.Lock()


def ask(question: str, top_k: int = 3, *, history: Sequence[str] | None = None, since: str | None = None,
        until: str | None = None, sources: Sequence[str] | None = None) -> Result:
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
    return assistant.ask(question, top_k=top_k, history=history, since=since, until=until, sources=sources)
