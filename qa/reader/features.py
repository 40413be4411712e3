"""The feature registry: every feature of a candidate number, named once, each a small function of its context.

A feature is a function `name(c: MentionContext) -> float` registered with @feature; its name is the function's
name, the one the model artifact (model.py) gives it a weight under, and its docstring says what it measures.
The parts several features read (the number's sentence, clause, label, years) are computed once per number,
on first use, by MentionContext. Features registered with rivals=True compare the number with the other
candidates of its passage and run after the filters (filters.py) have left those.
"""
from __future__ import annotations

import math
import re
from typing import Callable

from ..corpus import normalise_for_matching
from ..numbers import figure_span
from . import kinds
from . import lexicon as lx
from .candidates import MentionContext
from .question import Term, coverage


# --- helpers the features share ----------------------------------------------------------------------------------

def _distance(terms: tuple[Term, ...], text: str, left: int, start: int, metric_only: bool) -> float:
    """Characters between the mention and the closest (metric) word before it in its sentence (∞ if none)."""
    window = text[left:start]
    best = math.inf
    for term in terms:
        if metric_only and not term.metric:
            continue
        for word in term.words:
            position = window.rfind(word)
            if position >= 0:
                best = min(best, len(window) - (position + len(word)))
    return best


def aligned(terms: tuple[Term, ...], text: str, left: int, right: int, start: int, end: int) -> float:
    """Weighted share of question words near the mention, each discounted by its distance (either side)."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    score = 0.0
    for term in terms:
        nearest = math.inf
        for word in term.words:
            before = text.rfind(word, left, start)
            if before >= 0:
                nearest = min(nearest, start - (before + len(word)))
            after = text.find(word, end, right)
            if after >= 0:
                nearest = min(nearest, after - end)
        if not math.isinf(nearest):
            score += term.weight * math.exp(-max(nearest, 0) / 10.0)
    return score / total


def words_on_asking_side(terms: tuple[Term, ...], text: str, left: int, right: int, start: int, end: int) -> float:
    """Weighted share of question words on the same side of the number as of the question word.

    《战栗游戏》在哪一年出版 ↔ 《战栗游戏》于1987年出版: the title before, 出版 after, in both.
    """
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    on_side = sum(t.weight for t in terms
                  if any((w in text[end:right]) if t.after_asking else (w in text[left:start]) for w in t.words))
    return on_side / total


def shared_characters(terms: tuple[Term, ...], window: str) -> float:
    """Weighted share of each word's characters found in window: 退居幕后 ~ 退出幕前, 再次参选 ~ 再度参选."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    return sum(t.weight * sum(c in window for c in set(t.words[0])) / len(set(t.words[0])) for t in terms) / total


def closeness_to_anchor(anchors: tuple[str, ...], text: str, left: int, right: int, start: int, end: int) -> float:
    """1 next to a number the question gives (它增长8.4%是哪段时间 → 2025年1-5月…增长8.4%), decaying with distance."""
    best = math.inf
    for anchor in anchors:
        for match in re.finditer(re.escape(anchor), text[left:right]):
            at = left + match.start()
            if at == start:
                continue
            best = min(best, start - (at + len(anchor)) if at < start else at - end)
    return 0.0 if math.isinf(best) else math.exp(-max(best, 0) / 10.0)


def _gap(start: int, end: int, other_start: int, other_end: int) -> int:
    return max(other_start - end, start - other_end, 0)


def nearest_share(c: MentionContext, metric_only: bool) -> float:
    """Weighted share of the question's (metric) words in the mention's sentence that no rival number is closer to.

    美国特勤局成立于什么时候 ↔ 2003年3月1日之前…。1865年成立…1901年: 成立 is next to 1865年.
    """
    left, right = c.sentence
    owned = total = 0.0
    for term in c.intent.terms:
        if metric_only and not term.metric:
            continue
        spans = [(left + m.start(), left + m.end()) for word in term.words
                 for m in re.finditer(re.escape(word), c.text[left:right])]
        if not spans:
            continue
        mine = min(_gap(c.figure.start, c.figure.end, a, b) for a, b in spans)
        theirs = min((_gap(r.start, r.end, a, b) for r in c.rivals if r is not c.figure for a, b in spans),
                     default=math.inf)
        total += term.weight
        owned += term.weight if mine <= theirs else 0.0
    return owned / total if total else 0.0


def list_item_match(c: MentionContext) -> float:
    """In 高技术制造业、装备制造业增加值分别增长18.2%、12.9%, the i-th number goes with the i-th item: 1 when the
    question's words are in this number's item, -1 when only in another one's, 0 without such a list."""
    text, mention, terms = c.text, c.figure, c.intent.terms
    left, right = c.sentence
    at = text.rfind("分别", left, mention.start)
    if at < 0:
        return 0.0
    numbers = []
    for found in (m for m in c.passage_mentions if at + 2 <= m.start and m.end <= right):
        if numbers and not lx.LIST_GAP.fullmatch(text[numbers[-1].end : found.start]):
            break
        numbers.append(found)
    index = next((i for i, found in enumerate(numbers) if figure_span(found)[0] == mention.start), None)
    if index is None:
        return 0.0
    # the items are listed in 分别's clause, or in the one before it (主营业务为交通运输、空调行业，占营收比例分别为…)
    clause_end = at
    for _ in range(2):
        clause_start = max(text.rfind("，", left, clause_end), text.rfind(",", left, clause_end), left - 1) + 1
        items = lx.ITEM_SEPARATOR.split(text[clause_start:clause_end])
        if len(items) != len(numbers):  # an item may join two words itself: 房地产开发销售、物业管理及租赁
            items = text[clause_start:clause_end].split("、")
        if len(items) == len(numbers):
            break
        clause_end = clause_start - 1
        if clause_end <= left:
            return 0.0
    else:
        return 0.0
    # the first item also carries what the list shares: 主营业务为交通运输、空调行业; 运营满一年、两年、三年
    items[0] = lx.LIST_HEAD.sub("", items[0], count=1)
    if len(items) < 2:
        return 0.0
    longest_other = max(len(item) for item in items[1:])
    if len(items[0]) > 2 * longest_other:
        items[0] = items[0][-longest_other:]
    # the item that holds the most of the question (装备制造业 over 制造业 alone); a year asked is a word of it too
    # (2018年度及2019年度分别取得税后纯利3192.7万元及3256.5万元: 2019年度's is the second)
    year_weight = max((t.weight for t in terms), default=1.0)
    weights = [sum(t.weight for t in terms if t.found_in(item))
               + year_weight * sum(f"{year}年" in item for year in c.intent.years) for item in items]
    best = {i for i, weight in enumerate(weights) if weight == max(weights)}
    if not max(weights) or len(best) == len(items):
        return 0.0
    return 1.0 if index in best else -1.0


# --- the registry ------------------------------------------------------------------------------------------------

FeatureFunction = Callable[[MentionContext], float]
MENTION_FEATURES: dict[str, FeatureFunction] = {}  # read the number and its passage
RIVAL_FEATURES: dict[str, FeatureFunction] = {}  # also compare it with the passage's other candidates


def feature(function: FeatureFunction | None = None, *, rivals: bool = False):
    """Register a feature under its function's name; the registry's order is the order of definition."""
    def register(f: FeatureFunction) -> FeatureFunction:
        if f.__name__ in MENTION_FEATURES or f.__name__ in RIVAL_FEATURES:
            raise ValueError(f"feature {f.__name__} is registered twice")
        (RIVAL_FEATURES if rivals else MENTION_FEATURES)[f.__name__] = f
        return f
    return register(function) if function is not None else register


@feature
def subject_in_sentence(c: MentionContext) -> float:
    """Share of the subject's word weight (who, where: words not naming the metric) in the number's sentence."""
    return coverage(c.subject, c.sentence_text)


@feature
def subject_in_passage(c: MentionContext) -> float:
    """…in the passage and its title."""
    return coverage(c.subject, c.with_title)


@feature
def metric_in_clause(c: MentionContext) -> float:
    """Share of the metric's word weight in the number's clause and the one before it."""
    return coverage(c.metric, c.text[c.previous_clause_start : c.clause[1]])


@feature
def metric_characters(c: MentionContext) -> float:
    """Share of the metric words' characters around the number (退居幕后 ~ 退出幕前)."""
    return shared_characters(c.metric, c.text[c.previous_clause_start : c.next_clause_end])


@feature
def key_metric_in_sentence(c: MentionContext) -> float:
    """1 when the rarest metric word (or none is asked) is in the number's sentence."""
    key = max(c.metric, key=lambda t: t.weight, default=None)
    return 1.0 if key is None or key.found_in(c.sentence_text) else 0.0


@feature
def label_precision(c: MentionContext) -> float:
    """Share of the label's word weight that the question also uses (see MentionContext.label_fit)."""
    return c.label_fit[0]


@feature
def label_recall(c: MentionContext) -> float:
    """Share of the question's word weight found in the label."""
    return c.label_fit[1]


@feature
def missing_rare_term(c: MentionContext) -> float:
    """Weight of the rarest question word the passage lacks, relative to the rarest question word."""
    missing = [t.weight for t in c.intent.terms if not t.found_in(c.with_title)]
    return max(missing, default=0.0) / max((t.weight for t in c.intent.terms), default=1.0)


@feature
def kind(c: MentionContext) -> float:
    """How well the number's kind fits the kinds asked (kinds.kind_fit)."""
    return kinds.kind_fit(c.intent, c.mention)


@feature
def unit(c: MentionContext) -> float:
    """How well the number's unit fits the unit asked (kinds.unit_fit)."""
    return kinds.unit_fit(c.intent, c.mention)


@feature
def clause_terms(c: MentionContext) -> float:
    """Share of all the question's word weight in the number's clause."""
    return coverage(c.intent.terms, c.text[c.clause[0] : c.clause[1]])


@feature
def previous_clause_terms(c: MentionContext) -> float:
    """…in the clause before it."""
    return coverage(c.intent.terms, c.text[c.previous_clause_start : c.clause[0]])


@feature
def next_clause_terms(c: MentionContext) -> float:
    """…in the clause after it."""
    return coverage(c.intent.terms, c.text[c.clause[1] : c.next_clause_end])


@feature
def sentence_terms(c: MentionContext) -> float:
    """…in its sentence."""
    return coverage(c.intent.terms, c.sentence_text)


@feature
def passage_terms(c: MentionContext) -> float:
    """…in its passage and title: can this passage answer at all?"""
    return coverage(c.intent.terms, c.with_title)


@feature
def metric_proximity(c: MentionContext) -> float:
    """Closeness of the nearest metric word before the number in its sentence (1 adjacent, 0 none)."""
    distance = _distance(c.intent.terms, c.text, c.sentence[0], c.figure.start, metric_only=True)
    return 0.0 if math.isinf(distance) else math.exp(-distance / 8.0)


@feature
def term_proximity(c: MentionContext) -> float:
    """…of the nearest question word of any part."""
    distance = _distance(c.intent.terms, c.text, c.sentence[0], c.figure.start, metric_only=False)
    return 0.0 if math.isinf(distance) else math.exp(-distance / 8.0)


@feature
def aligned_terms(c: MentionContext) -> float:
    """Question words near the number on either side, discounted by distance (see aligned)."""
    return aligned(c.intent.terms, c.text, *c.sentence, c.figure.start, c.figure.end)


@feature
def word_order(c: MentionContext) -> float:
    """Question words on the same side of the number as of the question word (哪一年出版 ↔ 1987年出版)."""
    return words_on_asking_side(c.intent.terms, c.text, *c.sentence, c.figure.start, c.figure.end)


@feature
def anchor_proximity(c: MentionContext) -> float:
    """Closeness to a number the question itself gives (see closeness_to_anchor)."""
    return closeness_to_anchor(c.intent.anchors, c.text, *c.sentence, c.figure.start, c.figure.end)


@feature
def counted_noun(c: MentionContext) -> float:
    """1 when what the question counts follows the number (多少颗犬齿 ← 2至4犬齿)."""
    return 1.0 if c.counts_the_noun else 0.0


@feature
def yearless_date(c: MentionContext) -> float:
    """1 for a date without a year when the question asks when but not which month: 什么时候 is answered by 814年
    rather than the 九月 after it; 几月 is not."""
    return 1.0 if "date" in c.intent.kinds and not c.intent.asks_month and kinds.without_year(c.mention) else 0.0


@feature
def leading_date(c: MentionContext) -> float:
    """For a date leading its sentence (1953年，他成立了国会), the metric's share in the rest of the sentence."""
    text, mention = c.text, c.figure
    if mention.kind == "date" and lx.LEADING.fullmatch(text[c.sentence[0] : mention.start]) \
            and lx.LEADING_TAIL.fullmatch(text[mention.end : c.clause[1]]):
        return coverage(c.metric, text[c.clause[1] : c.sentence[1]])
    return 0.0


@feature
def street_number(c: MentionContext) -> float:
    """1 for a 号 after a street when the question asks where (伍德沃德大道4800号)."""
    return 1.0 if c.intent.asks_place and c.mention.unit == "号" and lx.STREET.search(c.text[: c.figure.start]) \
        else 0.0


@feature
def time(c: MentionContext) -> float:
    """Whether the number's sentence is about the time asked (MentionContext.time_fit; -1 is filtered out)."""
    return c.time_fit


@feature
def in_question(c: MentionContext) -> float:
    """1 when the question itself gives this number: it is what the question starts from, rarely its answer."""
    return 1.0 if normalise_for_matching(c.mention.text) in c.intent.text else 0.0


@feature
def passage_rank(c: MentionContext) -> float:
    """1 / the passage's rank among the hits."""
    return 1.0 / c.hit_rank


@feature
def passage_score(c: MentionContext) -> float:
    """The retriever's fused score of the passage, in [0, 1]."""
    return c.hit.score


@feature(rivals=True)
def nearest_metric(c: MentionContext) -> float:
    """Share of the metric's word weight in the sentence that no rival number is closer to (see nearest_share)."""
    return nearest_share(c, metric_only=True)


@feature(rivals=True)
def nearest_terms(c: MentionContext) -> float:
    """…of all the question's word weight."""
    return nearest_share(c, metric_only=False)


@feature(rivals=True)
def respectively(c: MentionContext) -> float:
    """The i-th item of a 分别 list goes with the i-th number (see list_item_match)."""
    return list_item_match(c)


FEATURE_NAMES: tuple[str, ...] = (*MENTION_FEATURES, *RIVAL_FEATURES)
