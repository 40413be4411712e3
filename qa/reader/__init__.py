"""The reader: from a question and ranked passages to the number that answers it.

    question (+ earlier questions) → resolve (followup.py: what a follow-up takes from the turns before it)
             → analyse (question.py: kinds, unit, time, subject, metric; words from lexicon.py)
    hits → candidates (candidates.py: every number of the best passages, with its surroundings)
         → filters (filters.py: numbers that cannot answer) → features (features.py: the registry)
         → model (model.py + number_model.json: ranking score, calibrated probability, threshold)
         → aggregate (aggregate.py: period, agreeing sources, conflicts, the latest figure, alternatives)
         → Answer (result.py), then the Result the assistant returns
    a question that asks for a name (谁, 叫什么) → span (span.py: the name where a passage states it) → TextAnswer

`NumberReader` (reader.py) is the one component the assistant, the evaluation and the fit script call.
"""
from .candidates import Candidate
from .features import FEATURE_NAMES
from .filters import FILTERS
from .model import ReaderModel
from .question import QuestionIntent, Term, Vocabulary, analyse_question, metric_families
from .reader import NumberReader
from .followup import Resolved, resolve_followup
from .result import Answer, Highlight, KeywordMark, RankedPassage, Result, TextAnswer, assemble_result
from .span import stated_answer

__all__ = ["Answer", "Candidate", "FEATURE_NAMES", "FILTERS", "Highlight", "NumberReader", "KeywordMark",
           "QuestionIntent", "RankedPassage", "ReaderModel", "Resolved", "Result", "Term", "TextAnswer", "Vocabulary",
           "analyse_question", "assemble_result", "metric_families", "resolve_followup", "stated_answer"]
