"""qa/reader/span.py: the name a passage states plainly, as the text answer to 谁/叫什么/更名为什么 questions."""
import pytest

from qa.reader.span import stated_span
from qa.render import STATED, render_html, render_text


def span_text(question: str, passage: str, names=None) -> str | None:
    found = stated_span(question, passage, names)
    return passage[found[0] : found[1]] if found else None


@pytest.mark.parametrize("question, passage, expected", [
    ("郑州以什么产业链群为骨架构建现代化产业体系?", '关注这座中原城市如何以"7+20"产业链群为骨架,构建起战略性新兴产业', "7+20"),
    ("郑州煤矿机械集团2025年7月7日更名为什么？",
     "限公司”正式更名为“中创智领(郑州)工业技术集团股份有限公司(以下简称‘中创智领’)”。",
     "中创智领(郑州)工业技术集团股份有限公司"),
    ("特锐德的董事长是谁？", "特锐德的董事长是于德翔，男，55岁", "于德翔"),
    ("这轮战略投资的投资方是谁？", "完成2700万人民币融资，投资方为劲嘉股份。", "劲嘉股份"),
    ("主题采访活动是由谁组织实施的？", "7月28日,由河南省委宣传部组织实施的主题采访活动", "河南省委宣传部"),
    ("破产清算案的管理人是谁？", "法院裁定受理，并指定立信会计师事务所（特殊普通合伙）为管理人。", "立信会计师事务所（特殊普通合伙）"),
    ("该项目位于哪里？", "该项目位于山西省曲沃县生态工业园区，建设内容包括", "山西省曲沃县生态工业园区"),
])
def test_the_name_between_the_questions_own_words(question, passage, expected):
    assert span_text(question, passage) == expected


def test_a_name_followed_by_a_verb_of_saying_is_cut_to_the_name():
    passage = "据宇通客车海外承装车间经理刘杰介绍,截至2025年上半年"
    assert span_text("宇通客车海外承装车间经理叫什么名字？", passage) == "刘杰介绍"
    assert span_text("宇通客车海外承装车间经理叫什么名字？", passage, lambda text: ["刘杰"]) == "刘杰"


@pytest.mark.parametrize("question, passage", [
    ("为什么郑州要发展算力？", "郑州要发展算力是因为算力是新质生产力"),  # why: no span answers it
    ("超聚变2024年的产值是什么水平？", "超聚变2024年的产值是495.2亿元，同比增长"),  # a figure: the number reader's
    ("创维集团拟分拆哪家附属公司独立上市？", "创维集团拟建议分拆附属公司酷开于港交所独立上市"),  # words not around it
    ("冠饰角龙类有什么身体特征？", "冠饰角龙类有如青龙般的头盾，身体特征是"),  # 什么 with one side only: a description
    ("大沙东站是哪个地铁的站点？", "大沙东站（）是广州地铁五号线的车站"),  # an empty bracket begins no name
])
def test_no_span_where_the_passage_does_not_frame_a_name(question, passage):
    assert span_text(question, passage) is None


def test_the_assistant_gives_the_name_as_text_not_as_a_number(seed_assistant):
    result = seed_assistant.ask("郑州煤矿机械集团2025年7月7日更名为什么？")
    assert result.answer is None and not result.asks_number
    assert result.text_answer.text == "中创智领(郑州)工业技术集团股份有限公司" and result.text_answer.passage_rank == 1
    first = result.passages[0]
    assert first.passage.text[first.stated[0] : first.stated[1]] == result.text_answer.text
    assert result.to_dict()["text_answer"] == {"text": result.text_answer.text, "passage_rank": 1,
                                               "start": first.stated[0], "end": first.stated[1]}
    assert f"答：【中创智领(郑州)工业技术集团股份有限公司】（{STATED}；" in render_text(result)
    html = render_html(result)
    assert 'qa-text-answer">答：<strong class="qa-answer-text">中创智领(郑州)工业技术集团股份有限公司</strong>' in html
    assert '<mark class="qa-answer">中创智领(郑州)工业技术集团股份有限公司</mark>' in html


def test_a_question_that_asks_why_gets_passages_only(seed_assistant):
    result = seed_assistant.ask("为什么宇通客车能远销全球？")
    assert result.answer is None and result.text_answer is None and result.to_dict()["text_answer"] is None
