"""The held-out test set (tests/data/news_test.jsonl): same conventions as news_dev.jsonl, on other articles."""
import pytest

from conftest import ROOT, read_jsonl, shared_file
from test_news_dev import KINDS, VARIANTS

NEWS_TEST = ROOT / "tests" / "data" / "news_test.jsonl"
NEWS_DEV = ROOT / "tests" / "data" / "news_dev.jsonl"


@pytest.fixture(scope="module")
def news_test() -> list[dict]:
    return read_jsonl(NEWS_TEST)


def test_news_test_rows_follow_the_seed_conventions(news_test):
    assert [q["id"] for q in news_test] == [f"newstest-{n:03d}" for n in range(1, len(news_test) + 1)]
    for q in news_test:
        assert q["kind"] in KINDS and q["variant"] in VARIANTS and q["doc_id"], q["id"]
        if q["variant"] == "unanswerable":
            assert q["answer"] is None and q["evidence"] is None and "alternatives" not in q, q["id"]
        else:
            assert q["answer"] in q["evidence"] and 10 <= len(q["evidence"]) <= 40, q["id"]
    answerable = [q for q in news_test if q["answer"]]
    assert len(answerable) >= 55 and len(news_test) - len(answerable) >= 15
    assert len({q["doc_id"] for q in news_test}) >= 12


def test_news_test_is_about_other_articles_than_news_dev(news_test):
    assert not {q["doc_id"] for q in news_test} & {q["doc_id"] for q in read_jsonl(NEWS_DEV)}


def test_news_test_evidence_is_unique_in_its_article(news_test):
    archive = shared_file("bench", "news", "articles.jsonl")
    texts = {a["id"]: a["text"] for a in read_jsonl(archive)}
    for q in news_test:
        assert q["doc_id"] in texts, q["id"]
        text = texts[q["doc_id"]]
        if q["evidence"]:
            assert text.count(q["evidence"]) == 1, q["id"]
        for alternative in q.get("alternatives", ()):
            assert alternative in text, q["id"]
