"""End to end in headless Chromium (Debian `chromium`, driven by Python playwright): the chat answers, looks right
on a narrow screen, shows hostile article text as text, and the page never talks to anything but loopback.

Screenshots go to tests/artifacts/ (ignored by git). Gradio keeps connections open, so `networkidle` never comes:
every wait below is for an element.
"""
import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import qa
from qa.web import create_app
from test_web import LOOPBACK, QUESTION, prefix_proxy, serve

CHROMIUM = os.environ.get("QA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
WAIT_MS = 30_000

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} not installed (CI installs Debian chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

HOSTILE_TEXT = (
    "测试公司简介。<script>window.__pwned=1</script>"
    '<img src="http://example.invalid/x.png" onerror="window.__pwned=2">\n'
    "测试公司2024年累计卖出各类客车300辆,同比增长12.5%。"
    '<iframe srcdoc="<script>parent.__pwned=3</script>"></iframe>'
    '<a href="javascript:window.__pwned=4">点我</a> [详情](javascript:window.__pwned=5) '
    "![图](http://example.invalid/y.png) <svg onload=\"window.__pwned=6\"></svg>"
    "<style>body{background:url(http://example.invalid/z.png)}</style> https://example.invalid/page"
)
HOSTILE_TITLE = '<img src="http://example.invalid/t.png" onerror="window.__pwned=7">测试公司年报'


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def seed_url(seed_assistant):
    with serve(create_app(seed_assistant)) as url:
        yield url + "/"


class Recorder:
    """Every URL the page requests, and every console error it logs."""

    def __init__(self, page):
        self.urls: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def outside_loopback(self) -> list[str]:
        return [u for u in self.urls
                if not u.startswith(("data:", "blob:", "about:")) and urlsplit(u).hostname not in LOOPBACK]


def ask(page, question: str):
    """Type the question, submit, and return the new reply (an answer, or a polite error) once it is shown."""
    replies = page.locator("#qa-chat .qa-reply, #qa-chat .qa-error")
    before = replies.count()
    page.locator("#qa-question textarea").fill(question)
    page.locator("#qa-send").click()
    reply = replies.nth(before)
    reply.wait_for(timeout=WAIT_MS)
    # Gradio's page client closes the event stream just after the reply lands; a question sent within those few
    # milliseconds (no person types that fast) is never answered, so the next one waits a moment
    page.wait_for_timeout(300)
    return reply


def in_chat_view(page, locator, timeout_ms: int = 5_000) -> bool:
    """Whether the element comes inside the visible part of the chat's scrolling box (the chat scrolls to a new
    answer after rendering it, so this waits for that, up to timeout_ms)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        if locator.evaluate("""el => {
                const box = el.closest('.bubble-wrap').getBoundingClientRect(), r = el.getBoundingClientRect();
                return r.top >= box.top - 1 && r.bottom <= box.bottom + 1; }"""):
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)


def test_chat_answers_with_the_number_marked(browser, seed_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    seen = Recorder(page)
    page.goto(seed_url, wait_until="domcontentloaded")
    page.locator("#qa-question textarea").wait_for(timeout=WAIT_MS)
    assert "新闻数字问答" in page.title()
    header = page.locator("#qa-header").inner_text()
    assert "资料库共 1 篇文章" in header and "2025-07-28" in header
    page.get_by_text(QUESTION, exact=True).first.wait_for(timeout=WAIT_MS)  # offered as an example

    reply = ask(page, QUESTION)
    answer_mark = reply.locator("mark.qa-answer")
    assert answer_mark.count() == 1 and answer_mark.inner_text() == "6.5万辆"
    assert reply.locator(".qa-answer-line strong").inner_text() == "6.5万辆"
    assert reply.locator(".qa-answer-line").inner_text().startswith("答：6.5万辆（")
    assert reply.locator("mark.qa-number").count() >= 3
    assert reply.locator("li.qa-passage").count() == 3
    meta = reply.locator(".qa-meta").first.inner_text()
    assert "2025-07-28" in meta and "段" in meta and "得分" in meta
    styles = answer_mark.evaluate("el => [getComputedStyle(el).fontFamily, getComputedStyle(el).backgroundColor,"
                                  " getComputedStyle(el.nextSibling ? document.querySelector('mark.qa-number')"
                                  " : el).backgroundColor]")
    assert "Noto Sans CJK SC" in styles[0]
    assert styles[1] != styles[2]  # the answer stands out from the other numbers
    assert in_chat_view(page, reply.locator(".qa-answer-line"))
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    # a second question: the view scrolls to its answer line, not to the bottom of its last passage
    second = ask(page, "郑州计划让算力规模达到多少？")
    assert second.locator("mark.qa-answer").inner_text() == "17万P"
    assert in_chat_view(page, second.locator(".qa-answer-line"))

    # a question that asks for a name: the name as text, marked in its passage, and no number offered
    named = ask(page, "郑州煤矿机械集团2025年7月7日更名为什么？")
    name = "中创智领(郑州)工业技术集团股份有限公司"
    assert named.locator(".qa-text-answer strong").inner_text() == name
    assert "文中原话，非数字答案" in named.locator(".qa-text-answer").inner_text()
    assert named.locator("mark.qa-answer").first.inner_text() == name

    empty = ask(page, "？？")
    assert empty.inner_text() == "抱歉，问题为空：请输入一个问题。"

    assert seen.urls and not seen.outside_loopback(), seen.outside_loopback()
    assert not seen.errors, seen.errors
    page.close()


def test_a_three_turn_conversation_shows_each_reading_and_number(browser, seed_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    seen = Recorder(page)
    page.goto(seed_url, wait_until="domcontentloaded")
    page.locator("#qa-question textarea").wait_for(timeout=WAIT_MS)
    page.get_by_text(QUESTION, exact=True).first.wait_for(timeout=WAIT_MS)  # the app is mounted: clicks do something
    turns = [("宇通客车2024年卖了多少辆车？", None, "6.5万辆"),
             ("2025年上半年呢？", "按“2025年上半年宇通客车卖了多少辆车”理解", "21321辆"),
             ("累计出口呢？", "按“2025年上半年宇通客车累计出口是多少”理解", "超11万辆")]
    for question, reading, number in turns:
        reply = ask(page, question)
        understood = reply.locator(".qa-understood")
        if reading is None:
            assert understood.count() == 0
        else:
            assert understood.inner_text() == reading
        assert reply.locator("mark.qa-answer").inner_text() == number
        assert reply.locator(".qa-answer-line strong").inner_text() == number
    page.screenshot(path=str(ARTIFACTS / "conversation.png"), full_page=True)

    page.get_by_role("button", name="清空对话").click()  # a new conversation: nothing to follow up on
    sync_api.expect(page.locator("#qa-chat .qa-reply")).to_have_count(0, timeout=WAIT_MS)
    alone = ask(page, "2025年上半年呢？")
    assert alone.locator(".qa-understood").count() == 0

    what = ask(page, "宇通客车的战略发展方向是什么？")
    assert "不是数字" in what.locator(".qa-answer-line").inner_text()
    assert what.locator("mark.qa-answer").count() == 0 and what.locator("mark.qa-keyword").count() >= 2
    ask(page, "宇通客车2024年卖了多少辆车？")
    page.get_by_role("button", name="清空", exact=True).click()  # the form's own button forgets the questions too
    sync_api.expect(page.locator("#qa-chat .qa-reply")).to_have_count(0, timeout=WAIT_MS)
    assert ask(page, "2025年上半年呢？").locator(".qa-understood").count() == 0
    assert not seen.outside_loopback() and not seen.errors, (seen.outside_loopback(), seen.errors)
    page.close()


def test_the_filter_panel_restricts_the_articles(browser, seed_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(seed_url, wait_until="domcontentloaded")
    page.get_by_text(QUESTION, exact=True).first.wait_for(timeout=WAIT_MS)
    page.get_by_text("按日期、来源筛选（可选）").click()
    page.locator("#qa-since textarea, #qa-since input").first.fill("2026-01-01")
    gone = ask(page, QUESTION)
    assert "文中未找到" in gone.locator(".qa-answer-line").inner_text() and gone.locator("li.qa-passage").count() == 0
    page.locator("#qa-since textarea, #qa-since input").first.fill("2025-07-01")
    kept = ask(page, QUESTION)
    assert kept.locator("mark.qa-answer").inner_text() == "6.5万辆"
    page.locator("#qa-since textarea, #qa-since input").first.fill("2025年7月")
    assert ask(page, QUESTION).inner_text() == "抱歉，起始日期应是 2025-07-01 这样的日期。"
    page.close()


def test_narrow_screen(browser, seed_url):
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                            has_touch=True, locale="zh-CN")
    seen = Recorder(page)
    page.goto(seed_url, wait_until="domcontentloaded")
    page.get_by_text(QUESTION, exact=True).first.click()  # the example fills the question box
    sync_api.expect(page.locator("#qa-question textarea")).to_have_value(QUESTION, timeout=WAIT_MS)
    page.locator("#qa-send").click()
    page.locator("#qa-chat mark.qa-answer").wait_for(timeout=WAIT_MS)
    assert page.locator("#qa-chat mark.qa-answer").inner_text() == "6.5万辆"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen
    assert page.locator("#qa-send").is_visible()
    page.screenshot(path=str(ARTIFACTS / "chat-narrow.png"), full_page=True)
    assert not seen.outside_loopback(), seen.outside_loopback()
    page.close()


def test_hostile_article_runs_no_script_and_fetches_nothing(browser, tmp_path):
    article = qa.Document(id="hostile", title=HOSTILE_TITLE, text=HOSTILE_TEXT, date="2025-01-02",
                          source="<b>来源</b>")
    assistant = qa.Assistant.build([article], index_dir=tmp_path / "index")
    # No Content-Security-Policy here: the escaping alone must hold.
    with serve(create_app(assistant, content_security_policy=None)) as url:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        seen = Recorder(page)
        page.goto(url + "/", wait_until="domcontentloaded")
        assert "测试公司年报" in page.locator("#qa-header").inner_text()
        reply = ask(page, '<img src="http://example.invalid/q.png" onerror="window.__pwned=8">'
                          "测试公司2024年卖出了多少辆客车?")
        assert reply.locator("mark.qa-answer").inner_text() == "300辆"
        shown = reply.inner_text()
        assert "<script>window.__pwned=1</script>" in shown and 'onerror="window.__pwned=7"' in shown
        assert "[详情](javascript:window.__pwned=5)" in shown
        page.wait_for_timeout(500)  # time for an onerror or onload to fire, had any element been created
        assert page.evaluate("typeof window.__pwned") == "undefined"
        chat = page.locator("#qa-chat")
        for tag in ("script", "img", "iframe", "a", "svg", "style"):
            assert chat.locator(f".qa-reply {tag}, .qa-message {tag}").count() == 0, tag
        assert "onerror" in chat.locator(".qa-message").first.inner_text()  # the question is echoed as text
        page.screenshot(path=str(ARTIFACTS / "chat-hostile.png"), full_page=True)
        assert seen.urls and not seen.outside_loopback(), seen.outside_loopback()
        assert not any("example.invalid" in u for u in seen.urls)
        page.close()


def test_chat_behind_a_prefix_proxy(browser, seed_assistant):
    with serve(create_app(seed_assistant, root_path="/qa", examples=[]), root_path="/qa") as upstream, \
            serve(prefix_proxy(upstream, "/qa")) as proxy:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        seen = Recorder(page)
        page.goto(proxy + "/qa/", wait_until="domcontentloaded")
        reply = ask(page, QUESTION)
        assert reply.locator("mark.qa-answer").inner_text() == "6.5万辆"
        assert seen.urls and all(u.startswith(proxy + "/qa/") for u in seen.urls if u.startswith("http")), \
            [u for u in seen.urls if not u.startswith(proxy + "/qa/")]
        page.close()


def test_library_tab_uploads_answers_and_deletes(browser, library, tmp_path):
    """资料库: upload an article file, ask about it (its number marked), delete it with the confirmation, see it gone."""
    article = tmp_path / "比亚迪年报.txt"
    article.write_text("---\ntitle: 比亚迪2024年销量\ndate: 2025-01-02\nsource: 测试\n---\n"
                       "比亚迪2024年累计销售新能源汽车427.2万辆,同比增长41.3%。\n海外销量41.7万辆。", "utf-8")
    with serve(create_app(library, examples=[])) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        seen = Recorder(page)
        page.goto(url + "/", wait_until="domcontentloaded")
        page.get_by_role("tab", name="资料库").click()
        listing = page.locator("#qa-library")
        listing.locator(".qa-library-count").wait_for(timeout=WAIT_MS)
        assert "资料库共 1 篇文章" in listing.inner_text()

        page.locator("#qa-upload input[type=file]").set_input_files(str(article))
        page.locator("#qa-upload-send").click()
        result = page.locator("#qa-upload-result .qa-upload-line")
        result.wait_for(timeout=120_000)
        assert result.inner_text() == "比亚迪年报.txt：已加入 1 篇"
        page.wait_for_function("() => document.querySelector('#qa-library').innerText.includes('资料库共 2 篇文章')",
                               timeout=WAIT_MS)
        assert "比亚迪2024年销量" in listing.inner_text()
        assert "资料库共 2 篇文章" in page.locator("#qa-header").inner_text()

        page.get_by_role("tab", name="问答").click()
        reply = ask(page, "比亚迪2024年卖了多少辆车?")
        assert reply.locator("mark.qa-answer").first.inner_text() == "427.2万辆"
        assert "比亚迪2024年销量" in reply.locator(".qa-meta").first.inner_text()

        page.get_by_role("tab", name="资料库").click()
        choice = page.locator("#qa-delete-choice input")
        choice.click()
        choice.fill("比亚迪")
        page.get_by_role("option", name=re.compile("比亚迪2024年销量")).click()
        page.locator("#qa-delete").click()
        question = page.locator("#qa-delete-question")
        question.wait_for(timeout=WAIT_MS)
        assert "确定删除《比亚迪2024年销量》" in question.inner_text()
        assert "资料库共 2 篇文章" in listing.inner_text()  # nothing deleted before the confirmation
        page.locator("#qa-delete-confirm").click()
        page.wait_for_function("() => document.querySelector('#qa-library').innerText.includes('资料库共 1 篇文章')",
                               timeout=120_000)
        assert "比亚迪" not in listing.inner_text()
        assert "已删除 1 篇" in page.locator("#qa-delete-result").inner_text()
        page.screenshot(path=str(ARTIFACTS / "library.png"), full_page=True)

        page.get_by_role("tab", name="问答").click()
        reply = ask(page, "比亚迪2024年卖了多少辆车?")
        assert "427.2万辆" not in reply.inner_text()
        assert seen.outside_loopback() == [] and seen.errors == []
        page.close()
