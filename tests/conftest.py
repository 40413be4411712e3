import json
import shutil
import zlib
from pathlib import Path

import numpy as np
import pytest

import qa
from qa.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_DEV = ROOT / "tests" / "data" / "seed_dev.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def seed_documents() -> list[qa.Document]:
    return load_corpus(ROOT / "corpus").documents


@pytest.fixture(scope="session")
def seed_article(seed_documents) -> qa.Document:
    return next(d for d in seed_documents if d.id == "zhengzhou-industry-2025-07-28")


@pytest.fixture(scope="session")
def seed_assistant(seed_documents, tmp_path_factory) -> qa.Assistant:
    """The bundled corpus, indexed once per test session in a temporary folder."""
    return qa.Assistant.build(seed_documents, index_dir=tmp_path_factory.mktemp("seed-index"))


@pytest.fixture(scope="session")
def seed_dev() -> list[dict]:
    return read_jsonl(SEED_DEV)


def shared_file(*parts: str) -> Path:
    """A file under ../shared, or skip the test where the shared folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not available (../shared is absent)")
    return path


@pytest.fixture(scope="session")
def pristine_library(tmp_path_factory):
    """The seed corpus in its own folder, indexed once per session; `library` copies it for each test."""
    root = tmp_path_factory.mktemp("pristine-library")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    qa.Assistant.load(corpus_dir=root / "corpus", index_dir=root / "index")
    return root


@pytest.fixture
def library(pristine_library, tmp_path) -> qa.Assistant:
    """An Assistant on its own copy of the seed corpus folder and index: add and remove freely (nothing re-embedded)."""
    shutil.copytree(pristine_library / "corpus", tmp_path / "corpus")
    shutil.copytree(pristine_library / "index", tmp_path / "index")
    return qa.Assistant.load(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


class CharacterEmbedder:
    """A stand-in for e5 in tests of what comes after retrieval: each text is a bag of its characters and character
    pairs, hashed into 256 dimensions. Texts sharing words are near; building an index with it takes milliseconds,
    and a test of the reader does not depend on what e5 ranks first."""

    name = "test-character-pairs"
    dim = 256

    def _encode(self, texts) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for gram in [*text, *(a + b for a, b in zip(text, text[1:]))]:
                vectors[row, zlib.crc32(gram.encode("utf-8")) % self.dim] += 1.0
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    encode_queries = _encode
    encode_passages = _encode


@pytest.fixture
def small_assistant(tmp_path):
    """Make an Assistant over a few articles given as dicts of Document fields, indexed with CharacterEmbedder."""
    made = []

    def make(*articles: dict) -> qa.Assistant:
        made.append(None)
        return qa.Assistant.build([qa.Document(**a) for a in articles], index_dir=tmp_path / f"index-{len(made)}",
                                  embedder=CharacterEmbedder())

    return make


def candidate_texts(assistant: qa.Assistant, question: str) -> list[str]:
    """The numbers the assistant's reader would choose from for question, best first."""
    reader, vocabulary = assistant.reader, assistant.index.lexical
    hits = assistant.retriever.search(question, reader.depth)
    return [c.mention.text for c in reader.rank(reader.analyse(question, vocabulary), hits, vocabulary)]


def candidate_features(assistant: qa.Assistant, question: str) -> dict[str, dict]:
    """Number text → its features, for the candidates of question."""
    reader, vocabulary = assistant.reader, assistant.index.lexical
    hits = assistant.retriever.search(question, reader.depth)
    return {c.mention.text: c.features for c in reader.rank(reader.analyse(question, vocabulary), hits, vocabulary)}
