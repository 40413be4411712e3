"""The few named exceptions the package raises; messages name the file or input and say what to do."""


class QAError(Exception):
    """Base class for every error this package raises on purpose."""


class CorpusError(QAError):
    """An article file could not be read (undecodable, empty, malformed)."""


class IndexCorruptError(QAError):
    """The index on disk is unreadable or inconsistent; rebuild it from the corpus."""


class StaleIndexError(QAError):
    """The index on disk was built from another corpus, embedder or settings."""


class QuestionError(QAError, ValueError):
    """The question or its parameters are invalid (empty question, top_k < 1, …)."""


class ModelError(QAError):
    """A model artifact is missing, damaged, or does not match the code that reads it (feature names, hash)."""
