"""The third news development set (tests/data/news_dev3.jsonl): news_dev conventions, its own article pool."""
import hashlib

import pytest

from conftest import ROOT, read_jsonl, shared_file
from test_news_dev import KINDS, VARIANTS

NEWS_DEV3 = ROOT / "tests" / "data" / "news_dev3.jsonl"
NEWS_DEV = ROOT / "tests" / "data" / "news_dev.jsonl"
NEWS_TEST = ROOT / "tests" / "data" / "news_test.jsonl"


def pool_of(doc_id: str) -> int:
    """The article pool a doc_id belongs to; news_dev3 draws only from pool 2 (another set takes pool 1)."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 4


@pytest.fixture(scope="module")
def news_dev3() -> list[dict]:
    return read_jsonl(NEWS_DEV3)


def test_news_dev3_rows_follow_the_seed_conventions(news_dev3):
    assert [q["id"] for q in news_dev3] == [f"newsdev3-{n:03d}" for n in range(1, len(news_dev3) + 1)]
    for q in news_dev3:
        assert q["kind"] in KINDS and q["variant"] in VARIANTS and q["doc_id"], q["id"]
        if q["variant"] == "unanswerable":
            assert q["answer"] is None and q["evidence"] is None and "alternatives" not in q, q["id"]
        else:
            assert q["answer"] in q["evidence"] and 10 <= len(q["evidence"]) <= 40, q["id"]
        if q["variant"] == "fullwidth":
            assert any("０" <= c <= "９" for c in q["question"]), q["id"]
    answerable = [q for q in news_dev3 if q["answer"]]
    assert len(answerable) >= 80 and len(news_dev3) - len(answerable) >= 20
    assert len({q["doc_id"] for q in news_dev3}) >= 16


def test_news_dev3_is_about_its_own_pool_of_articles(news_dev3):
    others = {q["doc_id"] for path in (NEWS_DEV, NEWS_TEST) for q in read_jsonl(path)}
    doc_ids = {q["doc_id"] for q in news_dev3}
    assert not doc_ids & others
    assert {pool_of(d) for d in doc_ids} == {2}


def test_news_dev3_evidence_is_unique_in_its_article(news_dev3):
    archive = shared_file("bench", "news", "articles.jsonl")
    texts = {a["id"]: a["text"] for a in read_jsonl(archive)}
    for q in news_dev3:
        assert q["doc_id"] in texts, q["id"]
        text = texts[q["doc_id"]]
        if q["evidence"]:
            assert text.count(q["evidence"]) == 1, q["id"]
        for alternative in q.get("alternatives", ()):
            assert alternative in text, q["id"]
