import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import qa
from qa.passages import split_article

NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:%|万亿元|亿元|万元|万辆|万P|个百分点|[万亿年月日辆台个家P°V码元])?")


def _doc(text: str) -> qa.Document:
    return qa.Document(id="t", title="标题", text=text, date="2025-07-28")


def assert_invariants(doc: qa.Document, passages, max_chars: int = 250):
    for p in passages:
        assert doc.text[p.start : p.end] == p.text  # offsets slice back exactly
        assert p.text == p.text.strip()
    # no character lost: everything outside the passages is whitespace
    covered = [False] * len(doc.text)
    for p in passages:
        for i in range(p.start, p.end):
            covered[i] = True
    assert all(c or ch.isspace() for c, ch in zip(covered, doc.text))
    # in order, and overlap only with the previous passage
    for a, b in zip(passages, passages[1:]):
        assert a.start < b.start and a.end < b.end


def test_seed_article_invariants(seed_article):
    passages = split_article(seed_article)
    assert_invariants(seed_article, passages)
    assert 15 <= len(passages) <= 40
    assert all(len(p.text) <= 260 for p in passages)
    # short paragraphs are kept whole: the 宇通 sales paragraph is one passage
    assert any(p.text.startswith("近年来,郑州全力打造") and p.text.endswith("稳居行业前列。") for p in passages)


def test_numbers_are_never_cut(seed_article):
    numbers = {(m.start(), m.end()) for m in NUMBER.finditer(seed_article.text)}
    for p in split_article(seed_article, max_chars=60, min_chars=20):
        for start, end in numbers:
            assert not (start < p.start < end) and not (start < p.end < end), seed_article.text[start:end]


def test_headings_join_the_paragraph_they_introduce(seed_article):
    passages = split_article(seed_article)
    heading = next(p for p in passages if p.text.startswith("宇通客车:从本土企业"))
    assert "\n28日上午" in heading.text
    assert heading.paragraph == 7


def test_long_paragraph_is_split_at_sentences_with_overlap():
    sentence = "郑州市规上工业增加值同比增长8.4%,高于全国2.6个百分点。"
    text = "".join(f"第{i}句：{sentence}" for i in range(12))
    passages = split_article(_doc(text), max_chars=120, min_chars=40)
    assert len(passages) > 2
    assert_invariants(_doc(text), passages)
    for p in passages:
        assert p.text.endswith("。") and len(p.text) <= 120


def test_quotes_are_not_split():
    quote = "“相较传统工厂，产量提升30%以上。人效翻倍，生产周期缩短至9天。”"
    text = "前文很长。" * 30 + "相关负责人说：" + quote + "后文。" * 20
    passages = split_article(_doc(text), max_chars=100, min_chars=30)
    assert any(quote in p.text for p in passages)


def test_ids_are_stable_and_change_with_content(seed_article):
    first = split_article(seed_article)
    assert [p.id for p in first] == [p.id for p in split_article(seed_article)]
    assert first[0].id.startswith("zhengzhou-industry-2025-07-28#0-")
    edited = qa.Document(**{**seed_article.to_dict(), "text": seed_article.text.replace("6.5万辆", "6.6万辆")})
    changed = {p.id for p in split_article(edited)} ^ {p.id for p in first}
    assert len(changed) == 2


_pieces = st.sampled_from(["宇通客车", "销售", "6.5万辆", "，", ",", "。", "！", "；", "\n", "\n\n", "“", "”",
                           "（", "）", "38.1%", "1-5月", "370.25亿元", "40.3°", "１２３", "…", " ", "郑州市", "ab"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_pieces, min_size=1, max_size=120), st.integers(20, 250))
@example(["宇通客车"] * 8 + ["销售", "销售", "“", "，", "，", "１２３", "ab"], 20)  # a length cut inside １２３ab
@example(["宇通客车"] * 4 + ["ab", "38.1%", "宇通客车"], 20)  # and inside ab38.1%
@example(["宇通客车", "宇通客车", "销售", "销售", "销售", "ab", "6.5万辆", "宇通客车"], 20)  # and between 万 and 辆
def test_splitting_property(pieces, max_chars):
    text = "".join(pieces)
    if not text.strip():
        return
    doc = _doc(text)
    passages = split_article(doc, max_chars=max_chars, min_chars=max_chars // 3)
    assert_invariants(doc, passages, max_chars)
    for p in passages:
        for m in NUMBER.finditer(text):
            assert not (m.start() < p.start < m.end()) and not (m.start() < p.end < m.end())
