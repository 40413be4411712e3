"""Numbers that cannot answer the question, whatever their features say.

These run before scoring, so no weight can undo them; each is here because it encodes what the question means,
not a preference, and tests/test_reader_filters.py shows a case where a scored-only model goes wrong without it.
"""
from __future__ import annotations

import re
from typing import Callable

from . import kinds
from . import lexicon as lx
from .candidates import MatchingText, MentionContext, clause_start_before
from .question import QuestionIntent, listed_items


def another_metric(c: MentionContext) -> bool:
    """Labelled with another business metric than the one asked: 营收370.25亿元 does not say what was earned."""
    return c.metric_clash


def another_time(c: MentionContext) -> bool:
    """About another year or part of a year than the one asked (2025年… for 2023年, 第四财季 for 2020财年)."""
    return c.time_fit < 0


def another_day(c: MentionContext) -> bool:
    """Reported for another day than the one asked (2月4日欧市尾盘 for 2月7日): MentionContext.day_fit."""
    return c.day_fit < 0


def another_subject(c: MentionContext) -> bool:
    """Said of another one in the words the question uses of its own (德国10年期国债收益率 for 法国's):
    MentionContext.swapped_name."""
    return c.swapped_name


def another_name_labels(c: MentionContext) -> bool:
    """Labelled with another name alone (挪威287辆 for 巴基斯坦): MentionContext.labelled_with_another_name."""
    return c.labelled_with_another_name


def another_numbered_one(c: MentionContext) -> bool:
    """About another numbered one (标段2 for 标段1, 三星级 for 一星级): MentionContext.another_numbered_one."""
    return c.another_numbered_one


def the_whole_for_a_part(c: MentionContext) -> bool:
    """The whole's own figure (进出口总值39.1万亿元) where a part of it is asked (进出口总值中出口是多少), or a part listed
    after another whole."""
    if c.intent.part_of is None:
        return False
    whole, part = c.intent.part_of
    if whole in c.label and part not in c.label.replace(whole, ""):
        return True
    # a part listed in brackets after another whole (算力规模达17万P(…国家超算郑州中心1300P) for 投用算力中超算)
    opened = c.text.rfind("(", c.sentence[0], c.figure.start)
    if opened < 0 or c.text.find(")", opened, c.figure.start) >= 0:
        return False
    head_start = clause_start_before(c.text, opened - 1) if opened > 0 else 0
    return whole not in c.text[head_start:opened]


def a_total_for_a_named_part(c: MentionContext) -> bool:
    """A total followed by its parts, in brackets or after 其中, one of them the place or name asked and not named
    before the total (本土病例18例（北京6例，…河北3例…） for 河北, 河南56例，其中许昌市39例 for 许昌): that part's own
    figure answers, not the total."""
    after = c.text[c.figure.end : c.figure.end + 3]
    if not c.intent.names or not (after[:1] in ("(", "（") or after in ("，其中", ",其中")):
        return False
    ends = ("；", ";", "。") if after[:1] not in ("(", "（") else (")", "）")
    close = min((at for at in (c.text.find(end, c.figure.end) for end in ends) if at > 0), default=c.sentence[1])
    parts, before = c.text[c.figure.end + 1 : close], c.text[c.sentence[0] : c.figure.start]
    # the name labels a figure of its own there (河北3例, 许昌市39例; not 海投 in 海投控股占比40%)
    return any(re.search(re.escape(name) + r"[\u4e00-\u9fff]?\d", parts) and name not in before
               for name in c.intent.names)


def another_basis(c: MentionContext) -> bool:
    """Not said on the basis asked (地区生产总值40269.6亿元 for 人均地区生产总值, 归母净利润 for 扣非净利润, a day's move for
    那一周涨了多少): the basis's words are not in its sentence up to it."""
    window = c.text[c.sentence[0] : c.figure.end]
    return any(not any(word in window for word in lx.BASES[basis]) for basis in c.intent.bases)


def another_listed_item(c: MentionContext) -> bool:
    """In a list of contracts or indices, a figure after another one than the one asked: the nearest 期货 or 指数 named
    before it in its sentence is not the question's (CBOT小麦期货…本周累涨4.15% for 玉米期货, 沪指…3639.78点 for 创业板指)."""
    if not c.intent.listed_items:
        return False
    named = listed_items(c.text, c.sentence[0], c.figure.start)
    return bool(named) and named[-1] not in c.intent.listed_items


def another_kind(c: MentionContext) -> bool:
    """Of a kind that cannot answer (a date for 多少公里, a percentage for 多少亿元): kinds.kinds_clash."""
    return kinds.kinds_clash(c.intent, c.mention)


def another_unit(c: MentionContext) -> bool:
    """Its unit does not count what is asked (公里 for 多少辆; a bare stock code 000572 for 多少辆)."""
    return not kinds.units_agree(c.intent, c.mention, c.counts_the_noun)


def the_other_bound(c: MentionContext) -> bool:
    """A limit on the other side than the one asked: 不超过2亿元 is not the least that 最少 asks for, nor 不少于5000万元
    the most."""
    asked, qualifier = c.intent.asks_bound, c.mention.qualifier
    return asked == "lower" and qualifier == "under" or asked == "upper" and qualifier == "over"


def a_change_for_a_level(c: MentionContext) -> bool:
    """A change (上涨1.64美元, 减少2.3万人) where a price or a level is asked (结算价是多少, 经季调后为多少), not how it
    moved."""
    level = c.intent.asks_unit_price or c.intent.asks_level
    return level and not c.intent.asks_change and bool(c.mention.direction)


def the_starting_value(c: MentionContext) -> bool:
    """What a change started from (由4.5港元上调至10港元) where what it led to is asked (目标价上调到多少)."""
    return bool(c.intent.asks_result and lx.STARTED_FROM.search(c.text, 0, c.mention.start)
                and lx.CHANGED_TO.match(c.text, c.mention.end))


def a_unit_price_for_a_total(c: MentionContext) -> bool:
    """A price per share or unit (以每股平均价26.9346港元) where a total is asked (一共花了多少钱, 涉资多少)."""
    return c.intent.asks_total and bool(lx.UNIT_PRICE_LABEL.search(c.label))


FILTERS: dict[str, Callable[[MentionContext], bool]] = {
    f.__name__: f for f in (another_metric, another_time, another_day, another_subject, another_name_labels,
                            another_numbered_one, another_kind, another_unit, the_other_bound, a_change_for_a_level,
                            the_starting_value, a_unit_price_for_a_total, the_whole_for_a_part, another_basis,
                            another_listed_item, a_total_for_a_named_part)}


def cannot_answer(c: MentionContext) -> bool:
    return any(f(c) for f in FILTERS.values())


def misses_a_name(intent: QuestionIntent, matching: MatchingText) -> bool:
    """The passage does not mention everyone and everything the question names (比亚迪, 潘均顺), nor does its title
    or its article's first passage: its numbers are about someone else."""
    return not all(name in matching.with_title or name in matching.lead for name in intent.names)
