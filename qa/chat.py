"""The chat: a Gradio page with a 问答 tab (questions, answers with their numbers marked) and a 资料库 tab (the
articles, upload, delete), and the Gradio API endpoint `/ask`. Mounted by qa.web.create_app.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Iterable, Sequence

# The intranet has no internet: Gradio would look up its version-check and telemetry hosts, and gradio_client /
# huggingface_hub the Hub. These must be set before gradio is imported.
for _name, _value in (("GRADIO_ANALYTICS_ENABLED", "False"), ("HF_HUB_OFFLINE", "1"),
                      ("HF_HUB_DISABLE_TELEMETRY", "1")):
    os.environ.setdefault(_name, _value)

import gradio as gr  # noqa: E402

from .assistant import MAX_HISTORY_TURNS, Assistant  # noqa: E402
from .corpus import READABLE_SUFFIXES, read_article_file  # noqa: E402
from .errors import CorpusError, QAError, QuestionError  # noqa: E402
from .policy import (ARTICLES_MAX_REQUEST_BYTES, DEFAULT_TOP_K, SORRY_UNEXPECTED, WritePolicy, as_top_k,  # noqa: E402
                     newest_first, polite_message)
from .render import corpus_html, library_html, message_html, render_html  # noqa: E402

log = logging.getLogger(__name__)

TITLE = "新闻数字问答"
UI_MAX_TOP_K = 10
MAX_HISTORY_MESSAGES = 20  # the chat history travels with every request; keep it (and the request) bounded
# Gradio keeps a copy of the page's state for every session (each page load, each gradio_client, each
# /gradio_api/call request): about 50 KB, up to 10,000 sessions by default. The chat keeps no state between
# requests (the history comes with each one), so a forgotten session costs nothing; keep only the recent ones.
GRADIO_SESSIONS_KEPT = 256
LIBRARY_LISTED = 500  # rows of the 资料库 tab's table; the API pages through any number

# Questions offered as examples. Each is asked once at start-up; only those the loaded corpus answers are shown,
# so another corpus simply shows fewer (or none).
EXAMPLE_CANDIDATES = (
    "宇通客车2024年卖了多少辆车?",
    "郑州计划让算力规模达到多少？",
    "2024年中创智领集团营收是多少?",
    "超聚变2024年产值增长了多少？",
    "宇通产品远销全球多少个国家和地区？",
)

# System fonts only: the page must not fetch fonts from anywhere.
CJK_FONTS = ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "ui-sans-serif", "system-ui", "sans-serif")
MONO_FONTS = ("ui-monospace", "SFMono-Regular", "Consolas", "Noto Sans Mono CJK SC", "monospace")

# Gradio scopes `css` to the inside of its layout, so the rules for the page around it go into <head>.
PAGE_CSS = """
.gradio-container .main.app { max-width: 960px; margin: 0 auto; }
footer .divider { display: none; }
@media (max-width: 640px) { .gradio-container .main.app { padding-left: 8px !important; padding-right: 8px !important; } }
"""
CSS = """
#qa-header h1 { font-size: 1.6rem; margin: 0.2em 0; }
#qa-header p { margin: 0.2em 0; color: var(--body-text-color-subdued); line-height: 1.6; }
.qa-reply, .qa-message, .qa-error { line-height: 1.75; font-size: 15px; }
.qa-answer-line { margin: 0 0 0.6em 0 !important; font-size: 16px; }
.qa-answer-text { font-size: 1.15em; color: #b91c1c; }
.qa-answer-source { color: var(--body-text-color-subdued); }
.qa-not-found { color: var(--body-text-color-subdued); }
.qa-passages { list-style: none; padding: 0 !important; margin: 0 !important; }
.qa-passage { margin: 0.6em 0 !important; padding: 0.5em 0.75em; border-left: 3px solid #e5e7eb;
              background: rgba(127, 127, 127, 0.06); border-radius: 4px; }
.qa-meta { display: flex; flex-wrap: wrap; gap: 0.2em 0.8em; font-size: 12.5px;
           color: var(--body-text-color-subdued); margin-bottom: 0.25em; }
.qa-rank { font-weight: 600; }
.qa-rank::before { content: "#"; }
.qa-title { font-weight: 600; color: var(--body-text-color); }
.qa-text { margin: 0 !important; overflow-wrap: anywhere; }
mark.qa-answer { white-space: nowrap; background: #fde047; color: #7f1d1d; font-weight: 700; padding: 0 0.15em;
                 border-radius: 3px; box-shadow: 0 0 0 1px #eab308; }
mark.qa-number { white-space: nowrap; background: #fef9c3; color: inherit; padding: 0 0.1em; border-radius: 2px; }
mark.qa-keyword { background: #dbeafe; color: inherit; padding: 0 0.1em; border-radius: 2px; }
.qa-note { margin: 0.1em 0 0 0 !important; font-size: 13px; }
.qa-conflicts { color: #b45309; }
.qa-understood { margin: 0 0 0.2em 0 !important; font-size: 12.5px; color: var(--body-text-color-subdued); }
.qa-error { color: #b45309; }
#qa-library { max-height: 50vh; overflow: auto; }
.qa-library-table { width: 100%; font-size: 13.5px; }
.qa-library-table td:nth-child(2), .qa-library-table td:nth-child(4) { white-space: nowrap; }
.qa-library-id { color: var(--body-text-color-subdued); overflow-wrap: anywhere; }
@media (max-width: 640px) {  /* phones: give the text the width Gradio spends on gutters */
  #qa-chat .bot-row { margin-left: 4px !important; margin-right: 4px !important; }
  #qa-chat .bot.message { padding: 6px !important; }
  .qa-passage { padding: 0.4em 0.5em; }
  #qa-header h1 { font-size: 1.3rem; }
  .qa-reply, .qa-message { font-size: 14px; }
}
"""
# After a reply, scroll the chat so the new question and the start of its answer are in view (the default, scrolling
# to the bottom, shows the last passage and hides the answer line).
SCROLL_TO_QUESTION_JS = """() => { setTimeout(() => {
  const rows = document.querySelectorAll('#qa-chat .message-row.user-row');
  const last = rows[rows.length - 1];
  const box = last && last.closest('.bubble-wrap');
  if (box) box.scrollTop = last.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 8;
}, 60); }"""
HEAD = f'<meta name="referrer" content="no-referrer"><style>{PAGE_CSS}</style>'



# --- the chat --------------------------------------------------------------------------------------------------

def answerable_examples(assistant: Assistant, candidates: Iterable[str] = EXAMPLE_CANDIDATES,
                        limit: int = 4) -> list[str]:
    """The candidate questions the loaded corpus has an answer for, at most `limit` of them."""
    chosen = []
    for question in candidates:
        try:
            if assistant.ask(question, top_k=1).answer is not None:
                chosen.append(question)
        except Exception:  # an example is a nicety; never let it stop the app from starting
            log.exception("example question %r failed", question)
        if len(chosen) >= limit:
            break
    return chosen


def reply_html(assistant: Assistant, question: str, top_k, history: Sequence[str] = (), since: str | None = None,
               until: str | None = None, sources: Sequence[str] | None = None) -> tuple[str, bool]:
    """The chat's answer to one question after the earlier ones, and whether it was answered (a question that
    could not be read is no turn of the conversation); errors become one Chinese sentence, never a traceback."""
    try:
        result = assistant.ask(question, top_k=as_top_k(top_k), history=list(history), since=since or None,
                               until=until or None, sources=list(sources or ()) or None)
        return render_html(result), True
    except QuestionError as error:
        return message_html(polite_message(error), "qa-error"), False
    except Exception:
        log.exception("the chat failed on %r", question)
        return message_html(SORRY_UNEXPECTED, "qa-error"), False


def header_html(assistant: Assistant) -> str:
    return (f'<h1>{TITLE}</h1><p>用中文提问新闻里的数字，答案会被标出，并注明出自哪篇文章、哪一段。</p>'
            f'{corpus_html(assistant.documents())}')


def _short_reason(text, name: str = "") -> str:
    """The Chinese half of an error message, without the file name it starts with (the English in parentheses is
    for logs and the API)."""
    text = str(text)
    if name and text.startswith(f"{name}: "):
        text = text[len(name) + 2:]
    return re.sub(r"\s*\([\x00-\x7f]*\)", "", text).strip() or text


def add_uploaded_files(assistant: Assistant, files: Sequence[tuple[str, bytes]]) -> list[str]:
    """Read each uploaded file, add what could be read in one change, and say per file what happened:
    '新闻.jsonl：已加入 3 篇；1 篇无法读取：第2行 跳过此行'. Raises QAError when the library cannot be changed."""
    documents, outcomes, seen = [], [], set()
    for name, data in files:
        name = Path(name).name
        try:
            if Path(name).suffix.lower() not in READABLE_SUFFIXES:
                raise CorpusError(f"{name}: 不支持的文件类型，请上传 {' '.join(READABLE_SUFFIXES)} 文件")
            if len(data) > ARTICLES_MAX_REQUEST_BYTES:
                raise CorpusError(f"{name}: 文件太大 (over {ARTICLES_MAX_REQUEST_BYTES // 2**20} MB)")
            read, problems = read_article_file(data, name)
        except CorpusError as error:
            outcomes.append((name, [], [_short_reason(error, name)]))
            continue
        reasons = [f"{p.path.rpartition(':')[2] and '第' + p.path.rpartition(':')[2] + '行'} {_short_reason(p.reason)}"
                   for p in problems]
        kept = []
        for document in read:
            if document.id in seen:
                reasons.append(f"重复的文章 id {document.id}")
            else:
                seen.add(document.id)
                kept.append(document)
        documents.extend(kept)
        outcomes.append((name, kept, reasons))
    report = assistant.add(documents) if documents else None
    lines = []
    for name, kept, reasons in outcomes:
        parts = []
        if kept:
            updated = sum(d.id in report.updated for d in kept)
            same = sum(d.id in report.unchanged for d in kept)
            note = "，".join(x for x in (f"{updated} 篇为更新" if updated else "",
                                         f"{same} 篇与已有的相同" if same else "") if x)
            parts.append(f"已加入 {len(kept)} 篇" + (f"（{note}）" if note else ""))
        if reasons:
            parts.append(f"{len(reasons)} 篇无法读取：" + "；".join(reasons[:3]) + (" 等" if len(reasons) > 3 else ""))
        lines.append(f"{name}：" + "；".join(parts))
    return lines


def build_chat(assistant: Assistant, examples: Sequence[str] | None = None,
               concurrency_limit: int = 4, policy: WritePolicy | None = None) -> gr.Blocks:
    """The Gradio Blocks: a 问答 tab (chat, question box, top-k slider, examples) and a 资料库 tab (the articles,
    upload, delete with a confirmation); plus the API endpoints `/ask` and `/ask_followup`."""
    if examples is None:
        examples = answerable_examples(assistant)
    policy = policy or WritePolicy(auth_configured=False)
    max_top_k = max(1, min(UI_MAX_TOP_K, assistant.settings.max_top_k))

    def refusal(request: gr.Request | None) -> str | None:
        client = getattr(request, "client", None)
        return policy.refusal(getattr(request, "username", None), getattr(client, "host", None))

    def delete_choices():
        return [(f"《{a.title}》{a.date or ''}（{a.id}）", a.id)
                for a in newest_first(assistant.documents())[:LIBRARY_LISTED]]

    def library_views():
        return header_html(assistant), library_html(newest_first(assistant.documents()), LIBRARY_LISTED), \
            gr.update(choices=delete_choices(), value=None)

    def on_load(request: gr.Request):
        return *library_views(), gr.update(visible=refusal(request) is None), gr.update(choices=source_names())

    def upload(files, request: gr.Request):
        if refusal(request) is not None:
            return (*library_views(), message_html(refusal(request), "qa-error"), None)
        if not files:
            return (*library_views(), message_html("请先选择要上传的文件。", "qa-error"), None)
        try:
            loaded = [(Path(f).name, Path(f).read_bytes()) for f in files]
            lines = add_uploaded_files(assistant, loaded)
            result = "".join(message_html(line, "qa-upload-line") for line in lines)
        except QAError as error:
            result = message_html(polite_message(error), "qa-error")
        except Exception:
            log.exception("upload failed")
            result = message_html(SORRY_UNEXPECTED, "qa-error")
        return (*library_views(), result, None)

    def ask_to_delete(doc_id, request: gr.Request):
        if refusal(request) is not None:
            return gr.update(visible=False), message_html(refusal(request), "qa-error"), None
        article = next((a for a in assistant.documents() if a.id == doc_id), None)
        if article is None:
            return gr.update(visible=False), message_html("请先选择要删除的文章。", "qa-error"), None
        return (gr.update(visible=True), message_html(f"确定删除《{article.title}》吗？文件会移到 corpus/.trash/。",
                                                      "qa-confirm"), doc_id)

    def delete(doc_id, request: gr.Request):
        if refusal(request) is not None:
            result = message_html(refusal(request), "qa-error")
        elif not doc_id:
            result = message_html("请先选择要删除的文章。", "qa-error")
        else:
            try:
                report = assistant.remove([doc_id])
                result = message_html(f"已删除 {len(report.removed)} 篇，资料库现有 {report.documents} 篇。"
                                      if report.removed else "资料库中没有这篇文章。", "qa-message")
            except QAError as error:
                result = message_html(polite_message(error), "qa-error")
            except Exception:
                log.exception("delete failed")
                result = message_html(SORRY_UNEXPECTED, "qa-error")
        return (*library_views(), gr.update(visible=False), result, None)

    def source_names() -> list[str]:
        return sorted({a.source for a in assistant.documents() if a.source})

    def respond(question: str, top_k, messages: list | None, asked: list | None, since=None, until=None,
                sources=None):
        question = question or ""
        messages = list(messages or [])[-(MAX_HISTORY_MESSAGES - 2):]
        asked = list(asked or [])[-MAX_HISTORY_TURNS:]
        reply, answered = reply_html(assistant, question, top_k, asked, since, until, sources)
        messages.append({"role": "user", "content": message_html(question.strip() or "（空白问题）")})
        messages.append({"role": "assistant", "content": reply})
        return messages, "", asked + [question] if answered else asked

    def answer(question, top_k, history=None) -> dict:
        try:
            return assistant.ask(question, top_k=as_top_k(top_k), history=history).to_dict()
        except QuestionError as error:
            raise gr.Error(polite_message(error), print_exception=False) from None
        except Exception:
            log.exception("the Gradio API failed on %r", question)
            raise gr.Error(SORRY_UNEXPECTED, print_exception=False) from None

    def ask(question: str, top_k: int = DEFAULT_TOP_K) -> dict:
        """新闻数字问答：答案数字及最相关的段落（与 JSON API 相同，即 Result.to_dict()）。

        Args:
            question: 中文问题，例如「宇通客车2024年卖了多少辆车?」
            top_k: 返回的段落数（1–20）
        Returns:
            {"question", "understood_as", "asks_number", "answer": {"text", "value", "unit", "qualifier",
            "direction", "passage_rank", "start", "end", "score", "period", "sources", "conflicts", "alternatives"}
            或 null, "text_answer": {"text", "passage_rank", "start", "end"} 或 null（问名称的问题：文中原话）,
            "passages": [{"rank", "doc_id", "title", "date", "paragraph", "passage_id", "text", "score", "highlights",
            "keywords"}]}
        """
        return answer(question, top_k)

    def ask_followup(question: str, history: list[str], top_k: int = DEFAULT_TOP_K) -> dict:
        """对话中的追问（如「净利润呢?」）：按此前的问题理解后作答，返回与 /ask 相同的结果。

        Args:
            question: 本轮问题
            history: 本次对话中此前的问题，按时间先后（只看最后 10 个）
            top_k: 返回的段落数（1–20）
        Returns:
            与 /ask 相同；understood_as 是按上下文理解后的问题
        """
        return answer(question, top_k, history)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as chat:
        header = gr.HTML(header_html(assistant), elem_id="qa-header")
        with gr.Tabs(elem_id="qa-tabs"):
            with gr.Tab("问答", id="ask", elem_id="qa-ask-tab"):
                chatbot = gr.Chatbot(label="对话", elem_id="qa-chat", height="68vh", min_height=360, autoscroll=False,
                                     sanitize_html=True, render_markdown=False, feedback_options=None, buttons=[],
                                     placeholder="<p>在下方输入问题，按回车或点「提问」。</p>")
                with gr.Row(equal_height=True):
                    question = gr.Textbox(show_label=False, placeholder="例如：宇通客车2024年卖了多少辆车?", scale=5,
                                          min_width=200, max_length=assistant.settings.max_question_chars,
                                          elem_id="qa-question", autofocus=True, submit_btn=False)
                    send = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="qa-send")
                with gr.Row(equal_height=True):
                    top_k = gr.Slider(1, max_top_k, value=min(DEFAULT_TOP_K, max_top_k), step=1, label="显示段落数",
                                      elem_id="qa-top-k", scale=4, min_width=200)
                    asked = gr.State([])  # the questions of this conversation, for follow-ups
                    gr.ClearButton([chatbot, question, asked], value="清空", scale=1, min_width=80)
                with gr.Accordion("按日期、来源筛选（可选）", open=False, elem_id="qa-filters"):
                    with gr.Row(equal_height=True):
                        since = gr.Textbox(label="起始日期", placeholder="2025-01-01", max_lines=1, max_length=10,
                                           elem_id="qa-since", scale=1, min_width=120)
                        until = gr.Textbox(label="截止日期", placeholder="2025-12-31", max_lines=1, max_length=10,
                                           elem_id="qa-until", scale=1, min_width=120)
                        sources = gr.Dropdown(label="来源", choices=source_names(), multiselect=True, value=[],
                                              allow_custom_value=True, elem_id="qa-sources", scale=2, min_width=200)
                if examples:
                    gr.Examples(list(examples), inputs=question, label="示例问题", examples_per_page=len(examples))

                for trigger in (question.submit, send.click):
                    trigger(respond, [question, top_k, chatbot, asked, since, until, sources],
                            [chatbot, question, asked], api_visibility="private", concurrency_id="qa",
                            concurrency_limit=concurrency_limit).then(None, js=SCROLL_TO_QUESTION_JS)
                chatbot.clear(lambda: [], None, asked, api_visibility="private")  # the chat's own 清空对话 icon
                gr.api(ask, api_name="ask", concurrency_id="qa", concurrency_limit=concurrency_limit)
                gr.api(ask_followup, api_name="ask_followup", concurrency_id="qa",
                       concurrency_limit=concurrency_limit)
            with gr.Tab("资料库", id="library", elem_id="qa-library-tab"):
                listing = gr.HTML(library_html(newest_first(assistant.documents()), LIBRARY_LISTED),
                                  elem_id="qa-library")
                with gr.Column(elem_id="qa-library-edit") as editing:
                    files = gr.File(label="上传文章（.txt .md .jsonl .html .docx）", file_count="multiple",
                                    file_types=list(READABLE_SUFFIXES), elem_id="qa-upload")
                    send_files = gr.Button("加入资料库", variant="primary", elem_id="qa-upload-send")
                    upload_result = gr.HTML(elem_id="qa-upload-result")
                    with gr.Row(equal_height=True):
                        doomed = gr.Dropdown(label="删除文章", choices=delete_choices(), value=None,
                                             allow_custom_value=True, filterable=True, scale=4,
                                             elem_id="qa-delete-choice")
                        ask_delete = gr.Button("删除", variant="stop", scale=1, min_width=80, elem_id="qa-delete")
                    pending = gr.State(None)
                    with gr.Row(visible=False, elem_id="qa-delete-confirm-row") as confirm_row:
                        confirm_text = gr.HTML(elem_id="qa-delete-question")
                        confirm = gr.Button("确认删除", variant="stop", min_width=80, elem_id="qa-delete-confirm")
                        cancel = gr.Button("取消", min_width=80, elem_id="qa-delete-cancel")
                    delete_result = gr.HTML(elem_id="qa-delete-result")
        views = [header, listing, doomed]
        library_events = dict(api_visibility="private", concurrency_id="library", concurrency_limit=1)
        # its own group: a visitor's page must not wait behind an upload being indexed
        # outside the queue: a question sent just as a queued load event's stream closed was never answered (the
        # page's client did not open a new stream), which a reporter typing fast could hit on every page load
        chat.load(on_load, None, [*views, editing, sources], api_visibility="private", queue=False)
        send_files.click(upload, [files], [*views, upload_result, files], **library_events)
        ask_delete.click(ask_to_delete, [doomed], [confirm_row, confirm_text, pending], **library_events)
        confirm.click(delete, [pending], [*views, confirm_row, delete_result, pending], **library_events)
        cancel.click(lambda: (gr.update(visible=False), None), None, [confirm_row, pending], **library_events)
    chat.queue(api_open=False, default_concurrency_limit=concurrency_limit, max_size=64)
    chat.state_session_capacity = GRADIO_SESSIONS_KEPT  # read when the app is mounted
    return chat
