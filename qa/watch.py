"""The folder watch: articles copied into, edited in or deleted from the corpus folder by hand are indexed while
the assistant serves. watchfiles (the notify library behind uvicorn's --reload) reports the changes, grouped
(debounced) so that copying a hundred files makes one build; Assistant.sync() indexes them.

    watcher = CorpusWatcher(assistant).start()   # create_app(watch=True) and `python app.py --watch` do this
    ...
    watcher.stop()
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from .assistant import Assistant
from .corpus import READABLE_SUFFIXES

log = logging.getLogger(__name__)

DEBOUNCE_MS = 1000


def is_article_file(path: str | Path, corpus_dir: Path) -> bool:
    """Whether a change to this path can change the library: an article file, not hidden (.trash/, .tmp-*).

    >>> is_article_file("/c/news/a.html", Path("/c")), is_article_file("/c/.trash/a.txt", Path("/c"))
    (True, False)
    """
    path = Path(path)
    try:
        relative = path.relative_to(corpus_dir)
    except ValueError:
        return False
    return path.suffix.lower() in READABLE_SUFFIXES and not any(p.startswith(".") for p in relative.parts)


class CorpusWatcher:
    """Watches assistant.corpus_dir in a background thread and calls assistant.sync() after each burst of changes.

    A change that cannot be indexed (an unreadable file is only reported; an index error) is logged, and the
    watch goes on; the build in service stays in service.
    """

    def __init__(self, assistant: Assistant, debounce_ms: int = DEBOUNCE_MS):
        self.assistant = assistant
        self.debounce_ms = debounce_ms
        self.syncs = 0  # bursts handled (for tests and logs)
        self.watching = threading.Event()  # set once the watch is about to begin (changes before it: sync() at start)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "CorpusWatcher":
        if self.assistant.corpus_dir is None:
            log.warning("folder watch not started: this Assistant was not loaded from a corpus folder")
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="qa-corpus-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        import watchfiles

        corpus_dir = Path(self.assistant.corpus_dir).resolve()
        log.info("watching %s for article changes", corpus_dir)
        try:
            changes = watchfiles.watch(corpus_dir, watch_filter=lambda _change, path: is_article_file(path, corpus_dir),
                                       debounce=self.debounce_ms, stop_event=self._stop, raise_interrupt=False)
            self.watching.set()
            self._sync(["(files changed while the server started)"])
            for changed in changes:
                self._sync(changed)
        except Exception:  # the watch itself failed (folder removed, no inotify): serving goes on without it
            log.exception("the folder watch on %s stopped", corpus_dir)

    def _sync(self, changes) -> None:
        try:
            report = self.assistant.sync()
        except Exception:
            log.exception("could not index the changes in the corpus folder (%d files); still serving the last build",
                          len(changes))
            return
        finally:
            self.syncs += 1
        if report is not None:
            log.info("corpus folder changed: +%d ~%d -%d articles, %d passages embedded",
                     len(report.added), len(report.updated), len(report.removed), report.embedded)
        for problem in self.assistant.problems:
            log.warning("corpus: %s", problem)
