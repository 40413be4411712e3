"""HTML rendering for the chat: untrusted text is escaped, and the only markup is ours, at the right offsets."""
import html
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.reader import Answer, Highlight, RankedPassage, Result
from qa.passages import Passage
from qa.index import ArticleSummary
from qa.render import (NOT_FOUND, UNSURE, answer_line_html, corpus_html, highlighted_html, message_html, render_html,
                       render_text)

# The tags and attributes render_html may write; anything else in its output came from the article.
OUR_TAGS = {"div", "p", "strong", "span", "ol", "li", "mark", "br"}
OUR_ATTRIBUTES = {"class"}

HOSTILE = [
    '<script>window.__pwned=1</script>',
    '<img src="http://example.invalid/x.png" onerror="window.__pwned=2">',
    '<iframe srcdoc="<script>parent.__pwned=3</script>"></iframe>',
    '<a href="javascript:window.__pwned=4">点我</a>',
    '[点我](javascript:window.__pwned=5)',
    '![图](http://example.invalid/y.png)',
    '<svg onload="window.__pwned=6"></svg>',
    '"><style>body{background:url(http://example.invalid/z.png)}</style>',
    '&lt;script&gt; &amp; &#x3C;b&#x3E;',
]


class Markup(HTMLParser):
    """Every tag with its attributes, the visible text, and the text inside each <mark> with its class."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.marks: list[tuple[str, int, str]] = []  # (class, offset in visible text, text)
        self._open_mark = None
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "br":
            self.text.append("\n")
        if tag == "mark":
            self._open_mark = (dict(attrs).get("class"), len(self.visible))

    def handle_endtag(self, tag):
        if tag == "mark" and self._open_mark:
            css, start = self._open_mark
            self.marks.append((css, start, self.visible[start:]))
            self._open_mark = None

    def handle_data(self, data):
        self.text.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def passage(text: str, title: str = "测试新闻", date: str | None = "2025-07-28", paragraph: int = 3) -> Passage:
    return Passage(id="doc-1#0", doc_id="doc-1", title=title, date=date, source="测试", paragraph=paragraph,
                   ordinal=0, start=0, end=len(text), text=text)


def ranked(text: str, spans: list[tuple[int, int, bool]], rank: int = 1, **meta) -> RankedPassage:
    highlights = tuple(Highlight(s, e, text[s:e], None, "", "number", answer=a) for s, e, a in spans)
    return RankedPassage(rank, passage(text, **meta), 0.876, highlights)


def result_for(p: RankedPassage, question: str = "测试公司2024年卖了多少辆车?", score: float = 0.93) -> Result:
    answer_highlight = next((h for h in p.highlights if h.answer), None)
    answer = None
    if answer_highlight:
        answer = Answer(answer_highlight.text, 300.0, "辆", "count", 1, answer_highlight.start, answer_highlight.end,
                        score)
    return Result(question, answer, (p,))


def assert_only_our_markup(source: str) -> Markup:
    markup = Markup(source)
    for tag, attrs in markup.tags:
        assert tag in OUR_TAGS, f"foreign tag <{tag}> in {source!r}"
        assert set(attrs) <= OUR_ATTRIBUTES, f"foreign attributes {attrs} on <{tag}>"
        assert all(value.startswith("qa-") for value in attrs.values()), attrs
    return markup


def test_docstring_example():
    text = "2024年累计销售<b>6.5万辆</b>"
    p = ranked(text, [(0, 5, False), (12, 17, True)])
    assert highlighted_html(p) == ('<mark class="qa-number">2024年</mark>累计销售&lt;b&gt;'
                                   '<mark class="qa-answer">6.5万辆</mark>&lt;/b&gt;')


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_passage_text_is_shown_as_text(hostile):
    text = f"{hostile}测试公司2024年卖出了300辆车。{hostile}"
    start = text.index("300辆")
    p = ranked(text, [(text.index("2024年"), text.index("2024年") + 5, False), (start, start + 4, True)],
               title=hostile)
    page = render_html(result_for(p))
    markup = assert_only_our_markup(page)
    assert hostile in markup.visible  # shown literally, twice in the text and in the title line and answer line
    assert markup.visible.count(hostile) >= 3
    assert "javascript:" not in "".join(str(a) for _, a in markup.tags)
    assert [(css, body) for css, _, body in markup.marks] == [("qa-number", "2024年"), ("qa-answer", "300辆")]


def test_highlights_index_the_original_text_even_after_characters_that_escaping_lengthens():
    # '&', '<', '"' become 5, 4 and 6 characters: offsets must be applied before escaping, not after.
    text = '营收&利润<"双增">,2024年卖出300辆,增长12.5%'
    spans = [(text.index("2024年"), text.index("2024年") + 5, False), (text.index("300辆"), text.index("300辆") + 4, True),
             (text.index("12.5%"), text.index("12.5%") + 5, False)]
    markup = assert_only_our_markup(highlighted_html(ranked(text, spans)))
    assert markup.visible == text
    assert [(css, start, body) for css, start, body in markup.marks] == [
        ("qa-number", spans[0][0], "2024年"), ("qa-answer", spans[1][0], "300辆"), ("qa-number", spans[2][0], "12.5%")]


def test_answer_strongly_other_numbers_lightly():
    text = "宇通客车2024年累计销售各类商用车6.5万辆,同比增长43.8%。"
    spans = [(4, 9, False), (18, 23, True), (28, 33, False)]
    page = render_html(result_for(ranked(text, spans)))
    markup = assert_only_our_markup(page)
    assert [(css, body) for css, _, body in markup.marks] == [
        ("qa-number", "2024年"), ("qa-answer", "6.5万辆"), ("qa-number", "43.8%")]
    assert '答：<strong class="qa-answer-text">6.5万辆</strong>' in page
    assert "（测试新闻，2025-07-28，第3段）" in markup.visible
    assert "得分 0.88" in markup.visible and "第3段" in markup.visible


def test_an_unsure_answer_is_said_to_be_unsure():
    p = ranked("宇通客车2024年累计销售各类商用车6.5万辆,同比增长43.8%。", [(18, 23, True)])
    sure, unsure = (answer_line_html(result_for(p, score=score)) for score in (0.93, 0.2))
    assert UNSURE not in sure and '答：<span class="qa-unsure">可能是</span><strong class="qa-answer-text">6.5万辆' in unsure
    assert f"答：{UNSURE}【6.5万辆】" in render_text(result_for(p, score=0.2))


def test_not_found_is_said_honestly():
    p = ranked("郑州今年的工业产值增长较快。", [])
    result = Result("郑州有多少只熊猫?", None, (p,))
    assert NOT_FOUND in answer_line_html(result)
    assert "<strong" not in answer_line_html(result)
    assert Markup(render_html(result)).marks == []


def test_missing_date_and_line_breaks():
    text = "宇通客车:从本土企业到全球领跑者\n28日上午,记者看到"
    page = render_html(result_for(ranked(text, [(17, 20, False)], date=None)))
    markup = assert_only_our_markup(page)
    assert "日期不详" in markup.visible
    assert text in markup.visible  # the line break survives as <br>


def test_overlapping_or_out_of_range_highlights_do_not_duplicate_text():
    text = "增长12.5%以上"
    p = RankedPassage(1, passage(text), 0.5, (
        Highlight(2, 7, "12.5%", 12.5, "%", "percent", answer=True),
        Highlight(4, 9, ".5%以上", None, "", "number"),
        Highlight(8, 40, "上", None, "", "number"),
    ))
    assert Markup(highlighted_html(p)).visible == text


def test_messages_and_corpus_line_are_escaped():
    assert message_html('<img src=x onerror="alert(1)">你好') == \
        '<div class="qa-message">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;你好</div>'
    documents = [ArticleSummary("a", "<script>x</script>郑州产业", "2025-07-28", "大河报", 3),
                 ArticleSummary("b", "宇通客车", "2024-01-02", None, 1)]
    line = corpus_html(documents)
    markup = assert_only_our_markup(line)
    assert "共 2 篇文章" in markup.visible
    assert "《<script>x</script>郑州产业》（2025-07-28）" in markup.visible
    assert "《宇通客车》（2024-01-02）" in markup.visible
    many = [ArticleSummary(str(i), f"第{i}篇", f"2025-01-{i + 1:02d}", None, 1) for i in range(5)]
    assert "2025-01-01 至 2025-01-05" in corpus_html(many) and " 等" in corpus_html(many)
    assert "还没有文章" in corpus_html([])


ALPHABET = st.sampled_from(list("<>&\"'/=:;() \n宇通客车万辆年%0123456789abcjs"))


@st.composite
def passages_with_highlights(draw):
    text = draw(st.text(ALPHABET, min_size=1, max_size=80))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = [(s, e, draw(st.booleans())) for s, e in zip(cuts[::2], cuts[1::2]) if s < e]
    return text, spans


@settings(max_examples=200, deadline=None)
@given(passages_with_highlights())
def test_any_text_round_trips_and_marks_sit_at_their_offsets(case):
    text, spans = case
    markup = assert_only_our_markup(highlighted_html(ranked(text, spans)))
    assert markup.visible == text.replace("\r\n", "\n")
    assert [(start, body) for _, start, body in markup.marks] == [(s, text[s:e]) for s, e, _ in spans]
    assert [css for css, _, _ in markup.marks] == ["qa-answer" if a else "qa-number" for _, _, a in spans]
    assert html.unescape(highlighted_html(ranked(text, []))).replace("<br>", "\n") == text


def test_a_change_says_which_way_it_went():
    from qa.numbers import find_numbers

    text = "营业收入降幅为3.4%，净利润同比下降12.1%"
    fall, stated = find_numbers(text)
    p = ranked(text, [(fall.start, fall.end, True)])
    unsaid = Answer(fall.text, 3.4, "%", "percent", 1, fall.start, fall.end, 0.9, "", "down", (fall,))
    line = answer_line_html(Result("营业收入增长了多少?", unsaid, (p,)))
    assert "3.4%</strong>" in line and "（降幅）" in line  # the verb is not beside the figure: said for it
    assert "（降幅）" in render_text(Result("营业收入增长了多少?", unsaid, (p,)))
    said = Answer("下降12.1%", 12.1, "%", "percent", 1, stated.start - 2, stated.end, 0.9, "", "down", (stated,))
    assert said.figure_text == "12.1%"
    assert "（降幅）" not in answer_line_html(Result("净利润增长了多少?", said, (p,)))
