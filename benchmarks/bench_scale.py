"""Search at 10^3, 10^4, 10^5 passages: exact FAISS (Flat) vs HNSW vs IVF, and BM25, on the same synthetic archive.

    python benchmarks/bench_scale.py                               # 1000, 10000, 100000 passages
    python benchmarks/bench_scale.py --sizes 1000,10000 --queries 100    # quicker

The archive is synthesised, because embedding 10^5 passages is out of reach on this machine (~15 passages/s):
- the ~2,300 real passages of CMRC 2018 dev and their real e5 vectors (taken from the eval index, index/eval/dev,
  built by `python -m qa eval ../shared/bench/cmrc2018/dev.jsonl` if missing) are copied with new ids until the
  size is reached;
- each copy's vector is the original plus Gaussian noise, re-normalised; the noise is set so that a copy is as
  far from its original as a real passage is from its nearest real neighbour (median), so copies spread out like
  new passages instead of stacking up as duplicates. Real vectors stay unperturbed;
- BM25 indexes the copies' real text (the same tokens repeated), so its postings grow as they would.
Queries are real: CMRC dev questions and their e5 query vectors. The real vectors, question vectors and the
built approximate indexes are cached under index/bench-cache/ (not in git; delete it to start over).

Per size: p50/p95 of one search (k = retrieval depth, 50, one query at a time, as ask() does), the index's
memory (serialised size, and RSS growth when it is loaded), build time, and recall@10 of the approximate index
against exact Flat on the same vectors. Then BM25 (qa.lexical.LexicalIndex) and the full hybrid search and
ask() on the synthetic SearchIndex, with Flat and with the best approximate setting.

Goal (issue 5): p50 ≤ 60 ms at 10^5 passages; an approximate index becomes the default only where exact misses
that and the approximate one keeps recall@10 ≥ 0.99.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (DEPTH, ROOT, PrecomputedQuery, format_rows, noise_scale, print_header,  # noqa: E402
                    recall_at_10, search_times, stats, timed)

import qa  # noqa: E402
from qa.index import SearchIndex, _make_faiss_index, ivf_lists, load_index, resolve_index_type  # noqa: E402
from qa.lexical import LexicalIndex  # noqa: E402
from qa.passages import Passage  # noqa: E402
from qa.settings import Settings  # noqa: E402

CMRC_DEV = ROOT.parent / "shared" / "bench" / "cmrc2018" / "dev.jsonl"
CACHE = ROOT / "index" / "bench-cache"
EF_SEARCH = (16, 32, 64, 128, 256, 512)
NPROBE = (1, 4, 8, 16, 32, 64)
SEED = 20250728


# --- the real material, cached --------------------------------------------------------------------------------

def real_material(n_questions: int) -> tuple[list[Passage], np.ndarray, list[str], np.ndarray, list[str]]:
    """CMRC dev passages + vectors (from the eval index), and the first n questions + their query vectors."""
    CACHE.mkdir(parents=True, exist_ok=True)
    passages_file, vectors_file = CACHE / "cmrc-dev-passages.jsonl", CACHE / "cmrc-dev-vectors.npy"
    words_file = CACHE / "cmrc-dev-user-words.json"
    if not vectors_file.exists():
        settings = Settings.from_env()
        index = load_index(settings.index_dir / "eval" / "dev")
        if index is None:
            from qa.evaluate import assistant_for, read_question_set

            print("no index/eval/dev yet: building it (embeds ~2,300 passages, a few minutes)")
            index = assistant_for(read_question_set(CMRC_DEV), settings, None, progress=True).index
        with open(passages_file, "w", encoding="utf-8") as out:
            for p in index.passages:
                out.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        words_file.write_text(json.dumps(index.lexical.tokenizer.user_words, ensure_ascii=False), "utf-8")
        np.save(vectors_file, index.vectors)
    with open(passages_file, encoding="utf-8") as handle:
        passages = [Passage.from_dict(json.loads(line)) for line in handle]
    vectors = np.load(vectors_file)
    user_words = json.loads(words_file.read_text("utf-8"))

    questions_file, query_vectors_file = CACHE / "cmrc-dev-questions.json", CACHE / "cmrc-dev-query-vectors.npy"
    questions = json.loads(questions_file.read_text("utf-8")) if questions_file.exists() else []
    if len(questions) < n_questions:
        rows = [json.loads(line) for line in CMRC_DEV.read_text("utf-8").splitlines() if line.strip()]
        every = [q["question"] for row in rows for q in row["qas"]]
        rng = np.random.default_rng(SEED)
        questions = [every[i] for i in rng.permutation(len(every))[: max(n_questions, 300)]]
        from qa.corpus import normalise_for_matching

        embedder = _embedder()

        print(f"embedding {len(questions)} CMRC questions once (cached in {CACHE})")
        query_vectors = np.vstack([embedder.encode_queries([normalise_for_matching(q)]) for q in questions])
        np.save(query_vectors_file, query_vectors)
        questions_file.write_text(json.dumps(questions, ensure_ascii=False), "utf-8")
    query_vectors = np.load(query_vectors_file)
    return passages, vectors, questions[:n_questions], query_vectors[:n_questions], user_words


def synthesise(passages: list[Passage], vectors: np.ndarray, size: int, sigma: float):
    """`size` passages: the real ones, then perturbed copies with new ids (deterministic)."""
    rng = np.random.default_rng(SEED + size)
    n = len(passages)
    source = np.arange(size) % n
    out = vectors[source].copy()
    copies = np.arange(size) >= n
    out[copies] += rng.normal(0.0, sigma, size=(int(copies.sum()), vectors.shape[1])).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    synthetic = [p if i < n else dataclasses.replace(p, id=f"{p.id}~{i // n}", doc_id=f"{p.doc_id}~{i // n}")
                 for i, p in ((i, passages[s]) for i, s in enumerate(source))]
    return synthetic, np.ascontiguousarray(out, dtype=np.float32), source


# --- FAISS ------------------------------------------------------------------------------------------------------

def sweep_lists(size: int) -> int:
    """nlist for the sweep: qa.index.ivf_lists (≈ 4·√N), but at least 39 training vectors per list (FAISS's own
    minimum) at the small sizes."""
    lists = ivf_lists(size)
    while lists > 8 and size / lists < 39:
        lists //= 2
    return lists


def faiss_index(kind: str, vectors: np.ndarray, size: int, cache: bool = True):
    """Build (or load from the cache) one index; returns (index, build seconds, MiB). The size is the serialised
    one, which for these index types is what the index holds in memory (vectors, graph links or list ids)."""
    import faiss

    path = CACHE / f"{kind.replace(',', '_')}-{size}.faiss"
    meta = path.with_suffix(".json")
    if cache and path.exists() and meta.exists():
        index = faiss.read_index(str(path))
        build_s = json.loads(meta.read_text())["build_s"]
    else:
        start = time.perf_counter()
        index = faiss.index_factory(vectors.shape[1], kind, faiss.METRIC_INNER_PRODUCT)
        if not index.is_trained:
            index.train(vectors)
        index.add(vectors)
        build_s = time.perf_counter() - start
        if cache and kind != "Flat":
            faiss.write_index(index, str(path))
            meta.write_text(json.dumps({"build_s": build_s, "size": size, "seed": SEED}))
    return index, build_s, faiss.serialize_index(index).nbytes / 2**20


def library_index(vectors: np.ndarray, size: int):
    """The index qa.index builds for Settings.index_type = "auto" at this size (cached like the others)."""
    import faiss

    factory, parameters = resolve_index_type("auto", size)
    path = CACHE / f"auto-{factory.replace(',', '_')}-{parameters.replace('=', '')}-{size}.faiss"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        index = faiss.read_index(str(path))
        build_s = json.loads(meta.read_text())["build_s"]
    else:
        start = time.perf_counter()
        index, _ = _make_faiss_index(vectors, "auto")
        build_s = time.perf_counter() - start
        faiss.write_index(index, str(path))
        meta.write_text(json.dumps({"build_s": build_s, "size": size, "seed": SEED}))
    return index, build_s, faiss.serialize_index(index).nbytes / 2**20


def set_parameter(index, name: str, value: int) -> None:
    import faiss

    faiss.ParameterSpace().set_index_parameter(index, name, value)


# --- one size ---------------------------------------------------------------------------------------------------

def run_size(size: int, material, sigma: float, n_ask: int, approximate: bool = True) -> dict:
    """Every figure at one size; approximate=False measures exact search only (Flat, BM25, hybrid, ask())."""
    import faiss

    passages, vectors, questions, query_vectors, user_words = material
    synthetic, synthetic_vectors, _ = synthesise(passages, vectors, size, sigma)
    print(f"\n--- {size:,} passages ({min(size, len(passages)):,} real, {max(0, size - len(passages)):,} "
          f"perturbed copies)")
    rows, table = [], []

    flat, flat_build, flat_mib = faiss_index("Flat", synthetic_vectors, size, cache=False)
    flat_stats, exact = search_times(flat, query_vectors)
    table.append({"index": "Flat (exact)", "param": "-", **flat_stats, "recall@10": 1.0, "build_s": flat_build,
                  "mib": flat_mib})
    # FAISS spreads even one query over its OpenMP threads; on 2 busy cores that can cost more than it gains.
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    one_thread, _ = search_times(flat, query_vectors)
    faiss.omp_set_num_threads(threads)
    table.append({"index": "Flat (exact)", "param": "1 thread", **one_thread, "recall@10": 1.0,
                  "build_s": flat_build, "mib": flat_mib})

    if approximate:
        hnsw, hnsw_build, hnsw_mib = faiss_index("HNSW32", synthetic_vectors, size)
        for ef in EF_SEARCH:
            set_parameter(hnsw, "efSearch", ef)
            s, found = search_times(hnsw, query_vectors)
            table.append({"index": "HNSW32", "param": f"efSearch={ef}", **s, "recall@10": recall_at_10(found, exact),
                          "build_s": hnsw_build, "mib": hnsw_mib})

        nlist = sweep_lists(size)
        ivf_kind = f"IVF{nlist},Flat"
        ivf, ivf_build, ivf_mib = faiss_index(ivf_kind, synthetic_vectors, size)
        for nprobe in NPROBE:
            if nprobe > nlist:
                continue
            set_parameter(ivf, "nprobe", nprobe)
            s, found = search_times(ivf, query_vectors)
            table.append({"index": ivf_kind, "param": f"nprobe={nprobe}", **s,
                          "recall@10": recall_at_10(found, exact), "build_s": ivf_build, "mib": ivf_mib})

    # What Settings.index_type = "auto" builds at this size (qa.index.resolve_index_type), when it is not Flat.
    auto_index = None
    factory, parameters = resolve_index_type("auto", size)
    if factory != "Flat":
        auto_index, auto_build, auto_mib = library_index(synthetic_vectors, size)
        s, found = search_times(auto_index, query_vectors)
        table.append({"index": f"auto: {factory}", "param": parameters, **s,
                      "recall@10": recall_at_10(found, exact), "build_s": auto_build, "mib": auto_mib})

    print(f"{'index':<18}{'param':<14}{'p50 ms':>9}{'p95 ms':>9}{'recall@10':>11}{'build s':>9}{'MiB':>8}")
    for r in table:
        print(f"{r['index']:<18}{r['param']:<14}{r['p50']:>9.3f}{r['p95']:>9.3f}{r['recall@10']:>11.4f}"
              f"{r['build_s']:>9.1f}{r['mib']:>8.1f}")

    # The fastest approximate setting that keeps recall@10 ≥ 0.99, if any.
    good = [r for r in table if r["index"].startswith(("HNSW", "IVF")) and r["recall@10"] >= 0.99]
    best = min(good, key=lambda r: r["p50"]) if good else None
    if approximate:
        described = f"{best['index']} {best['param']} (p50 {best['p50']:.3f} ms)" if best else "none"
        print(f"best approximate with recall@10 ≥ 0.99: {described}")

    # BM25 on the same passages, and the whole retrieval and ask() on a SearchIndex made of them.
    tokens_by_source = tokenised(passages, user_words)
    lexical = lexical_index([tokens_by_source[i % len(passages)] for i in range(size)], user_words)
    bm25_samples = []
    for q in questions[:10]:
        lexical.search(q, DEPTH)
    for q in questions:
        with timed(bm25_samples):
            lexical.search(q, DEPTH)
    rows.append(("BM25 search (qa.lexical, k=50)", stats(bm25_samples)))

    embedder = _embedder()
    variants = [("Flat", flat)]
    if best is not None:
        approx = hnsw if best["index"] == "HNSW32" else ivf
        name, value = best["param"].split("=")
        set_parameter(approx, name, int(value))
        variants.append((f"{best['index']} {best['param']}", approx))
    if auto_index is not None:
        variants.append((f"auto ({factory} {parameters})", auto_index))
    for label, index in variants:
        search_index = SearchIndex({}, synthetic, synthetic_vectors, index, lexical)
        assistant = qa.Assistant(search_index, embedder, Settings.from_env())
        retriever_samples, ask_samples = [], []
        for i, q in enumerate(questions):
            assistant.retriever.embedder = PrecomputedQuery(embedder, query_vectors[i : i + 1])
            with timed(retriever_samples):
                assistant.retriever.search(q, 5)
        assistant.retriever.embedder = embedder
        for q in questions[:10]:
            assistant.ask(q, 3)
        for q in questions[:n_ask]:
            with timed(ask_samples):
                assistant.ask(q, 3)
        rows.append((f"hybrid search, {label} + BM25 + RRF", stats(retriever_samples)))
        rows.append((f"ask() end to end, {label}", stats(ask_samples)))
    print(format_rows(rows, name_width=48))
    return {"size": size, "faiss": table, "best": best, "other": [(name, s) for name, s in rows]}


_tokens_cache: dict = {}


def tokenised(passages: list[Passage], user_words: list[str]) -> list[list[str]]:
    if "tokens" not in _tokens_cache:
        from qa.lexical import Tokenizer

        tokenizer = Tokenizer(user_words)
        _tokens_cache["tokens"] = [tokenizer.tokens(p.search_text) or ["<empty>"] for p in passages]
    return _tokens_cache["tokens"]


def lexical_index(corpus_tokens: list[list[str]], user_words: list[str]) -> LexicalIndex:
    """A LexicalIndex over already-tokenised passages (the copies' tokens are their original's)."""
    import bm25s
    from qa.lexical import Tokenizer

    retriever = bm25s.BM25()
    retriever.index(corpus_tokens, show_progress=False)
    return LexicalIndex(retriever, Tokenizer(user_words))


def _embedder():
    from qa.embed import load_embedder

    return load_embedder(Settings.from_env())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--exact-sizes", default="200000,400000",
                        help="sizes measured with exact search only: where does Flat stop meeting the goal?")
    parser.add_argument("--queries", type=int, default=300, help="CMRC questions used as queries")
    parser.add_argument("--asks", type=int, default=100, help="how many of them go through ask() end to end")
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args(argv)

    print_header("bench_scale: exact vs approximate FAISS, and BM25, at growing sizes")
    material = real_material(args.queries)
    passages, vectors = material[0], material[1]
    sigma, nearest = noise_scale(vectors)
    print(f"real material: {len(passages)} CMRC dev passages with e5 vectors, {len(material[2])} CMRC questions; "
          f"copies perturbed with σ={sigma:.4f}/dim (cos to original ≈ {nearest:.3f} = median nearest-neighbour "
          f"cosine of the real passages); k={DEPTH}, one query at a time")
    results = [run_size(int(size), material, sigma, args.asks) for size in args.sizes.split(",") if size]
    results += [run_size(int(size), material, sigma, args.asks, approximate=False)
                for size in args.exact_sizes.split(",") if size]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
