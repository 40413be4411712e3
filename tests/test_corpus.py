import os

import pytest

import qa
from qa.corpus import decode_bytes, load_corpus, normalise_aligned, normalise_for_matching
from qa.errors import CorpusError

TEXT = "宇通客车作为郑州的本土企业,2024年累计销售各类商用车6.5万辆,同比增长43.8%。"


def test_seed_article_loads_with_its_metadata(seed_article):
    assert seed_article.title.startswith("「活力中国调研行」郑州")
    assert seed_article.date == "2025-07-28"
    assert seed_article.source == "大河报·豫视频"
    assert seed_article.text.startswith("7月28日,由河南省委宣传部")
    assert "6.5万辆" in seed_article.text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_are_detected(encoding):
    assert decode_bytes(TEXT.encode(encoding), "x.txt") == TEXT


def test_undecodable_bytes_raise_corpus_error_naming_the_file():
    with pytest.raises(CorpusError, match="bad.txt"):
        decode_bytes(bytes(range(0x80, 0x100)) * 4 + b"\x00\x01\x02" * 50, "bad.txt")


def test_folder_with_mixed_files(tmp_path):
    (tmp_path / "a.txt").write_text("---\ntitle: 标题甲\ndate: 2025-01-02\nsource: 某报\n---\n" + TEXT, "utf-8")
    (tmp_path / "b.md").write_bytes(("# 标题乙\n\n" + TEXT).encode("gb18030"))
    (tmp_path / "empty.txt").write_text("   \n", "utf-8")
    (tmp_path / "broken.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    (tmp_path / "archive.jsonl").write_text(
        '{"id": "n1", "title": "快讯", "text": "' + TEXT + '", "date": "2024-03-01"}\n'
        "{not json}\n"
        '{"id": "n2", "title": "无正文"}\n'
        '{"id": "a", "title": "重复", "text": "重复的 id"}\n',
        "utf-8",
    )
    (tmp_path / "notes.csv").write_text("ignored", "utf-8")
    corpus = load_corpus(tmp_path)
    by_id = {d.id: d for d in corpus.documents}
    assert set(by_id) == {"a", "b", "n1"}
    assert by_id["a"].title == "标题甲" and by_id["a"].date == "2025-01-02" and by_id["a"].source == "某报"
    assert by_id["b"].title == "标题乙" and by_id["b"].text == TEXT
    assert by_id["n1"].date == "2024-03-01"
    reported = " | ".join(str(p) for p in corpus.problems)
    for name in ("empty.txt", "broken.txt", "archive.jsonl:2", "archive.jsonl:3", "重复"):
        assert name in reported


def test_symlink_out_of_the_corpus_is_not_read(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("机密\n不应被索引的内容", "utf-8")
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "ok.txt").write_text("标题\n" + TEXT, "utf-8")
    os.symlink(outside, corpus_dir / "link.txt")
    corpus = load_corpus(corpus_dir)
    assert [d.id for d in corpus.documents] == ["ok"]
    assert any("link.txt" in str(p) for p in corpus.problems)


def test_document_requires_id_and_text():
    with pytest.raises(CorpusError):
        qa.Document(id="", title="t", text="x")
    with pytest.raises(CorpusError):
        qa.Document(id="a", title="t", text="  ")


def test_matching_normalisation_folds_width_and_script_but_aligned_keeps_length():
    assert normalise_for_matching("宇通客車２０２４年賣了多少輛車？") == "宇通客车2024年卖了多少辆车?"
    text = "產值…２０２４年增長３８．１％"
    aligned = normalise_aligned(text)
    assert len(aligned) == len(text)
    assert aligned.endswith("2024年增长38.1%")
