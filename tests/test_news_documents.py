"""Evaluating our question sets against an article archive (`qa eval --documents`)."""
import json

import pytest

from qa.cli import main
from qa.errors import CorpusError, QuestionError
from qa.evaluate import read_question_set, run_eval, with_documents
from qa.settings import Settings


# Two articles share the answer string 18% at different offsets: its position must come from the question's own
# article. Distractors are the rest of the archive.
ARTICLES = [
    {"id": "yutong", "title": "宇通客车销量", "text": "宇通客车2024年累计销售各类商用车6.5万辆,同比增长18%。"},
    {"id": "guangmao", "title": "广茂铁路",
     "text": "广茂铁路是广东省广州市至茂名市的铁路,全长364.6公里,2024年客流同比增长18%。"},
    *({"id": f"other-{n}", "title": f"快讯{n}", "text": f"某市第{n}批重点项目集中开工,总投资{n}0亿元。"} for n in range(6)),
]
QUESTIONS = [
    {"id": "t-1", "question": "宇通客车2024年销量同比增长多少?", "answer": "18%", "evidence": "6.5万辆,同比增长18%",
     "kind": "percent", "variant": "plain", "doc_id": "yutong"},
    {"id": "t-2", "question": "广茂铁路2024年客流同比增长多少?", "answer": "18%", "evidence": "2024年客流同比增长18%",
     "kind": "percent", "variant": "plain", "doc_id": "guangmao"},
    {"id": "t-3", "question": "广茂铁路的票价是多少?", "answer": None, "evidence": None, "kind": "money",
     "variant": "unanswerable", "doc_id": "guangmao"},
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def archive_and_questions(tmp_path):
    return write_jsonl(tmp_path / "articles.jsonl", ARTICLES), write_jsonl(tmp_path / "tiny-news.jsonl", QUESTIONS)


def test_documents_are_the_named_articles_plus_the_same_distractors_in_any_file_order(tmp_path, archive_and_questions):
    archive, questions = archive_and_questions
    read = with_documents(questions, archive, distractors=3)
    ids = [d.id for d in read.documents]
    assert ids[:2] == ["guangmao", "yutong"] and len(ids) == 5 and all(i.startswith("other-") for i in ids[2:])
    assert read.index_name == "tiny-news-3d"
    reversed_archive = write_jsonl(tmp_path / "reversed.jsonl", ARTICLES[::-1])
    assert [d.id for d in with_documents(questions, reversed_archive, distractors=3).documents] == ids
    assert len(with_documents(questions, archive, distractors=100).documents) == len(ARTICLES)


def test_answer_positions_are_found_in_each_questions_own_article(archive_and_questions):
    archive, questions = archive_and_questions
    read = with_documents(questions, archive, distractors=0)
    texts = {d.id: d.text for d in read.documents}
    for q, row in zip(read.questions[:2], QUESTIONS):
        text = texts[row["doc_id"]]
        assert q.doc_id == row["doc_id"] and text[q.answer_start : q.answer_start + 3] == "18%"
        assert q.answer_start == text.index(row["evidence"]) + row["evidence"].index("18%")
    assert read.questions[0].answer_start != read.questions[1].answer_start
    assert read.questions[2].answers == () and read.questions[2].answer_start is None


def test_user_errors_name_the_file_or_the_article(tmp_path, archive_and_questions):
    archive, questions = archive_and_questions
    with pytest.raises(CorpusError, match="articles file not found.*missing.jsonl"):
        with_documents(questions, tmp_path / "missing.jsonl")
    with pytest.raises(QuestionError, match="question file not found"):
        read_question_set(tmp_path / "nothing.jsonl")
    stray = write_jsonl(tmp_path / "stray.jsonl", [{**QUESTIONS[0], "doc_id": "no-such-article"}])
    with pytest.raises(QuestionError, match="no-such-article"):
        with_documents(stray, archive)
    unnamed = write_jsonl(tmp_path / "unnamed.jsonl", [{k: v for k, v in QUESTIONS[0].items() if k != "doc_id"}])
    with pytest.raises(QuestionError, match="without doc_id.*t-1"):
        with_documents(unnamed, archive)
    with pytest.raises(QuestionError, match=">= 0"):
        with_documents(questions, archive, distractors=-1)


def test_without_documents_a_set_about_other_articles_says_to_pass_them(tmp_path, archive_and_questions):
    _, questions = archive_and_questions
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "zhengzhou.txt").write_text("郑州工业\n宇通客车2024年累计销售各类商用车6.5万辆。", "utf-8")
    settings = Settings().replace(corpus_dir=corpus, index_dir=tmp_path / "index")
    with pytest.raises(QuestionError, match="2 个 doc_id.*guangmao.*--documents"):
        run_eval(questions, settings)


def test_eval_cli_with_documents_indexes_them_once_under_set_name_and_distractors(tmp_path, archive_and_questions,
                                                                                  monkeypatch, capsys):
    archive, questions = archive_and_questions
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    report_path = tmp_path / "report.json"
    args = ["eval", str(questions), "--documents", str(archive), "--distractors", "2", "--json", str(report_path)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "read seed format: 3 questions from" in out and "(4 articles indexed)" in out
    cached = tmp_path / "index" / "eval" / "tiny-news-2d"
    build = (cached / "CURRENT").read_text().strip()
    report = json.loads(report_path.read_text("utf-8"))
    assert report["documents"] == 4
    ranks = {o["id"]: o["passage_rank"] for o in report["outcomes"]}
    assert ranks["t-1"] == 1 and ranks["t-2"] == 1  # judged at the gold position in each question's article
    assert main(args) == 0
    assert (cached / "CURRENT").read_text().strip() == build  # the cached index was reused, not rebuilt
