"""Many articles, one figure: which of the ranked candidates state the same figure (sources), which state another
value for the same thing in the same period (conflicts), and which give the figure of another period
(alternatives, for a question that names no time).

    ranked candidates ─► contenders (scored within AGREEMENT_MARGIN of the best)
                      ─► grouped by period and figure (6.5万辆 = 65000辆; 20.86% agrees with 21%)
                      ─► the chosen group: the best's, unless a group within CHOICE_MARGIN has more articles or
                         (no time asked) a later period

A candidate's period is the time its sentence gives it, as written (2024年, 2025年上半年, 截至2025年6月末).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Sequence

from ..corpus import normalise_for_matching
from ..numbers import NumberMention, bounds
from ..retrieve import Hit
from . import lexicon as lx
from .candidates import Candidate, abbreviates, enclosing_span, mentions_of
from .followup import frame
from .question import QuestionIntent

# Candidates scored this close to the best answer the question about as well (in the ranking score's units; on our
# multi-article set, the mentions of one figure in two or three articles score 1–4 apart, another metric's figures
# 8 or more below): they may agree with it, contradict it, or give another period's figure.
AGREEMENT_MARGIN = 5.0
# Only a candidate this close to the best may replace it as the answer: because more articles state it, or (no time
# asked) because it is a later period's figure; and only when both passages name the subject as the best's does.
# (A wider margin for the later period, 5.0, changed one news_dev2 answer for the worse and gained nothing on the
# multi-article set.)
CHOICE_MARGIN = 2.0
SAME_METRIC = 0.5  # share of the metric's word weight a clause must hold to speak of the same thing
_WRITTEN_NUMBER = re.compile(r"\d[\d,，]*(?:\.(\d+))?")
_SINCE = re.compile(r"(?:截至|截止到?|到)\s*$")


@dataclass(frozen=True)
class Period:
    """The time a figure refers to, as its sentence says it, and the month it ends (yyyymm; the year alone: its
    December; 0 when the text gives no year and the article no date)."""

    text: str
    end: int


def period_of(text: str, mention: NumberMention, article_date: str | None) -> Period | None:
    """The time written right before the figure (较2023年的1.12亿吨: 2023年), else the last time stated before it in
    its sentence (else earlier in the passage), not counting a base of comparison (与2023年相比); 上年同期 after it
    moves it a year back. None for a date, or when no time is given."""
    if mention.kind == "date":
        return None
    sentence_start, _ = enclosing_span(text, mention.start, mention.end, lx.SENTENCE_BOUNDARY)
    before = [m for m in mentions_of(text) if m.kind == "date" and m.end <= mention.start]
    if before and lx.BETWEEN_YEAR_AND_FIGURE.fullmatch(text, before[-1].end, mention.start):
        return Period(text[before[-1].start : before[-1].end], _end_month(before[-1], article_date))
    dates = [m for m in before if not lx.COMPARED_WITH.search(text, max(0, m.start - 4), m.start)]
    if not dates:
        return None
    in_sentence = [m for m in dates if m.start >= sentence_start]
    date = (in_sentence or dates)[-1]
    since = _SINCE.search(text, max(0, date.start - 3), date.start)
    written = text[since.start() if since else date.start : date.end]
    end = _end_month(date, article_date)
    earlier = lx.PREVIOUS_YEAR.search(text, date.end, mention.start)
    if earlier:  # 2024年营收224.9亿元，上年同期为198.3亿元
        return Period(earlier.group(), end - 100 if end else 0)
    return Period(written, end)


def _end_month(date: NumberMention, article_date: str | None) -> int:
    high = int(bounds(date)[1] or 0)
    year, month = high // 10000, high // 100 % 100
    if year == 0 and article_date and article_date[:4].isdigit():
        year = int(article_date[:4])
    return year * 100 + (month or 12) if year else 0


def _step(mention: NumberMention) -> float:
    """The precision the figure is written to, in its value's units: 6.5万辆 → 1000, 224.90亿元 → 1e6."""
    written = _WRITTEN_NUMBER.search(mention.text)
    if not written or mention.value is None:
        return 0.0
    number = float(re.sub("[,，]", "", written.group().split(".")[0]) + (
        "." + written.group(1) if written.group(1) else ""))
    scale = abs(mention.value / number) if number else 1.0
    return scale * 10 ** -len(written.group(1) or "")


# Units of one quantity written with SI prefixes (32.5GW = 3250万千瓦): each as (the base unit, its multiple).
_SCALED_UNITS = {"瓦": ("瓦", 1.0), "千瓦": ("瓦", 1e3), "兆瓦": ("瓦", 1e6), "吉瓦": ("瓦", 1e9),
                 "千瓦时": ("瓦时", 1e3), "兆瓦时": ("瓦时", 1e6), "吉瓦时": ("瓦时", 1e9), "太瓦时": ("瓦时", 1e12)}


def _in_base_unit(mention: NumberMention) -> tuple[str, float, float]:
    """The unit, the value and the precision written (_step), in the base unit of the mention's unit."""
    unit, factor = _SCALED_UNITS.get(mention.unit, (mention.unit, 1.0))
    return unit, mention.value * factor, _step(mention) * factor


def same_figure(a: NumberMention, b: NumberMention) -> bool:
    """Whether two mentions state one figure: same unit (up to an SI prefix), and equal to the precision of the
    less precise one (6.5万辆 = 65000辆, 21% = 20.86%, 224.9亿元 = 224.90亿元, 32.5GW = 3250万千瓦; 224.9亿元 ≠
    229.4亿元)."""
    if a.value is None or b.value is None or a.kind != b.kind:
        return a.text == b.text
    (unit_a, value_a, step_a), (unit_b, value_b, step_b) = _in_base_unit(a), _in_base_unit(b)
    if unit_a != unit_b:
        return a.text == b.text
    return abs(value_a - value_b) <= max(step_a, step_b) / 2 + 1e-9 * max(abs(value_a), abs(value_b))


@functools.lru_cache(maxsize=1024)  # the readings of one passage, and the questions asked of it, share it
def _matching_text(title: str, text: str) -> str:
    return normalise_for_matching(f"{title}\n{text}")


@dataclass(frozen=True)
class Reading:
    """One candidate as aggregation reads it: which article, which passage, which period."""

    candidate: Candidate
    hit: Hit
    period: Period | None

    @property
    def doc_id(self) -> str:
        return self.hit.passage.doc_id

    @property
    def period_end(self) -> int:
        return self.period.end if self.period else 0

    @property
    def matching(self) -> str:
        """The passage's title and text as names are matched in them (normalised)."""
        return _matching_text(self.hit.passage.title, self.hit.passage.text)


@dataclass(frozen=True)
class Aggregate:
    """The chosen answer with the readings that agree with it (its own first, one per article), those that state
    another value for its period (one per article), and the best of each other period (no time asked)."""

    answer: Reading
    sources: tuple[Reading, ...]
    conflicts: tuple[Reading, ...]
    alternatives: tuple[Reading, ...]


def about_the_same(reading: Reading, best: Reading, subject: str) -> bool:
    """Whether a reading speaks of what the best one does: its passage names the question's subject as the best's
    writes it (澄湖光伏, not 澄湖光电), and its clause holds as much of the metric (another company's 净利润 neither
    agrees nor disagrees)."""
    f, b = reading.candidate.features, best.candidate.features
    if subject and (subject not in reading.matching or not _named_last(reading, subject)):
        return False
    return (f.get("subject_in_passage", 0.0) >= b.get("subject_in_passage", 0.0) - 1e-9
            and f.get("metric_in_clause", 0.0) >= min(b.get("metric_in_clause", 0.0), SAME_METRIC) - 1e-9
            and reading.candidate.mention.kind == best.candidate.mention.kind)


_NAME_END = re.compile(r"[\s，。；、：！？“”\"（）()《》,.;:!?]")


def _named_last(reading: Reading, subject: str) -> bool:
    """Whether, of the names before the figure that begin as the subject does, the nearest is the subject or a longer
    form of it: a figure after 澄湖光电 is that company's, even where the passage names 澄湖光伏 further on, while one
    after 恒川农商银行 is 恒川银行's (the short form's characters appear in order in the long one)."""
    passage = reading.hit.passage
    before = normalise_for_matching(f"{passage.title}\n{passage.text[:reading.candidate.mention.start]}")
    last = before.rfind(subject[:2])
    if last < 0:
        return True
    return abbreviates(subject, _NAME_END.split(reading.matching[last:last + len(subject) + 4], maxsplit=1)[0])


def _written_prefix(subject: str, text: str) -> str:
    """The longest start of the subject (two characters at least) that text writes as is: 恒川银行 of 恒川银行不良贷款."""
    subject = normalise_for_matching(subject)
    for end in range(len(subject), 1, -1):
        if subject[:end] in text:
            return subject[:end]
    return ""


def asks_a_time(question: QuestionIntent) -> bool:
    return bool(question.years or question.relative_years or question.year_parts or question.plan_period)


def aggregate(question: QuestionIntent, candidates: Sequence[Candidate], further: Sequence[Candidate],
              hits: Sequence[Hit]) -> Aggregate:
    """Group the contenders by period and figure and choose the answer. candidates: those competing for the answer,
    best first; further: those of passages read for agreement only (they join the groups when they score close
    enough to the best)."""
    def read(candidate: Candidate) -> Reading:
        hit = hits[candidate.hit_rank - 1]
        return Reading(candidate, hit, period_of(hit.passage.text, candidate.mention, hit.passage.date))

    best = read(candidates[0])
    best_score = best.candidate.score
    # who the question is about, as the conversation reads it, as far as the best's passage writes it the same way
    subject = _written_prefix(frame(question.text).subject, best.matching)
    others = sorted([*candidates[1:], *further], key=lambda c: -c.score)
    # only what is said, about as well, of the same subject and metric counts for or against the best
    readings = [best, *(r for r in map(read, (c for c in others if c.score >= best_score - AGREEMENT_MARGIN))
                        if about_the_same(r, best, subject))]
    # no time asked: the most recent figure (by its period, then by its article's date)
    latest_first = not asks_a_time(question) and "date" not in question.kinds
    competing = {id(c) for c in candidates}  # the answer comes from the passages read for it, never from further ones
    # another may replace the best only when both passages name the question's subject as written
    choosers = {id(best)} | {id(r) for r in readings
                             if subject and id(r.candidate) in competing and subject in r.matching
                             and r.candidate.score >= best_score - CHOICE_MARGIN}
    period = max(r.period_end for r in readings if id(r) in choosers) if latest_first else best.period_end
    in_period = [r for r in readings if r.period_end == period]
    groups: list[list[Reading]] = []
    for reading in in_period:
        group = next((g for g in groups if same_figure(g[0].candidate.mention, reading.candidate.mention)), None)
        if group is None:
            groups.append([reading])
        else:
            group.append(reading)

    def support(group: list[Reading]) -> tuple:
        """More articles agreeing first; then, when no time is asked, the more recent article; then the score."""
        newest = max(r.hit.passage.date or "" for r in group) if latest_first else ""
        return len({r.doc_id for r in group}), newest, group[0].candidate.score

    chosen = max((g for g in groups if any(id(r) in choosers for r in g)), key=support)
    answer = next(r for r in chosen if id(r) in choosers)
    sources = _one_per_article([answer, *chosen])
    conflicts = _one_per_article([r for g in groups if g is not chosen for r in g], exclude={r.doc_id for r in sources})
    alternatives: list[Reading] = []
    if latest_first:
        seen = {period}
        for reading in sorted(readings, key=lambda r: -r.period_end):
            if reading.period_end not in seen and reading.period is not None:
                seen.add(reading.period_end)
                alternatives.append(reading)
    return Aggregate(answer, tuple(sources), tuple(conflicts), tuple(alternatives))


def _one_per_article(readings: Sequence[Reading], exclude: set[str] = frozenset()) -> list[Reading]:
    kept, seen = [], set(exclude)
    for reading in readings:
        if reading.doc_id not in seen:
            seen.add(reading.doc_id)
            kept.append(reading)
    return kept
