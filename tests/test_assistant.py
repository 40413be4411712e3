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


# --- the living library: add, update, remove while serving -------------------------------------------------------

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from qa.corpus import load_corpus  # noqa: E402
from qa.errors import CorpusError, QAError  # noqa: E402
from qa.index import load_index  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BYD_QUESTION, PORT_QUESTION = QUESTIONS[1], QUESTIONS[2]


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_add_writes_a_file_embeds_only_the_new_passages_and_answers_at_once(library):
    seed_passages = len(library.index.passages)
    report = library.add([BYD])
    assert report.added == [BYD.id] and report.updated == [] and report.documents == 2
    assert report.embedded == report.passages - seed_passages > 0  # the seed article's vectors were reused
    assert library.ask(BYD_QUESTION).answer.text == "427.2万辆"
    assert {a.id for a in library.documents()} == {"zhengzhou-industry-2025-07-28", BYD.id}
    byd = next(a for a in library.documents() if a.id == BYD.id)
    assert (byd.title, byd.date, byd.source, byd.passages) == (BYD.title, BYD.date, BYD.source, report.embedded)
    # The folder is the source of truth: a restart finds the article and the index fresh (nothing rebuilt).
    assert BYD in load_corpus(library.corpus_dir).documents
    restarted = qa.Assistant.load(corpus_dir=library.corpus_dir, index_dir=library.settings.index_dir)
    assert restarted.index.path == library.index.path
    assert restarted.ask(BYD_QUESTION).answer.text == "427.2万辆"
    assert library.add([BYD]).unchanged == [BYD.id]  # given again: nothing to do, the same build


def test_update_is_add_with_an_existing_id_and_keeps_the_old_version_in_trash(library):
    library.add([BYD])
    corrected = qa.Document(id=BYD.id, title=BYD.title, date=BYD.date, source=BYD.source,
                            text="比亚迪2024年累计销售新能源汽车427.21万辆,同比增长41.26%。")
    report = library.add([corrected])
    assert report.updated == [BYD.id] and report.added == [] and report.documents == 2
    assert library.ask(BYD_QUESTION).answer.text == "427.21万辆"
    trashed = list((library.corpus_dir / ".trash").iterdir())
    assert len(trashed) == 1 and "427.2万辆" in trashed[0].read_text("utf-8")
    assert load_corpus(library.corpus_dir).documents.count(corrected) == 1


def test_remove_moves_the_file_to_trash_and_the_article_out_of_answers(library):
    library.add([BYD, PORT])
    report = library.remove([PORT.id, "no-such-article"])
    assert report.removed == [PORT.id] and report.missing == ["no-such-article"] and report.documents == 2
    assert PORT.id not in {a.id for a in library.documents()}
    assert library.ask(PORT_QUESTION).answer is None or library.ask(PORT_QUESTION).answer.text != "13.77亿吨"
    assert library.ask(BYD_QUESTION).answer.text == "427.2万辆"
    assert any("13.77亿吨" in p.read_text("utf-8") for p in (library.corpus_dir / ".trash").iterdir())
    assert PORT.id not in {d.id for d in load_corpus(library.corpus_dir).documents}  # .trash is never read


def test_removing_one_article_of_an_archive_rewrites_it_without_that_line(library):
    archive = library.corpus_dir / "wire.jsonl"
    archive.write_text("\n".join(json.dumps(d.to_dict(), ensure_ascii=False) for d in (BYD, PORT)) + "\n", "utf-8")
    library.sync()
    assert {BYD.id, PORT.id} <= {a.id for a in library.documents()}
    library.remove([BYD.id])
    assert [json.loads(line)["id"] for line in archive.read_text("utf-8").splitlines()] == [PORT.id]
    trashed = next((library.corpus_dir / ".trash").iterdir()).read_text("utf-8")
    assert json.loads(trashed)["id"] == BYD.id
    assert library.ask(PORT_QUESTION).answer.text == "13.77亿吨"


def test_two_writers_at_once_lose_neither_article(library):
    errors = []

    def add(document):
        try:
            library.add([document])
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    writers = [threading.Thread(target=add, args=(d,)) for d in (BYD, PORT)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert errors == []
    assert {BYD.id, PORT.id} <= {a.id for a in library.documents()}
    assert library.ask(BYD_QUESTION).answer.text == "427.2万辆"
    assert library.ask(PORT_QUESTION).answer.text == "13.77亿吨"
    # A second process's writer (another server on the same folders) sees both too.
    other = qa.Assistant.load(corpus_dir=library.corpus_dir, index_dir=library.settings.index_dir)
    assert other.index.path == library.index.path


def test_questions_in_flight_finish_on_the_build_they_started_with(library):
    errors, answers = [], []
    stop = threading.Event()

    def ask_continuously():
        while not stop.is_set():
            try:
                answers.append(library.ask(BYD_QUESTION).answer)
            except BaseException as error:  # noqa: BLE001
                errors.append(error)

    askers = [threading.Thread(target=ask_continuously) for _ in range(2)]
    for asker in askers:
        asker.start()
    try:
        time.sleep(0.3)
        library.add([BYD])
        deadline = time.monotonic() + 30
        while not any(a is not None and a.text == "427.2万辆" for a in answers) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for asker in askers:
            asker.join()
    assert errors == []
    assert any(a is not None and a.text == "427.2万辆" for a in answers)


def test_bad_requests_write_nothing(library):
    before = files_in(library.corpus_dir)
    build = library.index.path
    with pytest.raises(CorpusError, match="重复"):
        library.add([BYD, BYD])
    with pytest.raises(CorpusError, match="第 2 篇"):
        library.add([PORT, {"id": "x", "title": "无正文"}])
    with pytest.raises(CorpusError):
        library.add([{"id": "bad", "title": "坏字符", "text": "文本\ud800"}])
    assert files_in(library.corpus_dir) == before and library.index.path == build


def test_hostile_ids_become_safe_file_names_inside_the_corpus(library, tmp_path):
    hostile = ["../../escape", "/etc/passwd-x", "a/../../b", "..", ".trash", "~/.ssh/id", "%2e%2e%2f"]
    documents = [qa.Document(id=i, title=f"标题{n}", text=f"第{n}篇：某企业2024年营收{n + 1}.5亿元。")
                 for n, i in enumerate(hostile)]
    library.add(documents)
    written = files_in(library.corpus_dir)
    assert all("/" not in name and not name.startswith(".") for name in written - {"zhengzhou-industry-2025-07-28.txt"})
    assert not (tmp_path / "escape").exists() and not (tmp_path.parent / "b").exists()
    assert set(hostile) <= {a.id for a in library.documents()}
    library.remove(hostile)
    assert {a.id for a in library.documents()} == {"zhengzhou-industry-2025-07-28"}


def test_an_assistant_without_a_corpus_folder_refuses_writes(seed_assistant):
    with pytest.raises(QAError, match="corpus"):
        seed_assistant.add([BYD])


SLOW_ADD = """
import sys, time
import qa, qa.embed
original = qa.embed.E5Embedder.encode_passages
def slow(self, texts):
    print("embedding", flush=True)
    time.sleep(60)
    return original(self, texts)
qa.embed.E5Embedder.encode_passages = slow
a = qa.Assistant.load(corpus_dir=sys.argv[1], index_dir=sys.argv[2])
a.add([qa.Document(id="byd-2024", title="比亚迪2024年销量", text="比亚迪2024年累计销售新能源汽车427.2万辆,同比增长41.3%。")])
"""


def test_sigkill_mid_add_loses_nothing_and_a_restart_indexes_the_article(library):
    index_dir = library.settings.index_dir
    before_build = library.index.path
    child = subprocess.Popen([sys.executable, "-c", SLOW_ADD, str(library.corpus_dir), str(index_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    try:
        line = child.stdout.readline()
        assert line.strip() == "embedding", line + child.stdout.read()
    finally:
        child.kill()  # SIGKILL while the new article's passages are being embedded
        child.wait(timeout=30)
    assert load_index(index_dir).path == before_build  # the build in service is untouched
    restarted = qa.Assistant.load(corpus_dir=library.corpus_dir, index_dir=index_dir)
    assert restarted.ask(BYD_QUESTION).answer.text == "427.2万辆"  # the article written first is not lost
    assert restarted.ask(QUESTIONS[0]).answer.text == "6.5万辆"
    assert not list(library.corpus_dir.glob(".tmp-*"))
    restarted.add([PORT])  # and the lock the killed writer held is free
    assert restarted.ask(PORT_QUESTION).answer.text == "13.77亿吨"


def test_a_small_change_embeds_with_every_core_a_large_one_within_the_build_budget(library):
    """One article is searchable within a second or so (POST → first answer ≤ 2 s); a big import leaves a core to
    the questions (bench_serving.py measures both)."""
    import contextlib
    import os

    import numpy as np

    from qa.assistant import SMALL_CHANGE_PASSAGES

    class RecordingEmbedder:
        dim = 4
        used: list[int] = []

        @contextlib.contextmanager
        def threads(self, count):
            self.used.append(count)
            yield

        def encode_passages(self, texts):
            return np.ones((len(texts), self.dim), dtype=np.float32)

    embedder = RecordingEmbedder()
    assert library._embed_within_budget(embedder, ["甲"] * SMALL_CHANGE_PASSAGES).shape == (SMALL_CHANGE_PASSAGES, 4)
    library._embed_within_budget(embedder, ["乙"] * (SMALL_CHANGE_PASSAGES + 1))
    assert embedder.used == [os.cpu_count(), library.settings.build_threads]
