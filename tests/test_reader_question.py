"""Question analysis: the kinds and unit asked, time, words, names (qa/reader/question.py)."""
import pytest

from qa.reader import analyse_question, metric_families
from qa.reader.question import coverage, reported_days, year_parts


@pytest.mark.parametrize("question, kinds, unit", [
    ("宇通客车2024年卖了多少辆车?", ("count",), "辆"),
    ("宇通去年卖出去多少台", ("count",), "台"),
    ("郑州规上工业增加值增速比全国高多少个百分点?", ("percentage_points",), "个百分点"),
    ("宇通2024年销量涨了多少?", ("percent",), None),
    ("电子信息产业占比是多少", ("percent",), None),
    ("万联科技2019年营收比上一年减少了百分之多少？", ("percent",), None),  # not an amount because of 营收
    ("氢气年需求的年均增长速度大约是多少？", ("percent",), None),  # a growth rate, not a speed
    ("消费者认为未来5到10年物价每年会以多快的速度上涨？", ("percent",), None),
    ("楼勇伟通过集中竞价减持了多少星帅尔股份？", (), None),  # the 价 of 竞价 asks no money
    ("1月2号西安新增了多少本土确诊？", (), None),  # 本土 is no measure word
    ("12月29日至1月10日期间有多少人没有上班？", ("count",), "人"),  # 10日期间 asks no date
    ("中创智领去年收入多少钱?", ("money",), None),
    ("营收多少亿元?", ("money",), "元"),
    ("郑煤机哪天更名的?", ("date",), None),
    ("什么时候改的名", ("date",), None),
    ("生产周期缩短到几天?", ("duration",), "天"),
    ("定转子是多少伏的?", ("voltage",), "V"),
    ("倾斜角度是多少度?", ("angle",), "°"),
    ("高环跑多快?", ("speed",), None),
    ("国产化服务器销售额排第几?", ("ordinal",), None),
    ("长鳍新平鲉的体长可达多少公分?", ("quantity",), "厘米"),  # the unit find_numbers reports for 公分
    ("康王路全长多少?", ("quantity",), None),
    ("任期是多长?", ("quantity", "duration"), None),
    ("郑州那几个千亿级产业集群加起来规模有多大?", ("money",), None),  # 那几个 points, it does not ask how many
    ("拉迪氏苦味银汉鱼适宜的水温是多少度?", ("quantity",), "℃"),  # a temperature, not an angle
    ("华堡于1957年的售价是多少?", ("money",), None),
    ("与战略性新兴产业深度融合的传统产业共有几大?", ("count",), "大"),  # 深度融合 is not a depth
    ("郑煤机啥时候改的名?", ("date",), None),
    ("全国工业产能利用率比上年提高了多少?", ("percent", "percentage_points", "multiple"), None),  # 3.0个百分点
    ("中国交付量占特斯拉全球交付量的多少?", ("percent",), None),
    ("阿里网络累计减持美年健康多少股?", ("count",), "股"),
    ("众车出行的注册资本是多少?", ("money",), None),
    ("平安不动产超短期融资券的票面利率是多少?", ("percent",), None),  # a rate, not 120天
    ("英维克本次回购价格是多少?", ("money",), None),
    ("布伦特4月原油期货上涨了多少?", ("percent", "money"), None),  # a price may rise by 1.64美元
    ("海昌药业2020年上半年收入降了多少?", ("percent", "percentage_points", "multiple"), None),  # not by 元
    ("北京二星级养老驿站每家每月额外增加多少补贴?", ("money",), None),  # names what is added: an amount
    ("2021年12月31日创业板指收盘报多少点?", ("quantity",), "点"),
    ("西安饮食2019年第三季度亏了多少钱?", ("money",), None),
    ("谢瑞麟截至2020年9月30日止六个月的毛利是多少?", ("money",), None),
    ("落山风在每年几月产生?", ("date",), "月"),  # a month, not how many months (几个月)
    ("海航投资收购海投一号9.78%合伙份额花了多少钱?", ("money",), None),  # the 份额 bought is not what is asked
    ("中标金额相当于公司上年营业收入的多少?", ("percent",), None),
    ("2021年北京市地区生产总值是多少?", ("money",), None),
    ("工期要几个月?", ("duration",), "月"),
    ("该节目每集大约多少分钟?", ("duration",), "分钟"),  # not a count of 分
    ("丘姓在《百家姓》里排多少位?", ("ordinal",), "位"),
    ("额亦都一生有几位妻子?", ("count",), "位"),  # the 额 of a name is no amount
    ("河口潮汐在一个周期中的涨落过程一共有几个阶段?", ("count",), "个"),  # 周期 is not what is asked
    ("这个潮汐周期是多长?", ("duration",), None),
    ("高氏前肛鳗有几列上颌骨齿?", ("count",), "列"),  # every measure word the parser knows
    ("本次比赛产生多少面金牌?", ("count",), "面"),
    ("这个城市有多少面积?", (), None),  # 面积 is no measure word
    ("交易完成后奥园健康合计持有连天美多少股权?", (), None),  # a stake, not a number of shares (股)
    ("2021年中国出口集装箱运价综合指数均值是多少点?", ("quantity",), "点"),  # an index level, not a price (运价)
    ("宇通高环车道倾斜角度达到多少度?", ("angle",), "°"),
    ("2021年我国货物贸易进出口总值是多少?", ("money",), None),  # the value of exports, not a count (出口多少辆)
    ("申通快递2021年业务量是多少?", ("count", "quantity"), None),  # 110.8亿件, never 241亿元 of revenue
    ("*ST华源2019年前三季度发电量是多少?", ("count", "quantity"), None),
    ("本周两年期美债收益率累计涨了多少?", ("basis_points", "percentage_points", "percent"), None),  # 累涨14.76个基点
    ("该基金的收益率是多少?", ("percent",), None),  # a level, not a move
])
def test_question_typing(seed_assistant, question, kinds, unit):
    intent = analyse_question(question, seed_assistant.index.lexical)
    assert intent.kinds[: len(kinds)] == kinds
    assert intent.unit == unit


def test_question_time_and_relative_years(seed_assistant):
    intent = analyse_question("宇通去年卖了多少辆车", seed_assistant.index.lexical)
    assert intent.years_for("2025-07-28") == {2024}
    assert analyse_question("宇通客车2024年卖了多少辆车?", seed_assistant.index.lexical).years == (2024,)


def test_question_words_are_not_terms_and_anchors_are_kept(seed_assistant):
    intent = analyse_question("郑州规上工业增加值同比增长8.4%，这是哪个时间段的数据?", seed_assistant.index.lexical)
    words = {w for term in intent.terms for w in term.words}
    assert not words & {"哪个", "哪个时间", "什么", "几岁"} and "增加值" in words
    assert intent.anchors == ("8.4%",)
    assert {t.words[0] for t in intent.terms if t.after_asking} == {"时间段", "数据"}
    assert analyse_question("严秋华几岁签约了无线电视？", seed_assistant.index.lexical).terms[0].words[0] == "严秋华"
    # a measure word is the question word only right after 多少/几: the 道 of 出的道 is what happened
    counted = {w for term in analyse_question("宇通去年卖了多少辆车", seed_assistant.index.lexical).terms for w in term.words}
    assert "辆" not in counted
    debut = analyse_question("乔许·哈契森是什么时候出的道？", seed_assistant.index.lexical)
    assert "道" in {w for term in debut.terms for w in term.words}


def test_metric_families_take_the_longest_word():
    assert metric_families("国产化服务器销售额居全国第一") == {"revenue"}
    assert metric_families("宇通客车去年卖了多少辆") == {"sales"}
    assert metric_families("归母净利润增长") == {"profit"}
    assert metric_families("占全市规上工业增加值的比重") == {"value_added", "proportion"}
    assert metric_families("算力规模") == {"scale"} and metric_families("投用算力") == frozenset()
    assert metric_families("2019年上半年扣非后净利润") == {"recurring_profit"}  # not the 归母净利润 figure
    assert metric_families("归母净利润增长") == {"profit"}
    assert metric_families("基本每股收益") == {"earnings_per_share"}  # not a profit, nor 收益 of revenue
    assert metric_families("营业总收入") == {"revenue"} and metric_families("营业成本") == {"cost"}
    assert metric_families("资产总计为") == {"assets"} and metric_families("研发费用") == {"rd_expense"}
    assert metric_families("锂离子电池产能") == {"capacity"} and metric_families("产量") == {"production"}
    assert metric_families("中银国际将目标价上调至") == {"share_price"}  # a price per share, not a profit


def test_the_metric_is_what_is_measured_not_the_words_linking_it_to_the_figure(seed_assistant):
    intent = analyse_question("中国氢能联盟预测2060年氢气年需求将达到多少？", seed_assistant.index.lexical)
    assert {t.words[0] for t in intent.terms if t.metric} == {"氢气", "需求"}  # not 将, 达到


def test_a_year_does_not_glue_to_the_word_after_it(seed_assistant):
    intent = analyse_question("万联科技2019年营收比上一年减少了百分之多少？", seed_assistant.index.lexical)
    words = {w for term in intent.terms for w in term.words}
    assert "营收" in words and "营业收入" in words and not words & {"年营", "收比", "百分之", "百分"}


def test_an_epidemic_reports_counts_are_different_metrics():
    assert metric_families("单日新增治愈病例") == {"recovered_cases"}
    assert metric_families("单日新增新冠肺炎确诊病例") == {"confirmed_cases"}
    assert metric_families("累计死亡") == {"deaths"} and metric_families("新增无症状感染者") == {"asymptomatic_cases"}
    assert metric_families("初请失业金人数") == {"initial_claims"} and metric_families("续请失业金人数") == {"continuing_claims"}


def test_a_day_of_the_worst_week_is_asked_of_the_day(seed_assistant):
    lexical = seed_assistant.index.lexical
    assert analyse_question("金价创最差一周的那个周五，盘中最低摸到多少？", lexical).bases == ()
    assert analyse_question("1月21日那一周CBOT玉米期货一共涨了多少？", lexical).bases == ("一周",)


def test_a_year_in_a_bonds_name_is_no_time_asked(seed_assistant):
    lexical = seed_assistant.index.lexical
    assert analyse_question("瑞安建业这次收购2020年票据的要约在哪天到期？", lexical).years == ()
    assert analyse_question("瑞安建业2020年营收是多少？", lexical).years == (2020,)


def test_a_share_class_is_no_market_share():
    assert metric_families("基金A份额的规模") == {"scale"} and metric_families("C类份额") == frozenset()
    assert metric_families("市场份额") == {"market_share"}


def test_question_words_are_not_names(seed_assistant):
    # jieba tags 多少钱 as a name; a name no passage contains would make every question with it unanswerable
    intent = analyse_question("浙江广厦今年上半年赚了多少钱？", seed_assistant.index.lexical)
    assert "多少钱" not in intent.names and "浙江广厦" in intent.names
    # nor is what is asked about, after the last 的 or the question word (jieba tags 长度 as a place)
    assert analyse_question("羗山道的长度是多少？", seed_assistant.index.lexical).names == ()
    assert analyse_question("比亚迪2024年销量多少？", seed_assistant.index.lexical).names == ("比亚迪",)
    # nor a word of our glossary: jieba tags 归母 as a person; it is 归属于母公司 said short
    profit = analyse_question("中国神华2020年上半年归母净利润同比下滑多少?", seed_assistant.index.lexical)
    assert "归母" not in profit.names and any("归属于公司股东" in term.words for term in profit.terms)


@pytest.mark.parametrize("text, parts", [
    ("2020年第一季度总营收", ["Q1"]), ("一季度", ["Q1"]), ("2020财年第四财季的销售额", ["Q4"]), ("Q2营收", ["Q2"]),
    ("上半年", ["H1"]), ("前三季度", ["Q1-3"]), ("2025年1-5月", ["M1-5"]), ("今年前5个月", ["M1-5"]),
    ("全年", ["FY"]), ("2024年", []),
    ("2019年1-12月实现营业收入", ["FY"]), ("前12个月", ["FY"]),  # the whole year said in months
    ("2019年初至报告期末", ["YTD"]), ("年初至今", ["YTD"]),
])
def test_parts_of_a_year(text, parts):
    assert year_parts(text) == parts


def test_the_measure_word_after_how_many_is_not_a_question_word(seed_assistant):
    def words(question):
        return {w for t in analyse_question(question, seed_assistant.index.lexical).terms for w in t.words}

    assert "辆车" not in words("宇通客车2024年卖了多少辆车?")  # the article never writes 辆车
    assert "国家" in words("宇通的车都卖到多少个国家了啊?") and "个国家" not in words("宇通的车都卖到多少个国家了啊?")
    assert "人口" in words("郑州有多少人口?")  # 人 is a measure word, 人口 is still the word
    assert "期" not in words("平安不动产这期超短融哪天能开始上市交易?")  # 这期 only points at one issue
    # the tokenizer lowercases, but passages are matched as written: a Latin name keeps the question's case
    assert "CCFI" in words("2021年CCFI均值是多少点?") and "Stam1na" in words("Stam1na成立于哪年?")


@pytest.mark.parametrize("question, days", [
    ("2月7日欧市尾盘，德国10年期国债收益率报多少？", {(2, 7)}),
    ("2月5号上海报了几例境外输入？", {(2, 5)}),
    ("2020年1月16日全国新增本土确诊病例多少例？", {(1, 16)}),
    ("截至2020年6月30日，搜狗账上的现金有多少？", set()),  # the end of a period, not the day reported
    ("潞安集团自2月5日至5月7日累计增持多少股？", set()),
    ("3月1日以来累计确诊多少例？", set()),
    ("宇通客车2024年卖了多少辆车?", set()),
])
def test_the_day_a_question_asks_figures_of(question, days):
    assert set(reported_days(question)) == days


def test_a_close_is_a_price_asked(seed_assistant):
    for question in ("1月24日CBOT小麦期货收在多少？", "创业板指收报多少点？", "布伦特原油期货结算价是多少？"):
        assert analyse_question(question, seed_assistant.index.lexical).asks_unit_price, question
    assert not analyse_question("CBOT小麦期货涨了多少？", seed_assistant.index.lexical).asks_unit_price



def test_a_government_is_named_by_its_place(seed_assistant):
    # articles write 河南省十三届人大… 政府工作报告, seldom 河南省政府: the place is the name a passage must hold
    intent = analyse_question("河南省政府工作报告定的2022年研发经费投入强度是多少？", seed_assistant.index.lexical)
    assert intent.names == ("河南",)


def test_a_common_part_of_a_word_counts_for_little(seed_assistant):
    # 产业 alone does not say 信息产业: a passage about another 产业 must not cover the question's word
    intent = analyse_question("郑州电子信息产业2024年产值多少？", seed_assistant.index.lexical)
    industry = next(t for t in intent.terms if t.words[0] == "信息产业")
    assert industry.credit("信息产业") == 1.0
    assert industry.credit("汽车产业") < 0.1 < industry.credit("信息服务") < 1.0
    assert coverage((industry,), "汽车产业") == industry.credit("汽车产业")


def test_a_running_total_is_asked_as_累计_and_written_as_累涨(seed_assistant):
    intent = analyse_question("本周两年期美债收益率累计涨了多少？", seed_assistant.index.lexical)
    assert next(t for t in intent.terms if t.words[0] == "累计").found_in("本周累涨14.76个基点")


def test_多了多少_asks_how_much_was_added(seed_assistant):
    funds = analyse_question("2021年公募基金多了多少只？", seed_assistant.index.lexical)
    assert any(t.found_in("较2020年底大增1763只") for t in funds.terms if t.words[0] == "增加")
    assert analyse_question("葛兰的管理规模多了多少？", seed_assistant.index.lexical).kinds == \
        analyse_question("葛兰的管理规模是多少？", seed_assistant.index.lexical).kinds  # an amount may answer
    assert "增加" not in [t.words[0] for t in analyse_question("两家差了多少？", seed_assistant.index.lexical).terms]
