"""The second news development set (tests/data/news_dev2.jsonl): news_dev conventions, on its own article pool."""
import hashlib

import pytest

from conftest import ROOT, read_jsonl, shared_file
from test_news_dev import KINDS, VARIANTS

NEWS_DEV2 = ROOT / "tests" / "data" / "news_dev2.jsonl"
HELD_APART = [ROOT / "tests" / "data" / "news_dev.jsonl", ROOT / "tests" / "data" / "news_test.jsonl"]


def pool_of(doc_id: str) -> int:
    """The article pool a doc_id belongs to; news_dev2 draws only from pool 1 (pool 2 is another set's)."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 4


@pytest.fixture(scope="module")
def news_dev2() -> list[dict]:
    return read_jsonl(NEWS_DEV2)


def test_news_dev2_rows_follow_the_seed_conventions(news_dev2):
    assert [q["id"] for q in news_dev2] == [f"newsdev2-{n:03d}" for n in range(1, len(news_dev2) + 1)]
    for q in news_dev2:
        assert q["kind"] in KINDS and q["variant"] in VARIANTS and q["doc_id"], q["id"]
        if q["variant"] == "unanswerable":
            assert q["answer"] is None and q["evidence"] is None and "alternatives" not in q, q["id"]
        else:
            assert q["answer"] in q["evidence"] and 10 <= len(q["evidence"]) <= 40, q["id"]
    answerable = [q for q in news_dev2 if q["answer"]]
    assert len(answerable) >= 80 and len(news_dev2) - len(answerable) >= 20
    assert len({q["doc_id"] for q in news_dev2}) >= 16


def test_news_dev2_draws_only_on_its_own_pool_and_no_other_sets_article(news_dev2):
    assert {pool_of(q["doc_id"]) for q in news_dev2} == {1}
    held_apart = {q["doc_id"] for path in HELD_APART for q in read_jsonl(path)}
    assert not {q["doc_id"] for q in news_dev2} & held_apart


def test_news_dev2_evidence_is_unique_in_its_article(news_dev2):
    archive = shared_file("bench", "news", "articles.jsonl")
    texts = {a["id"]: a["text"] for a in read_jsonl(archive)}
    for q in news_dev2:
        assert q["doc_id"] in texts, q["id"]
        text = texts[q["doc_id"]]
        if q["evidence"]:
            assert text.count(q["evidence"]) == 1, q["id"]
        for alternative in q.get("alternatives", ()):
            assert alternative in text, q["id"]
