"""What a question asks for: the kind and unit of number, the time, the subject and the metric.

    >>> analyse_question("宇通客车2024年卖了多少辆车?", vocabulary)   # kinds ('count',), unit '辆', years (2024,)
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from typing import Protocol

from ..corpus import normalise_for_matching
from ..numbers import canonical_unit, find_numbers, unit_kind
from . import lexicon as lx


class Vocabulary(Protocol):
    """What the reader needs of the corpus's words (the lexical index provides it): cutting text into words,
    the names among them, and how rare a word is."""

    def tokens(self, text: str) -> list[str]: ...

    def names(self, text: str) -> list[str]: ...

    def idf(self, token: str) -> float: ...


@dataclass(frozen=True)
class Term:
    """A question word and the words that also count for it (its parts, everyday ↔ news synonyms)."""

    words: tuple[str, ...]
    weight: float  # inverse document frequency in the corpus: rare words say more
    metric: bool = False  # names what is measured (the words right before 多少), not who or when
    after_asking: bool = False  # comes after the question word (哪一年**出版**): the answer's text puts it after the number
    # how much each of the words counts, the word itself 1: a common part counts for little (the 行业 of 电子行业)
    credits: tuple[float, ...] = ()

    def found_in(self, text: str) -> bool:
        return any(w in text for w in self.words)

    def credit(self, text: str) -> float:
        """1 when the word or one that stands for it is in text, the share of its rarity when only a part is."""
        credits = self.credits or (1.0,) * len(self.words)
        return max((c for w, c in zip(self.words, credits) if w in text), default=0.0)


@dataclass(frozen=True)
class QuestionIntent:
    """What a question asks for. `kinds` empty means any quantity; the first kind is the preferred one."""

    text: str
    kinds: tuple[str, ...]
    unit: str | None
    years: tuple[int, ...] = ()
    relative_years: tuple[int, ...] = ()
    days: frozenset[tuple[int, int]] = frozenset()  # (month, day) it names: 2月7日欧市尾盘 → {(2, 7)}
    terms: tuple[Term, ...] = ()
    counted_noun: str | None = None  # 国家 in 多少个国家
    names: tuple[str, ...] = ()  # people, places, organisations the question names (比亚迪, 潘均顺)
    year_only: bool = False  # 哪一年: a full date is answered with its year
    anchors: tuple[str, ...] = ()  # numbers the question itself gives (增长8.4%是哪个时间段): the answer is near them
    metrics: frozenset[str] = frozenset()  # business figures asked about (sales, profit …), see lexicon.METRICS
    plan_period: bool = False  # names a five-year plan (十四五以来…)
    year_parts: frozenset[str] = frozenset()  # parts of a year it asks about (Q1, H1, M1-5, FY), see year_part
    asks_amount: bool = False  # 多少/几: a quantity, never a date or a rank, even when its kind is not known
    asks_day: bool = False  # 哪天, 几月几日: a year alone does not answer
    asks_month: bool = False  # 几月, 哪天: a month without its year may answer
    asks_place: bool = False  # 在哪里, 地址: a street number (大道4800号) may answer
    asks_several: bool = False  # 分别, 各多少, 哪两条, A、B…多少: the figures listed together answer
    asks_which: bool = False  # 哪条线路, 哪个公司: one thing by its name (10号线, 第二公学校), not a count
    asks_unit_price: bool = False  # 每股, 目标价, 收盘价: a price per share or per unit, never in 万 or 亿
    asks_change: bool = False  # 增长了多少, 涨幅: the answer states the direction (下降3.4%), never a fall as a rise
    asks_bound: str = ""  # "lower" (最少, 至少, 下限) or "upper" (最多, 至多, 上限): which end of a bound or range answers
    asks_other: bool = False  # asks for a reason, a way, a list or a description (为什么, 哪些, 主要产品是什么): no number
    asks_result: bool = False  # 上调至多少, 降到了多少: the value a change led to, not the one it started from
    asks_total: bool = False  # 一共花了多少钱, 涉资多少: a total, not a price per share or unit
    asks_level: bool = False  # 经季调后为多少 and no change said: a level, not how much it moved
    part_of: tuple[str, str] | None = None  # (whole, part) of 进出口总值中出口是多少: ("出口总值", "出口")
    bases: tuple[str, ...] = ()  # the basis it asks a figure on (人均, 扣非): keys of lexicon.BASES
    listed_items: frozenset[str] = frozenset()  # the contracts and indices it names (玉米期货, 创业板指): listed_items

    @property
    def asks_number(self) -> bool:
        """Whether the question says it asks for a number (a kind, or 多少/几); without either it may still do so
        (缺口有多大, 什么水平), unless it asks_other."""
        return bool(self.kinds) or self.asks_amount

    def years_for(self, article_date: str | None) -> set[int]:
        """Explicit years plus 去年/今年 resolved against the article's own date."""
        years = set(self.years)
        if self.relative_years and article_date and article_date[:4].isdigit():
            years.update(int(article_date[:4]) + offset for offset in self.relative_years)
        return years


def coverage(terms: tuple[Term, ...], text: str) -> float:
    """Share of the question's word weight found in text."""
    total = sum(t.weight for t in terms)
    return sum(t.weight * t.credit(text) for t in terms) / total if total else 0.0


def asked_kinds(text: str) -> tuple[tuple[str, ...], str | None]:
    """The kinds of number a normalised question accepts, best first, and the unit it names (None if none).

    The first matching kind rule decides, unless the question names a unit that says otherwise: the unit as the
    parser reads it (多少亿元: money; 几个月: a duration, but 几月 of a date question is a month; 运价指数均值是多少点:
    an index level, not a price).
    """
    unclassed = lx.SHARE_CLASS.sub("|", text)
    kinds: tuple[str, ...] = next((rule_kinds for pattern, rule_kinds in lx.KIND_RULES if pattern.search(unclassed)),
                                  ())
    named = lx.UNIT_IN_QUESTION.search(text)
    if not named:
        return kinds, None
    word = named.group(1)
    unit = lx.UNIT_ALIASES.get(word) or canonical_unit(word) or word
    unit_says = unit_kind(unit)
    if unit_says in ("percentage_points", "basis_points", "money"):
        kinds = (unit_says,)
    elif unit_says == "duration" and "date" not in kinds:
        kinds = ("duration",)
    elif unit == "°" and kinds == ("quantity",):
        unit = "℃"  # 水温多少度
    elif unit_says == "quantity" and kinds and "quantity" not in kinds:
        kinds = ("quantity",)
    return kinds, unit


def year_part(match: re.Match) -> str:
    """A lexicon.PART_OF_YEAR match as a code: 第一季度/一季度/Q1 → Q1, 上半年 → H1, 前三季度 → Q1-3,
    1-5月 and 前5个月 → M1-5, 年初至报告期末 → YTD, 全年 → FY."""
    if quarter := match["quarter"] or match["q"]:
        return "Q" + lx.CHINESE_DIGIT.get(quarter, quarter)
    if match["half"]:
        return "H1" if match["half"] == "上" else "H2"
    if match["quarters"]:
        return "Q1-" + lx.CHINESE_DIGIT.get(match["quarters"], match["quarters"])
    if match["first"]:
        first, last = int(match["first"]), int(match["last"])
        return "FY" if (first, last) == (1, 12) else f"M{first}-{last}"  # 1-12月 is the whole year
    if match["months"]:
        return "FY" if int(match["months"]) == 12 else f"M1-{int(match['months'])}"
    if match["ytd"]:
        return "YTD"  # 年初至报告期末: from January to the end of whichever quarter the report is of
    return "FY"


def year_parts(text: str) -> list[str]:
    """>>> year_parts("2020年第一季度与上半年")  →  ['Q1', 'H1']"""
    return [year_part(m) for m in lx.PART_OF_YEAR.finditer(text)]


def metric_families(text: str) -> frozenset[str]:
    """>>> metric_families("集团营收370.25亿元，销售额")  →  {'revenue'}"""
    found = set()
    text = lx.SHARE_CLASS.sub("|", text)
    for family, words in lx.METRICS:
        for word in words:
            if word in text:
                found.add(family)
                text = text.replace(word, "|")
    return frozenset(found)


def _abbreviations(text: str, tokens: list[str]) -> dict[str, str]:
    """Two adjacent two-character words and their usual short form: 通用算力 → 通算, 智能算力 → 智算."""
    short = {}
    for first, second in zip(tokens, tokens[1:]):
        if len(first) == len(second) == 2 and first + second in text:
            short[first] = short[second] = first[0] + second[0]
    return short


def _terms(text: str, vocabulary: Vocabulary, asking_at: int, last_de: int, asks_date: bool = False) -> tuple[Term, ...]:
    """Question words grouped with their parts and synonyms, weighted by rarity; metric words marked.

    Metric words are those after the question word (多少颗**大犬齿**) and those between the last 的 and the
    question word (宇通的**净利润**是多少), or, without a 的, the last two words before the question word.
    A date question with words after the question word asks when they happened: they alone are the metric
    (严秋华在哪一年**退居幕后**). asking_at and last_de are where the question word and the last 的 before it are.
    """
    # the tokenizer lowercases; passages are matched as written (CCFI, Stam1na, WTI)
    lowered = text.lower() if len(text.lower()) == len(text) else None
    as_written = [text[i : i + len(t)] if lowered is not None and (i := lowered.find(t)) >= 0 else t
                  for t in vocabulary.tokens(lx.NAMED_YEAR.sub(" ", text))]  # 2019年营收 is not 年营 + 收
    tokens = [lx.GLUED_MEASURE_WORD.sub("", t)  # 多少辆车 asks about 车; 多少人次 keeps its measure word whole
              if re.search(f"(?:多少|几){re.escape(t)}", text) and not lx.MEASURE_WORD.fullmatch(t) else t
              for t in as_written]
    # the 辆 of 多少辆 is part of the question word, the 期 of 这期 of a determiner; a measure word elsewhere is a
    # word of the question (出的道)
    tokens = [t for t in tokens
              if t and t not in lx.QUESTION_NOISE and not lx.QUESTION_WORD.match(t) and not lx.NAMED_YEAR.fullmatch(t)
              and not (lx.MEASURE_WORD.fullmatch(t) and re.search(f"(?:多少|几|[这那本该此每各]){re.escape(t)}", text))
              and not t.replace(".", "").isdigit() and not re.search(f"[哪几]{re.escape(t)}", text)]
    longest = [t for t in tokens if not any(t != other and t in other for other in tokens)]
    short = _abbreviations(text, longest)
    terms, positions = [], []
    for token in dict.fromkeys(longest):
        parts = [t for t in tokens if t != token and t in token and len(t) > 1]
        weight = max(vocabulary.idf(w.lower()) for w in (token, *parts))
        credits = {token: 1.0}
        for part in parts:
            credits.setdefault(part, vocabulary.idf(part.lower()) / weight if weight else 1.0)
        for word in [token, *parts]:
            for synonym in lx.SYNONYMS.get(word, ()):
                credits.setdefault(synonym, credits[word])
        if token in short:
            credits.setdefault(short[token], 1.0)
        terms.append(Term(tuple(credits), weight, credits=tuple(credits.values())))
        positions.append(text.find(token))
    before = [i for i, p in enumerate(positions) if p < asking_at]
    metric = {i for i, p in enumerate(positions) if p > asking_at}
    if not (asks_date and metric):
        said = [i for i in before if terms[i].words[0] not in lx.LINKING_WORDS]
        metric |= {i for i in before if positions[i] > last_de} if last_de >= 0 else set(said[-2:])
    return tuple(replace(t, metric=i in metric, after_asking=positions[i] > asking_at)
                 for i, t in enumerate(terms))


def _asked_bound(text: str) -> str:
    """"lower" or "upper" when the question asks for one end of a bound, "" otherwise (or when it names both)."""
    lower, upper = bool(lx.ASKS_LOWER_BOUND.search(text)), bool(lx.ASKS_UPPER_BOUND.search(text))
    return "lower" if lower and not upper else "upper" if upper and not lower else ""


def asks_for_other(text: str, kinds: tuple[str, ...]) -> bool:
    """Whether a normalised question asks for something other than a number: 为什么, 如何, 哪些, 谁, 什么 about
    something that is not a figure (主要产品是什么, but not 新目标价是什么), or 哪家/哪个/哪里 when it names no kind
    of number (kinds, from asked_kinds)."""
    if not kinds and not lx.ASKS_AMOUNT.search(text) and lx.ASKS_FOR_A_NAME.search(text):
        return True
    if lx.ASKS_FOR_A_NUMBER.search(text) or not (other := lx.ASKS_FOR_OTHER.search(text)):
        return False
    if other.group() != "什么" or lx.ASKS_FOR_OTHER.search(text, other.end()):
        return True
    asked = lx.WHAT_IS_ASKED.search(text)
    return not (asked and asked_kinds(asked.group(1))[0])


def month_days(text: str, yearless: bool = False) -> list[tuple[int, int]]:
    """The days text names by month and day, in order; with yearless, only those without their year."""
    return [(int(m.group(1)), int(m.group(2))) for m in lx.MONTH_DAY.finditer(text)
            if not (yearless and text[max(0, m.start() - 1) : m.start()] == "年")]


def day_moved(month: int, day: int, days: int, year: int | None = None) -> tuple[int, int]:
    """The month and day `days` after the given one (before it when negative); a leap year when none is given, so that
    2月29日 has a day after it."""
    moved = datetime.date(year or 2024, month, day) + datetime.timedelta(days=days)
    return moved.month, moved.day


def reported_days(text: str) -> list[tuple[int, int]]:
    """The days a question asks figures of, leaving out the ends of a period (截至6月30日, 自2月5日至5月7日)."""
    return [(int(m.group(1)), int(m.group(2))) for m in lx.MONTH_DAY.finditer(text)
            if not lx.PERIOD_END_BEFORE.search(text, 0, m.start()) and not lx.PERIOD_END_AFTER.match(text, m.end())]


def analyse_question(question: str, vocabulary: Vocabulary) -> QuestionIntent:
    """>>> analyse_question("宇通客车2024年卖了多少辆车?", vocabulary)  →  kinds ('count',), unit '辆', years (2024,)"""
    said = normalise_for_matching(question)
    kinds, unit = asked_kinds(said)  # 规模多了多少 may ask an amount, which 增加了多少 alone would not
    text = lx.SAID_AS_MORE_OR_LESS.sub(lambda m: "增加" if m.group(1) == "多" else "减少", said)  # as long as said
    noun = lx.COUNTED_NOUN.search(text)
    asking = lx.ASKING.search(text)
    asking_at = asking.start() if asking else len(text)
    last_de = text.rfind("的", 0, asking_at)
    asked_from = last_de if last_de > 0 else asking_at  # from the last 的 before the question word on, what is asked
    asks_unit_price = bool(lx.ASKS_UNIT_PRICE.search(text))
    part = lx.PART_OF_WHOLE.search(text)
    return QuestionIntent(
        text=text,
        kinds=kinds,
        unit=unit,
        years=tuple(int(y) for y in lx.NAMED_YEAR.findall(text)),
        relative_years=tuple(offset for word, offset in lx.RELATIVE_YEARS.items() if word in text),
        days=frozenset(reported_days(text)),
        terms=_terms(text, vocabulary, asking_at, last_de, asks_date="date" in kinds),
        counted_noun=noun.group(1) if noun else None,
        # not 多少钱, nor the 台塔 of 多少台塔筒: jieba's tagger takes them for names
        # nor what is asked about, after the last 的 or the question word: jieba tags 长度 as a place
        names=tuple(lx.GOVERNMENT.sub("", name) for name in vocabulary.names(text)
                    if not lx.QUESTION_WORD.match(name) and not re.search(f"(?:多少|几){re.escape(name)}", text)
                    and name not in lx.SYNONYMS  # words of our glossary: jieba tags 归母 as a person's name
                    and text.find(name) < asked_from),
        year_only=bool(lx.ASKS_YEAR.search(text)) and not lx.ASKS_DAY.search(text),
        anchors=tuple(m.text for m in find_numbers(text) if m.kind != "date" or not lx.NAMED_YEAR.fullmatch(m.text)),
        metrics=metric_families(text),
        plan_period=bool(lx.FIVE_YEAR_PLAN.search(text)),
        year_parts=frozenset(year_parts(text)),
        asks_amount=bool(lx.ASKS_AMOUNT.search(text)),
        asks_day=bool(lx.ASKS_A_DAY.search(text)),
        asks_month=bool(lx.ASKS_MONTH.search(text)),
        asks_place=bool(lx.ASKS_PLACE.search(text)),
        asks_unit_price=asks_unit_price,
        asks_change=bool(lx.ASKS_CHANGE.search(text)),
        asks_bound=_asked_bound(text),
        asks_several=bool(lx.ASKS_SEVERAL.search(text)),
        asks_which=bool(lx.ASKS_WHICH.search(text)),
        asks_other=asks_for_other(text, kinds),
        asks_result=bool(lx.ASKS_RESULT.search(text)),
        asks_level=bool(lx.ASKS_A_LEVEL.search(text)) and not lx.SAYS_A_CHANGE.search(text),
        asks_total=bool(lx.ASKS_TOTAL.search(text)) and not asks_unit_price and not lx.UNIT_PRICE_LABEL.search(text),
        part_of=(part["whole"].replace("的", ""), part["part"]) if part else None,
        bases=tuple(basis for basis, words in lx.BASES.items() if any(w in text for w in words)
                    and not (basis == "一周" and lx.ONE_DAY.search(text))),  # 最差一周的那个周五 asks of a day
        listed_items=frozenset(listed_items(text, 0, len(text))),
    )


def listed_items(text: str, start: int, end: int) -> list[str]:
    """The contracts and indices text names between start and end, in order, indices by one name (创指 → 创业板指)."""
    indices = [(m.start(), m.end(), lx.INDEX_OF[m.group()]) for m in lx.INDEX_NAME.finditer(text, start, end)]
    others = [(m.start(), m.end(), m.group()) for m in lx.LISTED_ITEM.finditer(text, start, end)
              if not any(s < m.end() and m.start() < e for s, e, _ in indices)]
    return [name for _, _, name in sorted(indices + others)]
