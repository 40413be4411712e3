"""From ranked passages to a result: what the question asks for, which number answers it, and highlights.

The answer is the number mention whose kind and unit fit the question and whose surrounding words talk about
what the question talks about (subject, metric, time). Every number in the best passages is a candidate with a
handful of inspectable features; a linear ranking score picks the best, and its calibrated probability of being
right is the answer's score in [0, 1]; below ANSWER_THRESHOLD we abstain.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .corpus import normalise_aligned, normalise_for_matching
from .lexical import LexicalIndex
from .numbers import COUNT_WORDS, NumberMention, canonical_unit, find_numbers, unit_kind
from .passages import Passage
from .retrieve import Hit

# Passages whose numbers compete for the answer (the returned top_k may be fewer).
ANSWER_DEPTH = 5
ANSWER_THRESHOLD = 0.05

# --- question typing -------------------------------------------------------------------------------------------

# Words a question counts in: the parser's measure words of counts (几列, 多少面; not 多少面积), and some it does not
# read as a count's unit (几季, 几门, 几分)
_MEASURE_WORDS = COUNT_WORDS + "|季|门|块|口|双|封|声|分"
_MEASURE_WORD = re.compile(_MEASURE_WORDS)
_QUANTITY_UNITS = ("平方公里|平方米|公里|千米|公尺|米|公分|厘米|毫米|英尺|英寸|英里|海里|公斤|千克|克|吨|斤|亩|公顷|毫升|升|岁"
                   "|千瓦|兆瓦|瓦|度电|桶|点")
# (pattern on the normalised question, kinds accepted in order of preference). First match wins.
_KIND_RULES: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"百分点|(增速|增幅|增长率|涨幅|比重|占比).{0,8}(比|较|与|和).{0,10}(高|低|快|慢|多|少)"
                r"|(高出|低于|高于|快于|慢于).{0,12}(多少|几)"), ("percentage_points", "percent")),
    (re.compile(r"哪一?天|哪一?日|何时|什么时候|啥时候|什么时间|哪个时间|几月(?!份?[里内])|哪个月|什么日期|哪一?年|几几年|日期"
                r"|(?<![长多段])时间|什么时期|哪个时期|哪段时期|哪些年|哪几年|何年|什么年份|哪个年份|年份|什么年代|哪个年代"),
     ("date",)),
    (re.compile(r"多少伏|电压|伏特"), ("voltage",)),
    (re.compile(r"[水气体室油]温|温度|[高低]温|摄氏|华氏"), ("quantity",)),  # 水温多少度 is a temperature, not an angle
    (re.compile(r"多少度|角度|倾斜|倾角"), ("angle",)),
    (re.compile(r"车速|速度|时速|跑多快|码数"), ("speed",)),
    (re.compile(r"第几|排第|排名|几号|第多少|名次|排(?:在|行)?(?:多少|几)"), ("ordinal",)),
    (re.compile(r"几倍|多少倍|翻了几"), ("multiple",)),
    # a change, mostly in percent; but 人效提升 by 翻倍, a rate by points (产能利用率提高3.0个百分点), and a price
    # or an index by an amount (原油期货上涨1.64美元). Only when nothing follows 多少: 增加多少补贴 asks an amount.
    (re.compile(r"(价|期货|指数|汇率).{0,12}(增长|上涨|涨|下降|降|下滑|下跌|回落|上升|攀升|跌)了?(多少|几)(?=[？?呢啊吗。]|$)"),
     ("percent", "money", "quantity", "percentage_points")),
    (re.compile(r"(增长|上涨|涨|下降|降|下滑|下跌|回落|上升|攀升|提升|提高|减少|增加|跌)了?(多少|几)(?=[？?呢啊吗。]|$)"),
     ("percent", "percentage_points", "multiple")),
    # an explicit ask for money comes first: 收购9.78%合伙份额花了多少钱 asks an amount, not a share
    (re.compile(r"多少钱|多少元|(?:赚|亏|花)了?(?:多少|几)"), ("money",)),
    (re.compile(r"百分之几|百分比|占比|比重|份额|相当于.{0,30}(?:多少|几)|市占率|占有率|增速|增幅|增长率|涨幅|降幅|跌幅|同比|环比|有多快|多快|溢价|折价"
                r"|(?:利|收益|毛利|净利|利用|回报|税|负债|失业|通胀|渗透|转化|覆盖|完成|合格|通过|录取|成功|投票|参与)率"),
     ("percent",)),
    # 占多少 is mostly a share, but may be the part itself (17万P里三大运营商占多少 → 1.3万P)
    (re.compile(r"比例|(?<![多])占(?![地用据]).{0,20}(多少|几)(?![亿万千百]?[元辆台个家人股])"),
     ("percent", "compute", "count", "money", "quantity")),
    (re.compile(r"多久|多长时间|几年|多少年|几天|多少天|几个月|多少个月|(?:周期|工期)[是为有]?(?:多少|几|多长)|几周"
                r"|(?:多少|几)(?:分钟|小时|秒)"), ("duration",)),
    (re.compile(r"算力(?!.{0,3}产业)"), ("compute",)),
    (re.compile(r"多长(?!时间)"), ("quantity", "duration")),
    # a dimension asked for, not one used as a figure of speech (深度融合, 高度重视)
    (re.compile(r"(?:体长|身长|[全总]长|长度|高度|身高|宽度|面积|重量|体重|深度|水深|海拔|直径|半径|距离|周长|排水量|容积"
                r"|容量|体积|翼展|年龄|享年)[^，,。？?]{0,4}(?:多少|几|多[大长高深重远宽])|多[高宽重深远]|多大年纪|几岁|多少岁"),
     ("quantity",)),
    (re.compile(r"数量|个数|多少个(?!百分点)|(?<![那这])几个|多少家|几家"), ("count",)),  # 那几个集群 is not a count
    (re.compile(r"[亿万]元|营收|收入|产值|销售额|营业额|利润|金额|市值|总额|投资额|GDP|生产总值|增加值|产业规模|集群.{0,6}规模|规模.{0,4}万亿"
                r"|价|成本|费用|收费|工资|薪|奖金|投资了?多少|资本|资产|(?<=[\u4e00-\u9fff])(?<![份名])额|作价|募资|募集|融资|收益|补贴|补助|奖励"
                r"|(?:管理|资产|基金|融资|募资|市场|交易)规模|盈利|亏损|毛利|现金流"),
     ("money",)),
    (re.compile(rf"(?:多少|几)(?:{_QUANTITY_UNITS})"), ("quantity",)),
    (re.compile(rf"(?:多少|几)(?:{_MEASURE_WORDS})|几大|人口|人数|员工|销量|卖|销售|出口|交付|订单"), ("count",)),
]
_ANY_QUANTITY = ("count", "money", "quantity", "compute", "number", "percent", "multiple", "duration")
# Units a question may name, normalised to the unit find_numbers reports.
_UNIT_IN_QUESTION = re.compile(r"(?:多少|(?<![那这])几)(个百分点|亿元|万元|元|分钟|小时|秒钟|秒|天|年|个月|月|伏|度|倍"
                               rf"|{_QUANTITY_UNITS}|{_MEASURE_WORDS})")
_UNIT_ALIASES = {"亿元": "元", "万元": "元", "伏": "V", "度": "°", "个月": "月", "人次": "人次", "秒钟": "秒"}
# Measure words that count the same things ("卖了多少台" is answered by "6.5万辆").
_COMPATIBLE_UNITS = [{"辆", "台", "部"}, {"个", "家", "座", "项", "所"}, {"家", "间"}, {"人", "名", "位", "人次"},
                     {"公里", "米", "厘米", "毫米", "海里", "英里", "英尺", "英寸"}, {"吨", "公斤", "克", "斤"},
                     {"平方公里", "平方米", "公顷", "亩"}]
# (asked, found) pairs that may stand in for each other: 光海君七年 and 965年 read as durations but answer 哪一年.
_KINDS_ALIKE = {("count", "number"), ("quantity", "number"), ("money", "number"), ("date", "duration")}

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})财?年")  # 2020财年: a fiscal year
# Five-year plans name a span of years: figures "since the 14th plan" are cumulative, not one year's.
_PLAN_PERIOD = re.compile(r"十[一二三四五六]五")
# Parts of a year a figure may cover: a quarter's revenue does not answer a question about the year, nor the
# second quarter's the first's.
_YEAR_PART = re.compile(r"第?(?P<quarter>[一二三四1-4])(?:财季|季度)|Q(?P<q>[1-4])(?!\d)|(?P<half>[上下])半年"
                        r"|前(?P<quarters>[二三23])季度|(?<!\d)(?P<first>\d{1,2})\s*[-－~至到]\s*(?P<last>\d{1,2})月"
                        r"|前(?P<months>\d{1,2})个月|全年")
_PREVIOUS_YEAR = re.compile(r"上年同期|去年同期|上年|上一年")
# 上年同期为1271.9万元 is last year's figure; 较上年同期增长60% is this year's growth
_PREVIOUS_YEAR_FIGURE = re.compile(rf"(?<![较比与])(?:{_PREVIOUS_YEAR.pattern})[^较比增降涨跌减升]*$")
_CHINESE_DIGIT = {"一": "1", "二": "2", "三": "3", "四": "4"}
_RELATIVE_YEARS = {"前年": -2, "去年": -1, "上一年": -1, "今年": 0, "本年": 0, "明年": 1}
# Everyday words → the words news text uses for the same metric. General vocabulary, not per-question fixes.
_SYNONYMS = {
    "卖": ("销售", "销量", "交付"), "卖出": ("销售",), "销量": ("销售",), "涨": ("增长", "增速"), "增幅": ("增长",),
    "增速": ("增长",), "收入": ("营收",), "赚": ("利润", "净利润", "盈利"), "利润": ("净利润",), "亏": ("亏损",), "亏了": ("亏损",),
    "花": ("支付", "耗资", "花费", "金额"), "花了": ("支付", "耗资", "花费", "金额"), "改名": ("更名",),
    "改": ("更名", "改名", "更改"),
    "份额": ("市占率", "比重"), "占比": ("比重", "占"), "多快": ("速度", "增速", "码"), "高出": ("高于",),
    "高": ("高于",), "目标": ("力争", "达"), "计划": ("力争",), "规划": ("力争",), "现在": ("目前",),
    "达到": ("达",), "达": ("达到",), "名字": ("更名", "名称"), "买": ("购买", "采购", "订购", "订单"),
    "归母": ("归属于母公司", "归属于上市公司股东", "归属于公司股东", "归属于本公司股东", "归属于"),
}
# Events that dates answer, each said in several ways (陈荣捷卒于哪一年 ~ 1994年逝世)
_EVENT_WORDS = (
    ("去世", "逝世", "病逝", "卒", "卒于", "过世", "辞世", "身故", "殁", "死于", "逝于", "病死", "致死", "身亡"),
    ("成立", "创立", "创建", "建立", "创办", "设立", "开办", "始建", "建于", "兴建", "建成"),
    ("通车", "开通", "启用", "投入使用", "开业", "开幕", "投入服务", "通航", "投入运营", "交付运营", "开始运营", "开通运营"),
    ("发行", "出版", "推出", "上映", "首播", "发布", "发售"),
    ("退役", "退休", "挂靴", "引退"),
)
for _group in _EVENT_WORDS:
    for _word in _group:
        _SYNONYMS[_word] = tuple(dict.fromkeys((*_SYNONYMS.get(_word, ()), *(w for w in _group if w != _word))))
# What a business figure measures, in the words news text and everyday questions use for it. A number labelled
# with one of these (集团营收370.25亿元) does not answer a question about another (赚了多少钱, 净利润): the
# article gives no figure for what was asked. Longer words first: 销售额 is revenue, not units sold.
_METRICS = (
    ("share_price", ("股价", "目标价", "收盘价", "收报", "均价", "发行价", "结算价")),
    ("earnings_per_share", ("每股收益", "每股盈利", "每股亏损", "每股净资产")),
    ("rd_expense", ("研发费用", "研发投入", "研发支出")),
    ("cost", ("营业成本", "营业总成本")),
    ("assets", ("总资产", "资产总计", "资产总额", "净资产")),
    ("cash_flow", ("现金流量净额", "现金流")),
    ("revenue", ("营业收入", "营收", "销售额", "销售收入", "营业额", "收入")),
    ("gross_profit", ("毛利润", "毛利")),
    ("recurring_profit", ("扣非后净利润", "扣非净利润", "扣非")),  # net of one-off items: not the same figure
    ("profit", ("净利润", "利润", "净利", "盈利", "赚", "净亏损", "亏损", "亏")),  # a loss is a negative profit
    ("export", ("出口",)),
    ("sales", ("销量", "销售", "卖出", "卖", "售出", "交付")),
    ("production", ("产量",)),
    ("capacity", ("产能",)),  # what can be made, not what was: 产能 does not answer 产量
    ("output", ("产值",)),
    ("value_added", ("增加值",)),
    ("investment", ("投资",)),
    ("market_share", ("市场份额", "份额", "市占率", "占有率")),
    ("proportion", ("比重", "占比")),
    ("population", ("人口",)),
    ("scale", ("规模",)),
    ("staff", ("员工", "职工", "从业人员")),
)
_QUESTION_NOISE = frozenset("多少 几 多大 多快 多久 多高 多长 什么 哪 哪些 是 有 了 的 呢 吗 啊 呀 请问 一共 总共 大概 可 "
                            "去年 今年 前年 明年 上一年 本年 时候 啥时候 什么时候 这个 那个 这些 那些 这边 那边 这里 那里".split())

# Tokens that are the question word itself (哪一年, 几岁, 什么时候, 多少钱, 为什么, 第几): the answer's text never
# repeats them; nor does it need the 年 of 2024年 to be about the same thing (nor the measure word of 多少辆: see
# _terms); and jieba's leftovers glued to a copula (王是, 历是, 是从) are not words of the question.
_QUESTION_WORD = re.compile(r"哪|几(?!乎)|多少|什么|啥|多[大久长高快远重深宽]|何[时年地]|为什么|谁|如何|怎|第几"
                            r"|(?:年|月|日|号|天)$|.+[是在]$|是[从在由]$")


@dataclass(frozen=True)
class Term:
    """A question word and the words that also count for it (its parts, everyday ↔ news synonyms)."""

    words: tuple[str, ...]
    weight: float  # inverse document frequency in the corpus: rare words say more
    metric: bool = False  # names what is measured (the words right before 多少), not who or when
    after_asking: bool = False  # comes after the question word (哪一年**出版**): the answer's text puts it after the number

    def found_in(self, text: str) -> bool:
        return any(w in text for w in self.words)


@dataclass(frozen=True)
class QuestionIntent:
    """What a question asks for. `kinds` empty means any quantity; the first kind is the preferred one."""

    text: str
    kinds: tuple[str, ...]
    unit: str | None
    years: tuple[int, ...] = ()
    relative_years: tuple[int, ...] = ()
    terms: tuple[Term, ...] = ()
    counted_noun: str | None = None  # 国家 in 多少个国家
    names: tuple[str, ...] = ()  # people, places, organisations the question names (比亚迪, 潘均顺)
    year_only: bool = False  # 哪一年: a full date is answered with its year
    anchors: tuple[str, ...] = ()  # numbers the question itself gives (增长8.4%是哪个时间段): the answer is near them
    metrics: frozenset[str] = frozenset()  # business figures asked about (sales, profit …), see _METRICS
    plan_period: bool = False  # names a five-year plan (十四五以来…)
    year_parts: frozenset[str] = frozenset()  # parts of a year it asks about (Q1, H1, M1-5, FY), see _year_part
    asks_amount: bool = False  # 多少/几: a quantity, never a date or a rank, even when its kind is not known
    asks_day: bool = False  # 哪天, 几月几日: a year alone does not answer
    asks_month: bool = False  # 几月, 哪天: a month without its year may answer
    asks_place: bool = False  # 在哪里, 地址: a street number (大道4800号) may answer
    asks_several: bool = False  # 分别, 各多少, 哪两条, A、B…多少: the figures listed together answer
    asks_which: bool = False  # 哪条线路, 哪个公司: one thing by its name (10号线, 第二公学校), not a count
    asks_unit_price: bool = False  # 每股, 目标价, 收盘价: a price per share or per unit, never in 万 or 亿

    def years_for(self, article_date: str | None) -> set[int]:
        """Explicit years plus 去年/今年 resolved against the article's own date."""
        years = set(self.years)
        if self.relative_years and article_date and article_date[:4].isdigit():
            years.update(int(article_date[:4]) + offset for offset in self.relative_years)
        return years


_COUNTED_NOUN = re.compile(rf"(?:多少|几)(?:{_MEASURE_WORDS}|{_QUANTITY_UNITS})?([\u4e00-\u9fff]{{1,4}}?)"
                           r"(?:了|呢|啊|呀|吗|的|和|[?？]|$)")
_ASKS_YEAR = re.compile(r"哪一?年|几几年|什么年份|哪个年份|何年")
_ASKS_DAY = re.compile(r"几月|哪个月|哪一?天|哪一?日|日期|什么时候")
_ASKS_A_DAY = re.compile(r"哪一?天|哪一?日|几月几[日号]|什么日期")  # not 什么时候: a year may do
_ASKS_MONTH = re.compile(r"几月|哪个?月|哪一?天|哪一?日|几号|日期")
_ASKS_WHICH = re.compile(r"哪[一两二三四五几]?(?:个|条|座|家|所|部|届|位|支|只|款|种|艘|架|辆|台|号|间|路|级)")
_ASKS_PLACE = re.compile(r"哪里|哪儿|在哪|什么地方|何处|何地|地址|地点|位置|位于哪")
# the price asked for, not one named on the way (稳定股价方案中…增持金额是多少); 成交价 of land is a total
_ASKS_UNIT_PRICE = re.compile(r"(?:每股|股价|(?:目标|发行|要约|回购|收盘|开盘|结算)价格?|收报)[^，,。；]{0,4}(?:多少|几)")
_ASKS_SEVERAL = re.compile(r"分别|各自|各(?:是|为|有|达)?(?:多少|几)|哪[两二三四五几](?!年)|、[^，,。？?]{0,15}(?:多少|几)")
_LEADING = re.compile(r"\s*(?:[于在自从至到]|截至|直到|直至)?")
_LEADING_TAIL = re.compile(r"(?:起|后|前|时|初|底|末|以来|开始|期间|间)?")
_STREET = re.compile(r"[路街道巷弄里段]$")
_ASKS_AMOUNT = re.compile(r"(?<![第几])(?:多少|几)(?![月日号点几])")
_ASKING = re.compile(r"多少|几|多大|多快|多久|多高|多长|什么|哪|何时|啥")
# the 辆 of 辆车, the 个 of 个国家 (not the 人 of 人口)
_COUNTED = re.compile(r"^(?:辆|台|个|家|位|名|项|只|件|条|座|所|架|艘|款|部|颗|枚|套|支|株|棵|栋|幢|批|笔|份)(?=.)")


def _year_part(match: re.Match) -> str:
    """第一季度/一季度/Q1 → Q1, 上半年 → H1, 前三季度 → Q1-3, 1-5月 and 前5个月 → M1-5, 全年 → FY."""
    if quarter := match["quarter"] or match["q"]:
        return "Q" + _CHINESE_DIGIT.get(quarter, quarter)
    if match["half"]:
        return "H1" if match["half"] == "上" else "H2"
    if match["quarters"]:
        return "Q1-" + _CHINESE_DIGIT.get(match["quarters"], match["quarters"])
    if match["first"]:
        return f"M{int(match['first'])}-{int(match['last'])}"
    if match["months"]:
        return f"M1-{int(match['months'])}"
    return "FY"


def metric_families(text: str) -> frozenset[str]:
    """>>> metric_families("集团营收370.25亿元，销售额")  →  {'revenue'}"""
    found = set()
    for family, words in _METRICS:
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


def _asking_and_last_de(text: str) -> tuple[int, int]:
    """Where the question word starts (the end if there is none), and the last 的 before it (-1 if none)."""
    asking = _ASKING.search(text)
    asking_at = asking.start() if asking else len(text)
    return asking_at, text.rfind("的", 0, asking_at)


def _terms(text: str, lexical: LexicalIndex, asking_at: int, last_de: int, asks_date: bool = False) -> tuple[Term, ...]:
    """Question words grouped with their parts and synonyms, weighted by rarity; metric words marked.

    Metric words are those after the question word (多少颗**大犬齿**) and those between the last 的 and the
    question word (宇通的**净利润**是多少), or, without a 的, the last two words before the question word.
    A date question with words after the question word asks when they happened: they alone are the metric
    (严秋华在哪一年**退居幕后**). asking_at and last_de are where those are (_asking_and_last_de).
    """
    # the tokenizer lowercases; passages are matched as written (CCFI, Stam1na, WTI)
    lowered = text.lower() if len(text.lower()) == len(text) else None
    as_written = [text[i : i + len(t)] if lowered is not None and (i := lowered.find(t)) >= 0 else t
                  for t in lexical.tokenizer.tokens(text)]
    tokens = [_COUNTED.sub("", t) if re.search(f"(?:多少|几){re.escape(t)}", text) else t  # 多少辆车 asks about 车
              for t in as_written]
    # the 辆 of 多少辆 is part of the question word, the 期 of 这期 of a determiner; a measure word elsewhere is a
    # word of the question (出的道)
    tokens = [t for t in tokens
              if t and t not in _QUESTION_NOISE and not _QUESTION_WORD.match(t) and not _YEAR.fullmatch(t)
              and not (_MEASURE_WORD.fullmatch(t) and re.search(f"(?:多少|几|[这那本该此每各]){re.escape(t)}", text))
              and not t.replace(".", "").isdigit() and not re.search(f"[哪几]{re.escape(t)}", text)]
    longest = [t for t in tokens if not any(t != other and t in other for other in tokens)]
    short = _abbreviations(text, longest)
    terms, positions = [], []
    for token in dict.fromkeys(longest):
        parts = [t for t in tokens if t != token and t in token and len(t) > 1]
        words = tuple(dict.fromkeys([token, *parts, *(s for w in [token, *parts] for s in _SYNONYMS.get(w, ())),
                                     *([short[token]] if token in short else [])]))
        terms.append(Term(words, max(lexical.idf(w.lower()) for w in (token, *parts))))
        positions.append(text.find(token))
    before = [i for i, p in enumerate(positions) if p < asking_at]
    metric = {i for i, p in enumerate(positions) if p > asking_at}
    if not (asks_date and metric):
        metric |= {i for i in before if positions[i] > last_de} if last_de >= 0 else set(before[-2:])
    return tuple(Term(t.words, t.weight, i in metric, positions[i] > asking_at) for i, t in enumerate(terms))


def analyse_question(question: str, lexical: LexicalIndex) -> QuestionIntent:
    """>>> analyse_question("宇通客车2024年卖了多少辆车?", index.lexical)  →  kinds ('count',), unit '辆', years (2024,)"""
    text = normalise_for_matching(question)
    kinds: tuple[str, ...] = ()
    for pattern, rule_kinds in _KIND_RULES:
        if pattern.search(text):
            kinds = rule_kinds
            break
    unit = None
    unit_match = _UNIT_IN_QUESTION.search(text)
    if unit_match:
        word = unit_match.group(1)
        unit = _UNIT_ALIASES.get(word) or canonical_unit(word) or word
        # the unit named says what is asked, as the parser reads that unit (多少亿元: money; 几个月: a duration, but
        # 几月 of a date question is a month; 运价指数均值是多少点: an index level, not a price)
        unit_says = unit_kind(unit)
        if unit_says in ("percentage_points", "money"):
            kinds = (unit_says,)
        elif unit_says == "duration" and "date" not in kinds:
            kinds = ("duration",)
        elif unit == "°" and kinds == ("quantity",):
            unit = "℃"  # 水温多少度
        elif unit_says == "quantity" and kinds and "quantity" not in kinds:
            kinds = ("quantity",)
    noun = _COUNTED_NOUN.search(text)
    asking_at, last_de = _asking_and_last_de(text)
    asked_from = last_de if last_de > 0 else asking_at  # from the last 的 before the question word on, what is asked
    return QuestionIntent(
        text=text,
        kinds=kinds,
        unit=unit,
        years=tuple(int(y) for y in _YEAR.findall(text)),
        relative_years=tuple(offset for word, offset in _RELATIVE_YEARS.items() if word in text),
        terms=_terms(text, lexical, asking_at, last_de, asks_date="date" in kinds),
        counted_noun=noun.group(1) if noun else None,
        # not 多少钱, nor the 台塔 of 多少台塔筒: jieba's tagger takes them for names
        # nor what is asked about, after the last 的 or the question word: jieba tags 长度 as a place
        names=tuple(name for name in lexical.tokenizer.names(text)
                    if not _QUESTION_WORD.match(name) and not re.search(f"(?:多少|几){re.escape(name)}", text)
                    and name not in _SYNONYMS  # words of our glossary: jieba tags 归母 as a person's name
                    and text.find(name) < asked_from),
        year_only=bool(_ASKS_YEAR.search(text)) and not _ASKS_DAY.search(text),
        anchors=tuple(m.text for m in find_numbers(text) if m.kind != "date" or not _YEAR.fullmatch(m.text)),
        metrics=metric_families(text),
        plan_period=bool(_PLAN_PERIOD.search(text)),
        year_parts=frozenset(_year_part(m) for m in _YEAR_PART.finditer(text)),
        asks_amount=bool(_ASKS_AMOUNT.search(text)),
        asks_day=bool(_ASKS_A_DAY.search(text)),
        asks_month=bool(_ASKS_MONTH.search(text)),
        asks_place=bool(_ASKS_PLACE.search(text)),
        asks_unit_price=bool(_ASKS_UNIT_PRICE.search(text)),
        asks_several=bool(_ASKS_SEVERAL.search(text)),
        asks_which=bool(_ASKS_WHICH.search(text)),
    )


# --- candidate features and scoring ----------------------------------------------------------------------------

_SENTENCE_BOUNDARY = re.compile(r"[。！？!?；;\n]")
_CLAUSE_BOUNDARY = re.compile(r"[。！？!?；;\n，,：:、（）()]")


@dataclass(frozen=True)
class Candidate:
    mention: NumberMention
    hit_rank: int  # 1-based rank of the passage among the hits
    features: dict = field(default_factory=dict)
    score: float = 0.0  # linear ranking score z


def _outside_a_gloss(text: str, mention: NumberMention) -> tuple[int, int]:
    """A date alone in brackets glosses the words before it (元和四年（809年）秋): its clause is theirs."""
    if mention.kind == "date" and text[mention.start - 1 : mention.start] in ("（", "(") \
            and text[mention.end : mention.end + 1] in ("）", ")"):
        return mention.start - 1, mention.end + 1
    return mention.start, mention.end


def _bounds(text: str, start: int, end: int, boundary: re.Pattern) -> tuple[int, int]:
    left = max((m.end() for m in boundary.finditer(text, 0, start)), default=0)
    right_match = boundary.search(text, end)
    return left, right_match.start() if right_match else len(text)


def _units_compatible(asked: str, found: str) -> bool:
    if asked == found:
        return True
    return any(asked in group and found in group for group in _COMPATIBLE_UNITS)


# Kinds that never stand in for one another: a percentage is not an amount of money, nor a count of cars.
# Every kind but the bare "number" answers only questions of its own kind: 28日 is not how long a track is, 首台
# not an amount of money, 5个月 not a sum invested.
_DISTINCT_KINDS = frozenset({"percent", "percentage_points", "money", "count", "compute", "speed", "angle", "voltage",
                             "date", "quantity", "duration", "ordinal", "multiple"})


def _in_wan_or_yi(mention: NumberMention) -> bool:
    return bool(re.search("[万亿]", mention.text))


def _without_year(mention: NumberMention) -> bool:
    """A date that names no year (九月, 10月22日): dates sort as yyyymmdd, so these are below 10000."""
    return mention.kind == "date" and mention.value is not None and mention.value < 10000


def _kinds_clash(intent: QuestionIntent, mention: NumberMention) -> bool:
    asked = set(intent.kinds)
    if not asked:
        return intent.asks_amount and mention.kind in ("date", "ordinal")  # 多少 is not 2021年1-9月, nor 第二多
    if mention.kind == "date" and "date" not in asked:
        return True
    if intent.asks_unit_price and _in_wan_or_yi(mention):
        return True  # 目标价 is 4.87港元, not the 1.42亿元 of revenue
    if mention.kind == "date" and intent.asks_day and mention.value is not None and mention.value % 10000 == 0:
        return True  # 哪天 is not answered by 2020年度
    if intent.year_only and _without_year(mention):
        return True  # 哪一年 is not answered by 10月22日
    if mention.kind == "number" and (mention.value is None or "money" in asked and not _in_wan_or_yi(mention)):
        return True  # 7+20 (a name) answers no "how many"; a bare 370.25亿 may be money, 834402 or 两位数 is not
    if _age_as_time(intent, mention):
        return False
    if any((kind, mention.kind) in _KINDS_ALIKE for kind in asked):
        # 三至五年 is not a year, but 475年至477年 is a span of years
        return mention.kind == "duration" and mention.value_high is not None and not (
            "date" in asked and mention.unit == "年" and mention.value >= 100)
    return asked <= _DISTINCT_KINDS and mention.kind in _DISTINCT_KINDS and mention.kind not in asked


def _age_as_time(intent: QuestionIntent, mention: NumberMention) -> bool:
    """什么时候 may be answered by an age (满15岁举办笄礼); 哪一年 and 哪天 may not."""
    return "date" in intent.kinds and mention.unit == "岁" and not intent.year_only and not intent.asks_month


def _units_agree(intent: QuestionIntent, mention: NumberMention, counts_the_noun: bool) -> bool:
    """counts_the_noun: what the question counts follows the number (the counted_noun feature)."""
    if intent.unit is not None and mention.kind == "number" and not mention.unit:
        # 多少辆 is not answered by a bare 000572 (a stock code) or 2020; 多少人口 is by 8.57万, 多少颗犬齿 by 2至4犬齿
        return "count" in intent.kinds and (_in_wan_or_yi(mention) or counts_the_noun)
    if intent.unit is None or not mention.unit or mention.kind == "date":
        return True
    # 七大 (seven major …) may count 个, not 人
    return _units_compatible(intent.unit, mention.unit) or (intent.unit == "个" and mention.unit in ("大", "多")) \
        or _heads_the_counted_noun(intent, mention.unit)


def _heads_the_counted_noun(intent: QuestionIntent, unit: str) -> bool:
    """多少个球队 is answered by 13队, 几条线 by 8线: the unit is the last character of what is counted."""
    return bool(unit and intent.unit and re.search(
        f"(?:多少|几){re.escape(intent.unit)}[\u4e00-\u9fff]{{0,2}}{re.escape(unit)}", intent.text))


def _kind_fit(intent: QuestionIntent, mention: NumberMention) -> float:
    """1 for the preferred kind, less for another accepted or a plausible stand-in, 0 for a mismatch."""
    if intent.kinds:
        if mention.kind == intent.kinds[0]:
            return 1.0
        if mention.kind in intent.kinds:
            return 0.75
        return 0.5 if any((k, mention.kind) in _KINDS_ALIKE for k in intent.kinds) or _age_as_time(intent, mention) \
            else 0.0
    if intent.asks_which:  # 哪条线路 is answered by 10号, rarely by a count
        return 0.7 if mention.kind == "ordinal" else 0.0 if mention.kind == "date" else 0.3
    if mention.kind in ("date", "ordinal"):
        return 0.0
    return 0.7 if mention.kind in _ANY_QUANTITY else 0.3


def _coverage(terms: tuple[Term, ...], text: str) -> float:
    """Share of the question's word weight found in text."""
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if t.found_in(text)) / total if total else 0.0


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


def _aligned(terms: tuple[Term, ...], text: str, left: int, right: int, start: int, end: int) -> float:
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


def _word_order(terms: tuple[Term, ...], text: str, left: int, right: int, start: int, end: int) -> float:
    """Weighted share of question words on the same side of the number as of the question word.

    《战栗游戏》在哪一年出版 ↔ 《战栗游戏》于1987年出版: the title before, 出版 after, in both.
    """
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    on_side = sum(t.weight for t in terms
                  if any((w in text[end:right]) if t.after_asking else (w in text[left:start]) for w in t.words))
    return on_side / total


# A year that is the base of a comparison (与2019年相比, 比2019年增长) is not the year of the figures beside it.
_COMPARED_WITH = re.compile(r"(?:[与较比]|相比|对比)\s*$")


def _figure_years(text: str) -> list[int]:
    """The years text gives its figures, in order, leaving out bases of comparison."""
    return [int(m.group(1)) for m in _YEAR.finditer(text)
            if not _COMPARED_WITH.search(text, max(0, m.start() - 4), m.start())]


def _year_parts_clash(intent: QuestionIntent, asked_years: set[int], before: str) -> bool:
    """The part of the year the figure covers (the last one named before it in its clause) is not the one asked:
    第四财季的销售额 for 2020财年销售额, 第二季度 for 第一季度."""
    parts = [_year_part(m) for m in _YEAR_PART.finditer(before)]
    if not parts:
        return False
    asked = intent.year_parts - {"FY"}
    if asked:
        return parts[-1] not in asked
    return parts[-1] != "FY" and bool(asked_years or intent.year_parts)


_ITEM_SEPARATOR = re.compile(r"[、和及与]")
_LIST_GAP = re.compile(r"[、和及与，,\s]{1,2}")


def _respectively(terms: tuple[Term, ...], text: str, mention: NumberMention,
                  mentions: list[NumberMention]) -> float:
    """In 高技术制造业、装备制造业增加值分别增长18.2%、12.9%, the i-th number goes with the i-th item: 1 when the
    question's words are in this number's item, -1 when only in another one's, 0 without such a list.
    `mentions` are all the numbers of the passage, in order."""
    left, right = _bounds(text, mention.start, mention.end, _SENTENCE_BOUNDARY)
    at = text.rfind("分别", left, mention.start)
    if at < 0:
        return 0.0
    numbers = []
    for found in (m for m in mentions if at + 2 <= m.start and m.end <= right):
        if numbers and not _LIST_GAP.fullmatch(text[numbers[-1].end : found.start]):
            break
        numbers.append(found)
    index = next((i for i, found in enumerate(numbers) if found.start == mention.start), None)
    clause_start = max(text.rfind("，", left, at), text.rfind(",", left, at), left - 1) + 1
    items = _ITEM_SEPARATOR.split(text[clause_start:at])
    if index is None or len(items) != len(numbers):
        return 0.0
    # the item that holds the most of the question (装备制造业 over 制造业 alone)
    weights = [sum(t.weight for t in terms if t.found_in(item)) for item in items]
    best = {i for i, weight in enumerate(weights) if weight == max(weights)}
    if not max(weights) or len(best) == len(items):
        return 0.0
    return 1.0 if index in best else -1.0


def _shared_characters(terms: tuple[Term, ...], window: str) -> float:
    """Weighted share of each word's characters found in window: 退居幕后 ~ 退出幕前, 再次参选 ~ 再度参选."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    return sum(t.weight * sum(c in window for c in set(t.words[0])) / len(set(t.words[0])) for t in terms) / total


def _anchor_proximity(anchors: tuple[str, ...], text: str, left: int, right: int, start: int, end: int) -> float:
    """1 next to a number the question gives (它增长8.4%是哪段时间 → 2025年1-5月…增长8.4%), decaying with distance."""
    best = math.inf
    for anchor in anchors:
        for match in re.finditer(re.escape(anchor), text[left:right]):
            at = left + match.start()
            if at == start:
                continue
            best = min(best, start - (at + len(anchor)) if at < start else at - end)
    return 0.0 if math.isinf(best) else math.exp(-max(best, 0) / 10.0)


def _label_fit(intent: QuestionIntent, label: str, lexical: LexicalIndex) -> tuple[float, float]:
    """How well the words right before a number (its label: 规上工业增加值921亿元) match the question.

    Precision: the label's word weight that the question also uses; recall: the question's word weight found in
    the label. A label full of words the question never mentions (产值 for a question about 增加值) is a bad sign.
    """
    words = [w for w in lexical.tokenizer.tokens(label) if not w.replace(".", "").isdigit()]
    longest = [w for w in words if not any(w != other and w in other for other in words)]
    if not longest:
        return 0.0, 0.0
    asked = [w for term in intent.terms for w in term.words]
    weights = [lexical.idf(w) for w in longest]
    matched = sum(wt for w, wt in zip(longest, weights) if any(w in a or a in w for a in asked))
    precision = matched / sum(weights)
    return precision, _coverage(intent.terms, label)


def _gap(start: int, end: int, other_start: int, other_end: int) -> int:
    return max(other_start - end, start - other_end, 0)


def _nearest(terms: tuple[Term, ...], text: str, mention: NumberMention,
             rivals: list[NumberMention]) -> dict[str, float]:
    """Weighted share of the question's (metric) words in the mention's sentence that no rival number is closer to.

    美国特勤局成立于什么时候 ↔ 2003年3月1日之前…。1865年成立…1901年: 成立 is next to 1865年. Rivals are the other
    numbers of the passage that could answer the question.
    """
    left, right = _bounds(text, mention.start, mention.end, _SENTENCE_BOUNDARY)
    owned = {True: 0.0, False: 0.0}
    total = {True: 0.0, False: 0.0}
    for term in terms:
        spans = [(m.start(), m.end()) for word in term.words for m in re.finditer(re.escape(word), text[left:right])]
        if not spans:
            continue
        spans = [(left + a, left + b) for a, b in spans]
        mine = min(_gap(mention.start, mention.end, a, b) for a, b in spans)
        theirs = min((_gap(r.start, r.end, a, b) for r in rivals if r is not mention for a, b in spans),
                     default=math.inf)
        for metric_only in (True, False):
            if term.metric or not metric_only:
                total[metric_only] += term.weight
                owned[metric_only] += term.weight if mine <= theirs else 0.0
    return {"nearest_metric": owned[True] / total[True] if total[True] else 0.0,
            "nearest_terms": owned[False] / total[False] if total[False] else 0.0}


@dataclass(frozen=True)
class MatchingText:
    """A passage as the features read it, normalised once for all its numbers."""

    text: str  # normalise_aligned(passage.text): same length, so mention offsets index it
    with_title: str  # the title too, for "is it mentioned anywhere in the passage"

    @classmethod
    def of(cls, passage: Passage) -> "MatchingText":
        text = normalise_aligned(passage.text)
        return cls(text, normalise_for_matching(passage.title) + "\n" + text)


def candidate_features(intent: QuestionIntent, passage: Passage, matching: MatchingText, mention: NumberMention,
                       hit: Hit, hit_rank: int, lexical: LexicalIndex, previous_end: int = 0) -> dict:
    text, passage_text = matching.text, matching.with_title
    sentence = _bounds(text, mention.start, mention.end, _SENTENCE_BOUNDARY)
    clause = _bounds(text, *_outside_a_gloss(text, mention), _CLAUSE_BOUNDARY)
    left_start = _bounds(text, clause[0] - 1, clause[0] - 1, _CLAUSE_BOUNDARY)[0] if clause[0] > 0 else clause[0]
    right_end = _bounds(text, clause[1] + 1, clause[1] + 1, _CLAUSE_BOUNDARY)[1] if clause[1] < len(text) else clause[1]
    sentence_text = text[sentence[0] : sentence[1]]

    asked_years = intent.years_for(passage.date)
    sentence_years = set(_figure_years(sentence_text))
    if not sentence_years:  # a sentence without a year inherits the closest earlier one in the passage
        sentence_years = set(_figure_years(text[: sentence[0]])[-1:])
    if _PREVIOUS_YEAR_FIGURE.search(text[clause[0] : mention.start]) and not _PREVIOUS_YEAR.search(intent.text):
        sentence_years = {year - 1 for year in sentence_years}  # 净利润-748.9万，上年同期为1271.9万元: 2019's
    if _PLAN_PERIOD.search(sentence_text):
        time_fit = 1.0 if intent.plan_period else -1.0 if asked_years else 0.0
    elif asked_years and sentence_years:
        time_fit = 1.0 if asked_years & sentence_years else -1.0
    else:
        time_fit = 0.0
    if _year_parts_clash(intent, asked_years, text[clause[0] : mention.start]):
        time_fit = -1.0
    unit_fit = 0.5 if intent.unit is None else 1.0 if _units_compatible(intent.unit, mention.unit) \
        or _heads_the_counted_noun(intent, mention.unit) else 0.0
    metric_distance = _distance(intent.terms, text, sentence[0], mention.start, metric_only=True)
    term_distance = _distance(intent.terms, text, sentence[0], mention.start, metric_only=False)
    after = text[mention.end : mention.end + 6]
    label = text[max(clause[0], previous_end) : mention.start]
    label_precision, label_recall = _label_fit(intent, label, lexical)
    # a figure without its own metric word continues the clause before it: 产值495.2亿元,增长75.5% is output growth
    label_metrics = metric_families(label) or metric_families(text[max(left_start, sentence[0]) : clause[0]])
    metric_clash = bool(intent.metrics and label_metrics and not intent.metrics & label_metrics)
    missing = [t.weight for t in intent.terms if not t.found_in(passage_text)]
    subject = tuple(t for t in intent.terms if not t.metric)
    metric = tuple(t for t in intent.terms if t.metric)
    key_metric = max(metric, key=lambda t: t.weight, default=None)
    return {
        "subject_in_sentence": _coverage(subject, sentence_text),
        "subject_in_passage": _coverage(subject, passage_text),
        "metric_in_clause": _coverage(metric, text[left_start : clause[1]]),
        "metric_characters": _shared_characters(metric, text[left_start:right_end]),
        "key_metric_in_sentence": 1.0 if key_metric is None or key_metric.found_in(sentence_text) else 0.0,
        "label_precision": label_precision,
        "label_recall": label_recall,
        "missing_rare_term": max(missing, default=0.0) / max((t.weight for t in intent.terms), default=1.0),
        "kind": _kind_fit(intent, mention),
        "unit": unit_fit,
        "clause_terms": _coverage(intent.terms, text[clause[0] : clause[1]]),
        "previous_clause_terms": _coverage(intent.terms, text[left_start : clause[0]]),
        "next_clause_terms": _coverage(intent.terms, text[clause[1] : right_end]),
        "sentence_terms": _coverage(intent.terms, sentence_text),
        "passage_terms": _coverage(intent.terms, passage_text),
        "metric_proximity": 0.0 if math.isinf(metric_distance) else math.exp(-metric_distance / 8.0),
        "term_proximity": 0.0 if math.isinf(term_distance) else math.exp(-term_distance / 8.0),
        "aligned_terms": _aligned(intent.terms, text, sentence[0], sentence[1], mention.start, mention.end),
        "word_order": _word_order(intent.terms, text, sentence[0], sentence[1], mention.start, mention.end),
        "anchor_proximity": _anchor_proximity(intent.anchors, text, sentence[0], sentence[1], mention.start,
                                              mention.end),
        "counted_noun": 1.0 if intent.counted_noun and intent.counted_noun in after else 0.0,
        # 什么时候 is answered by 814年 rather than the 九月 after it; 几月 is not
        "yearless_date": 1.0 if "date" in intent.kinds and not intent.asks_month and _without_year(mention) else 0.0,
        # 1953年，他成立了国会: a date leading its sentence is when the rest of the sentence happened
        "leading_date": _coverage(metric, text[clause[1] : sentence[1]]) if mention.kind == "date"
        and _LEADING.fullmatch(text[sentence[0] : mention.start]) and _LEADING_TAIL.fullmatch(
            text[mention.end : clause[1]]) else 0.0,
        "street_number": 1.0 if intent.asks_place and mention.unit == "号" and _STREET.search(text[: mention.start])
        else 0.0,
        "time": time_fit,
        "metric_clash": metric_clash,  # a filter, not a ranking feature: rank_candidates takes it out
        "in_question": 1.0 if normalise_for_matching(mention.text) in intent.text else 0.0,
        "passage_rank": 1.0 / hit_rank,
        "passage_score": hit.score,
    }


# Ranking weights over the features above and the calibration of the best candidate's score, fitted by
# benchmarks/fit_answer_weights.py: listwise logistic ranking on half of CMRC 2018 dev (numeric subset) plus our
# seed and news_dev* questions (news, weighted ×5), then P(right) = sigmoid(a·z + c·(z - z_second) + b). Because
# those are in the fit, their figures are training figures; the script prints the 2-fold cross-validated ones, and
# tests/data/news_test*.jsonl are never fitted on (README "Measured quality").
WEIGHTS = {
    "subject_in_sentence": -0.20,
    "subject_in_passage": 1.18,
    "metric_in_clause": 0.74,
    "metric_characters": 1.72,
    "key_metric_in_sentence": -0.81,
    "label_precision": 3.67,
    "label_recall": -3.22,
    "missing_rare_term": -0.69,
    "kind": 4.02,
    "unit": 1.77,
    "clause_terms": 1.14,
    "previous_clause_terms": 0.11,
    "next_clause_terms": -1.65,
    "sentence_terms": 3.30,
    "passage_terms": 2.04,
    "metric_proximity": 0.93,
    "term_proximity": -2.14,
    "aligned_terms": 2.86,
    "word_order": 3.98,
    "anchor_proximity": 0.28,
    "counted_noun": 1.43,
    "yearless_date": -2.15,
    "leading_date": 2.89,
    "street_number": 2.78,
    "time": 0.47,
    "in_question": -2.24,
    "passage_rank": 2.14,
    "passage_score": 2.18,
    "nearest_metric": 0.45,
    "nearest_terms": 0.18,
    "respectively": 2.33,
}
# P(right) = sigmoid(bias + score·z + lead·(z - z_second) + Σ weight·feature of the best candidate): the features
# also say whether the passages can answer at all (question words missing, another kind of number), which a
# ranking score alone, fitted to compare candidates of one question, does not.
CALIBRATION = {
    "bias": -10.355,
    "score": 0.357,
    "lead": 0.211,
    "subject_in_passage": 0.164,
    "metric_in_clause": -0.828,
    "key_metric_in_sentence": 0.349,
    "missing_rare_term": 1.027,
    "time": -0.302,
    "kind": -0.232,
    "label_recall": 0.306,
    "passage_terms": 3.878,
}


def rank_score(features: dict) -> float:
    """The candidate's linear ranking score z (higher is better); only differences between candidates matter."""
    return sum(WEIGHTS[name] * value for name, value in features.items())


def calibrated(best: "Candidate", lead: float) -> float:
    """Probability that the best candidate is right, from its score, its lead over the runner-up and its features."""
    x = CALIBRATION["bias"] + CALIBRATION["score"] * best.score + CALIBRATION["lead"] * lead
    x += sum(CALIBRATION.get(name, 0.0) * value for name, value in best.features.items())
    return 1.0 / (1.0 + math.exp(-x))


# --- the result ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    start: int  # offsets into the passage text
    end: int
    text: str
    value: float | None
    unit: str
    kind: str
    answer: bool = False

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "answer": self.answer,
                "value": self.value, "unit": self.unit, "kind": self.kind}


@dataclass(frozen=True)
class Answer:
    # the figure as written; for a question asking several (分别, 哪两条) the figures listed together
    # (1.07万辆、1.43万辆), every one of them marked in the highlights, with value, unit and kind those of the first
    # (a bare first figure takes the unit it shares with the rest: 6.5万、8.5万人次)
    text: str
    value: float | None
    unit: str
    kind: str
    passage_rank: int  # 1-based index into Result.passages
    start: int  # offsets into Result.passages[passage_rank - 1].text
    end: int
    score: float

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit, "passage_rank": self.passage_rank,
                "start": self.start, "end": self.end, "score": self.score}


@dataclass(frozen=True)
class RankedPassage:
    rank: int
    passage: Passage
    score: float
    highlights: tuple[Highlight, ...]

    def to_dict(self) -> dict:
        p = self.passage
        return {"rank": self.rank, "doc_id": p.doc_id, "title": p.title, "date": p.date, "paragraph": p.paragraph,
                "passage_id": p.id, "text": p.text, "score": self.score,
                "highlights": [h.to_dict() for h in self.highlights]}


@dataclass(frozen=True)
class Result:
    question: str
    answer: Answer | None
    passages: tuple[RankedPassage, ...]

    def to_dict(self) -> dict:
        return {"question": self.question, "answer": self.answer.to_dict() if self.answer else None,
                "passages": [p.to_dict() for p in self.passages]}


def rank_candidates(intent: QuestionIntent, hits: list[Hit], mentions: list[list[NumberMention]],
                    lexical: LexicalIndex) -> list[Candidate]:
    """Every number in the given hits, scored, best first.

    Some numbers cannot answer the question and are not candidates: one whose sentence is about other years
    than the question asks (2025年… for a question about 2023年) or whose clause about another part of the year
    (第四财季 for 2020财年), one of another kind than the question asks
    for (a percentage for 多少亿元), one with a unit that does not count what is asked (公里 for 多少辆), one
    labelled with another business metric (营收 for 赚了多少). Nor is any number of a passage that does not
    mention everyone and everything the question names.
    """
    candidates = []
    for rank, (hit, passage_mentions) in enumerate(zip(hits, mentions), start=1):
        passage_matching = MatchingText.of(hit.passage)
        if not all(name in passage_matching.with_title for name in intent.names):
            continue  # the question is about someone or something this passage does not mention
        previous_end = 0
        kept = []
        for mention in passage_mentions:
            features = candidate_features(intent, hit.passage, passage_matching, mention, hit, rank, lexical,
                                          previous_end)
            previous_end = mention.end
            if features.pop("metric_clash") or features["time"] < 0 or _kinds_clash(intent, mention) \
                    or not _units_agree(intent, mention, features["counted_noun"] > 0):
                continue
            kept.append((mention, features))
        for mention, features in kept:
            features.update(_nearest(intent.terms, passage_matching.text, mention, [m for m, _ in kept]))
            features["respectively"] = _respectively(intent.terms, passage_matching.text, mention, passage_mentions)
            candidates.append(Candidate(mention, rank, features, rank_score(features)))
    candidates.sort(key=lambda c: (-c.score, c.hit_rank, c.mention.start))
    return candidates


# Between two figures listed together: 6.5万、8.5万人次; 1753年和1762年; 8号线与10号线 (the noun of the first, then 与)
_COORDINATION = re.compile(rf"[\u4e00-\u9fff]?{_ITEM_SEPARATOR.pattern}")


def _listed_with(best: NumberMention, passage_mentions: list[NumberMention], text: str) -> list[NumberMention]:
    """The figures listed together with best, in order, best among them."""
    def listed(left: NumberMention, right: NumberMention) -> bool:
        # of one kind, or bare before the unit they share (6.5万、8.5万人次)
        alike = left.kind == right.kind or left.kind == "number" and not left.unit
        return alike and bool(_COORDINATION.fullmatch(text[left.end : right.start]))

    at = passage_mentions.index(best)
    first = last = at
    while first > 0 and listed(passage_mentions[first - 1], passage_mentions[first]):
        first -= 1
    while last + 1 < len(passage_mentions) and listed(passage_mentions[last], passage_mentions[last + 1]):
        last += 1
    return passage_mentions[first : last + 1]


def answer_question(question: str, intent: QuestionIntent, hits: list[Hit], top_k: int,
                    lexical: LexicalIndex) -> Result:
    """Choose the answer among the numbers of the best hits; the passage holding it is returned first."""
    pool = hits[: max(top_k, ANSWER_DEPTH)]
    mentions = [find_numbers(hit.passage.text) for hit in pool]
    candidates = rank_candidates(intent, pool, mentions, lexical)
    best, confidence = None, 0.0
    if candidates:
        runner_up = candidates[1].score if len(candidates) > 1 else candidates[0].score - 5.0
        confidence = calibrated(candidates[0], candidates[0].score - runner_up)
        best = candidates[0] if confidence >= ANSWER_THRESHOLD else None

    parts = []  # the answer's figures: best alone, or the figures listed with it when several are asked for
    order = list(range(len(pool)))
    if best is not None:
        parts = [best.mention]
        if intent.asks_several:
            parts = _listed_with(best.mention, mentions[best.hit_rank - 1], pool[best.hit_rank - 1].passage.text)
        order.remove(best.hit_rank - 1)
        # the answer's passage goes first when the question asks for a number; to 为什么/是什么 questions a number is
        # a side note, and its passage keeps its place (but is shown)
        asks_number = bool(intent.kinds) or intent.asks_amount
        order.insert(0 if asks_number else min(best.hit_rank, top_k) - 1, best.hit_rank - 1)
    ranked = []
    for rank, position in enumerate(order[:top_k], start=1):
        hit = pool[position]
        highlights = tuple(
            Highlight(m.start, m.end, m.text, m.value, m.unit, m.kind,
                      answer=best is not None and position == best.hit_rank - 1 and m in parts)
            for m in mentions[position]
        )
        ranked.append(RankedPassage(rank, hit.passage, hit.score, highlights))
    answer = None
    if best is not None:
        m, end = parts[0], parts[-1].end
        if len(parts) == 1 and intent.year_only and m.kind == "date" and 0 < m.text.find("年") < len(m.text) - 1:
            end = m.start + m.text.index("年") + 1
        text = pool[best.hit_rank - 1].passage.text[m.start : end]
        shared = bool(m.unit) or m is best.mention  # a bare first figure has the unit of the list (6.5万、8.5万人次)
        unit, kind = (m.unit, m.kind) if shared else (best.mention.unit, best.mention.kind)
        answer = Answer(text, m.value, unit, kind, order.index(best.hit_rank - 1) + 1, m.start, end,
                        round(confidence, 4))
    return Result(question, answer, tuple(ranked))
