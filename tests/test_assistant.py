"""The façade's serving side: Assistant.refresh() swaps in a new build while questions are being answered."""
import threading
import time

import qa
from qa.index import current_build

BYD = qa.Document(id="byd-2024", title="比亚迪2024年销量", date="2025-01-02", source="测试",
                  text="比亚迪2024年累计销售新能源汽车427.2万辆,同比增长41.3%。\n海外销量41.7万辆。")
PORT = qa.Document(id="port-2024", title="宁波舟山港2024年货物吞吐量", date="2025-01-10", source="测试",
                   text="宁波舟山港2024年完成货物吞吐量13.77亿吨,连续16年位居全球第一。")
QUESTIONS = ["宇通客车2024年卖了多少辆车?", "比亚迪2024年卖了多少辆车?", "宁波舟山港2024年货物吞吐量是多少?"]


def test_refresh_swaps_in_new_builds_while_threads_keep_asking(seed_documents, tmp_path):
    index_dir = tmp_path / "index"
    serving = qa.Assistant.build(seed_documents, index_dir=index_dir)
    never_refreshed = qa.Assistant(serving.index, serving.embedder, serving.settings)
    first_build = serving.index.path
    assert serving.refresh() is False  # nothing new yet

    errors: list[BaseException] = []
    answers: list[tuple[str, str | None]] = []
    stop = threading.Event()

    def ask_continuously(offset: int):
        n = offset
        while not stop.is_set():
            question = QUESTIONS[n % len(QUESTIONS)]
            n += 1
            try:
                result = serving.ask(question)
                answers.append((question, result.answer.text if result.answer else None))
            except BaseException as error:  # noqa: BLE001 — any failure at all is what this test looks for
                errors.append(error)

    threads = [threading.Thread(target=ask_continuously, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        for documents in ([*seed_documents, BYD], [*seed_documents, BYD, PORT]):
            time.sleep(0.5)
            qa.Assistant.build(documents, index_dir=index_dir)  # as `python -m qa build` would, elsewhere
            assert serving.refresh() is True
            assert serving.index.path == current_build(index_dir)
            served = len(answers)
            deadline = time.monotonic() + 30
            while len(answers) < served + 8 and time.monotonic() < deadline:  # answered on the new build too
                time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    assert errors == []
    # The threads were answered by all three builds: before BYD was indexed, after, and after PORT was.
    byd = [answer for question, answer in answers if question == QUESTIONS[1]]
    port = [answer for question, answer in answers if question == QUESTIONS[2]]
    assert "427.2万辆" in byd and any(answer != "427.2万辆" for answer in byd)
    assert "13.77亿吨" in port and any(answer != "13.77亿吨" for answer in port)
    assert serving.ask("比亚迪2024年卖了多少辆车?").answer.text == "427.2万辆"
    assert serving.ask("宁波舟山港2024年货物吞吐量是多少?").answer.text == "13.77亿吨"
    assert serving.refresh() is False
    # Two builds later the first build's folder is gone, yet an assistant still serving it keeps working: its
    # files are memory-mapped or in memory, and Linux keeps a deleted file's pages while they are mapped.
    assert not first_build.exists()
    assert never_refreshed.ask("宇通客车2024年卖了多少辆车?").answer.text == "6.5万辆"
