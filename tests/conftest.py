import json
import shutil
from pathlib import Path

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
