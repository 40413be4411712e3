import json

import pytest

from qa.cli import main
from qa.evaluate import (
    QuestionOutcome,
    Summary,
    exact_match,
    format_table,
    lenient_match,
    read_question_set,
    summarise,
)

ARTICLE = "近年来,郑州全力打造新能源汽车万亿元级产业集群。宇通客车2024年累计销售各类商用车6.5万辆,同比增长18%。"


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


SEED_ROWS = [
    {"id": "t-1", "question": "宇通客车2024年卖了多少辆车?", "answer": "6.5万辆", "evidence": "累计销售各类商用车6.5万辆",
     "kind": "count", "variant": "plain"},
    {"id": "t-2", "question": "宇通2024年营收多少?", "answer": None, "evidence": None, "kind": "money",
     "variant": "unanswerable"},
]
CMRC_ROWS = [
    {"id": "DEV_1", "title": "宇通客车", "context": ARTICLE,
     "qas": [{"id": "DEV_1_QUERY_0", "question": "宇通客车2024年销售了多少辆商用车?", "answers": ["6.5万辆"]},
             {"id": "DEV_1_QUERY_1", "question": "宇通客车2024年销量同比增长多少?", "answers": ["18%"]}]},
    {"id": "DEV_2", "title": "广茂铁路", "context": "广茂铁路是广东省广州市至茂名市的铁路,全长364.6公里,1991年全线通车。",
     "qas": [{"id": "DEV_2_QUERY_0", "question": "广茂铁路全长多少公里?", "answers": ["364.6公里"]}]},
]


def test_our_format_is_detected_and_evidence_locates_the_answer(tmp_path):
    read = read_question_set(write_jsonl(tmp_path / "ours.jsonl", SEED_ROWS), doc_id="a1", article_text=ARTICLE)
    assert read.format == "seed" and read.documents is None
    answerable, unanswerable = read.questions
    assert answerable.answers == ("6.5万辆",) and answerable.kind == "count" and answerable.doc_id == "a1"
    assert ARTICLE[answerable.answer_start : answerable.answer_start + 5] == "6.5万辆"
    assert unanswerable.answers == () and unanswerable.variant == "unanswerable"


def test_cmrc_format_is_detected_and_every_context_becomes_a_document(tmp_path):
    read = read_question_set(write_jsonl(tmp_path / "dev.jsonl", CMRC_ROWS))
    assert read.format == "cmrc"
    assert [d.id for d in read.documents] == ["DEV_1", "DEV_2"]
    assert read.documents[0].text == ARTICLE and read.documents[1].title == "广茂铁路"
    assert [(q.id, q.doc_id) for q in read.questions] == [
        ("DEV_1_QUERY_0", "DEV_1"), ("DEV_1_QUERY_1", "DEV_1"), ("DEV_2_QUERY_0", "DEV_2")]


@pytest.mark.parametrize(
    "predicted, gold, exact, lenient",
    [
        ("6.5万辆", "6.5万辆", True, True),
        ("累计销售6.5万辆", "6.5万辆", False, True),  # a longer span holding the same number
        ("6.6万辆", "6.5万辆", False, False),  # another number
        ("６.５万辆", "6.5万辆", True, True),  # full-width digits
        ("6.5萬輛", "6.5万辆", True, True),  # traditional script
        ("6.5万辆。", "6.5万辆", True, True),  # punctuation is ignored
        ("6.5万", "6.5万辆", False, True),
        ("65万辆", "6.5万辆", False, False),  # digits must agree, not only be contained
        ("2024年6.5万辆", "6.5万辆", False, False),  # an extra number is a different answer
        ("", "6.5万辆", False, False),
    ],
)
def test_exact_and_lenient_match(predicted, gold, exact, lenient):
    assert exact_match(predicted, gold) is exact
    assert lenient_match(predicted, gold) is lenient


def outcome(id, gold, predicted, rank, exact, lenient, kind, variant):
    return QuestionOutcome(id, "问题?", gold, predicted, rank, exact, lenient, kind, variant, "段落")


OUTCOMES = [
    outcome("q1", ["6.5万辆"], "6.5万辆", 1, True, True, "count", "plain"),
    outcome("q2", ["18%"], "同比增长18%", 3, False, True, "percent", "plain"),
    outcome("q3", ["364.6公里"], None, None, False, False, "quantity", "colloquial"),
    outcome("q4", [], None, None, True, True, "money", "unanswerable"),
    outcome("q5", [], "7000亿元", None, False, False, "money", "unanswerable"),
]


def test_summary_figures_on_a_tiny_outcome_list():
    s = summarise(OUTCOMES)
    assert (s.questions, s.answerable) == (5, 3)
    assert s.recall_at_1 == round(1 / 3, 4) and s.recall_at_3 == round(2 / 3, 4)
    assert s.mrr == round((1 + 1 / 3) / 3, 4)
    assert s.exact == round(1 / 3, 4) and s.lenient == round(2 / 3, 4)
    assert s.abstention == 0.5  # q4 said nothing, q5 invented 7000亿元
    assert s.false_abstention == round(1 / 3, 4)  # q3
    assert set(s.by_group) == {"variant", "kind"}
    assert set(s.by_group["kind"]) == {"count", "percent", "quantity", "money"}
    money = s.by_group["kind"]["money"]
    assert (money["questions"], money["answerable"], money["abstention"]) == (2, 0, 0.5)
    assert s.by_group["variant"]["plain"]["recall_at_3"] == 1.0


def test_a_group_without_answerable_questions_shows_dashes_not_zeros():
    s = summarise(OUTCOMES)
    table = format_table({"hybrid (ours)": s, "  kind: money": Summary(**s.by_group["kind"]["money"])})
    money = table.splitlines()[2].split()
    assert money[:3] == ["kind:", "money", "2"]
    assert money[3:] == ["-", "-", "-", "-", "-", "0.500", "-"]


def test_eval_cli_says_which_format_it_read_and_draws_the_chart(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    questions = write_jsonl(tmp_path / "tiny-cmrc.jsonl", CMRC_ROWS)
    chart, report = tmp_path / "table.png", tmp_path / "report.json"
    code = main(["eval", str(questions), "--index", str(tmp_path / "index"), "--compare",
                 "--plot", str(chart), "--json", str(report)])
    out = capsys.readouterr().out
    assert code == 0
    assert "read cmrc format: 3 questions" in out
    for system in ("bm25 only", "dense only", "hybrid (ours)"):
        assert system in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    assert json.loads(report.read_text("utf-8"))["format"] == "cmrc"
