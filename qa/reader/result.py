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
    qualifier: str = ""  # "over", "under", "approx" or "" (see qa.numbers)
    direction: str = ""  # "up", "down" or "" (a level)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "answer": self.answer,
                "value": self.value, "unit": self.unit, "kind": self.kind, "qualifier": self.qualifier,
                "direction": self.direction}


@dataclass(frozen=True)
class Source:
    """An article among the retrieved passages that states the answer's figure for the same thing and period."""

    doc_id: str
    title: str
    date: str | None
    source: str | None
    passage_id: str
    text: str  # the mention as written

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "title": self.title, "date": self.date, "source": self.source,
                "passage_id": self.passage_id, "text": self.text}


@dataclass(frozen=True)
class Conflict(Source):
    """An article that answers the question as well as the answer does, for the same period, with another value."""

    value: float | None = None
    unit: str = ""

    def to_dict(self) -> dict:
        return {**super().to_dict(), "value": self.value, "unit": self.unit}


@dataclass(frozen=True)
class Alternative:
    """The figure of another period, for a question that names no time (宇通卖了多少车: 2024年 6.5万辆 beside the
    answer's 2025年上半年 21321辆)."""

    text: str
    value: float | None
    unit: str
    period: str
    passage_id: str

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit, "period": self.period,
                "passage_id": self.passage_id}


@dataclass(frozen=True)
class Answer:
    """The figure as written; for a question asking several (分别, 哪两条) the figures listed together
    (1.07万辆、1.43万辆), every one of them marked in the highlights, with value, unit and kind those of the first
    (a bare first figure takes the unit it shares with the rest: 6.5万、8.5万人次). A question asking for a change
    gets the word that says which way it went (下降3.4%: text and start include 下降), a question asking for one end of
    a range that end (最多 → 1.5亿元 of 1.2亿元至1.5亿元)."""

    text: str
    value: float | None
    unit: str
    kind: str
    passage_rank: int  # 1-based index into Result.passages (into the hits read, until the result is assembled)
    start: int  # offsets into that passage's text
    end: int
    score: float  # calibrated probability that the answer is right
    qualifier: str = ""  # of the first figure: "over" (不少于, 超), "under" (不超过, 以下), "approx" (约) or ""
    direction: str = ""  # of the first figure: "up", "down" or "" (a level)
    figures: tuple[NumberMention, ...] = ()  # the mentions the answer is made of, highlighted as answers
    period: str | None = None  # the time the figure refers to, as the text says it (2024年, 截至2025年6月末)
    sources: tuple[Source, ...] = ()  # every article that states the same figure, the answer's own first
    conflicts: tuple[Conflict, ...] = ()  # same thing, same period, another value
    alternatives: tuple[Alternative, ...] = ()  # no time asked: the figures of other periods, most recent first

    @property
    def figure_text(self) -> str:
        """The figures alone, without the word of direction stated before them (3.4% of 下降3.4%)."""
        return self.text[self.figures[0].start - self.start:] if self.figures else self.text

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit, "qualifier": self.qualifier,
                "direction": self.direction, "passage_rank": self.passage_rank, "start": self.start,
                "end": self.end, "score": self.score, "period": self.period,
                "sources": [s.to_dict() for s in self.sources], "conflicts": [c.to_dict() for c in self.conflicts],
                "alternatives": [a.to_dict() for a in self.alternatives]}


@dataclass(frozen=True)
class TextAnswer:
    """A name the passage states plainly, for a question that asks for one (谁, 叫什么, 更名为什么): text, not a
    figure, so it has no value, unit or calibrated score."""

    text: str
    passage_rank: int  # 1-based index into Result.passages (into the hits read, until the result is assembled)
    start: int  # offsets into that passage's text
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "passage_rank": self.passage_rank, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class KeywordMark:
    """Where a word of the question occurs in a passage (offsets into its text)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


def keyword_marks(text: str, words: Sequence[str]) -> tuple[KeywordMark, ...]:
    """Every occurrence of the words in text, longest words first, none overlapping another, in text order.
    Deterministic: a set's order would change from one process to the next (string hashing is salted)."""
    taken = [False] * len(text)
    marks = []
    for word in sorted(dict.fromkeys(w for w in words if w), key=len, reverse=True):  # ties: the question's order
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if not any(taken[at:end]):
                taken[at:end] = [True] * len(word)
                marks.append(KeywordMark(at, end, word))
            at = text.find(word, end)
    return tuple(sorted(marks, key=lambda m: m.start))


@dataclass(frozen=True)
class RankedPassage:
    rank: int
    passage: Passage
    score: float
    highlights: tuple[Highlight, ...]
    keywords: tuple[KeywordMark, ...] = ()  # the question's words, marked for questions that ask for no number
    stated: tuple[int, int] | None = None  # offsets of the text answer (TextAnswer), when this is its passage

    def to_dict(self) -> dict:
        p = self.passage
        return {"rank": self.rank, "doc_id": p.doc_id, "title": p.title, "date": p.date, "paragraph": p.paragraph,
                "passage_id": p.id, "text": p.text, "score": self.score,
                "highlights": [h.to_dict() for h in self.highlights],
                "keywords": [k.to_dict() for k in self.keywords]}


@dataclass(frozen=True)
class Result:
    question: str
    answer: Answer | None
    passages: tuple[RankedPassage, ...]
    understood_as: str = ""  # the question as answered: a follow-up with what it took from earlier turns
    asks_number: bool = True  # False for 是什么/为什么/哪些 questions: no number is offered as their answer
    text_answer: TextAnswer | None = None  # for a question that asks for a name the passage states (asks_number False)

    def __post_init__(self):
        if not self.understood_as:
            object.__setattr__(self, "understood_as", self.question)

    def to_dict(self) -> dict:
        return {"question": self.question, "understood_as": self.understood_as, "asks_number": self.asks_number,
                "answer": self.answer.to_dict() if self.answer else None,
                "text_answer": self.text_answer.to_dict() if self.text_answer else None,
                "passages": [p.to_dict() for p in self.passages]}


def assemble_result(question: str, hits: Sequence[Hit], answer: Answer | None, top_k: int,
                    answer_first: bool = True, *, asks_number: bool = True, understood_as: str = "",
                    keywords: Sequence[str] = (), text_answer: TextAnswer | None = None) -> Result:
    """The top_k passages with every number highlighted and the answer marked.

    The answer's passage (answer.passage_rank among hits) is always shown: first when answer_first (the question
    says it asks for a number), else at its own place, or last when that is below top_k. A question that asks for
    something else (asks_number False: 为什么, 哪些) has no answer; its keywords are marked in each passage, and the
    name it asks for, when a passage states it (text_answer), comes first.
    """
    order = list(range(len(hits)))
    first = answer or text_answer
    if first is not None:
        at = first.passage_rank - 1
        order.remove(at)
        order.insert(0 if answer_first or answer is None else min(answer.passage_rank, top_k) - 1, at)
    ranked = []
    for rank, position in enumerate(order[:top_k], start=1):
        hit = hits[position]
        marked = answer is not None and position == answer.passage_rank - 1
        highlights = tuple(Highlight(m.start, m.end, m.text, m.value, m.unit, m.kind,
                                     answer=marked and any(m.start <= f.start and f.end <= m.end for f in answer.figures),
                                     qualifier=m.qualifier, direction=m.direction)
                           for m in mentions_of(hit.passage.text))
        marks = keyword_marks(hit.passage.text, keywords) if keywords else ()
        stated = None
        if text_answer is not None and position == text_answer.passage_rank - 1:
            stated = (text_answer.start, text_answer.end)
            marks = tuple(k for k in marks if k.end <= stated[0] or stated[1] <= k.start)
        ranked.append(RankedPassage(rank, hit.passage, hit.score, highlights, marks, stated))
    if answer is not None:
        answer = replace(answer, passage_rank=order.index(answer.passage_rank - 1) + 1)
    if text_answer is not None:
        text_answer = replace(text_answer, passage_rank=order.index(text_answer.passage_rank - 1) + 1)
    return Result(question, answer, tuple(ranked), understood_as, asks_number, text_answer)
