import json

import numpy as np
import pytest

import qa
from qa.embed import load_embedder
from qa.errors import IndexCorruptError, StaleIndexError
from qa.index import AUTO_EXACT_BELOW, build_index, current_build, ivf_lists, load_index, resolve_index_type
from qa.settings import Settings

NEW_ARTICLE = qa.Document(
    id="byd-2024", title="比亚迪2024年销量", date="2025-01-02", source="测试",
    text="比亚迪2024年累计销售新能源汽车427.2万辆,同比增长41.3%。\n海外销量41.7万辆。",
)


def test_round_trip_keeps_passages_vectors_and_answers(seed_assistant):
    loaded = load_index(seed_assistant.settings.index_dir)
    built = seed_assistant.index
    assert [p.to_dict() for p in loaded.passages] == [p.to_dict() for p in built.passages]
    assert np.array_equal(loaded.vectors, built.vectors)
    assert loaded.faiss_index.ntotal == len(built.passages)
    manifest = json.loads((loaded.path / "manifest.json").read_text("utf-8"))
    assert manifest["embedder"] == {"name": "multilingual-e5-small", "dim": 384}
    assert manifest["counts"]["passages"] == len(built.passages)
    for name in ("vectors.faiss", "passages.jsonl", "vectors.npy", "lexical"):
        assert (loaded.path / name).exists()


def test_stale_index_is_detected(seed_assistant, seed_documents):
    index = load_index(seed_assistant.settings.index_dir)
    embedder = load_embedder(Settings())
    index.check_fresh(seed_documents, embedder, seed_assistant.settings)
    with pytest.raises(StaleIndexError, match="corpus changed"):
        index.check_fresh([*seed_documents, NEW_ARTICLE], embedder, seed_assistant.settings)
    with pytest.raises(StaleIndexError, match="settings"):
        index.check_fresh(seed_documents, embedder, seed_assistant.settings.replace(passage_max_chars=120))


def test_incremental_rebuild_embeds_only_new_articles(seed_documents, tmp_path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    seed = seed_documents[0]
    (corpus_dir / "seed.txt").write_text(f"---\ntitle: {seed.title}\ndate: {seed.date}\n---\n{seed.text}", "utf-8")
    first = qa.Assistant.load(corpus_dir=corpus_dir, index_dir=tmp_path / "index")
    assert first.index.manifest["counts"]["embedded"] == first.index.manifest["counts"]["passages"]

    again = qa.Assistant.load(corpus_dir=corpus_dir, index_dir=tmp_path / "index")
    assert again.index.path == first.index.path  # fresh: loaded, not rebuilt

    (corpus_dir / "byd.txt").write_text("比亚迪2024年销量\n" + NEW_ARTICLE.text, "utf-8")
    updated = qa.Assistant.load(corpus_dir=corpus_dir, index_dir=tmp_path / "index")
    counts = updated.index.manifest["counts"]
    assert counts["documents"] == 2
    assert counts["embedded"] == 1  # only the new article (its two short paragraphs share one passage)
    assert updated.ask("比亚迪2024年卖了多少辆车?").passages[0].passage.doc_id == "byd"
    # the reused vectors are the ones embedded the first time
    old = {p.content_hash: first.index.vectors[i] for i, p in enumerate(first.index.passages)}
    for i, p in enumerate(updated.index.passages):
        if p.content_hash in old:
            assert np.array_equal(updated.index.vectors[i], old[p.content_hash])


@pytest.mark.parametrize("damage", ["manifest", "passages", "faiss", "vectors", "count"])
def test_corrupt_index_is_detected_and_rebuilt(seed_documents, tmp_path, damage):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "seed.txt").write_text("标题\n" + seed_documents[0].text, "utf-8")
    index_dir = tmp_path / "index"
    qa.Assistant.load(corpus_dir=corpus_dir, index_dir=index_dir)
    build = current_build(index_dir)
    if damage == "manifest":
        (build / "manifest.json").write_text("{broken", "utf-8")
    elif damage == "passages":
        (build / "passages.jsonl").write_text('{"id": 1}\n', "utf-8")
    elif damage == "faiss":
        data = (build / "vectors.faiss").read_bytes()
        (build / "vectors.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "vectors":
        (build / "vectors.npy").write_bytes(b"not numpy")
    elif damage == "count":
        lines = (build / "passages.jsonl").read_text("utf-8").splitlines()
        (build / "passages.jsonl").write_text("\n".join(lines[:-1]) + "\n", "utf-8")
    with pytest.raises(IndexCorruptError):
        load_index(index_dir)
    rebuilt = qa.Assistant.load(corpus_dir=corpus_dir, index_dir=index_dir)
    assert rebuilt.ask("宇通客车2024年卖了多少辆车?").answer.text == "6.5万辆"
    assert (corpus_dir / "seed.txt").read_text("utf-8").startswith("标题\n")


def test_faiss_index_type_is_a_setting(seed_documents):
    settings = Settings().replace(index_type="HNSW16")
    index = build_index(seed_documents, load_embedder(settings), settings)
    assert "HNSW" in type(index.faiss_index).__name__


def test_loaded_index_is_memory_mapped_read_only(seed_assistant):
    loaded = load_index(seed_assistant.settings.index_dir)
    maps = open("/proc/self/maps", encoding="utf-8").read()
    assert str(loaded.path / "vectors.faiss") in maps  # the FAISS file is mapped, not read into this process
    assert isinstance(loaded.vectors, np.memmap) and not loaded.vectors.flags.writeable
    scores, positions = loaded.faiss_index.search(seed_assistant.index.vectors[:3], 1)
    assert positions[:, 0].tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    "index_type, passages, expected",
    [
        ("auto", 23, ("Flat", "")),
        ("auto", AUTO_EXACT_BELOW - 1, ("Flat", "")),
        ("auto", AUTO_EXACT_BELOW, (f"IVF{ivf_lists(AUTO_EXACT_BELOW)},Flat", f"nprobe={ivf_lists(AUTO_EXACT_BELOW) // 16}")),
        ("auto", 10**6, ("IVF4096,Flat", "nprobe=256")),  # IVF searching 1/16 of its lists
        ("Flat", 10**7, ("Flat", "")),  # an explicit type is never second-guessed
        ("HNSW32 efSearch=64", 10, ("HNSW32", "efSearch=64")),
        ("IVF1024,Flat nprobe=16", 10**5, ("IVF1024,Flat", "nprobe=16")),
    ],
)
def test_index_type_resolves_by_corpus_size(index_type, passages, expected):
    assert resolve_index_type(index_type, passages) == expected


@pytest.mark.parametrize("passages, lists", [(10**5, 1024), (2 * 10**5, 2048), (10**6, 4096), (10**7, 16384)])
def test_ivf_lists_grow_with_the_square_root_of_the_corpus(passages, lists):
    assert ivf_lists(passages) == lists


def test_auto_index_type_switches_to_ivf_above_the_threshold_and_keeps_its_search_parameters(tmp_path, monkeypatch):
    import faiss

    import qa.index

    vectors = np.random.default_rng(0).normal(size=(300, 16)).astype(np.float32)
    monkeypatch.setattr(qa.index, "AUTO_EXACT_BELOW", 1000)
    small, small_type = qa.index._make_faiss_index(vectors, "auto")
    assert small_type == "Flat" and small.ntotal == 300
    monkeypatch.setattr(qa.index, "AUTO_EXACT_BELOW", 100)
    large, large_type = qa.index._make_faiss_index(vectors, "auto")
    assert large_type == "IVF64,Flat nprobe=4" and large.nprobe == 4 and large.ntotal == 300
    faiss.write_index(large, str(tmp_path / "ivf.faiss"))  # the search parameter is saved with the index
    assert faiss.read_index(str(tmp_path / "ivf.faiss")).nprobe == 4


def test_manifest_records_what_the_index_type_resolved_to(seed_assistant):
    manifest = seed_assistant.index.manifest
    assert manifest["settings"]["index_type"] == Settings().index_type == "auto"
    assert manifest["index_type"] == "Flat"  # the seed corpus is far below AUTO_EXACT_BELOW


def test_incremental_build_reuses_passage_tokens_and_equals_a_full_build(seed_assistant, seed_documents, monkeypatch):
    """Adding an article re-tokenises only its passages (saved token ids are read back), with the same BM25 index
    a build from scratch makes, even when the article brings a new entity word ('比亚迪' in quotes)."""
    from qa.lexical import Tokenizer

    loaded = load_index(seed_assistant.settings.index_dir)
    assert loaded.lexical.document_tokens() == seed_assistant.index.lexical.document_tokens()  # saved, read back
    quoted = qa.Document(id=NEW_ARTICLE.id, title="“比亚迪”年报", text=NEW_ARTICLE.text)
    embedder, settings = seed_assistant.embedder, seed_assistant.settings
    cut = []
    original = Tokenizer.tokens
    monkeypatch.setattr(Tokenizer, "tokens", lambda self, text: cut.append(text) or original(self, text))
    incremental = build_index([*seed_documents, quoted], embedder, settings, loaded)
    assert incremental.manifest["counts"]["embedded"] == 1
    assert all("比亚迪" in text for text in cut) and cut  # only the new article's passage was tokenised
    monkeypatch.setattr(Tokenizer, "tokens", original)
    full = build_index([*seed_documents, quoted], embedder, settings)
    assert incremental.lexical.document_tokens() == full.lexical.document_tokens()
    for question in ("比亚迪2024年卖了多少辆车?", "宇通客车2024年卖了多少辆车?", "郑州算力规模"):
        mine, theirs = incremental.lexical.search(question, 10), full.lexical.search(question, 10)
        assert mine[0].tolist() == theirs[0].tolist() and np.allclose(mine[1], theirs[1])
