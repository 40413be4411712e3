"""Candidates: every number of the passages the reader reads, with what the features read around it.

    >>> [m.text for m in mentions_of("2024年累计销售各类商用车6.5万辆，同比增长43.8%")]
    ['2024年', '6.5万辆', '43.8%']
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..corpus import normalise_aligned, normalise_for_matching
from ..numbers import NumberMention, figure_span, find_numbers
from ..passages import Passage
from ..retrieve import Hit
from . import lexicon as lx
from .question import (QuestionIntent, Term, Vocabulary, coverage, day_moved, metric_families, month_days,
                       year_parts)


@functools.lru_cache(maxsize=4096)
def mentions_of(text: str) -> tuple[NumberMention, ...]:
    """The number mentions of a passage's text, in order (find_numbers: about 0.25 ms for a passage). Cached: one
    question reads a passage's numbers for its candidates, their periods and the highlights shown."""
    return tuple(find_numbers(text))


@dataclass(frozen=True)
class Candidate:
    """A number that may answer the question: its mention, the rank of its passage, its features and score."""

    mention: NumberMention
    hit_rank: int  # 1-based rank of the passage among the hits read
    features: dict = field(default_factory=dict)
    score: float = 0.0  # the model's linear ranking score z


@dataclass(frozen=True)
class MatchingText:
    """A passage as the features read it, normalised once for all its numbers."""

    text: str  # normalise_aligned(passage.text): same length, so mention offsets index it
    with_title: str  # the title too, for "is it mentioned anywhere in the passage"
    lead: str = ""  # the article's first passage when this is a later one (Hit.lead)
    title: str = ""

    @classmethod
    def of(cls, passage: Passage, lead: str = "") -> "MatchingText":
        text, title = normalise_aligned(passage.text), normalise_for_matching(passage.title)
        return cls(text, title + "\n" + text, normalise_for_matching(lead), title)


def enclosing_span(text: str, start: int, end: int, boundary: re.Pattern) -> tuple[int, int]:
    """The span of text around [start, end) up to the nearest boundary on each side."""
    left = max((m.end() for m in boundary.finditer(text, 0, start)), default=0)
    right_match = boundary.search(text, end)
    return left, right_match.start() if right_match else len(text)


def clause_start_before(text: str, at: int) -> int:
    """Where the clause holding text[at - 1] starts: the clause before a boundary at `at`."""
    return enclosing_span(text, at, at, lx.CLAUSE_BOUNDARY)[0]


def figure_years(text: str) -> list[int]:
    """The years text gives its figures, in order, leaving out bases of comparison (与2019年相比)."""
    return [int(m.group(1)) for m in lx.NAMED_YEAR.finditer(text)
            if not lx.COMPARED_WITH.search(text, max(0, m.start() - 4), m.start())]


def _the_day_after(text: str, day: tuple[int, int]) -> tuple[int, int] | None:
    """The day after `day` when text, after its last mention of that day, moves on to the next one (次日, 第二天)."""
    month, date = day
    said = max(text.rfind(f"{month}月{date}日"), text.rfind(f"{month}月{date}号"))
    if said < 0 or not lx.NEXT_DAY.search(text, said):
        return None
    return day_moved(month, date, 1)


def _outside_a_gloss(text: str, mention: NumberMention) -> tuple[int, int]:
    """A date alone in brackets glosses the words before it (元和四年（809年）秋): its clause is theirs."""
    if mention.kind == "date" and text[mention.start - 1 : mention.start] in ("（", "(") \
            and text[mention.end : mention.end + 1] in ("）", ")"):
        return mention.start - 1, mention.end + 1
    return mention.start, mention.end


class MentionContext:
    """One number of one retrieved passage, with what the features read around it."""

    def __init__(self, intent: QuestionIntent, vocabulary: Vocabulary, hit: Hit, hit_rank: int,
                 matching: MatchingText, mention: NumberMention, previous_end: int,
                 passage_mentions: tuple[NumberMention, ...]):
        self.intent = intent
        self.vocabulary = vocabulary
        self.hit = hit
        self.hit_rank = hit_rank  # 1-based rank of the passage among the hits read
        self.text = matching.text
        self.with_title = matching.with_title
        self.lead = matching.lead  # the article's first passage, normalised ("" for a first passage)
        self.title = matching.title
        self.mention = mention  # as written, its qualifier words included (不少于5000万元)
        start, end = figure_span(mention)
        # the figure alone (5000万元): the words around a number are read from here, so a qualifier word counts
        # as one of the words before it, as 约为 in 总代价约为多少 does
        self.figure = replace(mention, start=start, end=end)
        self.previous_end = previous_end  # where the number before this one in the passage ends (0 if none)
        self.passage_mentions = passage_mentions  # every number of the passage, in order
        self.rivals: list[NumberMention] = []  # the figures of the passage's candidates that passed the filters

    @cached_property
    def sentence(self) -> tuple[int, int]:
        return enclosing_span(self.text, self.figure.start, self.figure.end, lx.SENTENCE_BOUNDARY)

    @cached_property
    def sentence_text(self) -> str:
        return self.text[self.sentence[0] : self.sentence[1]]

    @cached_property
    def clause(self) -> tuple[int, int]:
        return enclosing_span(self.text, *_outside_a_gloss(self.text, self.figure), lx.CLAUSE_BOUNDARY)

    @cached_property
    def previous_clause_start(self) -> int:
        start = self.clause[0]
        return clause_start_before(self.text, start - 1) if start > 0 else start

    @cached_property
    def next_clause_end(self) -> int:
        end = self.clause[1]
        return enclosing_span(self.text, end + 1, end + 1, lx.CLAUSE_BOUNDARY)[1] if end < len(self.text) else end

    @cached_property
    def label(self) -> str:
        """The words right before the number in its clause (规上工业增加值 in 规上工业增加值921亿元)."""
        return self.text[max(self.clause[0], self.previous_end) : self.figure.start]

    @cached_property
    def subject(self) -> tuple[Term, ...]:
        return tuple(t for t in self.intent.terms if not t.metric)

    @cached_property
    def metric(self) -> tuple[Term, ...]:
        return tuple(t for t in self.intent.terms if t.metric)

    @cached_property
    def label_fit(self) -> tuple[float, float]:
        """How well the label matches the question: (precision, recall).

        Precision: the label's word weight that the question also uses; recall: the question's word weight found
        in the label. A label full of words the question never mentions (产值 for 增加值) is a bad sign.
        """
        words = [w for w in self.vocabulary.tokens(self.label) if not w.replace(".", "").isdigit()]
        longest = [w for w in words if not any(w != other and w in other for other in words)]
        if not longest:
            return 0.0, 0.0
        asked = [w for term in self.intent.terms for w in term.words]
        weights = [self.vocabulary.idf(w) for w in longest]
        matched = sum(wt for w, wt in zip(longest, weights) if any(w in a or a in w for a in asked))
        return matched / sum(weights), coverage(self.intent.terms, self.label)

    @cached_property
    def metric_clash(self) -> bool:
        """The number is labelled with another business metric than the one asked (营收 for 赚了多少钱).

        A figure without its own metric word continues the clause before it: 产值495.2亿元,增长75.5% is output growth.
        """
        text, clause, sentence = self.text, self.clause, self.sentence
        # a list's figures share the words before the first (分别取得税后纯利3192.7万元及3256.5万元)
        label_metrics = metric_families(self.label) or metric_families(text[clause[0] : self.figure.start]) \
            or metric_families(text[max(self.previous_clause_start, sentence[0]) : clause[0]])
        return bool(self.intent.metrics and label_metrics and not self.intent.metrics & label_metrics)

    @cached_property
    def time_fit(self) -> float:
        """1 when the number's sentence is about the time asked, -1 when about another, 0 when either is silent.

        A year written right before the number is its own (2060年的1.3亿吨); a sentence without a year inherits the
        closest earlier one in the passage; 上年同期为1271.9万元 is the year before's; a five-year plan's figure is no
        single year's; a quarter's not the year's (第四财季 for 2020财年) nor another quarter's.
        """
        intent, text, clause = self.intent, self.text, self.clause
        asked_years = intent.years_for(self.hit.passage.date)
        # the years named up to the figure (later ones are later figures'), else those of its whole sentence
        sentence_years = set(figure_years(text[self.sentence[0] : self.figure.start])) \
            or set(figure_years(self.sentence_text))
        if not sentence_years:
            sentence_years = set(figure_years(text[: self.sentence[0]])[-1:])
        if lx.PREVIOUS_YEAR_FIGURE.search(text[clause[0] : self.figure.start]) \
                and not lx.PREVIOUS_YEAR.search(intent.text):
            sentence_years = {year - 1 for year in sentence_years}
        own_year = lx.YEAR_OF_FIGURE.search(text, max(self.sentence[0], self.figure.start - 12), self.figure.start)
        if lx.FIVE_YEAR_PLAN.search(text, self.sentence[0], self.figure.start):  # a plan named after it is not its period
            fit = 1.0 if intent.plan_period else -1.0 if asked_years else 0.0
        elif asked_years and own_year:
            fit = 1.0 if int(own_year.group(1)) in asked_years else -1.0
        elif asked_years and sentence_years:
            fit = 1.0 if asked_years & sentence_years else -1.0
        else:
            fit = 0.0
        if _year_parts_clash(intent, asked_years, self.time_words_before):
            fit = -1.0
        return fit

    @cached_property
    def day_fit(self) -> float:
        """1 when the number is reported for the day asked (2月7日), -1 when for another day, 0 when either is silent.

        Read in the number's sentence, else the passage before it, else the article's first passage, else its
        title: daily reports (欧市尾盘, 新增确诊病例) give the same figures for every day and name the day once, at
        the start. The first of these that names the day asked, or any day without its year, decides; a day with
        its year (逼平2019年1月23日顶部) recalls another day and never clashes.
        """
        asked = self.intent.days
        if not asked:
            return 0.0
        left, right = self.sentence
        sentence = self.text[left : self.figure.start] + "，" + self.text[self.figure.end : right]
        for scope, which in ((sentence, None), (self.text[:left], -1), (self.lead, 0), (self.title, 0)):
            days = month_days(scope, yearless=True)
            if which == -1 and days and (then := _the_day_after(scope, days[-1])):
                return 1.0 if then in asked else -1.0  # 9月24日晚发布公告，次日即实施回购: what follows is of 9月25日
            if asked & set(month_days(scope)):
                return 1.0
            if days:
                return 1.0 if which is not None and days[which] in asked else -1.0
        return 0.0

    @cached_property
    def swapped_name(self) -> bool:
        """The words that follow one of the question's names stand last before the number right after a name the
        question does not give, nor a short or long form of one: 德国10年期国债收益率…报0.011% for
        法国10年期国债收益率报多少."""
        before = self.text[self.sentence[0] : self.figure.start]
        for name in self.intent.names:
            follows = lx.AFTER_A_NAME.match(self.intent.text, self.intent.text.find(name) + len(name))
            at = before.rfind(follows.group()) if follows else -1
            slot = lx.NAME_SLOT.search(before, 0, at) if at > 0 else None
            nearest = self.vocabulary.names(slot.group())[-1:] if slot else []
            if nearest and slot.group().endswith(nearest[0]) and not self.question_gives(nearest[0]):
                return True
        return False

    def question_gives(self, name: str) -> bool:
        """Whether the question gives this name, or a short or long form of it (华工 for 华南理工大学)."""
        return any(abbreviates(name, asked) or abbreviates(asked, name) for asked in self.intent.names)

    @cached_property
    def time_words_before(self) -> str:
        """The words before the number in its clause, or, when the clause before it is only a time (财报显示，
        2020年第二季度，亿航智能总营收3570万元), that clause: the period the figure is of."""
        before = self.text[self.clause[0] : self.figure.start]
        previous = self.text[self.previous_clause_start : max(self.clause[0] - 1, 0)]
        if not year_parts(before) and lx.TIME_CLAUSE.fullmatch(previous.strip()):
            return previous
        return before

    @cached_property
    def labelled_with_another_name(self) -> bool:
        """The number's label is a name alone that the question does not say, nor a short or long form of a name it
        gives: 挪威287辆、希腊100辆 for 巴基斯坦."""
        if not self.intent.names or self.mention.kind not in lx.OWNED_KINDS:  # 崇宁五年: a name, then a date
            return False
        label = lx.LABEL_HEAD.sub("", lx.LABEL_TAIL.sub("", self.label.strip()))
        if not lx.NAME_ALONE.fullmatch(label):
            return False
        names = self.vocabulary.names(label)
        return len(names) == 1 and names[0] == label and label not in self.intent.text \
            and not self.question_gives(label)

    @cached_property
    def another_numbered_one(self) -> bool:
        """The question names a numbered thing (一星级, 标段1) that the passage never names, and the number's sentence
        names the same thing with another number or letter (三星级, 标段2; A份额 for C份额). A bond's tenor is read in
        the sentence alone: a wrap-up gives every tenor's yield, each in its own sentence (10年期… for 两年期)."""
        sentence = self.sentence_text
        for pattern, word_group in ((lx.NUMBERED_BEFORE, 2), (lx.NUMBERED_AFTER, 1), (lx.TENOR, 2), (lx.LETTERED, 2)):
            for asked in pattern.finditer(self.intent.text):
                named = sentence if pattern is lx.TENOR else self.with_title + self.lead
                if asked.group() in named:
                    continue
                word = asked.group(word_group)
                if any(m.group(word_group) == word and m.group() != asked.group() for m in pattern.finditer(sentence)):
                    return True
        return False

    @cached_property
    def counts_the_noun(self) -> bool:
        """What the question counts follows the number (多少颗犬齿 ← 2至4犬齿)."""
        return bool(self.intent.counted_noun and self.intent.counted_noun in
                    self.text[self.figure.end : self.figure.end + 6])


def abbreviates(short: str, long: str) -> bool:
    """Whether short's characters appear in order in long: 华工 for 华南理工大学, 恒川银行 for 恒川农商银行."""
    rest = iter(long)
    return all(character in rest for character in short)


def reports_another_day(hit: Hit, asked: frozenset[tuple[int, int]]) -> bool:
    """The article reports on another day than the one asked: its first passage, else its title, names a day
    without its year first (周五（2月4日）欧市尾盘), and neither the passage, the first one nor the title names the day
    asked."""
    if not asked:
        return False
    texts = [normalise_for_matching(t) for t in (hit.lead or hit.passage.text, hit.passage.title, hit.passage.text)]
    if any(asked & set(month_days(text)) for text in texts):
        return False
    reported = month_days(texts[0], yearless=True) or month_days(texts[1], yearless=True)
    return bool(reported) and reported[0] not in asked


YTD_NEVER = frozenset({"Q2", "Q3", "Q4", "H2"})  # parts of a year that a year-to-date figure never covers alone


def _year_parts_clash(intent: QuestionIntent, asked_years: set[int], before: str) -> bool:
    """The part of the year the figure covers (the last one named before it in its clause) is not the one asked:
    第四财季的销售额 for 2020财年销售额, 第二季度 for 第一季度."""
    parts = year_parts(before)
    if not parts:
        return False
    asked = intent.year_parts - {"FY"}
    if parts[-1] == "YTD":  # as long as the first quarter, or the half year, but never one later quarter alone
        return asked <= YTD_NEVER if asked else bool(asked_years or intent.year_parts)
    if asked:
        return parts[-1] not in asked
    return parts[-1] != "FY" and bool(asked_years or intent.year_parts)
