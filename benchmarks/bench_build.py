"""Index build throughput (passages/s) and peak memory, for the seed corpus and for CMRC 2018 dev.

    python benchmarks/bench_build.py                        # seed corpus, then CMRC dev (848 contexts: minutes)
    python benchmarks/bench_build.py --limit 100            # CMRC dev, first 100 contexts only (quick)
    python benchmarks/bench_build.py --only seed            # or --only cmrc
    python benchmarks/bench_build.py --tracemalloc          # also the Python-heap peak (slows tokenising a little)

Each corpus is built in a fresh child process, into a temporary index folder, so that its peak resident memory
(getrusage ru_maxrss) belongs to that build alone. In the child:
  build    = Assistant.build(documents, index_dir=<empty temp dir>): split, embed, BM25, FAISS, save — the real thing
  rebuild  = Assistant.build again on the same folder: every vector is reused (baseline: the build without embedding)
  stages   = split_article, LexicalIndex.build, the FAISS index and save_index timed on their own
  embed    = embedder.encode_passages on batches of 32 real passages alone (baseline: the embedder's raw rate)
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, current_rss_mib, peak_rss_mib, print_header  # noqa: E402

CMRC_DEV = ROOT.parent / "shared" / "bench" / "cmrc2018" / "dev.jsonl"


def documents_of(corpus: str, limit: int | None):
    if corpus == "seed":
        from qa.corpus import load_corpus

        return load_corpus(ROOT / "corpus").documents
    from qa.evaluate import read_question_set

    documents = read_question_set(CMRC_DEV).documents
    return documents[:limit] if limit else documents


def child(corpus: str, limit: int | None, trace: bool) -> dict:
    """One corpus, measured in this (fresh) process; returns the figures as a dict."""
    import tracemalloc

    import qa
    from qa.embed import load_embedder
    from qa.index import EMBED_BATCH, SearchIndex, _make_faiss_index, save_index
    from qa.lexical import LexicalIndex, entity_words
    from qa.passages import split_article
    from qa.settings import Settings

    settings = Settings.from_env()
    documents = documents_of(corpus, limit)
    embedder = load_embedder(settings)
    embedder.encode_passages(["预热 warm-up"])  # model pages in memory before the baseline is taken
    rss_before = current_rss_mib()
    figures: dict = {"corpus": corpus, "documents": len(documents), "rss_before_mib": rss_before}

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        assistant = qa.Assistant.build(documents, index_dir=tmp, settings=settings)
        figures["build_s"] = time.perf_counter() - start
        if trace:
            figures["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        figures["peak_rss_mib"] = peak_rss_mib()
        index = assistant.index
        figures["passages"] = len(index.passages)

        start = time.perf_counter()
        qa.Assistant.build(documents, index_dir=tmp, settings=settings)
        figures["rebuild_s"] = time.perf_counter() - start

        start = time.perf_counter()
        passages = [p for d in documents
                    for p in split_article(d, settings.passage_max_chars, settings.passage_min_chars)]
        figures["split_s"] = time.perf_counter() - start
        texts = [p.search_text for p in passages]
        start = time.perf_counter()
        lexical = LexicalIndex.build(texts, entity_words(d.title + "\n" + d.text for d in documents))
        figures["lexical_s"] = time.perf_counter() - start
        start = time.perf_counter()
        faiss_index, _ = _make_faiss_index(index.vectors, settings.index_type)
        figures["faiss_s"] = time.perf_counter() - start
        start = time.perf_counter()
        save_index(SearchIndex(index.manifest, passages, index.vectors, faiss_index, lexical), Path(tmp) / "again")
        figures["save_s"] = time.perf_counter() - start

    sample = texts[: 4 * EMBED_BATCH]
    start = time.perf_counter()
    for i in range(0, len(sample), EMBED_BATCH):
        embedder.encode_passages(sample[i : i + EMBED_BATCH])
    figures["embed_sample"] = len(sample)
    figures["embed_sample_s"] = time.perf_counter() - start
    figures["chars_per_passage"] = sum(len(t) for t in texts) / max(len(texts), 1)
    return figures


def run_child(corpus: str, limit: int | None, trace: bool) -> dict:
    command = [sys.executable, __file__, "--child", corpus]
    if limit:
        command += ["--limit", str(limit)]
    if trace:
        command.append("--tracemalloc")
    out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True, env=os.environ).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(f: dict) -> str:
    n = f["passages"]
    embed_s = max(f["build_s"] - f["rebuild_s"], 1e-9)
    lines = [
        f"{f['corpus']}: {f['documents']} documents → {n} passages ({f['chars_per_passage']:.0f} characters each)",
        f"  build (empty folder)            {f['build_s']:8.1f} s   {n / f['build_s']:8.2f} passages/s",
        f"  rebuild, all vectors reused     {f['rebuild_s']:8.1f} s   {n / f['rebuild_s']:8.2f} passages/s  (baseline)",
        f"  → embedding share (difference)  {embed_s:8.1f} s   {n / embed_s:8.2f} passages/s",
        f"  embedder alone, {f['embed_sample']} passages    {f['embed_sample_s']:8.1f} s   "
        f"{f['embed_sample'] / f['embed_sample_s']:8.2f} passages/s  (baseline)",
        f"  stages: split {f['split_s']:.2f} s, BM25 {f['lexical_s']:.2f} s, FAISS {f['faiss_s']:.3f} s, "
        f"save {f['save_s']:.2f} s",
        f"  memory: RSS {f['rss_before_mib']:.0f} MiB with the embedder loaded, peak {f['peak_rss_mib']:.0f} MiB "
        f"during the build (+{f['peak_rss_mib'] - f['rss_before_mib']:.0f} MiB)",
    ]
    if "tracemalloc_peak_mib" in f:
        lines.append(f"  Python heap peak during the build (tracemalloc): {f['tracemalloc_peak_mib']:.1f} MiB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="CMRC dev: only the first N contexts")
    parser.add_argument("--only", choices=("seed", "cmrc"))
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--child", choices=("seed", "cmrc"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.limit, args.tracemalloc)))
        return 0

    print_header("bench_build: build throughput and peak memory")
    results = []
    for corpus in ("seed", "cmrc"):
        if args.only and corpus != args.only:
            continue
        figures = run_child(corpus, args.limit if corpus == "cmrc" else None, args.tracemalloc)
        results.append(figures)
        print(report(figures), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
