"""Names a passage states plainly: the short text answer to 谁/叫什么/哪家/更名为什么 questions, found where the
passage writes the question's own words around it.

    >>> stated_span("郑州以什么产业链群为骨架构建现代化产业体系?", '如何以"7+20"产业链群为骨架,构建起…')
    (4, 8)

The question's words right before the question word (以) and right after it (产业链群为骨架) are looked for in the
passage as written, a few characters apart; what stands between them, quotes aside, is the answer. With words on
one side only, the answer runs from them to the next punctuation (更名为“中创智领(郑州)工业技术集团股份有限公司”).
No match, no answer: a question that asks 为什么 or 如何, or whose words the passage rephrases, gets passages only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ..corpus import normalise_aligned, normalise_for_matching
from ..numbers import find_numbers
from ..retrieve import Hit
from .candidates import MatchingText
from .filters import misses_a_name
from .question import QuestionIntent
from .result import TextAnswer

# What asks for a name, a place or a thing by its name; 为什么, 如何, 怎样 ask for reasons and ways, never a span.
ASKS_FOR_A_SPAN = re.compile(r"叫什么名字|叫什么|什么|哪(?:个|家|位|里|儿|座|所|款|种)|何处|谁")
# Words that join the question's words to the answer: 董事长是于德翔, 投资方为劲嘉股份, 名为…
_JOINING_WORDS = r"是|为|叫做?|名叫"
JOINING = re.compile(rf"{_JOINING_WORDS}|名为")
# Opening marks between the context and the answer, and closing ones after it.
OPENING = "“\"「『《'‘"
CLOSING = "”\"」』》'’"
# Where an answer with context on its left only ends.
SPAN_END = re.compile(r"[，。；：！？,;:!?\s、]|[（(](?:以下)?简称")
MIN_SPAN = 2
MAX_SPAN = 30  # characters: a name, a place, a label; a longer stretch is a paraphrase, not a stated name
MAX_CONTEXT = 8  # characters of the question's words looked for on each side; the most found wins
MIN_CONTEXT = 2  # on one side
MIN_FRAME = 5  # on both sides together
STRONG_RIGHT = 6  # on the right, with a single character on the left
MIN_BEFORE = 4  # on the right alone (由…组织实施)
MAX_GAP = MAX_SPAN + 4  # between the end of the left words and the start of the right ones
# 为什么 asks why, except as the last words of 更名为什么, 称为什么.
WHY = re.compile(r"为什么(?!$)|为何|如何|怎样|怎么|原因")
TRAILING_JOIN = re.compile(rf"(?:{_JOINING_WORDS})$")  # not 名为: 更名为什么 keeps 更名
LEADING_FILLER = re.compile(r"^(?:名字|的|呢)+")
# Words before the answer that say who did it rather than name it: 由河南省委宣传部组织实施 → 河南省委宣传部.
LEADING_AGENT = re.compile(r"由|被|是|为|并?指定|经")
# Characters that begin no name: a span starting with them is a piece of a clause (的手工艺贬值, 了他首场…).
FUNCTION_WORDS = set("的了是在与和及并而或将被由把对从也都就还又（(")  # not 于: a surname (于德翔)
# 哪个公司, 哪家附属公司: a kind follows the question word (the passage writes it before the name: 附属公司酷开).
KIND_AFTER = re.compile(r"哪[个家位座所款种]")
# Verbs that name: what follows 更名为, 称为, 简称 is a name even without words after it.
NAMING = re.compile(r"(?:更名|改名|命名|称|叫做?|名为|简称|全称|代号)$")
# What follows a name that said something: 经理刘杰介绍.
SAYING = re.compile(r"介绍|表示|说|称|认为|指出|透露|坦言|告诉记者")

Names = Callable[[str], list[str]]


@dataclass(frozen=True)
class _Asked:
    """What a question asking for a name says around its question word, read once for all the passages."""

    left: str  # the question's words before the question word, without 是/为 (董事长是谁: 董事长)
    right: str  # … after it (产业链群为骨架构建…)
    kind_after: bool  # 哪个公司, 哪家附属公司: a kind follows the question word
    framed_only: bool  # only words on both sides of the answer say it is the name asked for


def _asked(question: str) -> _Asked | None:
    text = normalise_for_matching(question).rstrip("？?。！! ")
    asking = ASKS_FOR_A_SPAN.search(text)
    if asking is None or WHY.search(text):
        return None
    left = TRAILING_JOIN.sub("", text[: asking.start()])
    kind_after = bool(KIND_AFTER.fullmatch(asking.group()))
    # 什么 alone also asks for definitions and descriptions (X是什么): only a frame on both sides, or a naming verb
    # (更名为什么), says that what stands there is the name asked for; so for 哪个公司, 哪家附属公司, where the passage
    # may name several of that kind around the question's words
    framed_only = (asking.group() == "什么" and not NAMING.search(left)) or kind_after
    return _Asked(left, LEADING_FILLER.sub("", text[asking.end() :]), kind_after, framed_only)


def stated_span(question: str, passage_text: str, names: Names | None = None) -> tuple[int, int] | None:
    """Offsets into passage_text of the name the question asks for, as the passage states it, or None. names, when
    given (the lexical index's tagger), cuts a span that begins with a name down to it (经理刘杰介绍 → 刘杰)."""
    asked = _asked(question)
    return None if asked is None else _span(asked, passage_text, normalise_aligned(passage_text), names)


def _span(asked: _Asked, passage_text: str, passage: str, names: Names | None) -> tuple[int, int] | None:
    """stated_span in passage (passage_text normalised, same length)."""
    best: tuple[int, int, int] | None = None  # (characters of the question's words matched, start, end)
    for context, start, end, framed in _candidates(passage, asked.left, asked.right,
                                                   right_alone=not asked.kind_after):
        if (framed or not asked.framed_only) and (best is None or context > best[0]) \
                and (span := _trimmed(passage, start, end)) is not None:
            best = (context, *span)
    if best is None:
        return None
    start, end = best[1:]
    if names is not None and (found := names(passage_text[start:end])) and passage_text.startswith(found[0], start) \
            and SAYING.fullmatch(passage_text[start + len(found[0]) : end]):
        end = start + len(found[0])  # 经理刘杰介绍: the name, not who said what
    return start, end


def _candidates(passage: str, left: str, right: str, right_alone: bool):
    """(context length, start, end, framed on both sides) of every stretch the question's words frame: on both
    sides; on the left only (up to the next punctuation); on the right only, when right_alone (from the punctuation
    before); or reversed (管理人是谁 → 「…X为管理人」)."""
    for kl in range(min(len(left), MAX_CONTEXT), 0, -1):
        for kr in range(min(len(right), MAX_CONTEXT), MIN_CONTEXT - 1, -1):
            if not (min(kl, kr) >= MIN_CONTEXT and kl + kr >= MIN_FRAME or kr >= STRONG_RIGHT):
                continue  # 以什么产业链群为骨架: one character on the left will do when the right says much
            for at in _occurrences(passage, left[len(left) - kl:]):
                start = _after_joining(passage, at + kl)
                end = passage.find(right[:kr], start + 1, start + MAX_GAP + kr)
                if end > 0:
                    yield kl + kr, start, end, True
    for kl in range(min(len(left), MAX_CONTEXT), MIN_CONTEXT - 1, -1):
        for at in _occurrences(passage, left[len(left) - kl:]):
            start = _after_joining(passage, at + kl)
            stop = SPAN_END.search(passage, start + 1)
            end = stop.start() if stop else len(passage)
            if len(right) < MIN_CONTEXT or right[:MIN_CONTEXT] not in passage[start:end]:
                yield kl, start, end, False  # (not when it holds the words the question puts after the answer)
    before = [] if not right_alone else [right[:kr] for kr in range(min(len(right), MAX_CONTEXT), MIN_BEFORE - 1, -1)]
    before += [join + left[len(left) - kl:] for kl in range(min(len(left), MAX_CONTEXT), MIN_CONTEXT - 1, -1)
               for join in ("为", "是")]
    for words in before:
        for at in _occurrences(passage, words):
            stops = [m.end() for m in SPAN_END.finditer(passage, max(0, at - MAX_SPAN), at)]
            start = stops[-1] if stops else max(0, at - MAX_SPAN)
            start += len(m.group()) if (m := LEADING_AGENT.match(passage, start)) else 0
            yield len(words), start, at, False


def _after_joining(passage: str, at: int) -> int:
    joined = JOINING.match(passage, at)
    return joined.end() if joined else at


def _occurrences(passage: str, word: str):
    at = passage.find(word)
    while at >= 0:
        yield at
        at = passage.find(word, at + 1)


def _trimmed(passage: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without the quotes around it, if it is a short stretch of one clause."""
    while start < end and passage[start] in OPENING:
        start += 1
    while end > start and passage[end - 1] in CLOSING:
        end -= 1
    span = passage[start:end]
    if len(span) < MIN_SPAN or len(span) > MAX_SPAN or SPAN_END.search(span) or span[0] in FUNCTION_WORDS \
            or any(c in OPENING + CLOSING for c in span) or not _balanced(span):
        return None
    if any(m.unit or m.kind not in ("number", "count") for m in find_numbers(span)):
        return None  # a figure (495.2亿元, 20%, 2021年) is the number reader's to give, not a name
    return start, end


def _balanced(span: str) -> bool:
    depth = 0
    for c in span:
        depth += (c in "(（[【") - (c in ")）]】")
        if depth < 0:
            return False
    return depth == 0


def stated_answer(question: QuestionIntent, hits: Sequence[Hit], depth: int,
                  names: Names | None = None) -> TextAnswer | None:
    """The first of the top `depth` passages that names everyone the question names and states the name asked for,
    as a TextAnswer (passage_rank among hits, 1-based)."""
    asked = _asked(question.text)
    if asked is None:
        return None
    for rank, hit in enumerate(hits[:depth], start=1):
        matching = MatchingText.of(hit.passage, hit.lead)
        if misses_a_name(question, matching):
            continue  # about someone else: 朗孜厦原址位于哪里 is not answered by another building's address
        span = _span(asked, hit.passage.text, matching.text, names)
        if span is not None:
            return TextAnswer(hit.passage.text[span[0] : span[1]], rank, *span)
    return None
