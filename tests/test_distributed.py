"""The Ray Data engine (qa/distributed.py): same index as a local build, incremental, retried, fails safely."""
import functools
import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

import qa
from qa.embed import load_embedder
from qa.index import embed_in_batches, load_index
from qa.settings import Settings

ray = pytest.importorskip("ray", reason="Ray Data is the optional extra qa-news[ray] (installed by .[test])")
from qa.distributed import RayEmbedEngine  # noqa: E402

pytestmark = pytest.mark.slow  # starts Ray and its actors: about a minute in all

EXTRA_DOCUMENTS = [
    qa.Document(id="byd-2024", title="比亚迪2024年销量", date="2025-01-02", source="测试",
                text="比亚迪2024年累计销售新能源汽车427.2万辆,同比增长41.3%。\n海外销量41.7万辆。"),
    qa.Document(id="port-2024", title="宁波舟山港2024年货物吞吐量", date="2025-01-10", source="测试",
                text="宁波舟山港2024年完成货物吞吐量13.77亿吨,连续16年位居全球第一。\n"
                     "集装箱吞吐量完成3930.1万标准箱,同比增长11.3%。\n"
                     "全年新增航线20条,航线总数达到310条。"),
    qa.Document(id="rail-2024", title="全国铁路2024年旅客发送量", date="2025-01-05", source="测试",
                text="2024年全国铁路完成旅客发送量43.1亿人次,同比增长11.9%。\n"
                     "全年投产新线3113公里,其中高铁2457公里。"),
]
QUESTIONS = ["宇通客车2024年卖了多少辆车?", "郑州计划让算力规模达到多少?", "比亚迪2024年卖了多少辆车?",
             "宁波舟山港2024年货物吞吐量是多少?", "2024年全国铁路投产新线多少公里?"]


@pytest.fixture(scope="module")
def ray_session():
    """One local Ray instance for the module; engines find it running and leave it up."""
    # Workers unpickle this module's test embedders: send them by value, as workers cannot import tests/.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def documents(seed_documents):
    return [*seed_documents, *EXTRA_DOCUMENTS]


@pytest.fixture(scope="module")
def local_build(documents, tmp_path_factory):
    return qa.Assistant.build(documents, index_dir=tmp_path_factory.mktemp("local-index"))


class RecordingEngine:
    """Wraps an engine and keeps every text it was asked to embed."""

    def __init__(self, engine):
        self.engine, self.texts = engine, []

    def __call__(self, embedder, texts, progress=False):
        self.texts.extend(texts)
        return self.engine(embedder, texts, progress)


class DiesOnceEmbedder:
    """The real embedder in a worker that kills its own process on its first batch (once across all workers)."""

    def __init__(self, marker: str):
        self._embedder = load_embedder(Settings())
        self.name, self.dim = self._embedder.name, self._embedder.dim
        self._marker = marker

    def encode_queries(self, texts):
        return self._embedder.encode_queries(texts)

    def encode_passages(self, texts):
        try:
            os.close(os.open(self._marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return self._embedder.encode_passages(texts)
        os._exit(1)  # the worker process dies, as on an OOM kill or a crash in native code


class FailingEmbedder(DiesOnceEmbedder):
    """Raises on every batch after the first: a build that cannot finish."""

    def encode_passages(self, texts):
        try:
            os.close(os.open(self._marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            raise RuntimeError("embedding failed half-way (test)") from None
        return self._embedder.encode_passages(texts)


def test_ray_build_writes_the_same_index_and_answers_as_a_local_build(ray_session, documents, local_build, tmp_path):
    engine = RecordingEngine(RayEmbedEngine(Settings(), workers=2))
    ray_build = qa.Assistant.build(documents, index_dir=tmp_path / "index", embed_engine=engine)
    local, remote = local_build.index, load_index(tmp_path / "index")  # the Ray build, as read back from disk

    assert len(engine.texts) == len(local.passages) > 20
    assert [p.to_dict() for p in remote.passages] == [p.to_dict() for p in local.passages]
    np.testing.assert_allclose(remote.vectors, local.vectors, atol=1e-5)
    assert remote.manifest["counts"] == local.manifest["counts"]
    assert remote.manifest["corpus_fingerprint"] == local.manifest["corpus_fingerprint"]
    assert sorted(p.name for p in remote.path.rglob("*")) == sorted(p.name for p in local.path.rglob("*"))
    for question in QUESTIONS:
        expected, got = local_build.ask(question).to_dict(), ray_build.ask(question).to_dict()
        assert got["answer"] == expected["answer"], question
        assert [p["passage_id"] for p in got["passages"]] == [p["passage_id"] for p in expected["passages"]]
    assert ray_build.ask("比亚迪2024年卖了多少辆车?").answer.text == "427.2万辆"

    # Incremental: a changed article and a new one, and only their passages go to the workers.
    changed = qa.Document(id="rail-2024", title="全国铁路2024年旅客发送量", date="2025-01-05", source="测试",
                          text=EXTRA_DOCUMENTS[2].text + "\n全年开行旅客列车超过1200万列。")
    added = qa.Document(id="wind-2024", title="全国风电2024年新增装机", date="2025-01-20", source="测试",
                        text="2024年全国风电新增并网装机7982万千瓦,累计装机5.2亿千瓦。")
    updated_documents = [*documents[:-1], changed, added]
    engine.texts.clear()
    updated = qa.Assistant.build(updated_documents, index_dir=tmp_path / "index", embed_engine=engine)
    new_passages = {p.content_hash for p in updated.index.passages} - {p.content_hash for p in local.passages}
    assert 0 < len(engine.texts) == len(new_passages) == updated.index.manifest["counts"]["embedded"] <= 3
    reference = qa.Assistant.build(updated_documents, index_dir=tmp_path / "local-updated")
    np.testing.assert_allclose(updated.index.vectors, reference.index.vectors, atol=1e-5)
    assert updated.ask("2024年全国风电新增并网装机多少?").answer.text == "7982万千瓦"


def test_a_worker_that_dies_is_restarted_and_its_batch_retried(ray_session, documents, local_build, tmp_path):
    marker = tmp_path / "died"
    engine = RayEmbedEngine(Settings(), workers=2, make_embedder=functools.partial(DiesOnceEmbedder, str(marker)))
    texts = [p.search_text for p in local_build.index.passages]
    vectors = engine(load_embedder(Settings()), texts)
    assert marker.exists()  # a worker did die
    np.testing.assert_allclose(vectors, local_build.index.vectors, atol=1e-5)


def test_a_failed_ray_build_leaves_the_previous_index_in_place(ray_session, documents, local_build, tmp_path):
    index_dir = tmp_path / "index"
    previous = qa.Assistant.build(documents[:1], index_dir=index_dir, embed_engine=embed_in_batches)
    engine = RayEmbedEngine(Settings(), workers=2, max_restarts=1,
                            make_embedder=functools.partial(FailingEmbedder, str(tmp_path / "first-batch")))
    with pytest.raises(Exception, match="embedding failed half-way"):
        qa.Assistant.build(documents, index_dir=index_dir, embed_engine=engine)
    survivor = load_index(index_dir)
    assert survivor.path == previous.index.path
    assert [p.id for p in survivor.passages] == [p.id for p in previous.index.passages]
    assert not [p for p in Path(index_dir).iterdir() if p.name.startswith(".tmp-")]
    serving = qa.Assistant(survivor, load_embedder(Settings()), Settings().replace(index_dir=index_dir))
    assert serving.ask("宇通客车2024年卖了多少辆车?").answer.text == "6.5万辆"


def test_cli_builds_with_ray_and_prints_throughput(ray_session, tmp_path, capsys):
    from qa.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    d = EXTRA_DOCUMENTS[0]
    (corpus / "byd.jsonl").write_text(json.dumps({"id": d.id, "title": d.title, "text": d.text}) + "\n", "utf-8")
    argv = ["build", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--engine", "ray", "--workers", "1"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "新嵌入 1 个" in printed and "(engine ray, 1 workers)" in printed
    assert main(argv) == 0  # nothing new: nothing embedded, no throughput line
    assert "新嵌入 0 个" in (printed := capsys.readouterr().out) and "嵌入速度" not in printed
    assert main([*argv[:-1], "0"]) == 2


def test_engine_rejects_zero_workers():
    with pytest.raises(ValueError, match="at least 1"):
        RayEmbedEngine(Settings(), workers=0)
