"""The second held-out test set (tests/data/news_test2.jsonl): news_dev conventions, articles from pool 3 only."""
import hashlib

import pytest

import conftest
from conftest import ROOT, read_jsonl, shared_file
from test_news_dev import KINDS, VARIANTS

NEWS_TEST2 = ROOT / "tests" / "data" / "news_test2.jsonl"
OTHER_NEWS_SETS = [ROOT / "tests" / "data" / f"{name}.jsonl"
                   for name in ("news_dev", "news_dev2", "news_dev3", "news_test")]


def pool_of(doc_id: str) -> int:
    """The article pool a doc_id belongs to; news_test2 draws only from pool 3."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 4


@pytest.fixture(scope="module")
def news_test2() -> list[dict]:
    return read_jsonl(NEWS_TEST2)


def test_news_test2_rows_follow_the_seed_conventions(news_test2):
    assert [q["id"] for q in news_test2] == [f"newstest2-{n:03d}" for n in range(1, len(news_test2) + 1)]
    for q in news_test2:
        assert q["kind"] in KINDS and q["variant"] in VARIANTS and q["doc_id"], q["id"]
        if q["variant"] == "unanswerable":
            assert q["answer"] is None and q["evidence"] is None and "alternatives" not in q, q["id"]
        else:
            assert q["answer"] in q["evidence"] and 10 <= len(q["evidence"]) <= 40, q["id"]
        has_fullwidth_digit = any("０" <= c <= "９" for c in q["question"])
        assert has_fullwidth_digit == (q["variant"] == "fullwidth"), q["id"]
    answerable = [q for q in news_test2 if q["answer"]]
    assert len(answerable) >= 75 and len(news_test2) - len(answerable) >= 20
    assert len({q["doc_id"] for q in news_test2}) >= 16


def test_news_test2_is_about_its_own_pool_of_articles(news_test2):
    others = {q["doc_id"] for path in OTHER_NEWS_SETS for q in read_jsonl(path)}
    doc_ids = {q["doc_id"] for q in news_test2}
    assert not doc_ids & others
    assert {pool_of(d) for d in doc_ids} == {3}


def test_news_test2_evidence_is_unique_in_its_article(news_test2):
    archive = shared_file("bench", "news", "articles.jsonl")
    texts = {a["id"]: a["text"] for a in read_jsonl(archive)}
    for q in news_test2:
        assert q["doc_id"] in texts, q["id"]
        text = texts[q["doc_id"]]
        if q["evidence"]:
            assert text.count(q["evidence"]) == 1, q["id"]
        for alternative in q.get("alternatives", ()):
            assert alternative in text, q["id"]


def test_the_archive_check_skips_without_the_shared_folder(news_test2, tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "shared")
    with pytest.raises(pytest.skip.Exception):
        test_news_test2_evidence_is_unique_in_its_article(news_test2)
