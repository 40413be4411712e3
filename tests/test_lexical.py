"""qa/lexical.py: the lexical backend seam."""
from qa.lexical import LexicalBackend, Tokenizer


def test_bm25_index_is_a_lexical_backend(seed_assistant):
    lexical = seed_assistant.index.lexical
    assert isinstance(lexical, LexicalBackend)
    positions, scores = lexical.search("宇通客车2024年卖了多少辆车?", 5)
    assert len(positions) == len(scores) > 0 and list(scores) == sorted(scores, reverse=True)
    assert lexical.idf("宇通") > lexical.idf("郑州") > 0  # the rarer word weighs more
    assert lexical.size == len(seed_assistant.index.passages)


def test_vectorised_bm25_matrix_equals_bm25s_own(seed_documents):
    """LexicalIndex builds BM25's matrix with numpy in one pass; it must be the matrix bm25s builds itself."""
    import bm25s

    from qa.lexical import LexicalIndex

    texts = [p for d in seed_documents for p in d.text.split("\n") if p.strip()] + ["", "孤立的词"]
    ours = LexicalIndex.build(texts, ["中创智领"])
    tokenizer = Tokenizer(["中创智领"])
    reference = bm25s.BM25()
    reference.index([tokenizer.tokens(t) or ["<empty>"] for t in texts], show_progress=False)
    words = lambda retriever: sorted(retriever.vocab_dict, key=retriever.vocab_dict.get)  # noqa: E731

    def dense(retriever):
        scores, vocab = retriever.scores, words(retriever)
        matrix = {}
        for column, word in enumerate(vocab[: len(scores["indptr"]) - 1]):
            for k in range(scores["indptr"][column], scores["indptr"][column + 1]):
                matrix[(word, int(scores["indices"][k]))] = float(scores["data"][k])
        return matrix

    mine, theirs = dense(ours._retriever), dense(reference)
    assert mine.keys() == theirs.keys() and len(mine) > 500
    assert all(abs(mine[key] - theirs[key]) <= 1e-6 * max(1.0, abs(theirs[key])) for key in mine)
    assert ours._retriever.scores["num_docs"] == reference.scores["num_docs"] == len(texts)


def test_a_new_tokenizer_tags_names_without_reading_jiebas_tag_table_again(monkeypatch):
    """Every index build makes a new Tokenizer; reading jieba's ~350k-line tag table again for each made the first
    question after an add take ~0.8 s."""
    import jieba.posseg

    Tokenizer().names("宇通客车董事长汤玉祥")
    reads = []
    read = jieba.posseg.POSTokenizer.load_word_tag
    monkeypatch.setattr(jieba.posseg.POSTokenizer, "load_word_tag", lambda self, f: reads.append(f) or read(self, f))
    assert "汤玉祥" in Tokenizer(["宇通客车"]).names("宇通客车董事长汤玉祥表示")
    assert reads == []


def test_names_the_corpus_gives_are_names_when_asked_for():
    tokenizer = Tokenizer(["宇通客车", "公司"])
    assert "宇通客车" not in tokenizer.names("宇通客车累计出口了多少辆")  # jieba's table does not know it
    assert tokenizer.names("宇通客车累计出口了多少辆", corpus_entities=True) == ["宇通客车"]
    assert tokenizer.names("挂牌公司股东", corpus_entities=True) == []  # a word jieba knows as a common noun
