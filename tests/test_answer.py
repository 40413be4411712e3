"""Question typing, answer choice, abstention and highlights, on the seed article."""
import pytest

import qa
from qa.answer import analyse_question

MUST_BE_RIGHT = [
    ("宇通客车2024年卖了多少辆车?", "6.5万辆", 65000.0, "辆"),
    ("宇通2024年销量同比增长了多少?", "43.8%", 43.8, "%"),
    ("郑州规上工业增加值增速比全国高多少?", "2.6个百分点", 2.6, "个百分点"),
    ("郑州计划让算力规模达到多少?", "17万P", 170000.0, "P"),
    ("郑州力争再用几年让算力再上新台阶?", "三至五年", 3.0, "年"),
]


@pytest.mark.parametrize("question, text, value, unit", MUST_BE_RIGHT)
def test_examples_that_must_be_right(seed_assistant, question, text, value, unit):
    result = seed_assistant.ask(question)
    assert result.answer is not None, question
    assert (result.answer.text, result.answer.value, result.answer.unit) == (text, value, unit)
    passage = result.passages[result.answer.passage_rank - 1]
    assert passage.passage.text[result.answer.start : result.answer.end] == text
    assert 0.0 <= result.answer.score <= 1.0


@pytest.mark.parametrize("question", ["郑州的常住人口是多少?", "比亚迪2024年销量多少？", "宇通客车2023年卖了多少辆？"])
def test_abstains_when_the_article_does_not_say(seed_assistant, question):
    result = seed_assistant.ask(question)
    assert result.answer is None
    assert len(result.passages) == 3  # passages are still returned
    assert not any(h.answer for p in result.passages for h in p.highlights)


def test_variants_of_one_question_agree(seed_assistant):
    for question in ["宇通客车２０２４年卖了多少辆车？", "宇通客車2024年賣了多少輛車？", "宇通去年卖出去多少台车?"]:
        assert seed_assistant.ask(question).answer.text == "6.5万辆", question


def test_highlights_cover_every_number_with_one_answer(seed_assistant):
    result = seed_assistant.ask("宇通客车2024年卖了多少辆车?")
    first = result.passages[0]
    texts = [h.text for h in first.highlights]
    assert "6.5万辆" in texts and "43.8%" in texts
    assert sum(h.answer for p in result.passages for h in p.highlights) == 1
    for p in result.passages:
        for h in p.highlights:
            assert p.passage.text[h.start : h.end] == h.text


def test_result_contract(seed_assistant):
    d = seed_assistant.ask("宇通客车2024年卖了多少辆车?", top_k=2).to_dict()
    assert set(d) == {"question", "answer", "passages"}
    assert set(d["answer"]) == {"text", "value", "unit", "passage_rank", "start", "end", "score"}
    assert len(d["passages"]) == 2
    p = d["passages"][0]
    assert {"rank", "doc_id", "title", "date", "paragraph", "passage_id", "text", "score", "highlights"} <= set(p)
    assert p["rank"] == 1 and p["date"] == "2025-07-28" and p["doc_id"] == "zhengzhou-industry-2025-07-28"
    assert p["text"][d["answer"]["start"] : d["answer"]["end"]] == "6.5万辆"
    assert {"start", "end", "text", "answer", "value", "unit"} <= set(p["highlights"][0])


@pytest.mark.parametrize("question, kinds, unit", [
    ("宇通客车2024年卖了多少辆车?", ("count",), "辆"),
    ("宇通去年卖出去多少台", ("count",), "台"),
    ("郑州规上工业增加值增速比全国高多少个百分点?", ("percentage_points",), "个百分点"),
    ("宇通2024年销量涨了多少?", ("percent",), None),
    ("电子信息产业占比是多少", ("percent",), None),
    ("中创智领去年收入多少钱?", ("money",), None),
    ("营收多少亿元?", ("money",), "元"),
    ("郑煤机哪天更名的?", ("date",), None),
    ("什么时候改的名", ("date",), None),
    ("生产周期缩短到几天?", ("duration",), "天"),
    ("定转子是多少伏的?", ("voltage",), "V"),
    ("倾斜角度是多少度?", ("angle",), "°"),
    ("高环跑多快?", ("speed",), None),
    ("国产化服务器销售额排第几?", ("ordinal",), None),
])
def test_question_typing(seed_assistant, question, kinds, unit):
    intent = analyse_question(question, seed_assistant.index.lexical)
    assert intent.kinds[: len(kinds)] == kinds
    assert intent.unit == unit


def test_question_time_and_relative_years(seed_assistant):
    intent = analyse_question("宇通去年卖了多少辆车", seed_assistant.index.lexical)
    assert intent.years_for("2025-07-28") == {2024}
    assert analyse_question("宇通客车2024年卖了多少辆车?", seed_assistant.index.lexical).years == (2024,)


@pytest.mark.parametrize("bad", ["", "   ", "？？！", "\x00\x01"])
def test_empty_questions_raise(seed_assistant, bad):
    with pytest.raises(qa.QuestionError):
        seed_assistant.ask(bad)


@pytest.mark.parametrize("top_k", [0, -1, 1.5, "3", True])
def test_bad_top_k_raises(seed_assistant, top_k):
    with pytest.raises(qa.QuestionError):
        seed_assistant.ask("宇通客车2024年卖了多少辆车?", top_k=top_k)


def test_huge_top_k_is_capped(seed_assistant):
    assert len(seed_assistant.ask("宇通客车2024年卖了多少辆车?", top_k=10_000).passages) <= 20
