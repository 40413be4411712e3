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


# --- news pages, Word files, and writing to the folder ------------------------------------------------------------

import io  # noqa: E402
import json  # noqa: E402
import zipfile  # noqa: E402

from qa.corpus import (MAX_DOCX_UNPACKED_BYTES, article_file_name, parse_docx, parse_html, read_article_file,  # noqa: E402
                       trash_articles, write_articles)

PAGE = ("<html><head><meta charset='utf-8'><title>宇通客车2024年销量 - 郑州日报</title>"
        "<meta property='og:site_name' content='郑州日报'><meta property='article:published_time' content='2025-07-28'>"
        "<link rel='canonical' href='https://news.example.cn/a/1.html'></head><body>"
        "<nav>首页 | 新闻 | 财经 | 体育</nav><article><h1>宇通客车2024年销量</h1>"
        "<p>" + TEXT + "这是正文第一段的其余部分，介绍企业的发展情况与市场表现。</p>"
        "<p>公司产品远销全球40多个国家和地区，海外销量持续增长。</p></article>"
        "<footer>版权所有 © 郑州日报 联系我们</footer></body></html>")


def docx_bytes(paragraphs, title=""):
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "营收", "32.5亿元"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_news_page_gives_text_and_metadata_from_trafilatura():
    doc = parse_html(PAGE.encode("utf-8"), "page", "page.html")
    assert doc.title == "宇通客车2024年销量" and doc.source == "郑州日报"
    assert doc.url == "https://news.example.cn/a/1.html" and doc.date == "2025-07-28"
    assert doc.text.startswith(TEXT) and "版权所有" not in doc.text and "40多个国家" in doc.text
    assert parse_html(PAGE.encode("gb18030"), "page", "page.html").text == doc.text  # any Chinese encoding
    with pytest.raises(CorpusError, match="正文"):
        parse_html(b"<html><body><script>var a = 1;</script></body></html>", "x", "empty.html")


def test_word_file_gives_paragraphs_tables_and_title():
    doc = parse_docx(docx_bytes(["郑州产业", TEXT], title="郑州产业报道"), "w", "w.docx")
    assert doc.title == "郑州产业报道" and doc.text == f"郑州产业\n{TEXT}\n营收 | 32.5亿元"
    front = parse_docx(docx_bytes(["---", "title: 标题甲", "date: 2025-01-02", "---", TEXT]), "w", "w.docx")
    assert (front.title, front.date, front.text.split("\n")[0]) == ("标题甲", "2025-01-02", TEXT)
    first_line = parse_docx(docx_bytes(["标题乙", TEXT]), "w", "w.docx")
    assert first_line.title == "标题乙" and first_line.text.startswith(TEXT)


def test_a_zip_bomb_posing_as_word_file_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (MAX_DOCX_UNPACKED_BYTES + 1024))
    bomb = out.getvalue()
    assert len(bomb) < 200_000  # small on disk
    with pytest.raises(CorpusError, match="解压后过大"):
        parse_docx(bomb, "bomb", "bomb.docx")
    with pytest.raises(CorpusError, match="Word"):
        parse_docx(b"PK\x03\x04garbage", "bad", "bad.docx")


def test_folder_reads_html_and_docx_and_skips_hidden_folders(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, "utf-8")
    (tmp_path / "word.docx").write_bytes(docx_bytes([TEXT], title="郑州产业报道"))
    (tmp_path / ".trash").mkdir()
    (tmp_path / ".trash" / "old.txt").write_text("旧标题\n" + TEXT, "utf-8")
    (tmp_path / ".tmp-1234-x.jsonl").write_text('{"id": "half", "text": "写了一半"}', "utf-8")
    corpus = load_corpus(tmp_path)
    assert sorted(d.id for d in corpus.documents) == ["page", "word"] and corpus.problems == []
    assert corpus.locations == {"page": "page.html", "word": "word.docx"}
    with pytest.raises(CorpusError, match="不支持"):
        read_article_file(b"x", "a.pdf")


def test_written_articles_round_trip_and_removed_ones_go_to_trash(tmp_path):
    hostile = qa.Document(id="../../evil/../x", title=" 标题\n有换行 ", text="\n" + TEXT + "\n", date="2025-01-02")
    plain = qa.Document(id="plain", title="标题", text=TEXT)
    names = write_articles(tmp_path, [hostile, plain], {})
    assert names == [article_file_name(hostile.id), article_file_name("plain")]
    assert all((tmp_path / n).parent == tmp_path and not n.startswith(".") for n in names)
    corpus = load_corpus(tmp_path)
    read_back = {d.id: d for d in corpus.documents}
    assert read_back["plain"] == plain and read_back[hostile.id].title == hostile.title
    trash_articles(tmp_path, corpus.locations, [hostile.id])
    assert [d.id for d in load_corpus(tmp_path).documents] == ["plain"]
    (trashed,) = (tmp_path / ".trash").iterdir()
    assert json.loads(trashed.read_text("utf-8"))["id"] == hostile.id
