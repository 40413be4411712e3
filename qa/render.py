"""Turning a Result into something a person reads: plain text for the terminal (HTML for the chat lives here too)."""
from __future__ import annotations

from html import escape as _escape
from typing import Sequence

from .index import ArticleSummary
from .reader import RankedPassage, Result

NOT_FOUND = "文中未找到确切数字"
NOT_A_NUMBER = "这个问题问的不是数字，下面是最相关的段落，问题里的关键词已标出。"
STATED = "文中原话，非数字答案"  # a name a passage states, given as text (TextAnswer)
# Below this calibrated probability an answer is more likely wrong than right: it is shown, but said to be unsure.
UNSURE_BELOW = 0.5
UNSURE = "可能是"


# A change figure whose verb is not part of the answer's text (增长了多少 → 3.4% of 降幅为3.4%) still says which way.
DIRECTION_NOTES = {"up": "增幅", "down": "降幅"}


def _source_line(p: RankedPassage) -> str:
    parts = [p.passage.title, p.passage.date or "日期不详", f"第{p.passage.paragraph}段"]
    return "，".join(parts)


def marked_text(p: RankedPassage, answer_mark: tuple[str, str] = ("【", "】"),
                number_mark: tuple[str, str] = ("", "")) -> str:
    """The passage text with the answer (and optionally the other numbers) wrapped in the given marks."""
    out, cursor = [], 0
    for h in p.highlights:
        open_mark, close_mark = answer_mark if h.answer else number_mark
        out.append(p.passage.text[cursor : h.start])
        out.append(f"{open_mark}{p.passage.text[h.start:h.end]}{close_mark}")
        cursor = h.end
    out.append(p.passage.text[cursor:])
    return "".join(out)


def understood_line(result: Result) -> str:
    """「按“中原动力2023年净利润是多少”理解」 when a follow-up was read with what earlier turns said, else ""."""
    if result.understood_as == result.question:
        return ""
    return f"按“{result.understood_as}”理解"


def keyword_text(p: RankedPassage, mark: tuple[str, str] = ("〔", "〕")) -> str:
    """The passage text with the question's key words wrapped in the given marks, and the text answer in 【】."""
    out, cursor = [], 0
    spans = [(k.start, k.end, mark) for k in p.keywords] + ([(*p.stated, ("【", "】"))] if p.stated else [])
    for start, end, (open_mark, close_mark) in sorted(spans):
        out.append(p.passage.text[cursor:start])
        out.append(f"{open_mark}{p.passage.text[start:end]}{close_mark}")
        cursor = end
    out.append(p.passage.text[cursor:])
    return "".join(out)


def render_text(result: Result) -> str:
    """Terminal output: the answer line, then each passage with its source and the answer in 【】 (for a question
    that asks for no number, its key words in 〔〕)."""
    lines = [f"问：{result.question}"]
    if understood := understood_line(result):
        lines.append(f"（{understood}）")
    if not result.asks_number and result.text_answer is not None:
        source = _source_line(result.passages[result.text_answer.passage_rank - 1])
        lines.append(f"答：【{result.text_answer.text}】（{STATED}；{source}）")
        lines.append(f"　{NOT_A_NUMBER}")
    elif not result.asks_number:
        lines.append(f"答：{NOT_A_NUMBER}")
    elif result.answer is not None:
        source = _source_line(result.passages[result.answer.passage_rank - 1])
        unsure = UNSURE if result.answer.score < UNSURE_BELOW else ""
        period = f"{result.answer.period}；" if result.answer.period else ""
        lines.append(f"答：{unsure}【{result.answer.text}】{direction_note(result.answer)}（{period}{source}；"
                     f"置信度 {result.answer.score:.2f}）")
        lines.extend(f"　{note}" for note in answer_notes(result.answer))
    else:
        lines.append(f"答：{NOT_FOUND}")
    for p in result.passages:
        lines.append("")
        lines.append(f"[{p.rank}] {_source_line(p)}  得分 {p.score:.2f}")
        lines.append(marked_text(p) if result.asks_number else keyword_text(p))
    return "\n".join(lines)


# --- HTML for the chat -----------------------------------------------------------------------------------------
# Passage text, titles and questions come from outside (articles from anywhere, users typing anything): every piece
# of it goes through html.escape, and the only tags in the output are the ones written below. The chat shows this
# HTML without Markdown, so escaped text cannot turn into links or images either.

ANSWER_CLASS = "qa-answer"
NUMBER_CLASS = "qa-number"
KEYWORD_CLASS = "qa-keyword"


def _text_html(text: str) -> str:
    """Untrusted text as HTML: escaped, line breaks kept."""
    return _escape(text, quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def highlighted_html(p: RankedPassage) -> str:
    """The passage text, escaped, with the answer in <mark class="qa-answer"> and other numbers in
    <mark class="qa-number">, and the question's key words (kept for questions that ask for no number) in
    <mark class="qa-keyword">.

    >>> highlighted_html(p)   # passage '2024年累计销售<b>6.5万辆</b>', answer at 12..17
    '<mark class="qa-number">2024年</mark>累计销售&lt;b&gt;<mark class="qa-answer">6.5万辆</mark>&lt;/b&gt;'

    Offsets index the original text, so the pieces between them are escaped one by one (escaping first would
    shift every offset after a '<' or '&').
    """
    text = p.passage.text
    marks = [(h.start, h.end, ANSWER_CLASS if h.answer else NUMBER_CLASS) for h in p.highlights]
    marks += [(k.start, k.end, KEYWORD_CLASS) for k in p.keywords]
    marks += [(*p.stated, ANSWER_CLASS)] if p.stated else []
    out, cursor = [], 0
    for start, end, css in sorted(marks):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:  # overlapping or out-of-range highlight: the text is shown once, unmarked
            continue
        out.append(_text_html(text[cursor:start]))
        out.append(f'<mark class="{css}">{_text_html(text[start:end])}</mark>')
        cursor = end
    out.append(_text_html(text[cursor:]))
    return "".join(out)


def _source_html(p: RankedPassage) -> str:
    return _escape(_source_line(p))


def answer_line_html(result: Result) -> str:
    """「答：<strong>6.5万辆</strong>（title，date，第N段）」, 「答：可能是<strong>…」 when unsure, or the honest
    not-found sentence; for a question that asks for no number, the sentence that says so."""
    understood = understood_line(result)
    understood = f'<p class="qa-understood">{_text_html(understood)}</p>' if understood else ""
    if not result.asks_number and result.text_answer is not None and result.passages:
        source = _source_html(result.passages[result.text_answer.passage_rank - 1])
        return (f'{understood}<p class="qa-answer-line qa-text-answer">答：<strong class="qa-answer-text">'
                f'{_text_html(result.text_answer.text)}</strong><span class="qa-answer-source">（{STATED}；{source}）'
                f'</span></p><p class="qa-note qa-not-a-number">{NOT_A_NUMBER}</p>')
    if not result.asks_number:
        return f'{understood}<p class="qa-answer-line qa-not-a-number">{NOT_A_NUMBER}</p>'
    if result.answer is None or not result.passages:
        return f'{understood}<p class="qa-answer-line qa-not-found">答：{NOT_FOUND}</p>'
    answer = result.answer
    source = _source_html(result.passages[answer.passage_rank - 1])
    period = f'<span class="qa-period">{_text_html(answer.period)}</span>；' if answer.period else ""
    unsure = f'<span class="qa-unsure">{UNSURE}</span>' if answer.score < UNSURE_BELOW else ""
    notes = "".join(f'<p class="qa-note {css}">{_text_html(note)}</p>'
                    for css, note in zip(("qa-sources", "qa-conflicts", "qa-alternatives"), _notes(answer)) if note)
    return (f'{understood}<p class="qa-answer-line">答：{unsure}<strong class="qa-answer-text">{_text_html(answer.text)}'
            f'</strong>{_direction_html(answer)}<span class="qa-answer-source">（{period}{source}）</span></p>{notes}')


def _article(entry) -> str:
    return "，".join(x for x in (f"《{entry.title}》", entry.source, entry.date) if x)


def _notes(answer) -> tuple[str, str, str]:
    """What other articles say of the figure: how many agree, which report another value, and (no time asked) the
    figures of other periods; "" where there is nothing to say."""
    agree = ""
    if len(answer.sources) >= 2:
        agree = f"{len(answer.sources)} 篇报道一致：" + "；".join(_article(s) for s in answer.sources)
    conflicts = ""
    if answer.conflicts:
        conflicts = "另有报道称：" + "；".join(f"{c.text}（{_article(c)}）" for c in answer.conflicts)
    alternatives = ""
    if answer.alternatives:
        alternatives = ("问题未指明时间，以上是最近一期的数字；其他时期：" +
                        "；".join(f"{a.period} {a.text}" for a in answer.alternatives))
    return agree, conflicts, alternatives


def answer_notes(answer) -> list[str]:
    """The notes of _notes that have something to say, in order (the CLI prints one per line)."""
    return [note for note in _notes(answer) if note]


def direction_note(answer) -> str:
    """「（降幅）」 for a change figure whose text does not say which way it went, else "" (a level has no
    direction; 下降3.4% says it)."""
    if not answer.direction or answer.text != answer.figure_text:
        return ""
    return f"（{DIRECTION_NOTES[answer.direction]}）"


def _direction_html(answer) -> str:
    note = direction_note(answer)
    return f'<span class="qa-direction">{note}</span>' if note else ""



def passage_html(p: RankedPassage) -> str:
    """One ranked passage: its source line (title, date, paragraph, score) and its highlighted text."""
    title = _escape(p.passage.title)
    date = _escape(p.passage.date or "日期不详")
    return (f'<li class="qa-passage">'
            f'<div class="qa-meta"><span class="qa-rank">{p.rank}</span>'
            f'<span class="qa-title">{title}</span>'
            f'<span class="qa-date">{date}</span>'
            f'<span class="qa-paragraph">第{p.passage.paragraph}段</span>'
            f'<span class="qa-score">得分 {p.score:.2f}</span></div>'
            f'<p class="qa-text">{highlighted_html(p)}</p></li>')


def render_html(result: Result) -> str:
    """A chat reply: the answer line, then the top passages with their highlights."""
    passages = "".join(passage_html(p) for p in result.passages)
    listing = f'<ol class="qa-passages">{passages}</ol>' if passages else ""
    return f'<div class="qa-reply">{answer_line_html(result)}{listing}</div>'


def message_html(text: str, css: str = "qa-message") -> str:
    """A plain sentence (a question echoed back, an apology) as safe HTML."""
    return f'<div class="{_escape(css)}">{_text_html(text)}</div>'


def corpus_html(articles: Sequence[ArticleSummary], shown: int = 3) -> str:
    """One line on what the corpus holds: article count, date range, the first few titles with their dates."""
    if not articles:
        return '<p class="qa-corpus">资料库中还没有文章。</p>'
    entries = sorted(articles, key=lambda a: a.date or "", reverse=True)
    dates = sorted(a.date for a in entries if a.date)
    span = ""
    if dates and len(entries) > shown:
        span = f"，{_escape(dates[0])}" + (f" 至 {_escape(dates[-1])}" if dates[-1] != dates[0] else "")
    titles = "、".join(
        f'《{_escape(a.title or "无题")}》' + (f'（{_escape(a.date)}）' if a.date else "")
        for a in entries[:shown])
    more = " 等" if len(entries) > shown else ""
    return f'<p class="qa-corpus">资料库共 {len(entries)} 篇文章{span}：{titles}{more}。</p>'


def library_html(articles: Sequence[ArticleSummary], shown: int = 500) -> str:
    """The 资料库 tab's table: how many articles, then title, date, source, passages and id of the first `shown`."""
    if not articles:
        return '<p class="qa-library-count">资料库中还没有文章。</p>'
    rows = "".join(
        f'<tr data-id="{_escape(a.id)}"><td class="qa-library-title">{_escape(a.title or "无题")}</td>'
        f'<td>{_escape(a.date or "")}</td><td>{_escape(a.source or "")}</td><td>{a.passages}</td>'
        f'<td class="qa-library-id">{_escape(a.id)}</td></tr>'
        for a in articles[:shown])
    more = f"（显示最新的 {shown} 篇）" if len(articles) > shown else ""
    return (f'<p class="qa-library-count">资料库共 <strong>{len(articles)}</strong> 篇文章{more}</p>'
            '<table class="qa-library-table"><thead><tr><th>标题</th><th>日期</th><th>来源</th><th>段落</th>'
            f'<th>id</th></tr></thead><tbody>{rows}</tbody></table>')
