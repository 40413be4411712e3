"""Many articles, one figure (issue 15): periods, agreeing sources, conflicts, the most recent figure, filters."""
from pathlib import Path

import pytest

import qa
from qa.errors import QuestionError
from qa.numbers import find_numbers
from qa.reader.aggregate import period_of, same_figure
from qa.render import render_html, render_text
from qa.retrieve import ArticleFilter

ARTICLES = [
    dict(id="report", title="华岳电机2024年年报", date="2025-03-28", source="公司公告",
         text="华岳电机2024年实现营业收入224.90亿元，同比增长13.4%；归母净利润18.6亿元。"),
    dict(id="daily", title="华岳电机去年营收增长", date="2025-03-29", source="大河报",
         text="华岳电机发布年报，2024年营业收入224.9亿元，同比增长13.4%，归母净利润18.6亿元。"),
    dict(id="flash", title="快讯：华岳电机年报", date="2025-03-28", source="财联社快讯",
         text="华岳电机2024年营业收入229.4亿元，归母净利润18.6亿元。"),
    dict(id="half", title="华岳电机半年报：营业收入121.7亿元", date="2025-08-26", source="公司公告",
         text="华岳电机2025年上半年营业收入121.7亿元。"),
    dict(id="other", title="远帆物流年报", date="2025-03-30", source="证券时报",
         text="远帆物流2024年营业收入96.3亿元，同比增长5.1%。"),
]


def assistant_of(articles: list[dict], index_dir: Path) -> qa.Assistant:
    from conftest import CharacterEmbedder

    return qa.Assistant.build([qa.Document(**a) for a in articles], index_dir=index_dir, embedder=CharacterEmbedder())


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    return assistant_of(ARTICLES, tmp_path_factory.mktemp("index"))


def mention(text: str, figure: str):
    return next(m for m in find_numbers(text) if m.text == figure)


@pytest.mark.parametrize("a, b, same", [
    ("6.5万辆", "65000辆", True), ("224.9亿元", "224.90亿元", True), ("21%", "20.86%", True),
    ("224.9亿元", "229.4亿元", False), ("6.5万辆", "6.5万吨", False), ("18.6亿元", "1.86亿元", False),
    ("32.5GW", "3250万千瓦", True), ("32.5GW", "3.25万兆瓦", True), ("32.5GW", "325万千瓦", False),
])
def test_same_figure_compares_values_to_the_precision_written(a, b, same):
    assert same_figure(find_numbers(a)[0], find_numbers(b)[0]) is same


@pytest.mark.parametrize("text, figure, period, end", [
    ("截至2025年6月末，恒川银行资产总额1.36万亿元。", "1.36万亿元", "截至2025年6月末", 202506),
    ("宇通客车2024年累计销售各类商用车6.5万辆。", "6.5万辆", "2024年", 202412),
    ("2025年上半年营收121.7亿元，同比增长9.8%。", "121.7亿元", "2025年上半年", 202506),
    ("2024年营收224.9亿元，上年同期为198.3亿元。", "198.3亿元", "上年同期", 202312),
    ("与2023年相比，营收增长了13.4%。", "13.4%", None, None),
    ("2024年完成货运量1.28亿吨，较2023年的1.12亿吨增长14.3%。", "1.12亿吨", "2023年", 202312),  # the base's own year
    ("营收224.9亿元。", "224.9亿元", None, None),
])
def test_the_period_is_the_time_the_sentence_gives_the_figure(text, figure, period, end):
    found = period_of(text, mention(text, figure), "2025-07-28")
    assert (found.text, found.end) == (period, end) if period else found is None


def test_a_figure_several_articles_agree_on_comes_with_its_sources_and_the_conflict(newsroom):
    answer = newsroom.ask("华岳电机2024年营业收入是多少？").answer
    assert answer.figure_text in ("224.90亿元", "224.9亿元") and answer.period == "2024年"
    assert {s.doc_id for s in answer.sources} == {"report", "daily"}
    assert answer.sources[0].passage_id.startswith(answer.sources[0].doc_id)
    assert [(c.doc_id, c.text, c.value, c.unit) for c in answer.conflicts] == [("flash", "229.4亿元", 2.294e10, "元")]
    assert not any(s.doc_id == "other" for s in answer.sources + answer.conflicts)  # another company's revenue
    text = render_text(newsroom.ask("华岳电机2024年营业收入是多少？"))
    assert "2 篇报道一致" in text and "另有报道称：229.4亿元（《快讯：华岳电机年报》，财联社快讯，2025-03-28）" in text
    assert '<p class="qa-note qa-conflicts">另有报道称' in render_html(newsroom.ask("华岳电机2024年营业收入是多少？"))


def test_figures_that_only_differ_in_period_are_no_conflict(newsroom):
    answer = newsroom.ask("华岳电机2024年归母净利润是多少？").answer
    assert answer.text == "18.6亿元" and len(answer.sources) == 3 and answer.conflicts == ()
    assert answer.to_dict()["sources"][0].keys() == {"doc_id", "title", "date", "source", "passage_id", "text"}


def test_a_look_alike_company_neither_agrees_nor_conflicts_but_a_longer_form_of_the_name_does(tmp_path):
    articles = [
        dict(id="report", title="澄湖光伏2024年年报", date="2025-04-25", source="公司公告",
             text="澄湖光伏2024年实现营业收入156.2亿元；归母净利润1.87亿元。"),
        dict(id="look-alike", title="澄湖光电2024年年报", date="2025-04-28", source="上海证券报",
             text="澄湖光电发布2024年年报，归母净利润2.35亿元。澄湖光电与澄湖光伏并非同一家公司。"),
        dict(id="long-name", title="光伏企业年报", date="2025-04-26", source="中国能源报",
             text="澄湖光伏科技股份有限公司2024年归母净利润1.87亿元。"),
    ]
    answer = assistant_of(articles, tmp_path / "index").ask("澄湖光伏2024年归母净利润是多少？", top_k=3).answer
    assert answer.text == "1.87亿元" and answer.conflicts == ()
    assert {s.doc_id for s in answer.sources} == {"report", "long-name"}  # the company's full name agrees


def test_a_question_without_a_time_gets_the_most_recent_figure_and_the_others_as_alternatives(newsroom):
    answer = newsroom.ask("华岳电机营业收入是多少？").answer
    assert (answer.text, answer.period) == ("121.7亿元", "2025年上半年")
    assert [(a.period, a.text) for a in answer.alternatives][:1] == [("2024年", answer.alternatives[0].text)]
    assert answer.alternatives[0].text in ("224.90亿元", "224.9亿元", "229.4亿元")
    assert "问题未指明时间" in render_text(newsroom.ask("华岳电机营业收入是多少？"))


def test_filters_restrict_the_articles_searched(newsroom):
    until = newsroom.ask("华岳电机营业收入是多少？", until="2025-06-30")
    assert until.answer.period == "2024年" and all(p.passage.date <= "2025-06-30" for p in until.passages)
    flash = newsroom.ask("华岳电机2024年营业收入是多少？", sources=["财联社快讯"])
    assert flash.answer.text == "229.4亿元" and flash.answer.conflicts == ()
    assert {p.passage.doc_id for p in flash.passages} == {"flash"}
    assert newsroom.ask("华岳电机营业收入是多少？", since="2026-01-01").answer is None
    assert newsroom.ask("华岳电机营业收入是多少？", since="2026-01-01").passages == ()


@pytest.mark.parametrize("kwargs", [{"since": "2025-13-01"}, {"until": "昨天"}, {"sources": [3]}, {"sources": 3}])
def test_bad_filters_are_a_question_error(newsroom, kwargs):
    with pytest.raises(QuestionError):
        newsroom.ask("华岳电机营业收入是多少？", **kwargs)


def test_article_filter_bounds_are_inclusive_and_undated_articles_are_left_out():
    from qa.passages import Passage

    def passage(date, source="新华社"):
        return Passage("p", "d", "t", date, source, 1, 0, 0, 1, "x")

    only = ArticleFilter.of(since="2025-01-01", until="2025-01-31", sources="新华社,大河报")
    assert only.sources == ("新华社", "大河报")
    assert only.allows(passage("2025-01-01")) and only.allows(passage("2025-01-31T08:00:00"))
    assert not only.allows(passage("2025-02-01")) and not only.allows(passage(None))
    assert not only.allows(passage("2025-01-10", "财联社快讯"))
    assert not ArticleFilter.of().active and ArticleFilter.of().allows(passage(None))


def test_the_multi_article_set_keeps_its_figures(tmp_path):
    """tests/data/multi_article/ with the shipped embedder: a floor under the figures docs/quality.md reports
    (benchmarks/eval_multi_article.py prints them), so a change that loses sources, conflicts or periods fails."""
    from qa.evaluate_articles import articles_figures, read_articles_set, run_articles_set

    documents, questions = read_articles_set(Path(__file__).parent / "data" / "multi_article")
    assistant = qa.Assistant.build(documents, index_dir=tmp_path / "index")
    figures = articles_figures(run_articles_set(assistant, questions))
    assert figures["questions"] >= 60
    assert figures["answer_exact"] >= 0.72
    assert figures["agreement_found"] >= 0.6 and figures["sources_precision"] >= 0.95
    assert figures["conflicts_flagged"] >= 0.65 and figures["false_conflicts"] == 0.0
    assert figures["period_right"] >= 0.95
    assert figures["filters_honoured"] == 1.0 and figures["filter_questions_exact"] >= 0.9
