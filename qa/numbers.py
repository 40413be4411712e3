"""Find and normalise number mentions in Chinese news text.

    >>> [m.text for m in find_numbers("2024年累计销售各类商用车6.5万辆，同比增长43.8%")]
    ['2024年', '6.5万辆', '43.8%']

Pure functions over strings, no I/O. Offsets index the text passed in. Values are read from a folded copy of
the same length: each character is NFKC-normalised on its own and kept only when that gives one character, so
"３８．１％" reads as "38.1%" while "℃", "²" or "①" stay as they are.

Vocabulary
    kind       count, money, percent, percentage_points, basis_points, date, duration, speed, angle, compute,
               voltage, multiple, ordinal, quantity (公里 吨 平方米 ℃ 岁 …), number (bare, 两位数, 三分之一)
    unit       money: 元 美元 港元 日元 欧元 … (value in that currency: 1.9万亿元 → 1.9e12 元; NT$25,000 → 新台币);
               percent: % (三成 → 30, 三成半 → 35, 5‰ → 0.5); percentage_points: 个百分点 (also 百分点, pct, ppt);
               basis_points: 个基点 (also 基点, bp, bps, BP; the value is the count of basis points as written,
               25个基点 → 25, not 0.25 percentage points); compute: P; voltage: V; angle: °; speed: 码 km/h m/s;
               duration: 年 月 周 天 小时 分钟 秒 季度 工作日;
               count: 辆 台 个 家 项 人次 人 名 位 座 条 种 款 … and 大 (六大产业); ordinal: the measure word
               after 第 or 首 (第十三届 → 届, 首台 → 台) or 号 周年 年级; quantity: 公里 米 吨 公斤 平方米 亩 ℃ 岁
               度 …; number: 位数 (两位数) or ""; date: ""
               multiple: 倍, also 30x / 30X. The value is the number written before 倍: 1.5倍 and 30x → 1.5 and 30;
               增长一倍 and 近一倍 → 1 (with direction "up" it is the rise, one time the base: the level doubled).
               翻倍, 翻番, 翻一番 → 2 and 翻两番 → 4 (2**n): these name the level reached against the base, so
               their direction is "".
    qualifier  how the text bounds the figure; its words are part of the mention's text and span, read whole
               (不少于 is never read as 少于: the longest qualifier word written before the number wins):
               "" | "approx" (约 约为 大约 近 将近 接近 左右 前后 七八个)
               | "over": the figure is at or above the value (超 超过 逾 至少 最少 不少于 不低于 不小于 多于 高于
                 大于; after it: 多 余 以上: 30多家, 超11万辆, 30%以上, 两成多)
               | "under": at or below (不超过 不超 不足 不到 不满 至多 最多 不多于 不高于 不大于 少于 低于 小于;
                 after it: 以下 以内)
    value_high upper end of a range (1-5月, 三至五年, 10%-20%, 3-5万元 → 30000…50000), else None
    direction  "up" | "down" | "" (a level): which way a change figure went, read from the verb right before the
               mention in its clause (增长 上涨 提高 提升 上升 增加 增 涨 升 上行 上调 回升 反弹 扩大 加息 升值 / 下降
               下跌 减少 回落 下滑 负增长 下行 降 跌 减 降低 下调 下挫 缩小 收窄 缩水 降息 降准 贬值; 涨价 降价 …), with at most
               了, 达, 达到 or 幅/幅度 (+ 为/达/是) between: 同比下降3.4% → "down", 跌幅为0.7% → "down", 涨超3% → "up".
               The direction word is NOT part of the mention's text or span (the span is the figure and its
               qualifier; direction_word_span finds the word). The value stays the magnitude as written, and a
               written sign stays: 每股收益-0.12元 → -0.12, direction ""; 增长-3.2% → -3.2, direction "up".
               A figure after 至, 到 or 为 is the level reached, direction "": 增长至50亿元, 降至3%, 减少为2家.
               So are figures named by a noun rather than moved by a verb (增速8%, 增长率3%, 增加值2800亿元, 新增3家,
               涨跌幅-3%) and dates, durations and ordinals (连续增长3年). Figures listed after one verb share it:
               分别增长12%、15%和20%, 下跌30点或1.2%.

Dates have sortable values yyyymmdd, a missing part counting as 0: 2025年7月7日 → 20250707, 2024年 → 20240000,
7月28日 → 728, 28日 → 28, 2025年1-5月 → 20250100…20250500, 2025年上半年 → 20250100…20250600.
Centuries and decades (19世纪60年代), clock times (21:00) and plan periods (十四五) are dates with value None,
and so is a label such as "7+20" (kind number).
A year needs four digits (2024年, 一九四九年) or a month after it (193年4月); 5年 and 三至五年 are durations.

Chinese numerals are read with cn2an. They count only when anchored: by a measure word (三个, 六大, 一万七千台),
by 第, by a qualifier (超千亿) or as a date. A lone 一 before a measure word usually means "a" (一组数据, 一键调控),
so it counts only in 第一, 一号, 一月 and ranges (一至三年); idioms (一带一路, 三番五次, 十分) never count.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import cn2an

__all__ = ["COUNT_WORDS", "NumberMention", "bounds", "canonical_unit", "direction_word_span", "figure_span",
           "find_numbers", "number_spans", "range_ends", "unit_kind", "unit_surfaces"]


@dataclass(frozen=True)
class NumberMention:
    """One number as written: in "销售6.5万辆" it is NumberMention(2, 7, "6.5万辆", 65000.0, "辆", "count")."""

    start: int
    end: int
    text: str
    value: float | None
    unit: str
    kind: str
    qualifier: str = ""
    value_high: float | None = None
    direction: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def find_numbers(text: str) -> list[NumberMention]:
    """Every number mention in text, sorted by start and non-overlapping.

    >>> find_numbers("累计出口超11万辆")[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'start': 4, 'end': 9, 'text': '超11万辆', 'value': 110000.0, 'unit': '辆', 'kind': 'count',
     'qualifier': 'over', 'value_high': None, 'direction': ''}
    """
    folded = _folded(text)
    mentions: list[NumberMention] = []
    position = 0
    while (core := _CORE.search(folded, position)) is not None:
        mention = _mention_at(text, folded, core, floor=mentions[-1].end if mentions else 0)
        if mention is None:
            position = core.end()
        else:
            mentions.append(mention)
            position = mention.end
    return _with_listed_directions(folded, mentions)


def number_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every mention, for splitters that must not cut a number or its unit.

    >>> number_spans("同比增长43.8%")
    [(4, 9)]
    """
    return [(mention.start, mention.end) for mention in find_numbers(text)]


def bounds(mention: NumberMention) -> tuple[float | None, float | None]:
    """(lowest, highest) the text allows the figure to be; None where it sets no limit.

    An answer asked for a minimum (最少, 下限) takes a lower end, one asked for a maximum (最多, 上限) an upper end:
    >>> [bounds(m) for m in find_numbers("不少于5000万元，不超过2亿元，约3亿元，1.2亿元至1.5亿元")]
    [(50000000.0, None), (None, 200000000.0), (300000000.0, 300000000.0), (120000000.0, 150000000.0)]
    """
    if mention.qualifier == "over":
        return mention.value, None
    if mention.qualifier == "under":
        return None, mention.value_high if mention.value_high is not None else mention.value
    return mention.value, mention.value_high if mention.value_high is not None else mention.value


def figure_span(mention: NumberMention) -> tuple[int, int]:
    """(start, end) of the figure without the qualifier words around it, for reading the words before and after it.

    >>> mention = find_numbers("总代价约为7.06亿元")[0]
    >>> mention.text, figure_span(mention)
    ('约为7.06亿元', (5, 11))
    """
    start, end = mention.start, mention.end
    if mention.qualifier:
        word = next((w for w in _PREFIX_BY_LENGTH if mention.text.startswith(w) and len(w) < len(mention.text)), "")
        start += len(word)
        if mention.text[-2:] in _POST_QUALIFIERS and end - 2 > start:
            end -= 2
    return start, end


def range_ends(text: str, mention: NumberMention) -> tuple[NumberMention, NumberMention] | None:
    """The two ends of a range as mentions of their own, None for anything but a range of quantities.

    Each end keeps the value, unit and kind of its side of the range; its text is what is written there, so
    the low end of 3-5万元 is "3" (value 30000 元) because the unit is written once, after the high end.
    >>> [(m.text, m.value) for m in range_ends("募资1.2亿元至1.5亿元", find_numbers("募资1.2亿元至1.5亿元")[0])]
    [('1.2亿元', 120000000.0), ('1.5亿元', 150000000.0)]
    """
    if mention.value_high is None or mention.kind == "date":
        return None
    folded = _folded(text)
    core = _CORE.search(folded, mention.start, mention.end)
    first = _read_number(folded, core) if core else None
    if first is None:
        return None
    unit_found = _unit_at(folded, first.end, first)
    sep = _RANGE_SEP.search(folded, unit_found[2] if unit_found else first.end, mention.end)
    if sep is None:
        return None
    low = NumberMention(mention.start, sep.start(), text[mention.start:sep.start()], mention.value, mention.unit,
                        mention.kind, mention.qualifier, None, mention.direction)
    high = NumberMention(sep.end(), mention.end, text[sep.end():mention.end], mention.value_high, mention.unit,
                         mention.kind, mention.qualifier, None, mention.direction)
    return low, high


def direction_word_span(text: str, mention: NumberMention) -> tuple[int, int] | None:
    """(start, end) in text of the word that gives mention its direction, None for a level.

    For figures listed after one verb it is that verb (分别增长12%和15%: 增长 for both).
    >>> text = "营收同比下降3.4%"
    >>> start, end = direction_word_span(text, find_numbers(text)[0]); text[start:end]
    '下降'
    """
    if not mention.direction:
        return None
    folded = _folded(text)
    mentions = find_numbers(text)
    index = next((i for i, m in enumerate(mentions) if (m.start, m.end) == (mention.start, mention.end)), None)
    while index is not None and index >= 0:
        if word := _direction_word_before(folded, mentions[index].start, mentions[index - 1].end if index else 0):
            return word.span("word")
        index -= 1
    return None


# --- folding -----------------------------------------------------------------------------------------------------

class _FoldTable(dict):
    """str.translate table that NFKC-folds one character at a time and remembers the answer."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        folded = unicodedata.normalize("NFKC", char)
        # The Chinese comma stays: it separates thousands only before exactly three digits (see _ARABIC).
        # Superscripts and circled digits stay: ² in m² must not become a digit of the number before it.
        keep = (len(folded) != 1 or char == "，"
                or (folded.isdigit() and not "０" <= char <= "９"))
        self[codepoint] = char if keep else folded
        return self[codepoint]


_FOLD_TABLE = _FoldTable()


def _folded(text: str) -> str:
    return text if text.isascii() else text.translate(_FOLD_TABLE)


# --- number cores ------------------------------------------------------------------------------------------------

# Thousands separated by "," or by the Chinese comma (771，500股, 600，154，053股: every such run in the news
# archive is one number); a Chinese comma before anything but exactly three digits separates clauses.
_ARABIC = r"[0-9]{1,3}(?:(?:,[0-9]{3})+|(?:，[0-9]{3})+)(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_CN_DIGITS = "零〇一二三四五六七八九两"
_CN_POSITIONAL = "十百千万亿"
_CHINESE = rf"[{_CN_DIGITS}{_CN_POSITIONAL}]+(?:点[零〇一二三四五六七八九]+)?"

_MAGNITUDE = re.compile(r"万亿|千亿|百亿|十亿|千万|百万|十万|亿|万|千(?![克米瓦卡伏赫帕])|百(?![分米])")
_MAGNITUDE_EXPONENT = {"万亿": 12, "千亿": 11, "百亿": 10, "十亿": 9, "亿": 8, "千万": 7, "百万": 6, "十万": 5,
                       "万": 4, "千": 3, "百": 2}
_SMALLER_PART = re.compile(rf"(?P<digits>[0-9]+(?:\.[0-9]+)?)(?P<magnitude>{_MAGNITUDE.pattern})")
_RANGE_SEP = re.compile(r"[ ]?(?:-|−|~|〜|–|—|至|到)[ ]?")
_WORD_RANGE_SEPS = frozenset("至到~〜")


@lru_cache(maxsize=4096)
def _chinese_value(numeral: str) -> Decimal | None:
    """三十八点一 → 38.1, 一万七千 → 17000, 千亿 → 1e11; None for runs that are not one number (三三两两, 十四五)."""
    whole = numeral.split("点")[0]
    if len(whole) > 1 and not any(char in _CN_POSITIONAL for char in whole):
        return None  # digit by digit (一九四九) is how years are written; those are read as dates
    if whole[0] in "百千万亿":
        numeral = "一" + numeral
    try:
        return Decimal(str(cn2an.cn2an(numeral, "normal")))
    except (ValueError, KeyError):  # cn2an's ways of saying "not a numeral" (KeyError for runs like 万十)
        return None


class _Number(NamedTuple):
    value: Decimal
    end: int
    over: bool  # 30多, 10余
    chinese: str  # the Chinese numeral, "" for Arabic
    magnitude: Decimal = Decimal(1)  # 10**4 for 6.5万


# A futures price's fraction of its last digit, before a currency: 8.01-1/2美元/蒲式耳 is 8.015 dollars a bushel.
_TICK_FRACTION = re.compile(r"-(?P<numerator>[1-7])/(?P<denominator>[248])(?![0-9/])")


def _read_number(folded: str, core: re.Match) -> _Number | None:
    """The number at core with its magnitude: 6.5万 → 65000, 三十多万 → 300000 (over), 8.01-1/2 → 8.015."""
    end = core.end()
    if core["arabic"]:
        value = Decimal(core["arabic"].replace(",", "").replace("，", "").replace("−", "-"))
        chinese = ""
        if (tick := _TICK_FRACTION.match(folded, end)) and int(tick["numerator"]) < int(tick["denominator"]) \
                and (unit := _UNIT.match(folded, tick.end())) and _UNITS[unit.group()].kind == "money":
            last_digit = Decimal(1).scaleb(value.as_tuple().exponent)  # 0.01 for 8.01
            value += last_digit * Decimal(tick["numerator"]) / Decimal(tick["denominator"])
            end = tick.end()
    else:
        chinese = core["chinese"]
        if not chinese:
            return None  # a word standing for a number (首个 in 0-首个) is not the second half of a range
        value = _chinese_value(chinese)
        if value is None:
            return None
    over = False
    if folded[end:end + 1] in ("多", "余") and folded[end + 1:end + 2] != "于":  # 30多于: 多于 is the next bound
        over, end = True, end + 1
    factor = Decimal(1)
    if magnitude := _MAGNITUDE.match(folded, end):
        factor = Decimal(10) ** _MAGNITUDE_EXPONENT[magnitude.group()]
        value, end = value * factor, magnitude.end()
        # 4亿5000万: a smaller magnitude right after a larger one adds to it.
        while (rest := _SMALLER_PART.match(folded, end)) and (
                exponent := _MAGNITUDE_EXPONENT[rest["magnitude"]]) < factor.adjusted():
            value += Decimal(rest["digits"]) * Decimal(10) ** exponent
            end = rest.end()
        if folded[end:end + 1] in ("多", "余") and folded[end + 1:end + 2] != "于":
            over, end = True, end + 1
    return _Number(value, end, over, chinese, factor)


# --- measure words -----------------------------------------------------------------------------------------------

class _Unit(NamedTuple):
    unit: str
    kind: str
    scale: Decimal = Decimal(1)
    qualifier: str = ""
    chinese_only: bool = False  # 成, 日: after Arabic digits they mean something else
    arabic_only: bool = False  # 度: 两度 is "twice"


def _units(kind: str, *surfaces: str, **options) -> dict[str, _Unit]:
    """Surfaces written "surface" (unit is itself) or "surface=unit"."""
    table = {}
    for entry in surfaces:
        surface, _, unit = entry.partition("=")
        table[surface] = _Unit(unit or surface, kind, **options)
    return table


_UNITS: dict[str, _Unit] = {
    **_units("money", "元", "人民币=元", "块钱=元", "美元", "美金=美元", "港元", "港币=港元", "日元", "欧元", "英镑",
             "澳元", "澳门元", "澳门币=澳门元", "韩元", "新台币", "台币=新台币", "卢布", "加元",
             "雷亚尔", "比索", "里拉", "兰特", "林吉特", "泰铢", "越南盾"),
    **_units("percent", "%"),
    "‰": _Unit("%", "percent", Decimal("0.1")),
    "成": _Unit("%", "percent", Decimal(10), chinese_only=True),
    **_units("percentage_points", "个百分点", "百分点=个百分点", "pct=个百分点", "ppt=个百分点"),
    **_units("basis_points", "个基点", "基点=个基点", "bps=个基点", "bp=个基点", "BP=个基点"),
    **_units("compute", "P", "PFLOPS=P", "PFlops=P", "Pflops=P"),
    **_units("compute", "EFLOPS=P", "EFlops=P", scale=Decimal(1000)),
    **_units("voltage", "V", "伏特=V", "伏=V"),
    **_units("voltage", "kV=V", "千伏=V", scale=Decimal(1000)),
    **_units("angle", "°"),
    **_units("speed", "码", "km/h", "公里/小时=km/h", "千米/小时=km/h", "公里每小时=km/h", "千米每小时=km/h",
             "m/s", "米/秒=m/s", "米每秒=m/s", "马赫"),
    **_units("multiple", "倍"),
    **_units("multiple", "x=倍", "X=倍", arabic_only=True),  # 市盈率30x
    **_units("duration", "年", "个月=月", "个工作日=工作日", "工作日", "周", "个星期=周", "星期=周", "天",
             "小时", "个小时=小时", "分钟", "秒", "秒钟=秒", "毫秒", "个季度=季度", "季度"),
    **_units("duration", "个多月=月", "个余月=月", "个多小时=小时", "个多星期=周", qualifier="over"),
    "日": _Unit("天", "duration", chinese_only=True),
    **_units("count", "辆", "台", "个", "家", "项", "人次", "人", "名", "位", "座", "条", "种", "款", "件", "只",
             "头", "匹", "艘", "架", "颗", "枚", "部", "部门", "本", "张", "篇", "首", "次", "场", "届", "轮", "所",
             "栋", "幢", "套", "批", "户", "处", "层", "粒", "株", "棵", "片", "支", "队", "趟", "份", "起", "例",
             "宗", "笔", "幅", "册", "卷", "集", "期", "章", "节", "段", "代", "根", "道", "杯", "瓶", "箱", "袋",
             "步", "股", "票", "间", "架次", "辆次", "场次", "户次", "大", "页", "班", "站", "球", "列", "对", "面",
             "组", "任", "发", "局", "圈"),
    **_units("ordinal", "号", "周年", "年级"),
    **_units("quantity", "公里", "千米=公里", "km=公里", "米", "m=米", "公尺=米", "厘米", "cm=厘米", "公分=厘米",
             "毫米", "mm=毫米", "微米", "纳米", "nm=纳米", "英里", "英尺", "平方英里", "英寸", "海里", "光年", "Å",
             "吨", "公斤", "千克=公斤", "kg=公斤", "克", "斤", "磅", "盎司",
             "平方米", "平米=平方米", "㎡=平方米", "m²=平方米", "平方公里", "平方千米=平方公里", "km²=平方公里",
             "亩", "公顷", "英亩", "立方米", "m³=立方米", "升", "毫升",
             "瓦", "W=瓦", "千瓦", "kW=千瓦", "兆瓦", "MW=兆瓦", "吉瓦", "GW=吉瓦", "千瓦时", "kWh=千瓦时",
             "度电=千瓦时", "兆瓦时", "MWh=兆瓦时", "吉瓦时", "GWh=吉瓦时", "太瓦时", "TWh=太瓦时", "桶", "蒲式耳",
             "℃", "°C=℃", "摄氏度=℃", "℉", "°F=℉", "岁", "周岁=岁", "分贝", "dB=分贝", "赫兹", "Hz=赫兹",
             "千赫", "kHz=千赫", "兆赫", "MHz=兆赫", "GHz", "像素", "GB", "TB", "MB", "毫安时", "mAh=毫安时", "帧",
             "标准箱", "TEU=标准箱", "马力", "千卡", "卡路里", "级"),
    "度": _Unit("度", "quantity", arabic_only=True),
    "点": _Unit("点", "quantity", arabic_only=True),  # an index level: 收报3322.67点
    **_units("number", "位数"),
}


def canonical_unit(word: str) -> str | None:
    """The unit find_numbers reports for a unit word (公分 → 厘米, 公尺 → 米), None if it is not one."""
    unit = _UNITS.get(word)
    return unit.unit if unit else None


def unit_kind(word: str) -> str | None:
    """The kind of number a unit word makes (公里 → quantity, 辆 → count), None if it is not one."""
    unit = _UNITS.get(word)
    return unit.kind if unit else None


def unit_surfaces(kind: str, cjk_only: bool = False) -> list[str]:
    """The unit words of one kind as written in text, longest first: unit_surfaces("quantity")[:2] ==
    ['平方英里', '平方公里']. cjk_only leaves out those with Latin letters or signs (km, ℃)."""
    return [surface for surface in sorted(_UNITS, key=len, reverse=True) if _UNITS[surface].kind == kind
            and not (cjk_only and not all("\u4e00" <= ch <= "\u9fff" for ch in surface))]


# Words that start with a measure word but are not one: 3项目 is fine, but 100元素, 5大学, 四周边 are not.
_NOT_BEFORE = {
    "元": "素件年旦首帅宵器老", "年": "级龄代", "周": "年边末岁期围", "天": "然津堂使",
    "大": "学型约概量多力于小体道街楼厦桥夫家会众", "家": "庭族乡长属居具电用园", "人": "民员才口类士工物均",
    "位": "置于居列", "名": "字称单义额片", "次": "日要序", "种": "植类子草养", "条": "件例款约", "项": "目",
    "款": "项", "座": "谈椅位", "台": "湾风阶账", "部": "分署长队委份", "所": "有以在得属谓需", "头": "部条号脑",
    "支": "持付出撑援柱", "股": "份东权市票价", "批": "准复示", "处": "理于置罚分长", "集": "团中群成聚合体资",
    "期": "间限货待望末初内", "节": "能点日约省奏目", "代": "表码理替言价办", "号": "召称码", "层": "面次级",
    "轮": "胎廓换", "场": "景地所合馆面", "起": "来到步点飞身草诉", "道": "路理德", "级": "别", "米": "饭粉线",
    "克": "服隆", "升": "级值高至到温学为", "间": "隔断", "成": "为立功员果本长熟绩就型交品都不", "码": "头",
    "°": "CF", "秒": "杀", "票": "据", "段": "落", "页": "面", "班": "级子长主车底", "站": "台点长在立",
    "球": "队员场迷星衣鞋门", "列": "车入为表举出席", "对": "于外此比待象手应话抗接策方照称决",
    "面": "积对向临貌前孔料板值试", "组": "织成合建件团长委", "任": "务命期职何意", "发": "展生布现表出行明动",
    "局": "长面势部", "圈": "子", "本": "土地市省届次轮期月年周金息身部",
}


def _unit_pattern(surface: str) -> str:
    pattern = re.escape(surface)
    if surface in _NOT_BEFORE:
        pattern += f"(?![{re.escape(_NOT_BEFORE[surface])}])"
    if surface[-1].isascii() and surface[-1].isalpha():
        pattern += "(?![A-Za-z])"
    if _UNITS[surface].unit == "倍" and surface.isascii():
        pattern += "(?![0-9. ])"  # 3x3篮球, 4x100米, 海马7X 、8S: a product, a relay or a model, not a multiple
    return pattern


# The measure words of counts, as a pattern for reading questions (多少面金牌, 几列; not 多少面积)
COUNT_WORDS = "|".join(_unit_pattern(s) for s in sorted(_UNITS, key=len, reverse=True) if _UNITS[s].kind == "count")
_UNIT = re.compile("|".join(_unit_pattern(s) for s in sorted(_UNITS, key=len, reverse=True)))
# A number glued to Latin letters is part of a code (5G, H1N1, V-22, CCTV-5), not a quantity. A minus sign
# right after a number or a measure word is a dash between two numbers (5时30分－22时30分), not a sign.
_ENDS_OF_NUMBERS = "".join(sorted({surface[-1] for surface in _UNITS} | set("0123456789分时.%")))
# Besides digits and numerals, two word forms stand for numbers: 首台/首座 (the first one) and 翻倍/翻两番.
_FIRST_OF = "台座个家批次位届款条架艘部辆只项"
_CORE = re.compile(
    rf"(?<![0-9A-Za-z.])(?<![A-Za-z][-−])"
    rf"(?P<arabic>(?:(?<![A-Za-z{re.escape(_ENDS_OF_NUMBERS)}])[+\-−](?=[0-9]))?(?:{_ARABIC}))"
    rf"|(?P<chinese>{_CHINESE})"
    rf"|(?P<first>首)(?=[{_FIRST_OF}])"
    r"|(?P<doubling>翻了?(?:(?P<times>[一二两三四])番|一?倍|番))"
)
_PER = re.compile(r"/(?:\d{1,4}(?=板英尺|股|吨|千克|公斤))?(?:吨|公斤|千克|斤|克|平方米|㎡|亩|立方米|升|股|人次|人|户|套|间|张|份|箱|"
                  r"瓶|盒|只|头|次|年|月|日|天|周|小时|件|台|辆|桶|蒲式耳|盎司|千瓦时|度|板英尺)")  # 1143.70美元/1000板英尺
# Kinds of figure written as a rate per something: 10000元/套, 2000万立方米/日, 30万吨/年.
_PER_KINDS = ("money", "quantity")


def _unit_at(folded: str, position: int, number: _Number) -> tuple[str, _Unit, int] | None:
    """The measure word right after a number (one space allowed): (surface, unit, end)."""
    match = _UNIT.match(folded, position)
    if match is None and folded[position:position + 1] == " ":
        match = _UNIT.match(folded, position + 1)
    if match is None:
        return None
    surface = match.group()
    unit = _UNITS[surface]
    if (unit.chinese_only and not number.chinese) or (unit.arabic_only and number.chinese):
        return None
    if surface in ("x", "X") and match.start() != position:
        return None  # 30 x 40: a size, not 30x
    end = match.end()
    if unit.kind in _PER_KINDS and (per := _PER.match(folded, end)):
        return surface, unit._replace(unit=unit.unit + per.group()), per.end()
    if unit.kind == "money" and folded[end:end + 1] == "级":
        end += 1  # 万亿元级产业集群: the scale of a target, still an amount of money
    return surface, unit, end


# --- qualifiers --------------------------------------------------------------------------------------------------

# Currency signs written before the amount: NT$25,000, US$5亿, ￥100.
_CURRENCY_SIGNS = {"NT$": "新台币", "HK$": "港元", "US$": "美元", "$": "美元", "¥": "元", "€": "欧元", "£": "英镑"}
# Bounds and approximations written before the number. Read longest first, so that 不少于 (at least) is never
# read as 少于 (less than): the words that begin with 不 turn the bound around.
_PREFIX_QUALIFIERS = {
    "超过": "over", "超": "over", "逾": "over", "至少": "over", "最少": "over", "不少于": "over", "不低于": "over",
    "不小于": "over", "多于": "over", "高于": "over", "大于": "over",
    "不超过": "under", "不超": "under", "不足": "under", "不到": "under", "不满": "under", "至多": "under",
    "最多": "under", "不多于": "under", "不高于": "under", "不大于": "under", "少于": "under", "低于": "under",
    "小于": "under",
    "约": "approx", "约为": "approx", "大约": "approx", "近": "approx", "将近": "approx", "接近": "approx",
}
_LONGEST_PREFIX = max(map(len, _PREFIX_QUALIFIERS))
_PREFIX_BY_LENGTH = sorted(_PREFIX_QUALIFIERS, key=len, reverse=True)
# Comparisons bound a figure but do not make a bare Chinese numeral one: 高于三星, 大于二手房 (超千亿 is a number).
_COMPARISONS = frozenset(("高于", "低于", "大于", "小于", "多于", "最多", "最少"))
# 签约3家, 最近3天, 赶超3家: the qualifier character belongs to the word before it.
_PREFIX_NOT_AFTER = {"约": "签合节条公制预契邀违履特婚践租相隐", "近": "最附靠临邻亲就远贴逼将接",
                     "超": "赶高不"}
_PREFIX_NOT_AFTER["约为"] = _PREFIX_NOT_AFTER["约"]
_POST_QUALIFIERS = {"以上": "over", "以下": "under", "以内": "under", "左右": "approx", "前后": "approx"}
# 多 after a measure word is "a little over" (两年多, 两成多, 一倍多, 30%多) unless it starts the next word (30%多家,
# 50%多元化) or is the bound 多于.
_MORE_AFTER_UNIT = re.compile(r"多(?![次项家个种地名位国人年月天样方重少数元于])")
_MORE_AFTER_KINDS = frozenset(("duration", "multiple", "percent"))


def _with_post_qualifier(folded: str, found: _Found) -> _Found:
    """30%以上, 2000人左右, 两年多: a qualifier written after the number and its unit."""
    after = folded[found.end:found.end + 2]
    if after in _POST_QUALIFIERS:
        return found._replace(end=found.end + 2, qualifier=found.qualifier or _POST_QUALIFIERS[after])
    if found.kind in _MORE_AFTER_KINDS and found.unit and _MORE_AFTER_UNIT.match(folded, found.end):
        return found._replace(end=found.end + 1, qualifier=found.qualifier or "over")
    return found


def _prefix_qualifier(folded: str, start: int, floor: int) -> tuple[str, int] | None:
    """(qualifier, new start) for 超/约/不足… written right before start."""
    for length in range(_LONGEST_PREFIX, 0, -1):
        begin = start - length
        if begin < floor:
            continue
        word = folded[begin:start]
        if word in _PREFIX_QUALIFIERS:
            if begin > 0 and folded[begin - 1] in _PREFIX_NOT_AFTER.get(word, ""):
                continue
            return _PREFIX_QUALIFIERS[word], begin
    return None


# --- directions --------------------------------------------------------------------------------------------------

# The verb right before a change figure says which way it went: 同比下降3.4%, 较上年减少1.5个百分点, 负增长2.1%.
# Words that only name the figure, not a move (增速, 增长率, 增加值, 新增, 增持), never end right before it.
_DIRECTION_WORDS = {
    **dict.fromkeys(("增长", "上涨", "提高", "提升", "上升", "增加", "增", "涨", "升", "上行", "上调", "回升", "反弹",
                     "扩大", "加息", "升息", "升值", "涨价", "提价"), "up"),
    **dict.fromkeys(("下降", "下跌", "减少", "回落", "下滑", "负增长", "下行", "降", "跌", "减", "降低", "下调",
                     "下挫", "缩小", "收窄", "缩水", "降息", "减息", "降准", "贬值", "降价"), "down"),
    **dict.fromkeys(("涨跌", "升降", "增减"), ""),  # either way: 涨跌幅为-3%
}
# 新增3家 counts new ones (a level); 每升6元 prices a litre.
_DIRECTION_NOT_AFTER = {"增": "新", "升": "每公毫千", "跌": "涨", "降": "升", "减": "增"}
# Between the word and the figure: 了 or 达 (增长了3%, 增长达3%), or 幅/幅度 with 为, 达 or 是 (跌幅为0.7%). 为, 至
# and 到 turn the figure into the level reached (增长至50亿元, 降为3%): those have no direction.
_DIRECTION_BEFORE = re.compile(
    "(?P<word>" + "|".join(
        (f"(?<![{_DIRECTION_NOT_AFTER[word]}])" if word in _DIRECTION_NOT_AFTER else "") + word
        for word in sorted(_DIRECTION_WORDS, key=len, reverse=True))
    + r")(?:幅度?(?:分别)?(?:为|达到?|高达|是|在)?|了?(?:达到?|高达)?)[ ]?$"
)
_DIRECTION_LOOKBACK = 12
_WITHOUT_DIRECTION = frozenset(("date", "duration", "ordinal"))  # 连续增长3年 grew for three years
# Figures listed after one verb share it: 分别增长12%、15%和20%; 下跌30点或1.2%.
_LIST_GAP = frozenset(("、", "和", "及", "与", "或", "以及", "、以及"))


def _direction_word_before(folded: str, start: int, floor: int) -> re.Match | None:
    """The verb (group "word") that says which way the figure starting at start went, if one is right before it."""
    return _DIRECTION_BEFORE.search(folded, max(floor, start - _DIRECTION_LOOKBACK), start)


def _with_listed_directions(folded: str, mentions: list[NumberMention]) -> list[NumberMention]:
    for i in range(1, len(mentions)):
        before, mention = mentions[i - 1], mentions[i]
        if (before.direction and not mention.direction and mention.kind not in _WITHOUT_DIRECTION
                and folded[before.end:mention.start] in _LIST_GAP):
            mentions[i] = replace(mention, direction=before.direction)
    return mentions


# --- idioms ------------------------------------------------------------------------------------------------------

_IDIOMS = re.compile("|".join([
    "一些", "一起", "一直", "一般", "一定", "一样", "唯一", "统一", "单一", "一体", "一批", "一键", "一组", "一度",
    "一时", "一带一路", "一成不变", "(?<!分)之一",
    "(?<![零〇一二三四五六七八九十百千两])万一(?![千百十])", "(?<![零〇一二三四五六七八九两])十分(?!钟)",
    "三三两两", "乱七八糟", "七上八下", "三番五次", "四面八方", "三天两头", "三头六臂", "两面三刀", "五花八门",
    "三位一体", "四处", "四周(?!年)", "一五一十", "九死一生", "千方百计", "千家万户", "万无一失", "接二连三",
    "三言两语", "三长两短", "五湖四海", "七嘴八舌", "十全十美", "一清二楚", "数一数二", "三心二意", "一举两得",
    "三令五申", "十有八九", "七零八落", "五台山", "七台河", "三元里", "三元桥",
]))


def _inside_idiom(folded: str, start: int, end: int) -> bool:
    for idiom in _IDIOMS.finditer(folded, max(0, start - 3), min(len(folded), end + 3)):
        if idiom.start() < end and idiom.end() > start:
            return True
    return False


# --- readers: each returns a _Found for the number starting at a core, or None ---------------------------------

class _Found(NamedTuple):
    end: int
    value: Decimal | int | None
    unit: str
    kind: str
    qualifier: str = ""
    value_high: Decimal | int | None = None


_FRACTION = re.compile(rf"(?P<whole>[0-9]+|[{_CN_DIGITS}{_CN_POSITIONAL}]+)分之"
                       rf"(?P<part>[0-9]+(?:\.[0-9]+)?|{_CHINESE})")
_PER_HUNDRED = {"百": Decimal(1), "千": Decimal("0.1"), "万": Decimal("0.01")}


def _fraction_at(folded: str, start: int) -> _Found | None:
    """百分之三十八点一 → 38.1 %; 四分之一 → 0.25 (with the measure word after it, if any)."""
    match = _FRACTION.match(folded, start)
    if match is None:
        return None
    whole, part = match["whole"], match["part"]
    part_value = Decimal(part) if part[0].isdigit() else _chinese_value(part)
    if part_value is None:
        return None
    if whole in _PER_HUNDRED:
        return _Found(match.end(), part_value * _PER_HUNDRED[whole], "%", "percent")
    whole_value = Decimal(whole) if whole.isdigit() else _chinese_value(whole)
    if not whole_value:
        return None
    value = part_value / whole_value
    number = _Number(value, match.end(), False, "" if part[0].isdigit() else part)
    if found_unit := _unit_at(folded, match.end(), number):
        _, unit, end = found_unit
        return _Found(end, value * unit.scale, unit.unit, unit.kind)
    return _Found(match.end(), value, "", "number")


_PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]五(?![个年万千百十一二三四五六七八九])")


def _plan_period_at(folded: str, start: int) -> _Found | None:
    """十四五 is the 14th five-year plan, a period rather than 145."""
    match = _PLAN_PERIOD.match(folded, start)
    return _Found(match.end(), None, "", "date") if match else None


_ERA = re.compile(
    r"(?:(?:[0-9]{1,2}|二十一|二十|十[一二三四五六七八九]?|[一二三四五六七八九])世纪"
    r"(?:(?:[0-9]0|[一二三四五六七八九]十)年代)?"
    r"|(?:[0-9]{3}0|[0-9]0|[一二三四五六七八九]十)年代)(?:初|末|中期|中叶|后期|前期)?"
)


def _era_at(folded: str, start: int) -> _Found | None:
    """19世纪60年代, 1960年代, 二十世纪: dates without a single day to sort by; 1840年代到1870年代 is one span."""
    match = _ERA.match(folded, start)
    if match is None:
        return None
    end = match.end()
    if (sep := _RANGE_SEP.match(folded, end)) and (second := _ERA.match(folded, sep.end())):
        end = second.end()
    return _Found(end, None, "", "date")


_AFTER_HOUR = r"(?::[0-5][0-9](?::[0-5][0-9])?(?![0-9])|时(?:[0-5]?[0-9]分)?)"
_CLOCK = re.compile(rf"(?P<hour>[0-9]{{1,2}}){_AFTER_HOUR}"
                    rf"(?:[ ]?(?:-|−|~|〜|–|—|至|到)[ ]?(?:早上|上午|中午|下午|晚上|凌晨|傍晚)?[0-9]{{1,2}}{_AFTER_HOUR})?")


def _clock_at(folded: str, start: int) -> _Found | None:
    """21:00, 9:30-18:00, 5时30分－22时30分."""
    match = _CLOCK.match(folded, start)
    if match is None or int(match["hour"]) > 24:
        return None
    return _Found(match.end(), None, "", "date")


_ISO_DATE = re.compile(r"(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})(?![0-9])")


def _iso_date_at(folded: str, start: int) -> _Found | None:
    """2025-07-28, 2025/7/28, 2025.07.28."""
    match = _ISO_DATE.match(folded, start)
    if match is None:
        return None
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _Found(match.end(), _sortable_date(year, month, day), "", "date")


_CN_MONTH = "十[一二]?|[一二三四五六七八九]"
_CN_DAY = "三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
_DATE_SEP = r"[ ]?(?:-|−|~|〜|–|—|至|到)[ ]?"
# Years of one to three digits are years only when something says so: a month after them (193年4月), 公元
# before them, or brackets after an era year (延熙三年（240年）). Otherwise 5年 is a duration.
_YEAR = re.compile(r"(?P<year>[0-9]{4}(?![0-9])|[〇零一二三四五六七八九]{4})年(?!代)度?"
                   r"|(?P<short_year>[0-9]{1,3})年(?=[0-9]{1,2}月|(?:十[一二]?|[一二三四五六七八九正])月)"
                   r"|(?:(?<=公元)|(?<=西元)|(?<=公元前))(?P<marked_year>[0-9]{1,4})年"
                   r"|(?<=[(])(?P<bracketed_year>[0-9]{1,3})年(?=[)])")
_BEFORE_COMMON_ERA = "公元前"
_YEAR_PART = re.compile(r"上半年|下半年|全年|年初|年中|年底|年末|[春夏秋冬]季|[早初中末晚]期|底|末|初(?![步次级中心始])|第?(?P<quarter>[一二三四1-4])季度"
                        r"|前(?P<quarters>[二三23])季度|Q(?P<q>[1-4])(?![0-9])")
_MONTH = re.compile(rf"(?P<month>[0-9]{{1,2}}|{_CN_MONTH})(?:{_DATE_SEP}(?P<month_high>[0-9]{{1,2}}|{_CN_MONTH}))?月份?"
                    r"(?:底|末|上旬|中旬|下旬|初(?![步次级心始]))?")
_QUARTER = re.compile(r"(?P<quarter>[一二三四1-4])季度")
_DAY = re.compile(rf"(?P<day>[0-9]{{1,2}}|{_CN_DAY})(?:{_DATE_SEP}(?P<day_high>[0-9]{{1,2}}))?(?P<mark>[日号])")
_TIME_OF_DAY = re.compile(
    r"[ ]?(?:早上|上午|中午|下午|晚上|凌晨|傍晚|早|晚)?"
    r"(?:[0-9]{1,2}:[0-9]{2}|(?P<hour>[0-9]{1,2}|[一二三四五六七八九十]{1,3})[时点](?:[0-9]{1,2}分|半|[一二三四五六七八九十]{1,3}分)?)"
)
_HALF_YEARS = {"上半年": (1, 6), "下半年": (7, 12)}


def _small_number(digits: str) -> int:
    """Month, day, hour or year as written: 12, 十二, 二〇二四; -1 when unreadable (十十十)."""
    if digits.isdigit():
        return int(digits)
    if not any(char in _CN_POSITIONAL for char in digits):
        return int("".join(str("〇一二三四五六七八九".find(char)) if char != "零" else "0" for char in digits))
    value = _chinese_value(digits)
    return -1 if value is None else int(value)


class _DateParts(NamedTuple):
    end: int
    year: int | None
    months: tuple[int, int] | None
    days: tuple[int, int] | None


def _date_parts_at(folded: str, start: int) -> _DateParts | None:
    """Year, month and day as written from start: 2025年1-5月 → (2025, (1, 5), None)."""
    position, year, months, days = start, None, None, None
    if match := _YEAR.match(folded, position):
        year = _small_number(match["year"] or match["short_year"] or match["marked_year"] or match["bracketed_year"])
        if folded.endswith(_BEFORE_COMMON_ERA, 0, start):
            year = -year
        position = match.end()
        if part := _YEAR_PART.match(folded, position):
            position = part.end()
            quarter = part["quarter"] or part["q"]
            if part.group() in _HALF_YEARS:
                months = _HALF_YEARS[part.group()]
            elif quarter:
                number = _small_number(quarter)
                months = (3 * number - 2, 3 * number)
            elif part["quarters"]:
                months = (1, 3 * _small_number(part["quarters"]))
            return _DateParts(position, year, months, None)
    if year is None and (quarter := _QUARTER.match(folded, position)):
        number = _small_number(quarter["quarter"])
        return _DateParts(quarter.end(), None, (3 * number - 2, 3 * number), None)  # 二季度
    if match := _MONTH.match(folded, position):
        low = _small_number(match["month"])
        high = _small_number(match["month_high"]) if match["month_high"] else low
        if 1 <= low <= high <= 12:
            months, position = (low, high), match.end()
    if year is not None or months is not None:
        if months is not None and (match := _DAY.match(folded, position)):
            low = _small_number(match["day"])
            high = int(match["day_high"]) if match["day_high"] else low
            if 1 <= low <= high <= 31:
                days, position = (low, high), match.end()
    elif (match := _DAY.match(folded, position)) and match["mark"] == "日" and match["day"].isdigit():
        # A day alone must be Arabic: 三日 is more often "three days" than "the third".
        low = int(match["day"])
        high = int(match["day_high"]) if match["day_high"] else low
        if 1 <= low <= high <= 31:
            days, position = (low, high), match.end()
    if year is None and months is None and days is None:
        return None
    if days is not None and (time := _TIME_OF_DAY.match(folded, position)):
        if time["hour"] is None or 0 <= _small_number(time["hour"]) <= 24:
            position = time.end()
    return _DateParts(position, year, months, days)


_YEAR_BEFORE_RANGE = re.compile(rf"(?P<year>[0-9]{{4}})(?={_DATE_SEP}(?P<year_high>[0-9]{{4}})年(?!代))")


def _sortable_date(year: int | None, month: int | None, day: int | None) -> int:
    return (year or 0) * 10000 + (month or 0) * 100 + (day or 0)


def _date_bounds(parts: _DateParts, year: int | None = None, month: int | None = None) -> tuple[int, int]:
    """Earliest and latest sortable value a date names; year and month fill in what it leaves out."""
    year = parts.year if parts.year is not None else year
    months = parts.months or ((month, month) if parts.days else (None, None))
    days = parts.days or (None, None)
    return _sortable_date(year, months[0], days[0]), _sortable_date(year, months[1], days[1])


_NEXT_YEAR = re.compile("次年|翌年|第二年")


def _date_at(folded: str, start: int) -> _Found | None:
    """2025年7月7日 → 20250707; 2025年1-5月 → 20250100…20250500; 1969年至1970年 → a range of two dates."""
    first = _date_parts_at(folded, start)
    if first is None and (bare := _YEAR_BEFORE_RANGE.match(folded, start)):
        if int(bare["year"]) <= int(bare["year_high"]):  # 1944至1980年; 距今3750～3295年 counts years back
            first = _DateParts(bare.end(), int(bare["year"]), None, None)
    if first is None:
        return None
    low, high = _date_bounds(first)
    end = first.end
    sep = _RANGE_SEP.match(folded, end)
    next_year = _NEXT_YEAR.match(folded, sep.end()) if sep else None
    if sep and (second := _date_parts_at(folded, next_year.end() if next_year else sep.end())):
        # The second date borrows what it leaves out: 3月30日至5月14日 keeps the year of the first, 10月到次年4月
        # takes the year after it.
        borrowed_month = first.months[1] if first.months and second.year is None and not next_year else None
        year = first.year + 1 if next_year and first.year is not None else first.year
        _, second_high = _date_bounds(second, year, borrowed_month)
        if second_high >= low:
            high, end = second_high, second.end
        elif next_year and year is None:  # 10月到次年4月: a span of months, no year to sort the end by
            end = second.end
    return _Found(end, low, "", "date", value_high=high if high != low else None)


def _word_form_at(folded: str, core: re.Match) -> _Found | None:
    """首台 → ordinal 1 台; 翻倍/翻番 → 2 倍, 翻两番 → 4 倍."""
    if core["first"]:
        return _Found(core.end() + 1, 1, folded[core.end()], "ordinal")
    times = _small_number(core["times"].replace("两", "二")) if core["times"] else 1
    return _Found(core.end(), 2 ** times, "倍", "multiple")


_LABEL = re.compile(r"[0-9]{1,3}\+[0-9]{1,3}(?![0-9.%])")


def _label_at(folded: str, start: int) -> _Found | None:
    """7+20 (产业链群) names a structure: one mention, no single value."""
    match = _LABEL.match(folded, start)
    if match is None or _UNIT.match(folded, match.end()) or _MAGNITUDE.match(folded, match.end()):
        return None
    return _Found(match.end(), None, "", "number")


_CODE = re.compile(r"0[0-9]{3,}(?![0-9.])|[0-9]{6}(?![0-9.])")


def _code_at(folded: str, start: int) -> _Found | None:
    """A stock or company code names something, it counts nothing: ST海马（000572）, 股票代码：834402, 08211."""
    match = _CODE.match(folded, start)
    if match is None:
        return None
    in_brackets = folded[start - 1 : start] in ("（", "(") and folded[match.end() : match.end() + 1] in ("）", ")")
    if match.group()[0] != "0" and not in_brackets and not re.search(r"代码[:：]?\s*$", folded[max(0, start - 6) : start]):
        return None
    return _Found(match.end(), None, "", "number")


_SPECIAL_READERS = (_code_at, _label_at, _fraction_at, _plan_period_at, _era_at, _iso_date_at, _clock_at, _date_at)


def _quantity_at(folded: str, core: re.Match, ordinal: bool, qualified: bool) -> _Found | None:
    """A number with its magnitude, measure word and range: 6.5万辆, 三至五年, 10%-20%, 第十三届."""
    first = _read_number(folded, core)
    if first is None:
        return None
    unit_found = _unit_at(folded, first.end, first)
    end = unit_found[2] if unit_found else first.end
    half = Decimal(0)
    if unit_found and unit_found[0] == "成" and folded[end:end + 1] == "半":
        half, end = Decimal("0.5"), end + 1  # 三成半: three and a half tenths, 35 %
    second = None
    if not ordinal and (sep := _RANGE_SEP.match(folded, end)) and (core2 := _CORE.match(folded, sep.end())):
        candidate = _read_number(folded, core2)
        candidate_unit = _unit_at(folded, candidate.end, candidate) if candidate else None
        same_unit = unit_found is None or (candidate_unit is not None and candidate_unit[0] == unit_found[0])
        # A bare 1-5 is too often a score or a code; words like 至 make a range even without a unit.
        if candidate and same_unit and (candidate_unit or sep.group().strip() in _WORD_RANGE_SEPS):
            second, unit_found = candidate, candidate_unit
            end = candidate_unit[2] if candidate_unit else candidate.end

    unit = unit_found[1] if unit_found else None
    if ordinal and unit is not None and unit.kind not in ("count", "duration", "ordinal"):
        unit, end, half = None, first.end, Decimal(0)
    if not _anchored(folded, core.start(), end, first, second, unit, ordinal, qualified):
        return None
    if unit is None and not first.chinese and folded[end:end + 1].isascii() and folded[end:end + 1].isalpha():
        return None  # 5G, 3D

    low = first.value + half
    high = second.value if second else None
    if second is not None and first.magnitude == 1 and low * second.magnitude <= high:
        low *= second.magnitude  # 3-5万元 means 3万 to 5万
    if unit is not None:
        low *= unit.scale
        high = high * unit.scale if high is not None else None
    qualifier = "over" if first.over else (unit.qualifier if unit else "")
    kind = "ordinal" if ordinal else (unit.kind if unit else "number")
    return _Found(end, low, unit.unit if unit else "", kind, qualifier, high)


_VAGUE_BEFORE = frozenset("数几上成")


def _anchored(folded: str, start: int, end: int, first: _Number, second: _Number | None, unit: _Unit | None,
              ordinal: bool, qualified: bool) -> bool:
    """Whether a Chinese numeral is meant as a number here (see the module docstring); Arabic always is."""
    if not first.chinese:
        return True
    if not (ordinal or unit is not None or qualified):
        return False
    before = folded[start - 1:start]
    if before.isdigit() or (before in _VAGUE_BEFORE and first.chinese[0] in _CN_POSITIONAL):
        return False  # 数十亿元, 几百人, 成千上万: no number is named
    if first.chinese in ("零", "〇"):
        return False  # 零部件, 零售
    if first.chinese == "一" and not (ordinal or second is not None or (unit and unit.unit in ("号", "倍"))):
        return False
    if first.chinese[0] in "百千万亿" and not (qualified or (unit and unit.kind == "money")):
        return False  # 百强, 千家万户, 万物: a bare magnitude word is rarely a count
    return ordinal or not _inside_idiom(folded, start, end)  # 第一批 is not the idiom 一批


def _approximate_pair(folded: str, core: re.Match) -> _Found | None:
    """七八个, 三四天: two neighbouring digits mean "about" that many."""
    digits = core["chinese"]
    if not digits or len(digits) != 2:
        return None
    low, high = "一二三四五六七八九".find(digits[0]) + 1, "一二三四五六七八九".find(digits[1]) + 1
    if low == 0 or high != low + 1:
        return None
    number = _Number(Decimal(high), core.end(), False, digits)
    unit_found = _unit_at(folded, core.end(), number)
    if unit_found is None or unit_found[1].kind not in ("count", "duration", "quantity", "multiple"):
        return None
    _, unit, end = unit_found
    if _inside_idiom(folded, core.start(), end):
        return None
    return _Found(end, Decimal(low), unit.unit, unit.kind, "approx", Decimal(high))


def _mention_at(text: str, folded: str, core: re.Match, floor: int) -> NumberMention | None:
    start = core.start()
    ordinal_start = None  # where 第 is: 第三, 第 26 届
    if start - 1 >= floor and folded[start - 1] == "第":
        ordinal_start = start - 1
    elif start - 2 >= floor and folded[start - 2:start] == "第 ":
        ordinal_start = start - 2
    ordinal = ordinal_start is not None
    prefix = None if ordinal else _prefix_qualifier(folded, start, floor)
    found = None
    if core["first"] or core["doubling"]:
        found = _word_form_at(folded, core)
    elif not ordinal and folded[start] not in "+-−":
        for reader in _SPECIAL_READERS:
            if found := reader(folded, start):
                break
    if found is None:
        qualified = prefix is not None and folded[prefix[1]:start] not in _COMPARISONS
        found = _quantity_at(folded, core, ordinal, qualified=qualified)
    if found is None:
        found = _approximate_pair(folded, core)
    if found is None:
        return None
    if ordinal:
        start = ordinal_start
    elif found.kind == "date" and folded.endswith(_BEFORE_COMMON_ERA, floor, start):
        start -= len(_BEFORE_COMMON_ERA)
    else:
        if found.kind == "number" and found.unit == "" and found.value is not None:
            for sign, currency in _CURRENCY_SIGNS.items():
                if start - len(sign) >= floor and folded.endswith(sign, 0, start):
                    found = found._replace(unit=currency, kind="money")
                    start -= len(sign)
                    prefix = _prefix_qualifier(folded, start, floor)
                    break
        if prefix is not None and found.kind != "date":
            found = found._replace(qualifier=prefix[0])
            start = prefix[1]
    found = _with_post_qualifier(folded, found)
    value = None if found.value is None else float(found.value)
    value_high = None if found.value_high is None else float(found.value_high)
    if not all(math.isfinite(v) for v in (value, value_high) if v is not None):
        return None  # a run of hundreds of digits is not a quantity, and inf is not JSON
    direction = ""
    if found.kind not in _WITHOUT_DIRECTION and (word := _direction_word_before(folded, start, floor)):
        direction = _DIRECTION_WORDS[word["word"]]
    return NumberMention(start, found.end, text[start:found.end], value, found.unit, found.kind, found.qualifier,
                         value_high, direction)
