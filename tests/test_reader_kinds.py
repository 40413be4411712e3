"""Whether a number's kind and unit can answer the question (qa/reader/kinds.py)."""
import pytest

from qa.numbers import find_numbers
from qa.reader import analyse_question
from qa.reader.kinds import kinds_clash, units_agree


@pytest.mark.parametrize("question, mention_text, clash", [
    ("宇通高环试车道全长多少公里?", "28日", True),  # a date answers only when-questions
    ("空港智算中心什么时候建成投用?", "三至五年", True),  # a span of years is not a year
    ("永昌大君在哪一年被杀?", "光海君七年", False),  # 七年 of an era is one
    ("茶荣省和三芹省在哪一年合并为永平省?", "10月22日", True),  # a day without its year does not say which year
    ("茶荣省和三芹省什么时候合并为永平省?", "10月22日", False),
    ("郑州工业投资总额是多少?", "5个月", True),
    ("中创智领2023年营收是多少?", "首台", True),
    ("郑州工业投资总额是多少?", "连续两位数", True),
    ("郑州工业投资总额是多少?", "营收370.25亿", False),  # a bare amount may be money
    ("传统产业共有几大?", '"7+20"产业链群', True),  # a name made of digits counts nothing
    ("中创智领去年收入多少钱?", "370.25亿元", False),
    ("海昌药业2020年第二季度营业总收入是多少?", "代码834402", True),  # money needs a unit or 万/亿
    ("宁德时代2021年1-9月的锂离子电池产能是多少?", "2021年1-9月", True),  # 多少 is never a date
    ("2021年电子行业获得北上资金净买入多少?", "第二多", True),  # nor a rank
    ("平安不动产这期超短融哪天能开始上市交易?", "2020年度", True),  # a year does not tell the day
    ("平安不动产这期超短融哪天能开始上市交易?", "7月9日", False),
    ("LME金属指数是在哪一天创下历史新高的？", "12月初", True),  # nor a month without its day
    ("文周王是哪年到哪年在位?", "475年至477年", False),  # a span of years answers when
    ("中银国际将维亚生物的目标价上调至多少?", "1.42亿元", True),  # a price per share is never in 亿
    ("中银国际将维亚生物的目标价上调至多少?", "4.87港元", False),
    ("蔚来汽车每股发行价是多少?", "15至17亿美元", True),
    ("这块地的成交价是多少?", "1.42亿元", False),  # a plot's price is a total
    ("周朝贵族女子在什么时候举办笄礼?", "15岁", False),  # when: at an age
    ("严秋华在哪一年出道?", "15岁", True),  # an age is not a year
    ("稳定股价方案中，大股东增持金额是多少?", "75.7万元", False),  # asks 金额; 股价 only names the plan
])
def test_numbers_of_another_kind_cannot_answer(seed_assistant, question, mention_text, clash):
    intent = analyse_question(question, seed_assistant.index.lexical)
    mention = next(m for m in find_numbers(mention_text) if m.kind != "ordinal" or m.text in ("首台", "第二多"))
    assert kinds_clash(intent, mention) is clash


@pytest.mark.parametrize("question, mention_text, agree", [
    ("ST海马2020年上半年出口了多少辆车?", "ST海马（000572）", False),  # a stock code counts no cars
    ("亿航216在2020年第二季度卖出去几架?", "2020", False),
    ("亿航216在2020年第二季度卖出去几架?", "16架", True),
    ("宇通客车2024年卖了多少辆车?", "6.5万台", True),
    ("王江泾镇内有多少人口?", "8.57万", True),  # a count in 万 needs no unit
    ("屈臣氏酒窖在香港设有多少家分店?", "28间", True),
    ("香港甲组足球联赛有多少个球队参加?", "13队", True),  # 队, the head of 球队, counts them
    ("河南暴雨中倒塌房屋多少间?", "150个", False),
    ("阿根廷因新冠一共死了多少人?", "累计死亡119103例", True),  # cases count people
    ("跟踪距离是多少米?", "40km", True),
    ("黄足笛鲷的上颌前端具有多少颗犬齿?", "上颌前端具2至4犬齿", True),  # what is counted follows the number
    ("黄足笛鲷的上颌前端具有多少颗犬齿?", "上颌前端具2至4排", False),
])
def test_a_bare_number_does_not_answer_a_question_that_names_its_unit(seed_assistant, question, mention_text, agree):
    intent = analyse_question(question, seed_assistant.index.lexical)
    mention = [m for m in find_numbers(mention_text) if m.kind != "date"][-1]
    counts_the_noun = bool(intent.counted_noun) and intent.counted_noun in mention_text[mention.end : mention.end + 6]
    assert units_agree(intent, mention, counts_the_noun) is agree
