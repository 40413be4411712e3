"""The folder watch: files copied into or deleted from corpus/ by hand are indexed while the assistant serves."""
import logging
import time

from qa.watch import CorpusWatcher, is_article_file

ARTICLE = "---\ntitle: 宁波舟山港2024年货物吞吐量\ndate: 2025-01-10\n---\n宁波舟山港2024年完成货物吞吐量13.77亿吨,连续16年位居全球第一。\n"
QUESTION = "宁波舟山港2024年货物吞吐量是多少?"


def wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def ids(assistant) -> set[str]:
    return {a.id for a in assistant.documents()}


def test_files_copied_in_and_deleted_by_hand_are_picked_up(library, caplog):
    corpus = library.corpus_dir
    watcher = CorpusWatcher(library, debounce_ms=200).start()
    assert watcher.watching.wait(10)
    time.sleep(0.5)  # the notify backend starts with the first iteration of the watch
    try:
        (corpus / "port.txt").write_text(ARTICLE, "utf-8")
        assert wait_for(lambda: "port" in ids(library))
        assert library.ask(QUESTION).answer.text == "13.77亿吨"

        syncs = watcher.syncs
        with caplog.at_level(logging.WARNING):
            (corpus / "broken.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)  # reported, not fatal
            assert wait_for(lambda: watcher.syncs > syncs)
        assert "broken.txt" in caplog.text and ids(library) == {"zhengzhou-industry-2025-07-28", "port"}

        (corpus / "port.txt").unlink()
        assert wait_for(lambda: "port" not in ids(library))
        assert library.ask("郑州宇通客车2024年卖了多少辆车?").answer.text == "6.5万辆"  # still serving

        syncs = watcher.syncs
        (corpus / ".trash").mkdir(exist_ok=True)
        (corpus / ".trash" / "old.txt").write_text(ARTICLE, "utf-8")  # hidden folders are not the library
        time.sleep(1.0)
        assert watcher.syncs == syncs and "old" not in ids(library)
    finally:
        watcher.stop()
    (corpus / "late.txt").write_text(ARTICLE, "utf-8")
    time.sleep(0.8)
    assert "late" not in ids(library)  # stopped means stopped


def test_only_visible_article_files_count(tmp_path):
    assert is_article_file(tmp_path / "a.docx", tmp_path) and is_article_file(tmp_path / "x" / "b.HTML", tmp_path)
    for name in (".trash/a.txt", ".tmp-1234-a.jsonl", "notes.csv", "x/.hidden.md"):
        assert not is_article_file(tmp_path / name, tmp_path), name
    assert not is_article_file("/elsewhere/a.txt", tmp_path)
