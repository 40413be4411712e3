"""Follow-up questions: what an elliptical question (净利润呢？ 2023年呢？ 其中智算有多少？) takes from the turns
before it.

A question is read as slots: who or what it is about (subject), when (time), what is measured (metric), a part of
it (其中智算) and how it asks (the question words and what follows them). A follow-up fills the slots it leaves empty from the turn
before it, already resolved; a question that names its own subject and metric stands alone and inherits nothing.

    >>> resolve_followup("净利润呢？", ["中原动力2024年营收多少？"]).text
    '2024年中原动力净利润是多少'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ..corpus import normalise_for_matching
from . import lexicon as lx
from .question import day_moved

# A time as questions write it: a year, a part of a year, a month or a day, relative or not, 截至 … 末.
_YEAR = rf"(?:{lx.NAMED_YEAR.pattern}|(?:去年|上年|今年|本年|前年|明年|上一年)(?:同期)?|同期)"
_UNNAMED_PART_OF_YEAR = re.sub(r"\?P<\w+>", "", lx.PART_OF_YEAR.pattern)  # its group names are used once only
_HOLIDAY = r"(?:春节|除夕|大年初[一二三四五六七]|国庆|元旦|中秋|端午|清明)(?:假期|期间)?(?:\d{1,2}天)?"
_WEEKDAYS = "一二三四五六日"
WEEKDAY_NAME = re.compile(rf"(?:周|星期)([{_WEEKDAYS}天])")
_WEEKDAY = rf"(?:周|星期)[{_WEEKDAYS}天](?:\(\d{{1,2}}月\d{{1,2}}[日号]\))?"  # 周四(2月3日), as wrap-ups date a day
# The day or period the turn before was about: 法国那天涨了多少, 当天呢.
SAME_TIME = re.compile(r"^(?:那天|那一天|当天|当日|同一天|这一天|同日)$")
THIS_WEEK = re.compile("这一?周")
# A time that dates a question on its own: a year or a day (之前 or 那天 does not).
DATED = re.compile(rf"{lx.NAMED_YEAR.pattern}|{lx.MONTH_DAY.pattern}")
_PART = (rf"(?:{_UNNAMED_PART_OF_YEAR}|\d{{1,2}}月(?:\d{{1,2}}[日号])?(?:份|末|底)?|(?<![\d.])\d{{1,2}}[日号](?![元])"
         rf"|那一?天|当天|当日|同一天|这一天|同日|(?:本|这一?|上一?)周|{_WEEKDAY}|{'|'.join(lx.RELATIVE_DAYS)}|{_HOLIDAY})")
# Not what a change is measured against (比上年, 较上年同期).
TIME = re.compile(rf"(?<![比较与跟和])(?<!上年)(?<!去年)(?:截至|截止到?|到)?(?:{_YEAR}(?:{_PART})?|{_PART})(?:末|底|以来)?"
                  r"|此前|之前|今年以来")
# 去年同期 asked after a turn about a year: the same part of the year before that one.
SAME_PERIOD_A_YEAR_EARLIER = re.compile(r"^(?:去年|上年)同期$")
# Words that open or close a follow-up without saying anything: 那…呢, 还有…, …又是多少, 请问.
OPENING = re.compile(r"^(?:那么|那(?!一?天)|还有|另外|再问一下|请问|再看看|然后|而|又|换成|换作|改成)+")
CLOSING = re.compile(r"(?:又|分别|各自?|大概|大约|一共|总共)?(?:呢|吗|啊|呀|嘛)?[？?。！!，,\s]*$")
# A question opening with where, against what or over which span asks about something already named.
COMPLEMENT = re.compile(r"^(?:在|比(?!亚迪|特币|利时)|较|与|跟|向|对|最近|近|相当于)")
# It, its, this company: the subject of the turn before.
PRONOUN = re.compile(r"^(?:它们?的?|其(?![中他余])|该公司|该企业|这家公司|这家企业|这家|该)")
# Question words: what comes from here on is how the question asks (多少, 是多少, 有多少辆车, 增长了多少, 排第几).
ASKING = re.compile(rf"(?:是|有|为|达到?|卖了|卖出了?|收报|报收|收在|收于|收[涨跌高低平]了?|报|涨跌了?|"
                    rf"(?:{lx.CHANGE_VERBS})了?|(?:排名?|位列|居)?第?)?(?:{lx.ASKING.pattern})")
DEFAULT_ASKING = "是多少"
# What a figure measures, in the words follow-ups use (净利润呢, 占全市的比重呢, 出口多少): a word alone is a metric, not
# a subject. The business metrics of the lexicon, and words that end a measured quantity.
_MEASURE_END = "[率额量值价数]"  # the last character of a measure (发电量, 收益率, 均价)
_METRIC_WORDS = "|".join(sorted({w for _, words in lx.METRICS for w in words if len(w) > 1}, key=len, reverse=True))
METRIC = re.compile(rf"{_METRIC_WORDS}|地区生产总值|生产总值|进出口总值|进出口|收益率|报价|同比|环比|增速|增幅|降幅|涨幅|"
                    rf"增长|下降|比重|占比|规模|产值|出口|进口|市值|均价|价格|人数|数量|总额|金额|余额|订单|产能|算力|赚|亏|"
                    rf"{_MEASURE_END}$|^占")
# A metric that is only a change (同比增长多少, 增速呢) measures the change of the metric before it.
CHANGE_ONLY = re.compile(r"^(?:同比|环比|较上年|比上年|较去年|比去年)?(?:增长|下降|增速|增幅|降幅|涨幅|变化|变动|增减|同比|环比)"
                         r"(?:率|幅度)?$|^[较比](?:上年|去年)(?:同期)?$")
# Endings of a phrase that names a measure (研发经费投入强度, 移动电话计费时长, 短信发送量).
MEASURE = re.compile(rf"(?:{_MEASURE_END}|强度|时长|幅度|密度|比例|比重|规模)$")
PART = re.compile(r"^(?:其中|这其中|内中)")
# 占 with nothing after it: of the figure asked before (郑州占了几例 after 河南新增本土确诊病例多少例).
SHARE_ALONE = re.compile("占了?|占据了?")
# Words before a metric that qualify it rather than name anyone: 累计出口, 全年营收, 人均收入, 归母净利润.
QUALIFIER = re.compile(r"(?:累计|合计|总计|总|全年|当年|年度|平均|人均|实际|预计|整体|全部|归母|扣非|新增)$")
# A total over all time, which a question about one period no longer asks.
CUMULATIVE = re.compile(r"累计|合计|总计|总共|一共")
# A shared ending makes two words counterparts: 空调行业 for 交通运输行业, 二孩家庭 for 三孩家庭.
MIN_SHARED_ENDING = 2
# Endings that name a line of business alike: 空调行业 is the counterpart of 交通运输业务.
SEGMENT_ENDINGS = ("行业", "业务", "板块", "领域")
# How a question asks when it says nothing of what is measured (那京东又是多少: the measure is the one before).
BARE_ASKING = re.compile(r"(?:是|有|为)?多少")
# An index's code after a country (法国CAC40指数, 意大利富时MIB指数, 英国富时100): it goes with the country.
CODE = re.compile(r"[\u4e00-\u9fff]{0,3}?(?:[A-Za-z][A-Za-z0-9]*|\d+(?![\d.年期月日%]))")
CODE_END = re.compile(r"[A-Za-z0-9]$")
# Who in a company: 总经理呢 after 华峰铝业董事长多大年纪 asks of the same company's other officer.
ROLE = re.compile(r"(?:副?董事长|副?总经理|副?总裁|首席执行官|CEO|董事会秘书|董秘|财务总监|首席财务官|CFO|监事会主席|"
                  r"实际控制人|创始人)$")
# A figure with its bound (140平方米以上, 90平方米以下) or a counted word (三孩, 二孩): phrases that differ only in it are
# counterparts.
_NUMERAL = r"(?:\d|[〇一二两三四五六七八九十])[\d.〇零一二两三四五六七八九十百千万亿]*"  # not the 零 of 零售
_BOUND = r"(?:及以上|及以下|以上|以下|以内|左右)"


@dataclass(frozen=True)
class Framing:
    """A question as its slots, each as the question writes it ("" when it leaves the slot empty)."""

    subject: str = ""
    time: str = ""
    metric: str = ""
    part: str = ""  # 智算 of 其中智算有多少: a part of the metric
    asking: str = ""
    refers_back: bool = False  # says 它, 其, 该公司: its subject is the one before
    elliptical: bool = False  # said as a follow-up: 那…, …呢, 还有…, 又是多少

    @property
    def text(self) -> str:
        metric = f"{self.metric}中{self.part}" if self.metric and self.part else self.metric or self.part
        return f"{self.time}{self.subject}{metric}{self.asking or DEFAULT_ASKING}"


@dataclass(frozen=True)
class Resolved:
    """The question as understood, and the slots it took from earlier turns (empty for a question on its own)."""

    text: str
    inherited: tuple[str, ...] = ()

    @property
    def is_followup(self) -> bool:
        return bool(self.inherited)


# the proper nouns of a text (the lexical index's tagger, with the corpus's own names)
Names = Callable[[str], list[str]]


def frame(question: str, names: Names | None = None) -> Framing:
    """The slots of one question. names, when given, tells a subject (a name) from a metric in words before the
    question word that hold no metric word (新增疑似病例又是多少: no subject; 比亚迪卖了多少辆车: 比亚迪).

    >>> frame("宇通客车2024年卖了多少辆车？")
    Framing(subject='宇通客车', time='2024年', metric='', part='', asking='卖了多少辆车', refers_back=False, elliptical=False)
    """
    text = normalise_for_matching(question).strip()
    bare_text = CLOSING.sub("", OPENING.sub("", text))
    # 那…, …呢, 还有…, 又是多少, 在汽车行业排第几, 比上年同期下滑了多少: said as a follow-up
    elliptical = bare_text != text.rstrip("？?。！! ") or "又" in text or bool(COMPLEMENT.match(bare_text))
    text = bare_text
    asking = ASKING.search(text)
    head, asking_text = (text[: asking.start()], text[asking.start():]) if asking else (text, "")
    times = [m for m in TIME.finditer(head) if m.group()]
    time = "".join(m.group() for m in times)
    for m in reversed(times):
        head = head[: m.start()] + head[m.end():]
    head = head.strip("的，, 又还都")
    pronoun = PRONOUN.match(head)
    if pronoun:
        head = head[pronoun.end():]
    part = ""
    if PART.match(head):
        part, head = PART.sub("", head), ""
    subject, metric = _split_head(head)
    unnamed = bool(subject) and names is not None and not names(subject)
    # words before the question word that are what is measured, not who
    measured = QUALIFIER.fullmatch(subject) or unnamed and (  # 这一周累计涨了多少: how the measure is taken
        # 新增疑似病例又是多少: no name, no metric word, said as a follow-up
        asking_text and elliptical and not metric
        # 短信发送量呢, 研发经费投入强度呢: one measure, not 短信发送's 量
        or not asking_text and elliptical and (len(metric) == 1 or not metric and MEASURE.search(subject))
        # 耗资多少, 毛猪销售均价是多少: of whoever was asked of, unless said as someone's, dated, or of a figure's shape
        or asking_text and not re.search("[的占]", head) and not DATED.search(time) and _same_shape(subject) is None)
    if measured:
        subject, metric = "", subject + metric
    return Framing(subject, time, metric, part, asking_text, refers_back=bool(pronoun), elliptical=elliptical)


def _split_head(head: str) -> tuple[str, str]:
    """Who (宇通客车, 郑州电子信息产业) and what is measured (净利润, 占全市的比重) in the words before the question word."""
    if not head:
        return "", ""
    share = head.find("占")
    if share == 0:
        return "", head
    if share > 0:
        return head[:share].rstrip("的"), head[share:]
    if "的" in head:
        subject, _, metric = head.rpartition("的")
        return subject, metric
    metric = METRIC.search(head)
    if metric is None:
        return head, ""
    # the metric starts at its first word, with the words that only qualify it (累计出口, 全年营收)
    at = metric.start()
    while at > 0 and (modifier := QUALIFIER.search(head[:at])):
        at = modifier.start()
    return head[:at], head[at:]


def _time_after(time: str, before: str) -> str:
    """The time a follow-up asks about, given the time of the turn before: 去年同期 after 2025年上半年 is 2024年上半年,
    去年 after 2021年 is 2020年, 第三季度 after 2020年前三季度 is 2020年第三季度, 第二天 after 1月19日 is 1月20日, 周五
    after 周四(2月3日) is 周五(2月4日), 那天 is the time before; otherwise the time as asked."""
    year, day = lx.NAMED_YEAR.search(before), lx.MONTH_DAY.search(before)
    if SAME_TIME.match(time) and before:
        return before
    if THIS_WEEK.fullmatch(time):
        return "本周"  # as wrap-ups write it
    asked, told = WEEKDAY_NAME.search(time), WEEKDAY_NAME.search(before)
    if asked and "(" not in time and told and day:
        days = _weekday_number(asked) - _weekday_number(told)  # 周五 after 周四(2月3日): the Friday of that week
        before = before[:told.start()] + asked.group() + before[told.end():]
    elif time in lx.RELATIVE_DAYS and day:
        days = lx.RELATIVE_DAYS[time]
    else:
        days = None
    if days is not None:
        day = lx.MONTH_DAY.search(before)
        month, date = day_moved(int(day.group(1)), int(day.group(2)), days, int(year.group(1)) if year else None)
        return before[: day.start()] + f"{month}月{date}日" + before[day.end():]
    if not year:
        return time
    if SAME_PERIOD_A_YEAR_EARLIER.match(time):
        return f"{int(year.group(1)) - 1}年{before[year.end():]}"
    if lx.RELATIVE_YEARS.get(time):  # 去年 after 2021年 is 2020年
        return f"{int(year.group(1)) + lx.RELATIVE_YEARS[time]}年"
    if not re.search(_YEAR, time) and lx.PART_OF_YEAR.search(time):
        return f"{year.group()}{time}"
    return time


def _weekday_number(found: re.Match) -> int:
    """0 for 周一 … 6 for 周日 (or 周天)."""
    return _WEEKDAYS.index(found.group(1).replace("天", "日"))


def _same_shape(word: str) -> re.Pattern | None:
    """A pattern for the phrases that differ from word only in its figures and bounds (90平方米以下 for 140平方米以上,
    三孩的家庭 for 二孩家庭), or None when word holds no figure."""
    pieces = re.split(f"({_NUMERAL}|{_BOUND})", word)
    if len(pieces) == 1 or not any(pieces[::2]):
        return None
    parts = []
    for index, piece in enumerate(pieces):
        if index % 2:
            parts.append(_BOUND if re.fullmatch(_BOUND, piece) else _NUMERAL)
        else:
            parts.append("的?".join(map(re.escape, piece)))
    return re.compile("的?".join(p for p in parts if p))


def _counterpart(word: str, slots: Sequence[str]) -> tuple[int, int, int] | None:
    """Where in the previous turn's slots a word of the same shape (90平方米以下 for 140平方米以上), with the same
    ending (交通运输行业, 交通运输业务 for 空调行业) or, failing those, the same beginning (污水处理能力 for
    污水收集管网) stands: the slot's position, and the span in it."""
    if (shape := _same_shape(word)) is not None:
        for position, slot in enumerate(slots):
            found = shape.search(slot)
            if found and found.group() != word:
                return position, found.start(), found.end()
    for length in range(min(len(word) - 1, 4), MIN_SHARED_ENDING - 1, -1):
        ending = word[-length:]
        endings = SEGMENT_ENDINGS if ending in SEGMENT_ENDINGS else (ending,)
        for position, slot in enumerate(slots):
            at = max((slot.find(e) for e in endings), default=-1)
            if at <= 0:
                continue
            start = at
            while start > 0 and at - start < len(word) - length + 2 and slot[start - 1] not in "的年月日":
                start -= 1
            if slot[start:at + length] != word:
                return position, start, at + length
    # a shared beginning, with the rest of the slot: 污水收集管网 for 新增污水处理能力
    beginning = word[:MIN_SHARED_ENDING]
    for position, slot in enumerate(slots):
        at = slot.find(beginning)
        if at >= 0 and slot[at:] != word and lx.ASKING.search(slot[at:]) is None:
            return position, at, len(slot)
    return None


def follow(current: Framing, previous: Framing, names: Names | None = None) -> tuple[Framing, tuple[str, ...]]:
    """The current question with the slots it leaves empty taken from the previous one, and which slots it took.

    names, when given, lets a name asked alone replace the name inside a longer subject (意大利呢 after
    「西班牙10年期国债收益率报多少」 keeps 10年期国债收益率)."""
    # how it asks says what is measured (多大年纪, 卖了多少辆车), unless a follow-up asks only 又是多少
    says_what = bool(current.asking) and not (current.elliptical and BARE_ASKING.fullmatch(current.asking))
    named = bool(current.subject) and names is not None and bool(names(current.subject))
    # 两年期涨了几个基点 after …10年期国债收益率…: another of the same shape, not a subject of its own
    reshaped = bool(current.subject) and not named and _same_shape(current.subject) is not None \
        and _counterpart(current.subject, [previous.subject]) is not None
    same_time = bool(SAME_TIME.match(current.time))  # 法国那天涨了多少: the day of the turn before
    share_alone = bool(SHARE_ALONE.fullmatch(current.metric))  # 郑州占了几例: a part of the figure before
    if current.subject and (current.metric or says_what) \
            and not (current.refers_back or reshaped or same_time or share_alone):
        return current, ()  # names who and what: a question on its own
    taken: list[str] = []

    def take(slot: str, value: str) -> str:
        if value:
            taken.append(slot)
        return value

    subject, part, metric, asking = current.subject, current.part, current.metric, current.asking
    if share_alone:
        subject, part, metric = "", subject, ""
    qualifier = ""
    if QUALIFIER.fullmatch(metric):
        qualifier, metric = metric, ""  # 本周累计呢 after …收跌多少: 本周…累计收跌多少
    bare = bool(subject) and not (metric or part or says_what)
    if bare and previous.part and (not named or names(previous.part) == [previous.part]):
        # 超算呢 after 其中智算有多少, 杭州呢 after 其中北京有几例: another part of the same figure, not another subject
        subject, part = "", subject
    elif bare and ROLE.fullmatch(subject) and previous.subject:
        officer = ROLE.search(previous.subject)  # 总经理呢 after 华峰铝业董事长…: the same company's 总经理
        subject = (previous.subject[:officer.start()] if officer else previous.subject) + subject
        taken.append("subject")
    elif (bare or reshaped) and (found := _counterpart(subject, [previous.subject, previous.metric])):
        slot, start, end = found  # 空调行业呢 after …交通运输行业占营收比例…: that word replaced, the rest kept
        replaced = [previous.subject, previous.metric]
        replaced[slot] = replaced[slot][:start] + subject + replaced[slot][end:]
        subject, metric = replaced[0], take("metric", replaced[1])
        taken.append("subject")
    elif (bare or same_time) and named and (others := [n for n in names(previous.subject)[::-1]
                                                       if n not in subject and subject not in n]):
        at = previous.subject.find(others[0])
        end = at + len(others[0])
        if CODE_END.search(subject) and (code := CODE.match(previous.subject, end)):
            end = code.end()  # 意大利富时MIB呢 after 法国CAC40指数…: the index's code goes with the country
        subject = previous.subject[:at] + subject + previous.subject[end:]
        taken.append("subject")
    new_subject = bool(subject)
    subject = subject or take("subject", previous.subject)
    time = _time_after(current.time, previous.time) if current.time else take("time", previous.time)
    if metric and CHANGE_ONLY.match(metric) and previous.part and not (part or new_subject):
        metric = take("part", previous.part) + metric  # 比上年增长多少 after 其中出口呢: the growth of the exports
    elif metric and CHANGE_ONLY.match(metric) and not CHANGE_ONLY.match(previous.metric):
        metric = take("metric", previous.metric) + metric  # 同比增长多少 after 营收多少: the growth of the revenue
    elif not metric:
        metric = take("metric", previous.metric)
        if current.time and (total := CUMULATIVE.match(metric)):
            metric = metric[total.end():]  # 2024年呢 after 累计出口了多少: that year's exports, not the running total
        if not part:
            part = take("part", previous.part)  # 重庆呢 after 其中第二产业增加值呢: 重庆's 第二产业增加值
    if not says_what and not (current.metric and not qualifier or current.part) and previous.asking:
        asking = take("asking", previous.asking)  # 那京东又是多少 after …收跌多少: 收跌多少
    elif not asking:
        asking = DEFAULT_ASKING if current.metric else take("asking", previous.asking)
    return Framing(subject, time, metric, part, qualifier + asking), tuple(dict.fromkeys(taken))


def resolve_followup(question: str, history: Sequence[str], names: Names | None = None) -> Resolved:
    """The question as understood after the earlier questions of the conversation (oldest first).

    Each earlier question is resolved in turn against the one before it, so 「2023年呢？」 after 「净利润呢？」 after
    「中原动力2024年营收多少？」 is 「中原动力2023年净利润是多少」. A question on its own comes back as asked, or, when it
    leaves out only the question word (超聚变的营收呢？), with 是多少 added.
    """
    previous: Framing | None = None
    for earlier in history:
        if previous is None:
            previous = frame(earlier)  # the first question is read on its own: whatever it names first is its subject
        else:
            previous = follow(frame(earlier, names), previous, names)[0]
    if previous is None:
        return Resolved(question)
    current = frame(question, names)
    framing, taken = follow(current, previous, names)
    if taken or (not current.asking and current.subject and current.metric):
        return Resolved(framing.text, taken)
    return Resolved(question)
