"""Chinese news question answering: the best passages, with the number that answers the question highlighted.

    import qa
    a = qa.Assistant.load()                      # corpus/ + index/, built or refreshed when needed
    r = a.ask("宇通客车2024年卖了多少辆车?")
    r.answer.text                                # '6.5万辆'
    r.to_dict()                                  # JSON-ready

Modules follow the data path: corpus → numbers → passages → embed → lexical → index → retrieve → reader/
→ render → assistant → policy → chat → web (numbers is pure text processing, used by passages so no number is ever cut). A module imports only from modules before it.
"""
from .assistant import Assistant, ask
from .corpus import Document
from .errors import CorpusError, IndexCorruptError, ModelError, QAError, QuestionError, StaleIndexError
from .reader import Answer, Highlight, NumberReader, RankedPassage, Result
from .settings import Settings

__all__ = [
    "Answer", "Assistant", "CorpusError", "Document", "Highlight", "IndexCorruptError", "ModelError",
    "NumberReader", "QAError",
    "QuestionError", "RankedPassage", "Result", "Settings", "StaleIndexError", "ask",
]
