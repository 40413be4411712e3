"""Every word table and pattern the reader uses, each with why it exists.

Units, measure words and their kinds come from the number parser's own unit table (`qa.numbers`): a unit the
parser learns is a unit questions may name. What is here is what only a reader of questions needs: how questions
ask (多少, 哪一年, 分别), what business metrics are called, which everyday words mean which news words.
Patterns run on text normalised for matching (NFKC, simplified script).
"""
from __future__ import annotations

import re

from ..numbers import COUNT_WORDS, unit_surfaces

# --- units and measure words, from the parser's unit table -----------------------------------------------------

# Units of measure (公里, 吨, 岁, 点 …) a question may name after 多少/几, longest first so 平方公里 wins over 公里.
# Not 度 alone (多少度 is an angle or a temperature; the kind rules decide) nor 级 (几级 asks a grade).
QUANTITY_UNITS = "|".join(re.escape(s) for s in unit_surfaces("quantity", cjk_only=True) if s not in ("度", "级"))
# Words a question counts in: the parser's measure words of counts (几列, 多少面; not 多少面积), and some it does not
# read as a count's unit (几季, 几门, 几分).
MEASURE_WORDS = COUNT_WORDS + "|季|门|块|口|双|封|声|分"
MEASURE_WORD = re.compile(MEASURE_WORDS)
# A measure word jieba glues to the counted noun (辆车, 个国家): the question is about 车, 国家. The parser's pattern
# keeps 人口 whole (人 is no measure word before 口).
GLUED_MEASURE_WORD = re.compile(rf"^(?:{COUNT_WORDS})(?=.)")

# The unit a question names right after 多少/几 (多少亿元, 几个月, 多少度), read as find_numbers would report it.
UNIT_IN_QUESTION = re.compile(r"(?:多少|(?<![那这])几)(个基点|基点|个百分点|亿元|万元|元|分钟|小时|秒钟|秒|天|年|个月|月|伏|度|倍"
                              rf"|{QUANTITY_UNITS}|{MEASURE_WORDS})")
# Where the question's word is not the parser's unit word: 亿元 is money in 元; 多少度 asks an angle (° ), unless
# the kind rules make it a temperature.
UNIT_ALIASES = {"亿元": "元", "万元": "元", "度": "°"}
# Measure words that count the same things: 卖了多少台 is answered by 6.5万辆, 死了多少人 by 死亡119103例.
COMPATIBLE_UNITS = [{"辆", "台", "部"}, {"个", "家", "座", "项", "所"}, {"家", "间"}, {"人", "名", "位", "人次", "例"},
                    {"公里", "米", "厘米", "毫米", "海里", "英里", "英尺", "英寸"}, {"吨", "公斤", "克", "斤"},
                    {"平方公里", "平方米", "公顷", "亩"}]

# --- what kind of number a question asks for -------------------------------------------------------------------

# Verbs of a change a question asks the size of (涨了多少, 下降几个百分点).
CHANGE_VERBS = "增长|上涨|涨|下降|降|下滑|下跌|回落|上升|攀升|提升|提高|减少|增加|跌"
# A fund's share class (A份额, C类份额) or its units (基金份额): a name or a count, not a market share (neither
# asks for a percentage nor is the metric 份额).
SHARE_CLASS = re.compile(r"(?:[A-Za-zＡ-Ｚａ-ｚ]类?|基金)份额")
# (pattern on the normalised question, kinds accepted in order of preference). First match wins; the unit named
# in the question may override it (question.asked_kinds).
KIND_RULES: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"基点"), ("basis_points", "percentage_points")),  # not "BP" in a question: the oil company
    (re.compile(r"百分点|(增速|增幅|增长率|涨幅|比重|占比).{0,8}(比|较|与|和).{0,10}(高|低|快|慢|多|少)"
                r"|(高出|低于|高于|快于|慢于).{0,12}(多少|几)"), ("percentage_points", "percent")),
    (re.compile(r"哪一?天|哪一?日|何时|什么时候|啥时候|什么时间|哪个时间|几月(?!份?[里内])|哪个月|什么日期|哪一?年|几几年|(?<!\d)日期"
                r"|(?<![长多段])时间|什么时期|哪个时期|哪段时期|哪些年|哪几年|何年|什么年份|哪个年份|年份|什么年代|哪个年代"),
     ("date",)),
    (re.compile(r"多少伏|电压|伏特"), ("voltage",)),
    (re.compile(r"[水气体室油]温|温度|[高低]温|摄氏|华氏"), ("quantity",)),  # 水温多少度 is a temperature, not an angle
    (re.compile(r"多少度|角度|倾斜|倾角"), ("angle",)),
    # 增长速度, 以多快的速度上涨 ask a growth rate
    (re.compile(rf"车速|(?<![增长展])速度(?!.{{0,3}}(?:{CHANGE_VERBS}))|时速|跑多快|码数"), ("speed",)),
    (re.compile(r"第几|排第|排名|几号|第多少|名次|排(?:在|行)?(?:多少|几)"), ("ordinal",)),
    (re.compile(r"几倍|多少倍|翻了几"), ("multiple",)),
    # a change, mostly in percent; but 人效提升 by 翻倍, a rate by points (产能利用率提高3.0个百分点), and a price
    # or an index by an amount (原油期货上涨1.64美元). Only when nothing follows 多少: 增加多少补贴 asks an amount.
    # a yield or a rate moves by points: 两年期美债收益率累计涨了多少 is answered by 累涨14.76个基点
    (re.compile(rf"(?:收益率|利率|利差).{{0,12}}(?:{CHANGE_VERBS})了?(?:多少|几)(?=[？?呢啊吗。]|$)"),
     ("basis_points", "percentage_points", "percent")),
    (re.compile(r"(价|期货|指数|汇率).{0,12}(增长|上涨|涨|下降|降|下滑|下跌|回落|上升|攀升|跌)了?(多少|几)(?=[？?呢啊吗。]|$)"),
     ("percent", "money", "quantity", "percentage_points")),
    (re.compile(rf"(?:{CHANGE_VERBS})了?(多少|几)(?=[？?呢啊吗。]|$)"),
     ("percent", "percentage_points", "multiple")),
    # an explicit ask for money comes first: 收购9.78%合伙份额花了多少钱 asks an amount, not a share
    (re.compile(r"多少钱|多少元|(?:赚|亏|花)了?(?:多少|几)"), ("money",)),
    (re.compile(r"百分之(?:几|多少)|百分比|占比|比重|份额|相当于.{0,30}(?:多少|几)|市占率|占有率|增速|增长速度|增幅|增长率|涨幅|降幅|跌幅|同比|环比|有多快|多快|溢价|折价"
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
    (re.compile(r"[亿万]元|营收|收入|产值|销售额|营业额|利润|金额|市值|总额|投资额|GDP|生产总值|进出口总值|出口总值|进口总值|增加值|产业规模|集群.{0,6}规模|规模.{0,4}万亿"
                r"|(?<![竞评])价|成本|费用|收费|工资|薪|奖金|投资了?多少|资本|资产|(?<=[\u4e00-\u9fff])(?<![份名])额|作价|募资|募集|融资|收益|补贴|补助|奖励"
                r"|(?:管理|资产|基金|融资|募资|市场|交易)规模|盈利|亏损|毛利|现金流"),
     ("money",)),
    (re.compile(rf"(?:多少|几)(?:{QUANTITY_UNITS})"), ("quantity",)),
    (re.compile(rf"(?:多少|几)(?:{MEASURE_WORDS})|几大|人口|人数|员工|销量|卖|销售|出口|交付|订单"), ("count",)),
    # a volume handled or made (业务量, 吞吐量, 发电量) is counted or measured, never an amount of money
    (re.compile(r"(?:业务|快递|货运|吞吐|发电|用电|出货|成交|产|装机)量"), ("count", "quantity")),
]
# What 多少 accepts when no rule says which kind: the amounts, not dates or ranks.
ANY_QUANTITY = ("count", "money", "quantity", "compute", "number", "percent", "multiple", "duration")
# (asked, found) pairs that may stand in for each other: 光海君七年 and 965年 read as durations but answer 哪一年.
KINDS_ALIKE = {("count", "number"), ("quantity", "number"), ("money", "number"), ("date", "duration")}
# Kinds that never stand in for one another: a percentage is not an amount of money, nor a count of cars. Every
# kind but the bare "number" answers only questions of its own kind: 28日 is not how long a track is.
DISTINCT_KINDS = frozenset({"percent", "percentage_points", "basis_points", "money", "count", "compute", "speed", "angle", "voltage",
                            "date", "quantity", "duration", "ordinal", "multiple"})

# --- how a question asks ---------------------------------------------------------------------------------------

# The question word itself (哪一年, 几岁, 什么时候, 多少钱, 为什么, 第几): the answer's text never repeats it; nor the
# 年 of 2024年; and jieba's leftovers glued to a copula (王是, 历是, 是从) are no words of the question.
QUESTION_WORD = re.compile(r"哪|几(?!乎)|多少|什么|啥|多[大久长高快远重深宽]|何[时年地]|为什么|谁|如何|怎|第几"
                           r"|(?:年|月|日|号|天)$|.+[是在]$|是[从在由]$")
# Words that say nothing about what is asked: filler, pronouns, and relative years (read as years instead).
QUESTION_NOISE = frozenset("多少 几 百分之 百分 多大 多快 多久 多高 多长 什么 哪 哪些 是 有 了 的 呢 吗 啊 呀 请问 一共 总共 大概 可 "
                           "去年 今年 前年 明年 上一年 本年 时候 啥时候 什么时候 这个 那个 这些 那些 这边 那边 这里 那里".split())
# Words that link a subject to its figure without saying what is measured (需求将达到多少: the metric is 需求).
LINKING_WORDS = frozenset("将 会 要 能 将会 能够 可以 达到 达 为 约 大约 已 已经 还 又 都".split())
# Where the question word is: the words after it (哪一年**出版**) and before it play different parts.
ASKING = re.compile(r"多少|几|多大|多快|多久|多高|多长|什么|哪|何时|啥")
# 多少/几 ask an amount, never a date or a rank (but 几月, 第几 do not).
ASKS_AMOUNT = re.compile(r"(?<![第几])(?:多少|几)(?![月日号点几])")
# 哪一年 is answered by the year of a full date.
ASKS_YEAR = re.compile(r"哪一?年|几几年|什么年份|哪个年份|何年")
# …unless the question also wants the day (哪一年几月).
ASKS_DAY = re.compile(r"几月|哪个月|哪一?天|哪一?日|(?<!\d)日期|什么时候")  # not 1月10日期间
# A day asked for: a year alone does not answer (not 什么时候: a year may do).
ASKS_A_DAY = re.compile(r"哪一?天|哪一?日|几月几[日号]|什么日期")
# A month asked for: a month without its year may answer.
ASKS_MONTH = re.compile(r"几月|哪个?月|哪一?天|哪一?日|几号|(?<!\d)日期")
# Question words that ask for a number whatever else the question says (多少, 哪一年, 什么水平) …
ASKS_FOR_A_NUMBER = re.compile(r"多少|几(?!乎)|多[大高快久长远重深宽]|哪一?年|哪一?天|何时|什么时候|几月|哪个月|第几"
                               r"|什么(?:水平|规模|价位|价格|数额|比例|时间|日期|年份|数值|量级|时期|期间|年代|世纪|阶段|级别|名次)"
                               r"|哪些年|哪个世纪|哪一?级|哪一?届")
# … and those that ask for something else: a reason, a way, a list, a person, a description (是什么). 什么 still asks for
# a number when what it asks about is a figure (目标价是什么, 增速是什么).
ASKS_FOR_OTHER = re.compile(r"为什么|为何|原因|哪些|谁|如何|怎样|怎么|是否|什么")
# 哪家, 哪个, 哪里 ask for a name or a place, unless the question says the kind of number it wants (哪一年, 哪条线路 of
# a metro, answered by 10号线, keep their kinds).
ASKS_FOR_A_NAME = re.compile(r"哪(?:家|个|位|[一二三四五六七八九两几]?大|里|儿|座|所|款|种)")
WHAT_IS_ASKED = re.compile(r"([^的，,]{1,8})(?:是|为|叫|有)?什么")
# One thing by its name (哪条线路 → 10号线, 哪个公司 → 第二公学校), rather than a count.
ASKS_WHICH = re.compile(r"哪[一两二三四五几]?(?:个|条|座|家|所|部|届|位|支|只|款|种|艘|架|辆|台|号|间|路|级)")
# A place asked for: a street number (大道4800号) may answer.
ASKS_PLACE = re.compile(r"哪里|哪儿|在哪|什么地方|何处|何地|地址|地点|位置|位于哪")
# The price asked for, not one named on the way (稳定股价方案中…增持金额是多少); 成交价 of land is a total.
ASKS_UNIT_PRICE = re.compile(r"(?:每股|股价|(?:目标|发行|要约|回购|收盘|开盘|结算)价格?|收报|收在|收于|报收)[^，,。；]{0,4}"
                             r"(?:多少|几)")
# Several figures asked for at once: the figures listed together answer.
ASKS_SEVERAL = re.compile(r"分别|各自|各(?:是|为|有|达)?(?:多少|几)|哪[两二三四五几](?!年)|、[^，,。？?]{0,15}(?:多少|几)")
# A change asked for (增长了多少, 降了几个百分点, 涨幅是多少): the answer says which way the figure went (下降3.4%).
# 多了多少 / 少了多少 said for 增加了多少 / 减少了多少 (公募基金多了多少只: 大增1763只), not 差了多少.
SAID_AS_MORE_OR_LESS = re.compile(r"(?<![差])([多少])了(?=多少|几)")
ASKS_CHANGE = re.compile(rf"(?:{CHANGE_VERBS}|变化|变动|加息|降息|上调|下调)了?(?:多少|几)"
                         r"|(?:涨幅|降幅|跌幅|增幅|增速|增长率|变化|变动)[是为有]?(?:多少|几|多大)")
# A level asked with 为/是多少 at the end (经季调后为多少): unless the question says a change (a verb of one, or a
# rate of one: 增速预计是多少), a change cannot answer.
ASKS_A_LEVEL = re.compile(r"(?:为|是)多少[？?]?$")
SAYS_A_CHANGE = re.compile(rf"{CHANGE_VERBS}|增速|增幅|涨幅|降幅|跌幅|增长率|同比|环比|变化|变动")
# The value a change led to (上调至多少, 降到了多少): the one it started from (由4.5港元上调至10港元) does not answer.
# The basis a figure is taken on, with the words passages write it in: 人均地区生产总值 is not the 地区生产总值, 扣非净利润
# not the 归母净利润. A question that names one is answered only by a figure said on it.
BASES = {"人均": ("人均", "每人", "每位", "/人"), "户均": ("户均", "每户", "/户"),
         "日均": ("日均", "平均每日", "平均每天", "每日平均", "/日", "/天"),
         "扣非": ("扣非", "扣除非经常性损益", "扣除非经常", "扣除非"),
         "一周": ("一周", "本周", "这周", "当周", "全周", "周内", "周累", "周线", "周涨", "周跌")}  # not a day's move
# A contract or an index named in a wrap-up's list (CBOT玉米期货…，CBOT小麦期货…; 费城半导体指数): its last two characters
# before 期货 / 指数 tell it from the others.
LISTED_ITEM = re.compile(r"[\u4e00-\u9fff]{2}(?:期货|指数)")
# Market indices by every name wrap-ups give them (创指 is 创业板指, 沪指 the 上证指数), for the same check.
INDEX_NAMES = {
    "上证指数": ("上证综合指数", "上证综指", "上证指数", "沪综指", "沪指"),
    "深证成指": ("深证成份指数", "深证成指", "深成指"),
    "创业板指": ("创业板指数", "创业板指", "创指"),
    "科创50": ("科创50指数", "科创50"),
    "恒生指数": ("恒生指数", "恒指"),
    "道琼斯指数": ("道琼斯工业平均指数", "道琼斯指数", "道指"),
    "纳斯达克指数": ("纳斯达克综合指数", "纳斯达克指数", "纳指"),
    "标普500指数": ("标普500指数", "标普500", "标普指数"),
}
INDEX_NAME = re.compile("(?:" + "|".join(sorted((w for ws in INDEX_NAMES.values() for w in ws), key=len, reverse=True))
                        + ")(?![出导标定示引])")  # not the 道指 of 报道指出
INDEX_OF = {word: name for name, words in INDEX_NAMES.items() for word in words}
ASKS_RESULT = re.compile(rf"(?:{CHANGE_VERBS}|上调|下调|调整|调)(?:至|到)了?(?:多少|几)")
STARTED_FROM = re.compile(r"[由从]$")
CHANGED_TO = re.compile(rf"(?:{CHANGE_VERBS}|上调|下调|调整|调|升|增)?(?:至|到)")
# A total asked for (一共花了多少钱, 涉资多少): a price per share or unit (以每股平均价26.9346港元) does not answer.
ASKS_TOTAL = re.compile(r"花了?多少钱|涉资|金额|总额|总价|总计|共计|合计|一共|总共")
UNIT_PRICE_LABEL = re.compile(r"(?:每股|均价|单价|目标价|股价|每[吨桶份件台股])[^，,。；]{0,4}$")
# A part of a whole asked for (进出口总值中出口是多少, 投用算力中智算有多少): the whole's own figure does not answer.
# The whole is its measure word and the two characters before it (出口总值, 投用算力).
PART_OF_WHOLE = re.compile(r"(?P<whole>[\u4e00-\u9fff]{0,2}的?(?:总值|总额|总量|规模|算力|增加值|营收|收入|利润))"
                           r"中(?![心国间期央])"  # not 算力中心
                           r"(?P<part>[\u4e00-\u9fff]{2,8}?)(?:是|有|为|占)?(?:多少|几)")
# One end of a bound asked for: 最少/至少/下限/起码 the lower (不少于5000万元), 最多/至多/上限/封顶 the upper (不超过2亿元).
ASKS_LOWER_BOUND = re.compile(r"最少|至少|下限|起码|最低")  # 盘中最低到过多少: the low end of 1.7050%-1.7830%
ASKS_UPPER_BOUND = re.compile(r"最多|至多|上限|封顶|最高")
# What 多少 counts: 国家 in 多少个国家 (the answer's unit may be the noun's last character: 13队 for 多少个球队).
COUNTED_NOUN = re.compile(rf"(?:多少|几)(?:{MEASURE_WORDS}|{QUANTITY_UNITS})?([\u4e00-\u9fff]{{1,4}}?)"
                          r"(?:了|呢|啊|呀|吗|的|和|[?？]|$)")

# --- time --------------------------------------------------------------------------------------------------------

# A year named with a figure, calendar or fiscal (2020财年).
NAMED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})财?年(?!(?:优先)?票据|到期)")  # 2020年票据 names a bond
# A day named by month and day (2月7日, 1月31号). In a passage only a day without its year names the day being
# reported; 逼平2019年1月23日顶部 recalls another one.
MONTH_DAY = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月(3[01]|[12]\d|0?[1-9])[日号]")
# A day that bounds a period rather than names the day reported: 截至2020年6月30日, 自2月5日至5月7日, 3月1日以来.
PERIOD_END_BEFORE = re.compile(r"(?:截至|截止|至|到|自|从|止)(?:\d{4}年)?$")
PERIOD_END_AFTER = re.compile(r"至|到|起|以来|止|之前|之后|前|后")
# Five-year plans name a span of years: figures "since the 14th plan" are cumulative, not one year's.
FIVE_YEAR_PLAN = re.compile(r"十[一二三四五六]五")
# Parts of a year a figure may cover: a quarter's revenue does not answer a question about the year, nor the
# second quarter's the first's.
PART_OF_YEAR = re.compile(r"第?(?P<quarter>[一二三四1-4])(?:财季|季度)|Q(?P<q>[1-4])(?!\d)|(?P<half>[上下])半年"
                          r"|前(?P<quarters>[二三23])季度|(?<!\d)(?P<first>\d{1,2})\s*[-－~至到]\s*(?P<last>\d{1,2})月"
                          r"|前(?P<months>\d{1,2})个月|全年|(?P<ytd>年?初至(?:本?报告期末|今))")
# A clause that is only a time: 2020年第二季度, 今年上半年, 2019年1-9月 (it sets the period of the clause after it).
TIME_CLAUSE = re.compile(rf"(?:(?:19|20)\d{{2}}财?年|今年|去年|本年|上年)?(?:{PART_OF_YEAR.pattern})(?:内|中|末|期间|以来)?")
CHINESE_DIGIT = {"一": "1", "二": "2", "三": "3", "四": "4"}
PREVIOUS_YEAR = re.compile(r"上年同期|去年同期|上年|上一年")
# 上年同期为1271.9万元 is last year's figure; 较上年同期增长60% is this year's growth, and 较上年同期5,762,948.59元
# (a figure right after it) last year's again.
PREVIOUS_YEAR_FIGURE = re.compile(rf"(?<![较比与])(?:{PREVIOUS_YEAR.pattern})[^较比增降涨跌减升]*$"
                                  rf"|[较比](?:{PREVIOUS_YEAR.pattern})(?:的|为)?$")
# A year written right before its figure (从2020年的3342万吨增长至2060年的1.3亿吨): that figure's year, whatever other
# years its sentence names.
BETWEEN_YEAR_AND_FIGURE = re.compile("度?(?:的|为|是|达到?|约为?)?")
YEAR_OF_FIGURE = re.compile(rf"(?:{NAMED_YEAR.pattern}){BETWEEN_YEAR_AND_FIGURE.pattern}$")
# A single day asked of (周五, 那天): a week's figure does not answer it (a date may only say which week: 1月21日那一周).
ONE_DAY = re.compile(r"(?:周|星期)[一二三四五六日天]|那天|当天|当日")
# Days counted from the one just named: 第二天呢 after 1月19日…; 9月24日晚发布公告，次日即实施回购.
RELATIVE_DAYS = {"第二天": 1, "次日": 1, "翌日": 1, "隔日": 1, "前一天": -1, "前一日": -1}
NEXT_DAY = re.compile("|".join(word for word, days in RELATIVE_DAYS.items() if days == 1))
# Years counted from the article's date.
RELATIVE_YEARS = {"前年": -2, "去年": -1, "上一年": -1, "今年": 0, "本年": 0, "明年": 1}
# A year that is the base of a comparison (与2019年相比, 比2019年增长) is not the year of the figures beside it.
COMPARED_WITH = re.compile(r"(?:[与较比]|相比|对比)\s*$")

# --- what is measured: synonyms, events, metrics ---------------------------------------------------------------

# Everyday words → the words news text uses for the same thing. General vocabulary, not per-question fixes.
SYNONYMS = {
    "累计": ("累涨", "累跌", "累升", "累降"), "增加": ("新增", "大增", "净增", "增长"), "减少": ("下降", "净减", "下滑"),
    "卖": ("销售", "销量", "交付"), "卖出": ("销售",), "销量": ("销售",), "涨": ("增长", "增速", "上升"), "增幅": ("增长",),
    "增速": ("增长",), "收入": ("营收",), "营收": ("营业收入",), "赚": ("利润", "净利润", "盈利"), "利润": ("净利润",), "亏": ("亏损",), "亏了": ("亏损",),
    "花": ("支付", "耗资", "花费", "金额"), "花了": ("支付", "耗资", "花费", "金额"), "改名": ("更名",),
    "改": ("更名", "改名", "更改"),
    "份额": ("市占率", "比重"), "占比": ("比重", "占"), "多快": ("速度", "增速", "码"), "高出": ("高于",),
    "高": ("高于",), "目标": ("力争", "达"), "计划": ("力争",), "规划": ("力争",), "现在": ("目前",), "最好": ("最佳", "最高"),
    "达到": ("达",), "达": ("达到",), "名字": ("更名", "名称"), "买": ("购买", "采购", "订购", "订单"),
    "归母": ("归属于母公司", "归属于上市公司股东", "归属于公司股东", "归属于本公司股东", "归属于"),
}
# Events that dates answer, each said in several ways (陈荣捷卒于哪一年 ~ 1994年逝世); each word stands for the
# others of its group.
EVENT_WORDS = (
    ("去世", "逝世", "病逝", "卒", "卒于", "过世", "辞世", "身故", "殁", "死于", "逝于", "病死", "致死", "身亡"),
    ("成立", "创立", "创建", "建立", "创办", "设立", "开办", "始建", "建于", "兴建", "建成"),
    ("通车", "开通", "启用", "投入使用", "开业", "开幕", "投入服务", "通航", "投入运营", "交付运营", "开始运营", "开通运营"),
    ("发行", "出版", "推出", "上映", "首播", "发布", "发售"),
    ("退役", "退休", "挂靴", "引退"),
)
for _group in EVENT_WORDS:
    for _word in _group:
        SYNONYMS[_word] = tuple(dict.fromkeys((*SYNONYMS.get(_word, ()), *(w for w in _group if w != _word))))
# What a business figure measures, in the words news text and everyday questions use for it. A number labelled
# with one of these (集团营收370.25亿元) does not answer a question about another (赚了多少钱, 净利润): the
# article gives no figure for what was asked. Longer words first: 销售额 is revenue, not units sold.
METRICS = (
    ("share_price", ("股价", "目标价", "收盘价", "收报", "均价", "发行价", "结算价")),
    ("earnings_per_share", ("每股收益", "每股盈利", "每股亏损", "每股净资产")),
    ("rd_expense", ("研发费用", "研发投入", "研发支出")),
    ("cost", ("营业成本", "营业总成本")),
    ("assets", ("总资产", "资产总计", "资产总额", "净资产")),
    ("cash_flow", ("现金流量净额", "现金流")),
    ("revenue", ("营业收入", "营收", "销售额", "销售收入", "营业额", "收入")),
    ("gross_profit", ("毛利润", "毛利")),
    ("recurring_profit", ("扣非后净利润", "扣非净利润", "扣非")),  # net of one-off items: not the same figure
    ("profit", ("净利润", "利润", "净利", "纯利", "盈利", "赚", "净亏损", "亏损", "亏")),  # a loss is a negative profit
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
    # the counts of an epidemic's daily report: each its own figure
    ("confirmed_cases", ("确诊",)),
    ("recovered_cases", ("治愈", "出院")),
    ("deaths", ("死亡",)),
    ("asymptomatic_cases", ("无症状",)),
    ("suspected_cases", ("疑似",)),
    # a week's jobless claims: the first ones and those still paid are two figures
    ("initial_claims", ("初请",)),
    ("continuing_claims", ("续请",)),
)

# --- passages: where a number's sentence, clause and label are -------------------------------------------------

SENTENCE_BOUNDARY = re.compile(r"[。！？!?；;\n]")
CLAUSE_BOUNDARY = re.compile(r"[。！？!?；;\n，,：:、（）()]")
# 1953年，他成立了国会: a date leading its sentence (after 于/在/截至 …) is when the rest of the sentence happened.
LEADING = re.compile(r"\s*(?:[于在自从至到]|截至|直到|直至)?")
LEADING_TAIL = re.compile(r"(?:起|后|前|时|初|底|末|以来|开始|期间|间)?")
# A street before a 号 number: 伍德沃德大道4800号 is an address.
STREET = re.compile(r"[路街道巷弄里段]$")
# The words right after a name in a question (法国10年期…, 郑州2024年…), and the run of Chinese characters before the
# same words in a passage, whose last name is what they are said of (德国10年期…).
AFTER_A_NAME = re.compile(r"[\u4e00-\u9fff\d]{2,3}")
NAME_SLOT = re.compile(r"[\u4e00-\u9fff]{2,}$")
# Kinds of figures a name right before them owns (挪威287辆); before a date or a span it names an era (崇宁五年).
OWNED_KINDS = ("count", "money", "percent", "percentage_points", "quantity")
# First characters of units and times: a numeral before one counts an amount or names a time (140平方米, 2021年).
_UNIT_STARTS = "年月日号时季个万亿元点倍次人家辆台只股名位种项条天周批成平公米吨克瓦度伏升码英美港欧毫厘亩套户"
# A numbered thing a question names: a numeral and the character it numbers (一星级, 三孩, 第一大股东), or two characters
# and the digits that number them (标段1). Years, dates, units and amounts are not numbered things.
_NUMERAL = "0-9一二三四五六七八九十两"  # the characters of a numeral that numbers something (三孩, 10年期)
NUMBERED_BEFORE = re.compile(rf"(?<![{_NUMERAL}百千万.哪几每])([{_NUMERAL}]+)(?![的{_UNIT_STARTS}])([\u4e00-\u9fff])")
NUMBERED_AFTER = re.compile(rf"([\u4e00-\u9fff]{{2}})(\d+)(?![\d.%{_UNIT_STARTS}])")
# One of several lettered alike: a fund's share class (A份额, C类份额), a listing (A股, H股), a funding round (B轮).
LETTERED = re.compile(r"(?<![A-Za-z])([A-Z])(类?份额|股(?!份)|轮)")
# A bond's tenor (两年期, 10年期): numbered, though 年 usually starts a year.
TENOR = re.compile(rf"(?<![{_NUMERAL}.])([{_NUMERAL}]+)(年期)")
# What a name alone may look like: a few Chinese characters (挪威, 巴基斯坦).
NAME_ALONE = re.compile(r"[\u4e00-\u9fff]{2,6}")
# A government named by its place (河南省政府, 郑州市人民政府): articles write the place and 政府工作报告 apart.
GOVERNMENT = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:省|市|县|区|自治区)?(?:人民)?政府$")
# Words between a label and its figure that say nothing of what is counted (挪威为287辆, 希腊约100辆).
LABEL_TAIL = re.compile(r"(?:的|为|是|约|达|共|有)+$")
LABEL_HEAD = re.compile(r"^(?:其中|内中|包括|含)")  # 其中丰台区4例: labelled 丰台区
# Items of a list: 高技术制造业、装备制造业增加值分别增长18.2%、12.9%.
ITEM_SEPARATOR = re.compile(r"[、和及与]")
# What a list's first item says before the item itself: 主营业务为 in 主营业务为交通运输、空调行业.
LIST_HEAD = re.compile(r".*(?:为|是|包括|：|:)")
LIST_GAP = re.compile(r"[、和及与，,\s]{1,2}")
# Between two figures listed together: 6.5万、8.5万人次; 1753年和1762年; 8号线与10号线 (the noun of the first, then 与).
COORDINATION = re.compile(rf"[\u4e00-\u9fff]?{ITEM_SEPARATOR.pattern}")
