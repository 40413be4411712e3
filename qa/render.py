"""Turning a Result into something a person reads: plain text for the terminal (HTML for the chat lives here too)."""
from __future__ import annotations

from .answer import RankedPassage, Result

NOT_FOUND = "文中未找到确切数字"


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


def render_text(result: Result) -> str:
    """Terminal output: the answer line, then each passage with its source and the answer in 【】."""
    lines = [f"问：{result.question}"]
    if result.answer is not None:
        source = _source_line(result.passages[result.answer.passage_rank - 1])
        lines.append(f"答：【{result.answer.text}】（{source}；置信度 {result.answer.score:.2f}）")
    else:
        lines.append(f"答：{NOT_FOUND}")
    for p in result.passages:
        lines.append("")
        lines.append(f"[{p.rank}] {_source_line(p)}  得分 {p.score:.2f}")
        lines.append(marked_text(p))
    return "\n".join(lines)
