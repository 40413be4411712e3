"""Whether a number's kind and unit fit what the question asks (question.asked_kinds decides what it asks).

Two answers, from the same knowledge: `kinds_clash` and `units_agree` say a number cannot answer (a date for
多少公里, 000572 for 多少辆), `kind_fit` says how well one that can answer fits (the preferred kind, another
accepted one, a stand-in).
"""
from __future__ import annotations

import re

from ..numbers import NumberMention
from . import lexicon as lx
from .question import QuestionIntent


def in_wan_or_yi(mention: NumberMention) -> bool:
    return bool(re.search("[万亿]", mention.text))


def without_year(mention: NumberMention) -> bool:
    """A date that names no year (九月, 10月22日): dates sort as yyyymmdd, so these are below 10000."""
    return mention.kind == "date" and mention.value is not None and mention.value < 10000


def units_compatible(asked: str, found: str) -> bool:
    if asked == found:
        return True
    return any(asked in group and found in group for group in lx.COMPATIBLE_UNITS)


def age_as_time(intent: QuestionIntent, mention: NumberMention) -> bool:
    """什么时候 may be answered by an age (满15岁举办笄礼); 哪一年 and 哪天 may not."""
    return "date" in intent.kinds and mention.unit == "岁" and not intent.year_only and not intent.asks_month


def kinds_clash(intent: QuestionIntent, mention: NumberMention) -> bool:
    """The number is of a kind that cannot answer the question."""
    asked = set(intent.kinds)
    if not asked:
        return intent.asks_amount and mention.kind in ("date", "ordinal")  # 多少 is not 2021年1-9月, nor 第二多
    if mention.kind == "date" and "date" not in asked:
        return True
    if intent.asks_unit_price and in_wan_or_yi(mention):
        return True  # 目标价 is 4.87港元, not the 1.42亿元 of revenue
    if mention.kind == "date" and intent.asks_day and mention.value is not None and mention.value % 100 == 0:
        return True  # 哪天 is not answered by 2020年度, nor by 12月初
    if intent.year_only and without_year(mention):
        return True  # 哪一年 is not answered by 10月22日
    if mention.kind == "number" and (mention.value is None or "money" in asked and not in_wan_or_yi(mention)):
        return True  # 7+20 (a name) answers no "how many"; a bare 370.25亿 may be money, 834402 or 两位数 is not
    if age_as_time(intent, mention):
        return False
    if any((kind, mention.kind) in lx.KINDS_ALIKE for kind in asked):
        # 三至五年 is not a year, but 475年至477年 is a span of years
        return mention.kind == "duration" and mention.value_high is not None and not (
            "date" in asked and mention.unit == "年" and mention.value >= 100)
    return asked <= lx.DISTINCT_KINDS and mention.kind in lx.DISTINCT_KINDS and mention.kind not in asked


def heads_the_counted_noun(intent: QuestionIntent, unit: str) -> bool:
    """多少个球队 is answered by 13队, 几条线 by 8线: the unit is the last character of what is counted."""
    return bool(unit and intent.unit and re.search(
        f"(?:多少|几){re.escape(intent.unit)}[\u4e00-\u9fff]{{0,2}}{re.escape(unit)}", intent.text))


def units_agree(intent: QuestionIntent, mention: NumberMention, counts_the_noun: bool) -> bool:
    """The number's unit can count what the question counts. counts_the_noun: what the question counts follows
    the number (the counted_noun feature)."""
    if intent.unit is not None and mention.kind == "number" and not mention.unit:
        # 多少辆 is not answered by a bare 000572 (a stock code) or 2020; 多少人口 is by 8.57万, 多少颗犬齿 by 2至4犬齿
        return "count" in intent.kinds and (in_wan_or_yi(mention) or counts_the_noun)
    if intent.unit is None or not mention.unit or mention.kind == "date":
        return True
    # 七大 (seven major …) may count 个, not 人
    return units_compatible(intent.unit, mention.unit) or (intent.unit == "个" and mention.unit in ("大", "多")) \
        or heads_the_counted_noun(intent, mention.unit)


def kind_fit(intent: QuestionIntent, mention: NumberMention) -> float:
    """1 for the preferred kind, less for another accepted or a plausible stand-in, 0 for a mismatch."""
    if intent.kinds:
        if mention.kind == intent.kinds[0]:
            return 1.0
        if mention.kind in intent.kinds:
            return 0.75
        return 0.5 if any((k, mention.kind) in lx.KINDS_ALIKE for k in intent.kinds) or age_as_time(intent, mention) \
            else 0.0
    if intent.asks_which:  # 哪条线路 is answered by 10号, rarely by a count
        return 0.7 if mention.kind == "ordinal" else 0.0 if mention.kind == "date" else 0.3
    if mention.kind in ("date", "ordinal"):
        return 0.0
    return 0.7 if mention.kind in lx.ANY_QUANTITY else 0.3


def unit_fit(intent: QuestionIntent, mention: NumberMention) -> float:
    """0.5 when the question names no unit, 1 when the number's unit counts what it names, 0 otherwise."""
    if intent.unit is None:
        return 0.5
    return 1.0 if units_compatible(intent.unit, mention.unit) or heads_the_counted_noun(intent, mention.unit) else 0.0
