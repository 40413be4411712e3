"""Follow-up questions (issue 16): what an elliptical question takes from the turns before it, and questions that
ask for no number."""
import pytest

from qa.assistant import MAX_HISTORY_TURNS, clean_history
from qa.errors import QuestionError
from qa.reader.followup import frame, resolve_followup
from qa.render import NOT_A_NUMBER, render_html, render_text


def understood(*turns: str) -> str:
    return resolve_followup(turns[-1], list(turns[:-1])).text


@pytest.mark.parametrize("turns, expected", [
    (("中原动力2024年营收多少？", "净利润呢？"), "2024年中原动力净利润是多少"),
    (("中原动力2024年营收多少？", "净利润呢？", "那2023年呢？"), "2023年中原动力净利润是多少"),
    (("中原动力2024年营收多少？", "同比增长多少？"), "2024年中原动力营收同比增长多少"),
    (("宇通客车2024年卖了多少辆车？", "2025年上半年呢？"), "2025年上半年宇通客车卖了多少辆车"),
    (("郑州规划算力规模达到多少？", "其中智算有多少？"), "郑州规划算力规模中智算有多少"),
    (("郑州规划算力规模达到多少？", "其中智算有多少？", "超算呢？"), "郑州规划算力规模中超算有多少"),
    (("郑州电子信息产业2024年产值多少？", "占全市的比重呢？"), "2024年郑州电子信息产业占全市的比重是多少"),
    (("宇通客车2024年营收多少？", "那中创智领呢？"), "2024年中创智领营收多少"),
    (("中润资源2020年第一季度归母净利润是多少？", "上年同期呢？"), "2019年第一季度中润资源归母净利润是多少"),
    (("中坚科技2020年前三季度营收多少？", "其中第三季度呢？"), "2020年第三季度中坚科技营收多少"),
    (("华峰铝业2019年交通运输行业占营收比例是多少？", "空调行业呢？"), "2019年华峰铝业空调行业占营收比例是多少"),
    (("华峰铝业2019年交通运输业务占营收比例是多少？", "空调行业呢？"), "2019年华峰铝业空调行业占营收比例是多少"),
    (("华峰铝业董事长多大年纪？", "总经理呢？"), "华峰铝业总经理多大年纪"),
    (("资中县三孩家庭购买90平方米以下商品房奖励多少？", "140平方米以上的呢？"), "资中县三孩家庭购买140平方米以上商品房奖励多少"),
    (("资中县三孩家庭购买90平方米以下商品房奖励多少？", "140平方米以上的呢？", "二孩家庭呢？"),
     "资中县二孩家庭购买140平方米以上商品房奖励多少"),
    (("1月20日安森美收跌多少？", "那京东又是多少？"), "1月20日京东收跌多少"),
    (("宇通客车累计出口了多少辆？", "2024年呢？"), "2024年宇通客车出口了多少辆"),  # one year's, not the running total
    (("2025年新增污水处理能力多少？", "污水收集管网呢？"), "2025年新增污水收集管网多少"),  # same beginning: counterparts
    (("1月24日CBOT小麦期货收报多少？", "那第二天呢？"), "1月25日CBOT小麦期货收报多少"),
    (("2月28日CBOT小麦期货收报多少？", "前一天呢？"), "2月27日CBOT小麦期货收报多少"),
    (("2022年春节假期7天移动互联网接入流量是多少？", "大年初一呢？"), "大年初一移动互联网接入流量是多少"),
])
def test_a_follow_up_takes_what_it_leaves_out_from_the_turns_before(turns, expected):
    assert understood(*turns) == expected


@pytest.mark.parametrize("turns", [
    ("中原动力2024年营收多少？", "宇通客车2024年卖了多少辆车？"),
    ("中原动力2024年营收多少？", "超聚变的营收是多少？"),
    ("宇通客车2024年卖了多少辆车？",),
    ("1月20日安森美收跌多少？", "2月7日英国10年期国债收益率报多少？"),  # asks only 多少, but not as a follow-up
])
def test_a_question_that_names_its_subject_and_metric_inherits_nothing(turns):
    assert resolve_followup(turns[-1], list(turns[:-1])).text == turns[-1]
    assert not resolve_followup(turns[-1], list(turns[:-1])).is_followup


def test_it_and_its_refer_to_the_subject_before():
    assert understood("中创智领2024年营收多少？", "那它的净利润增长了多少？") == "2024年中创智领净利润增长了多少"


def tagger(*names: str):
    """A names function that knows these names only, as the lexical index's tagger would tag them."""
    return lambda text: [n for n in names if n in text]


@pytest.mark.parametrize("turns, expected", [
    (("12月28日法国CAC40指数收盘涨了多少点？", "意大利富时MIB呢？"), "12月28日意大利富时MIB指数收盘涨了多少点"),
    (("12月28日法国CAC40指数收盘涨了多少点？", "意大利富时MIB呢？", "英国富时100呢？"), "12月28日英国富时100指数收盘涨了多少点"),
    # the part asked before stays with a new subject, and a change asked after it is the part's
    (("2021年广东地区生产总值是多少？", "其中第二产业增加值呢？", "重庆呢？"), "2021年重庆地区生产总值中第二产业增加值是多少"),
    (("2021年我国货物贸易进出口总值是多少？", "其中出口呢？", "比上年增长多少？"), "2021年我国货物贸易出口比上年增长多少"),
    # 比上年同期 is what the change is measured against, not the time asked
    (("中坚科技2020年前三季度归母净利润亏损多少？", "其中第三季度呢？", "比上年同期下滑了多少？"),
     "2020年第三季度中坚科技归母净利润亏损比上年同期下滑了多少"),
    # a day of the week moves the day named before it; 那天 is the day before
    (("周四（3月3日）美债10年期收益率收在多少？", "周五呢？"), "周五(3月4日)美债10年期收益率收在多少"),
    (("2月2日德国10年期国债收益率报多少？", "法国那天涨跌了几个基点？"), "2月2日法国10年期国债收益率涨跌了几个基点"),
    (("2月2日德国10年期国债收益率报多少？", "那天法国呢？"), "2月2日法国10年期国债收益率报多少"),
    # another of the same shape is no subject of its own, even when it says how it asks
    (("3月3日美债10年期收益率报多少？", "两年期涨了几个基点？"), "3月3日美债两年期收益率涨了几个基点"),
    # a phrase ending in a measure, said alone, is a metric
    (("河南2022年地区生产总值目标是多少？", "研发经费投入强度呢？"), "2022年河南研发经费投入强度是多少"),
    # a qualifier alone qualifies the measure before it
    (("1月20日费城半导体指数收跌多少？", "本周累计呢？"), "本周费城半导体指数累计收跌多少"),
    # 相当于… compares with the figure before
    (("三峡电站2021年发电量是多少？", "相当于节约多少标准煤？"), "2021年三峡电站发电相当于节约多少标准煤"),
    # a place after a place that was a part is another part
    (("1月29日新增本土确诊病例是多少例？", "其中北京有几例？", "杭州呢？"), "1月29日新增本土确诊病例中杭州有几例"),
    # words before the question word that name no one say what is measured, of whoever was asked of
    (("腾讯1月6日回购股份数量是多少？", "耗资多少？"), "1月6日腾讯回购股份耗资多少"),
    (("温氏股份12月的收入是多少？", "毛猪销售均价是多少？"), "12月温氏股份毛猪销售均价是多少"),
    (("河南2022年地区生产总值目标是多少？", "社会消费品零售总额要增长多少？"), "2022年河南社会消费品零售总额要增长多少"),  # 零: no figure
    # … unless they are said as someone's (的) or the question dates itself
    (("温氏股份12月卖肉鸡收入多少？", "兴民智通的品牌价值是多少？"), "兴民智通的品牌价值是多少？"),
    (("温氏股份12月卖肉鸡收入多少？", "12月29日富时100指数收盘涨了多少点？"), "12月29日富时100指数收盘涨了多少点？"),
    # 去年 after a year is the year before it; 占 alone asks a part of the figure before
    (("中汽协预计2021年汽车销量大约多少？", "那去年的呢？"), "2020年中汽协预计汽车销量大约多少"),
    (("1月6日河南新增本土确诊病例多少例？", "郑州占了几例？"), "1月6日河南新增本土确诊病例中郑州几例"),
    # a name the corpus gives (宇通客车, not in jieba's table) is a name
    (("比亚迪2024年卖了多少辆车？", "宇通客车累计出口了多少辆？"), "宇通客车累计出口了多少辆？"),
])
def test_follow_ups_read_with_names(turns, expected):
    names = tagger("法国", "意大利", "英国", "广东", "重庆", "中坚科技", "德国", "北京", "杭州", "河南", "三峡", "腾讯",
                   "温氏股份", "比亚迪", "宇通客车", "郑州", "中汽协")
    assert resolve_followup(turns[-1], list(turns[:-1]), names).text == expected


def test_names_tell_a_subject_from_a_metric_and_replace_a_name_inside_a_longer_subject():
    names = {"西班牙": ["西班牙"], "意大利": ["意大利"]}

    def tagger(text):
        return [n for n in names if n in text]

    assert frame("新增疑似病例又是多少？", tagger).subject == ""
    assert frame("新增疑似病例又是多少？", tagger).metric == "新增疑似病例"
    resolved = resolve_followup("意大利呢？", ["2月4日西班牙10年期国债收益率报多少？"], tagger)
    assert resolved.text == "2月4日意大利10年期国债收益率报多少"


def test_history_is_checked_cut_to_the_last_turns_and_empty_turns_skipped():
    assert clean_history(None, 100) == []
    turns = [f"问题{i}是多少" for i in range(MAX_HISTORY_TURNS + 5)]
    assert clean_history(turns, 100) == turns[-MAX_HISTORY_TURNS:]
    assert clean_history(["  ", "宇通客车卖了多少辆车", "x" * 500], 100) == ["宇通客车卖了多少辆车", "x" * 100]
    for bad in ("宇通客车卖了多少辆车", {"q": 1}, 42, ["ok", 3], [None]):
        with pytest.raises(QuestionError, match="对话历史"):
            clean_history(bad, 100)


@pytest.fixture(scope="module")
def two_companies(tmp_path_factory):
    import qa
    from conftest import CharacterEmbedder

    articles = [
        qa.Document(id="zydl", title="中原动力年报", date="2025-03-30",
                    text="中原动力2024年营业收入128.5亿元，同比增长12.3%；净利润9.6亿元。2023年营业收入114.4亿元，"
                         "净利润7.1亿元。"),
        qa.Document(id="yutong", title="宇通客车销量", date="2025-07-28",
                    text="宇通客车2024年累计销售各类商用车6.5万辆。宇通客车的战略发展方向是新能源化和国际化。"),
    ]
    return qa.Assistant.build(articles, index_dir=tmp_path_factory.mktemp("index"), embedder=CharacterEmbedder())


def test_a_conversation_answers_each_turn_as_understood(two_companies):
    asked, answers = [], []
    for question in ["中原动力2024年营收多少？", "净利润呢？", "2023年呢？"]:
        result = two_companies.ask(question, history=asked)
        asked.append(question)
        answers.append((result.understood_as, result.answer.text if result.answer else None))
    assert answers == [("中原动力2024年营收多少？", "128.5亿元"), ("2024年中原动力净利润是多少", "9.6亿元"),
                       ("2023年中原动力净利润是多少", "7.1亿元")]
    # without the history the follow-up is a question about nothing in particular
    assert two_companies.ask("2023年呢？").understood_as == "2023年呢？"


def test_the_reply_says_how_a_follow_up_was_understood(two_companies):
    result = two_companies.ask("净利润呢？", history=["中原动力2024年营收多少？"])
    assert "按“2024年中原动力净利润是多少”理解" in render_text(result)
    assert "按“2024年中原动力净利润是多少”理解" in render_html(result)
    assert result.to_dict()["understood_as"] == "2024年中原动力净利润是多少"
    alone = two_companies.ask("中原动力2024年营收多少？")
    assert "理解" not in render_text(alone)


def test_a_question_that_asks_for_no_number_gets_none_and_its_key_words_marked(two_companies):
    result = two_companies.ask("宇通客车的战略发展方向是什么？")
    assert result.answer is None and result.asks_number is False
    top = result.passages[0]
    assert top.passage.doc_id == "yutong"
    marked = {k.text for k in top.keywords}
    assert {"宇通", "战略", "方向"} <= marked
    assert all(top.passage.text[k.start:k.end] == k.text for k in top.keywords)
    assert NOT_A_NUMBER in render_text(result) and "〔战略〕" in render_text(result)
    html = render_html(result)
    assert NOT_A_NUMBER in html and '<mark class="qa-keyword">战略</mark>' in html
    assert "qa-answer" not in html.replace("qa-answer-line", "")
    assert result.to_dict()["asks_number"] is False


@pytest.mark.parametrize("question, asks_number", [
    ("超聚变的主要产品是什么?", False),
    ("宇通客车的战略发展方向是什么?", False),
    ("郑州电子信息产业主要分布在哪些区域?", False),
    ("创维集团中期净利润预增的原因是什么？", False),
    ("行云集团2亿美金C轮融资由哪些机构联合领投？", False),
    ("宇通客车为什么能卖这么多车？", False),
    ("宇通客车2024年卖了多少辆车?", True),
    ("大摩给恒安的新目标价是什么？", True),
    ("超聚变的营收规模是什么水平", True),
    ("郑州哪一年规上工业产值达7000亿元", True),
])
def test_which_questions_ask_for_a_number(two_companies, question, asks_number):  # or for something else
    intent = two_companies.reader.analyse(question, two_companies.index.lexical)
    assert intent.asks_other is not asks_number


def test_a_company_whose_name_opens_with_a_comparison_word_asks_on_its_own():
    knows_no_names = tagger()
    assert resolve_followup("比亚迪2024年卖了多少辆车？", ["宇通客车2024年卖了多少辆车？"], knows_no_names).text \
        == "比亚迪2024年卖了多少辆车？"
    assert resolve_followup("比上年增长多少？", ["宇通客车2024年营收多少？"], knows_no_names).text \
        == "2024年宇通客车营收比上年增长多少"
