"""The public result types, and how a result is put together from the hits and the answer.

`Result.to_dict()` is the JSON contract of the API and the CLI (README, "Result"). Offsets always index the
passage text as written in the article.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from ..numbers import NumberMention
from ..passages import Passage
from ..retrieve import Hit
from .candidates import mentions_of


@dataclass(frozen=True)
class Highlight:
    start: int  # offsets into the passage text
    end: int
    text: str
    value: float | None
    unit: str
    kind: str
    answer: bool = False

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "answer": self.answer,
                "value": self.value, "unit": self.unit, "kind": self.kind}


@dataclass(frozen=True)
class Answer:
    """The figure as written; for a question asking several (分别, 哪两条) the figures listed together
    (1.07万辆、1.43万辆), every one of them marked in the highlights, with value, unit and kind those of the first
    (a bare first figure takes the unit it shares with the rest: 6.5万、8.5万人次)."""

    text: str
    value: float | None
    unit: str
    kind: str
    passage_rank: int  # 1-based index into Result.passages (into the hits read, until the result is assembled)
    start: int  # offsets into that passage's text
    end: int
    score: float  # calibrated probability that the answer is right
    figures: tuple[NumberMention, ...] = ()  # the mentions the answer is made of, highlighted as answers

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit, "passage_rank": self.passage_rank,
                "start": self.start, "end": self.end, "score": self.score}


@dataclass(frozen=True)
class RankedPassage:
    rank: int
    passage: Passage
    score: float
    highlights: tuple[Highlight, ...]

    def to_dict(self) -> dict:
        p = self.passage
        return {"rank": self.rank, "doc_id": p.doc_id, "title": p.title, "date": p.date, "paragraph": p.paragraph,
                "passage_id": p.id, "text": p.text, "score": self.score,
                "highlights": [h.to_dict() for h in self.highlights]}


@dataclass(frozen=True)
class Result:
    question: str
    answer: Answer | None
    passages: tuple[RankedPassage, ...]

    def to_dict(self) -> dict:
        return {"question": self.question, "answer": self.answer.to_dict() if self.answer else None,
                "passages": [p.to_dict() for p in self.passages]}


def assemble_result(question: str, hits: Sequence[Hit], answer: Answer | None, top_k: int,
                    answer_first: bool) -> Result:
    """The top_k passages with every number highlighted and the answer marked.

    The answer's passage (answer.passage_rank among hits) is always shown: first when answer_first (the question
    asks for a number), else at its own place, or last when that is below top_k. For 为什么/是什么 questions a
    number is a side note.
    """
    order = list(range(len(hits)))
    if answer is not None:
        at = answer.passage_rank - 1
        order.remove(at)
        order.insert(0 if answer_first else min(answer.passage_rank, top_k) - 1, at)
    ranked = []
    for rank, position in enumerate(order[:top_k], start=1):
        hit = hits[position]
        marked = answer is not None and position == answer.passage_rank - 1
        highlights = tuple(Highlight(m.start, m.end, m.text, m.value, m.unit, m.kind,
                                     answer=marked and m in answer.figures)
                           for m in mentions_of(hit.passage.text))
        ranked.append(RankedPassage(rank, hit.passage, hit.score, highlights))
    if answer is not None:
        answer = replace(answer, passage_rank=order.index(answer.passage_rank - 1) + 1)
    return Result(question, answer, tuple(ranked))
