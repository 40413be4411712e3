"""qa/lexical.py: the lexical backend seam."""
from qa.lexical import LexicalBackend


def test_bm25_index_is_a_lexical_backend(seed_assistant):
    lexical = seed_assistant.index.lexical
    assert isinstance(lexical, LexicalBackend)
    positions, scores = lexical.search("宇通客车2024年卖了多少辆车?", 5)
    assert len(positions) == len(scores) > 0 and list(scores) == sorted(scores, reverse=True)
    assert lexical.idf("宇通") > lexical.idf("郑州") > 0  # the rarer word weighs more
    assert lexical.size == len(seed_assistant.index.passages)
