"""Our news question sets (tests/data/news_*.jsonl): seed_dev's conventions, each on its own articles.

news_dev … news_dev5 are developed on (the first three fitted on); news_test … news_test5 are held out. Sets drawn
from a pool take only articles whose sha1(id) % 4 is that pool, and no set shares an article with one listed as apart
from it.
"""
import hashlib
from dataclasses import dataclass

import pytest

import conftest
from conftest import ROOT, read_jsonl, shared_file

KINDS = {"count", "money", "percent", "percentage_points", "date", "duration", "speed", "angle", "compute",
         "voltage", "quantity", "ordinal", "number"}
VARIANTS = {"plain", "paraphrase", "colloquial", "traditional", "fullwidth", "unanswerable"}


@dataclass(frozen=True)
class NewsSet:
    name: str
    id_prefix: str
    min_answerable: int
    min_unanswerable: int
    min_articles: int
    pool: int | None = None
    apart_from: tuple[str, ...] = ()
    fullwidth: str = ""  # "implies": a fullwidth variant has a full-width digit; "iff": and only it has one


SETS = [
    NewsSet("news_dev", "news", 60, 15, 12),
    NewsSet("news_test", "newstest", 55, 15, 12, apart_from=("news_dev",)),
    NewsSet("news_dev2", "newsdev2", 80, 20, 16, pool=1, apart_from=("news_dev", "news_test")),
    NewsSet("news_dev3", "newsdev3", 80, 20, 16, pool=2, apart_from=("news_dev", "news_test"), fullwidth="implies"),
    NewsSet("news_test2", "newstest2", 75, 20, 16, pool=3,
            apart_from=("news_dev", "news_dev2", "news_dev3", "news_test"), fullwidth="iff"),
    NewsSet("news_test3", "newstest3", 75, 20, 16, pool=0,
            apart_from=("news_dev", "news_dev2", "news_dev3", "news_test", "news_test2"), fullwidth="iff"),
    NewsSet("news_test4", "newstest4", 75, 20, 16, pool=1,
            apart_from=("news_dev", "news_dev2", "news_dev3", "news_test", "news_test2", "news_test3"),
            fullwidth="iff"),
    NewsSet("news_dev4", "newsdev4", 80, 20, 16, pool=3,
            apart_from=("news_dev", "news_dev2", "news_dev3", "news_test", "news_test2", "news_test3", "news_test4"),
            fullwidth="iff"),
    NewsSet("news_dev5", "newsdev5", 80, 20, 16, pool=0,
            apart_from=("news_dev", "news_dev2", "news_dev3", "news_dev4", "news_test", "news_test2", "news_test3",
                        "news_test4"), fullwidth="iff"),
    NewsSet("news_test5", "newstest5", 75, 20, 16, pool=2,
            apart_from=("news_dev", "news_dev2", "news_dev3", "news_dev4", "news_dev5", "news_test", "news_test2",
                        "news_test3", "news_test4"), fullwidth="iff"),
]


def rows_of(name: str) -> list[dict]:
    return read_jsonl(ROOT / "tests" / "data" / f"{name}.jsonl")


@pytest.mark.parametrize("news_set", SETS, ids=lambda s: s.name)
def test_rows_follow_the_seed_conventions(news_set):
    rows = rows_of(news_set.name)
    assert [q["id"] for q in rows] == [f"{news_set.id_prefix}-{n:03d}" for n in range(1, len(rows) + 1)]
    for q in rows:
        assert q["kind"] in KINDS and q["variant"] in VARIANTS and q["doc_id"], q["id"]
        if q["variant"] == "unanswerable":
            assert q["answer"] is None and q["evidence"] is None and "alternatives" not in q, q["id"]
        else:
            assert q["answer"] in q["evidence"] and 10 <= len(q["evidence"]) <= 40, q["id"]
        has_fullwidth_digit = any("０" <= c <= "９" for c in q["question"])
        if news_set.fullwidth == "iff":
            assert has_fullwidth_digit == (q["variant"] == "fullwidth"), q["id"]
        elif news_set.fullwidth == "implies" and q["variant"] == "fullwidth":
            assert has_fullwidth_digit, q["id"]
    answerable = [q for q in rows if q["answer"]]
    assert len(answerable) >= news_set.min_answerable
    assert len(rows) - len(answerable) >= news_set.min_unanswerable
    assert len({q["doc_id"] for q in rows}) >= news_set.min_articles


@pytest.mark.parametrize("news_set", [s for s in SETS if s.apart_from or s.pool is not None], ids=lambda s: s.name)
def test_each_set_is_about_its_own_articles(news_set):
    doc_ids = {q["doc_id"] for q in rows_of(news_set.name)}
    assert not doc_ids & {q["doc_id"] for name in news_set.apart_from for q in rows_of(name)}
    if news_set.pool is not None:
        assert {int(hashlib.sha1(d.encode()).hexdigest(), 16) % 4 for d in doc_ids} == {news_set.pool}


@pytest.mark.parametrize("news_set", SETS, ids=lambda s: s.name)
def test_evidence_is_unique_in_its_article(news_set):
    archive = shared_file("bench", "news", "articles.jsonl")
    texts = {a["id"]: a["text"] for a in read_jsonl(archive)}
    for q in rows_of(news_set.name):
        assert q["doc_id"] in texts, q["id"]
        text = texts[q["doc_id"]]
        if q["evidence"]:
            assert text.count(q["evidence"]) == 1, q["id"]
        for alternative in q.get("alternatives", ()):
            assert alternative in text, q["id"]


def test_the_archive_check_skips_without_the_shared_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "shared")
    with pytest.raises(pytest.skip.Exception):
        test_evidence_is_unique_in_its_article(SETS[0])
