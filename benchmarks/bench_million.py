"""Indexes for 10^5–10^6 passages (issue 7): FAISS memory, recall@10 against exact, query time; BM25 at 10^6; the
passage list in memory; and several serving processes sharing one memory-mapped index.

    python benchmarks/bench_million.py dense [--sizes 100000,1000000] [--hnsw-max 1000000] [--model gaussian]
    python benchmarks/bench_million.py calibrate                 # real vs Gaussian vectors at the real pool's size
    python benchmarks/bench_million.py lexical [--sizes 100000,1000000]
    python benchmarks/bench_million.py passages [--sizes 100000,300000]
    python benchmarks/bench_million.py share [--size 1000000] [--processes 3]

Vectors (dense, share) are synthetic, the same model as benchmarks/bench_scale.py (issue 5) so the two agree at
10^5: the ~2,300 real e5 vectors of CMRC 2018 dev passages (the eval index, index/eval/dev) copied with Gaussian
noise scaled so that a copy is as far from its original as a real passage is from its nearest real neighbour,
re-normalised. Queries are real: e5 vectors of CMRC dev questions (cached by bench_scale.py in
index/bench-cache/, embedded here if absent). Recall@10 is against exact search (Flat) on the same vectors.
That model makes ~N/2,300 near-copies of each real passage, and exact top-10 among near-copies is decided by
the noise, which lossy codes (SQ8, PQ) cannot resolve: their recall there is a floor. `--model gaussian` draws
instead from a normal distribution with the real vectors' mean and covariance (no near-copies) as a second case.

BM25 (lexical) indexes synthetic token lists: each passage's length is drawn from the token counts of the real
CMRC passages (cut by qa.lexical.Tokenizer), its tokens from jieba's own dictionary (349k real words) with
jieba's frequencies, i.e. the Zipf distribution of Chinese text jieba was fitted to. Queries are real CMRC
questions cut by qa.lexical.Tokenizer and searched with qa.lexical.LexicalIndex.search (k = 50), as served.

Memory is measured as the growth of this process's resident set (anonymous pages: what each serving process
pays on its own) and as the size on disk (what memory-mapped processes share through the page cache).
"""
from __future__ import annotations

import argparse
import gc
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEPTH, ROOT, machine_note, noise_scale, recall_at_10, search_times, stats  # noqa: E402

from qa.settings import Settings  # noqa: E402

CACHE = ROOT / "index" / "bench-cache"
CMRC_DEV = ROOT.parent / "shared" / "bench" / "cmrc2018" / "dev.jsonl"
DIM = 384
SEED = 20250728


def memory_mib() -> dict:
    """Resident anonymous and file-backed memory of this process, MiB (from /proc/self/status)."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("RssAnon", "RssFile")):
            key, value = line.split(":")
            out[key] = int(value.split()[0]) / 1024
    return out


def anon_mib() -> float:
    return memory_mib()["RssAnon"]


# --- real material ---------------------------------------------------------------------------------------------

def real_vectors_and_queries(n_queries: int) -> tuple[np.ndarray, np.ndarray]:
    """The real CMRC dev passage vectors and up to n_queries real question vectors."""
    vectors_file, queries_file = CACHE / "cmrc-dev-vectors.npy", CACHE / "cmrc-dev-query-vectors.npy"
    if vectors_file.exists():
        vectors = np.load(vectors_file)
    else:
        from qa.index import load_index

        index = load_index(Settings.from_env().index_dir / "eval" / "dev")
        if index is None:
            sys.exit("no index/eval/dev: run `python -m qa eval ../shared/bench/cmrc2018/dev.jsonl` first")
        vectors = np.asarray(index.vectors)
    if queries_file.exists() and len(np.load(queries_file)) >= n_queries:
        queries = np.load(queries_file)
    else:
        from qa.corpus import normalise_for_matching
        from qa.embed import load_embedder

        rows = [json.loads(line) for line in CMRC_DEV.read_text("utf-8").splitlines() if line.strip()]
        questions = [q["question"] for row in rows for q in row["qas"]]
        questions = [questions[i] for i in np.random.default_rng(SEED).permutation(len(questions))[:n_queries]]
        embedder = load_embedder(Settings.from_env())
        print(f"embedding {len(questions)} CMRC questions")
        queries = np.vstack([embedder.encode_queries([normalise_for_matching(q)]) for q in questions])
    return np.ascontiguousarray(vectors, dtype=np.float32), np.ascontiguousarray(queries[:n_queries], np.float32)


def gaussian_vectors(real: np.ndarray, size: int) -> np.ndarray:
    """size unit vectors drawn from a normal distribution with the real vectors' mean and covariance: the same
    anisotropy as e5 passages, but no clusters of near-copies (a harder and smoother case for IVF, PQ and HNSW)."""
    rng = np.random.default_rng(SEED + size + 1)
    mean = real.mean(axis=0)
    factor = np.linalg.cholesky(np.cov(real, rowvar=False) + 1e-6 * np.eye(real.shape[1]))
    out = np.empty((size, real.shape[1]), dtype=np.float32)
    for start in range(0, size, 100_000):
        n = min(size, start + 100_000) - start
        chunk = mean + rng.standard_normal((n, real.shape[1])) @ factor.T
        out[start : start + n] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return out


def synthetic_vectors(real: np.ndarray, size: int, model: str = "copies") -> np.ndarray:
    """size unit vectors: the real ones, then noisy copies (see the module docstring), built in chunks."""
    if model == "gaussian":
        return gaussian_vectors(real, size)
    sigma, _ = noise_scale(real)
    rng = np.random.default_rng(SEED + size)
    out = np.empty((size, real.shape[1]), dtype=np.float32)
    for start in range(0, size, 100_000):
        rows = np.arange(start, min(size, start + 100_000))
        chunk = real[rows % len(real)].copy()
        copies = rows >= len(real)
        chunk[copies] += rng.normal(0.0, sigma, size=(int(copies.sum()), real.shape[1])).astype(np.float32)
        chunk /= np.linalg.norm(chunk, axis=1, keepdims=True)
        out[rows] = chunk
    return out


# --- dense -----------------------------------------------------------------------------------------------------

def ivf_lists(size: int) -> int:
    """nlist ≈ 4·√N rounded down to a power of two, at least 39 training vectors per list: 1024 at 10^5, 2048 at
    10^6 (the tables in docs/scaling.md); qa.index.ivf_lists rounds to the nearest, 4096 at 10^6."""
    return max(8, 2 ** int(math.floor(math.log2(min(4 * math.sqrt(size), size / 39)))))


def on_disk_bytes(index) -> int:
    import faiss

    with tempfile.NamedTemporaryFile(suffix=".faiss") as handle:
        faiss.write_index(index, handle.name)
        return os.path.getsize(handle.name)


def dense(sizes: list[int], n_queries: int, hnsw_max: int, model: str, out: dict) -> None:
    import faiss

    real, queries = real_vectors_and_queries(n_queries)
    print(f"real: {len(real)} CMRC passage vectors, {len(queries)} question vectors; faiss {faiss.__version__}, "
          f"{faiss.omp_get_max_threads()} threads")
    for size in sizes:
        started = time.perf_counter()
        vectors = synthetic_vectors(real, size, model)
        print(f"\n--- {size:,} passages, {model} model (synthesised in {time.perf_counter() - started:.0f} s)")
        rows = []

        def measure(name: str, index, build_s: float, param: str | None, values) -> None:
            nbytes = on_disk_bytes(index)
            for value in values:
                if param:
                    faiss.ParameterSpace().set_index_parameter(index, param, value)
                s, found = search_times(index, queries)
                row = {"index": name, "param": f"{param}={value}" if param else "-", "p50_ms": s["p50"],
                       "p95_ms": s["p95"], "recall@10": recall_at_10(found, exact), "build_s": build_s,
                       "bytes_per_passage": nbytes / size}
                rows.append(row)
                print(f"{row['index']:<18}{row['param']:<14}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}"
                      f"{row['recall@10']:>10.4f}{row['build_s']:>9.0f}{row['bytes_per_passage']:>10.1f}",
                      flush=True)

        print(f"{'index':<18}{'param':<14}{'p50 ms':>9}{'p95 ms':>9}{'recall@10':>10}{'build s':>9}{'B/psg':>10}")
        started = time.perf_counter()
        flat = faiss.IndexFlatIP(DIM)
        flat.add(vectors)
        build_s = time.perf_counter() - started
        _, exact = flat.search(queries, DEPTH)
        measure("Flat (exact)", flat, build_s, None, [None])
        del flat
        gc.collect()

        nlist = ivf_lists(size)
        sample = vectors[np.random.default_rng(SEED).permutation(size)[: min(size, 64 * nlist)]]
        started = time.perf_counter()
        quantizer = faiss.IndexFlatIP(DIM)
        clustering = faiss.Clustering(DIM, nlist)
        clustering.seed = SEED
        clustering.train(sample, quantizer)
        train_s = time.perf_counter() - started
        print(f"(coarse quantizer: {nlist} centroids trained on {len(sample):,} vectors in {train_s:.0f} s; "
              f"included in each IVF build time)")
        ivf_variants = {
            f"IVF{nlist},Flat": lambda q: faiss.IndexIVFFlat(q, DIM, nlist, faiss.METRIC_INNER_PRODUCT),
            f"IVF{nlist},SQ8": lambda q: faiss.IndexIVFScalarQuantizer(
                q, DIM, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT),
            f"IVF{nlist},PQ96": lambda q: faiss.IndexIVFPQ(q, DIM, nlist, 96, 8, faiss.METRIC_INNER_PRODUCT),
            f"IVF{nlist},PQ48": lambda q: faiss.IndexIVFPQ(q, DIM, nlist, 48, 8, faiss.METRIC_INNER_PRODUCT),
        }
        for name, make in ivf_variants.items():
            own_quantizer = faiss.IndexFlatIP(DIM)
            own_quantizer.add(quantizer.reconstruct_n(0, nlist))
            started = time.perf_counter()
            index = make(own_quantizer)
            index.own_fields = False
            index.train(sample)  # the quantizer is trained already: only SQ / PQ codebooks are learned here
            index.add(vectors)
            measure(name, index, time.perf_counter() - started + train_s, "nprobe", (8, 16, 32, 64, 128))
            del index, own_quantizer
            gc.collect()

        for name in ("HNSW32", "HNSW32,SQ8"):
            if size > hnsw_max:
                print(f"{name}: skipped above --hnsw-max {hnsw_max:,}")
                continue
            started = time.perf_counter()
            index = faiss.index_factory(DIM, name, faiss.METRIC_INNER_PRODUCT)
            if not index.is_trained:
                index.train(sample)
            index.add(vectors)
            measure(name, index, time.perf_counter() - started, "efSearch", (16, 32, 64, 128, 256))
            del index
            gc.collect()
        out.setdefault("dense", {})[f"{model}-{size}"] = rows
        del vectors
        gc.collect()


def calibrate(n_queries: int, out: dict) -> None:
    """Which synthetic model looks like real e5 vectors? At N = the real pool (2,301) the copies model *is* the
    real vectors; compare them with a Gaussian sample of the same size: neighbour cosines and IVF/HNSW recall."""
    import faiss

    real, queries = real_vectors_and_queries(n_queries)
    rows = {}
    for name, vectors in (("real (= copies model at this size)", real),
                          ("gaussian", gaussian_vectors(real, len(real)))):
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -1)
        flat = faiss.IndexFlatIP(DIM)
        flat.add(vectors)
        top, exact = flat.search(queries, 10)
        row = {"nn_cos_median": float(np.median(sims.max(axis=1))), "query_top1_cos": float(np.median(top[:, 0]))}
        ivf = faiss.index_factory(DIM, "IVF48,Flat", faiss.METRIC_INNER_PRODUCT)
        ivf.train(vectors)
        ivf.add(vectors)
        for nprobe in (1, 2, 4, 8):
            ivf.nprobe = nprobe
            row[f"IVF48 nprobe={nprobe}"] = recall_at_10(ivf.search(queries, 10)[1], exact)
        hnsw = faiss.index_factory(DIM, "HNSW32", faiss.METRIC_INNER_PRODUCT)
        hnsw.add(vectors)
        for ef in (16, 64):
            hnsw.hnsw.efSearch = ef
            row[f"HNSW32 efSearch={ef}"] = recall_at_10(hnsw.search(queries, 10)[1], exact)
        rows[name] = row
        print(f"{name}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()))
    out["calibrate"] = rows


# --- lexical ---------------------------------------------------------------------------------------------------

def jieba_vocabulary() -> tuple[list[str], np.ndarray]:
    """jieba's dictionary words our tokenizer would keep, and their frequencies as probabilities."""
    import re

    import jieba

    from qa.lexical import STOPWORDS

    word = re.compile(r"\w")
    counts: dict[str, int] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as handle:
        for line in handle:
            token, count, *_ = line.split()
            token = token.lower()  # as Tokenizer.tokens does
            if word.search(token) and token not in STOPWORDS:
                counts[token] = counts.get(token, 0) + int(count)
    p = np.asarray(list(counts.values()), dtype=np.float64)
    return list(counts), p / p.sum()


def real_lengths_and_questions(n_queries: int) -> tuple[np.ndarray, list[str]]:
    from qa.lexical import Tokenizer

    rows = [json.loads(line) for line in CMRC_DEV.read_text("utf-8").splitlines() if line.strip()]
    passages_file = CACHE / "cmrc-dev-passages.jsonl"
    if passages_file.exists():
        texts = [json.loads(line)["text"] for line in passages_file.read_text("utf-8").splitlines()]
    else:
        texts = [row["context"] for row in rows]
    tokenizer = Tokenizer()
    lengths = np.asarray([len(tokenizer.tokens(t)) for t in texts])
    questions = [q["question"] for row in rows for q in row["qas"]]
    questions = [questions[i] for i in np.random.default_rng(SEED).permutation(len(questions))[:n_queries]]
    return lengths, questions


def lexical(sizes: list[int], n_queries: int, out: dict) -> None:
    import bm25s
    from bm25s.tokenization import Tokenized

    from qa.lexical import LexicalIndex, Tokenizer

    words, p = jieba_vocabulary()
    lengths, questions = real_lengths_and_questions(n_queries)
    print(f"vocabulary: {len(words):,} jieba words; passage length (tokens): median {int(np.median(lengths))}, "
          f"mean {lengths.mean():.0f}, from {len(lengths):,} real CMRC passages; bm25s {bm25s.__version__}")
    tokenizer = Tokenizer()
    cumulative = np.cumsum(p)
    for size in sizes:
        rng = np.random.default_rng(SEED + size)
        started = time.perf_counter()
        doc_lengths = rng.choice(lengths, size=size)
        flat_ids = np.searchsorted(cumulative, rng.random(int(doc_lengths.sum())), side="right").astype(np.int64)
        flat_ids = np.minimum(flat_ids, len(words) - 1)
        bounds = np.concatenate([[0], np.cumsum(doc_lengths)])
        ids = [flat_ids[bounds[i] : bounds[i + 1]].tolist() for i in range(size)]
        del flat_ids
        vocab = {w: i for i, w in enumerate(words)}
        print(f"\n--- {size:,} passages, {int(doc_lengths.sum()):,} tokens (synthesised in "
              f"{time.perf_counter() - started:.0f} s)")
        gc.collect()
        before = anon_mib()
        started = time.perf_counter()
        retriever = bm25s.BM25()
        retriever.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
        build_s = time.perf_counter() - started
        peak_note = anon_mib() - before
        del ids
        gc.collect()
        with tempfile.TemporaryDirectory() as directory:
            retriever.save(directory, show_progress=False)
            disk = sum(f.stat().st_size for f in Path(directory).iterdir())
            nnz = int(retriever.scores["data"].shape[0])
            del retriever
            gc.collect()
            row = {"size": size, "build_s": build_s, "disk_bytes_per_passage": disk / size, "postings": nnz,
                   "vocabulary": len(vocab)}
            for mmap in (False, True):
                gc.collect()
                before = memory_mib()
                loaded = bm25s.BM25.load(directory, mmap=mmap, allow_pickle=False, show_progress=False)
                lexical_index = LexicalIndex(loaded, tokenizer)
                grown = {k: memory_mib()[k] - before[k] for k in before}
                for q in questions[:10]:
                    lexical_index.search(q, DEPTH)
                samples = []
                for q in questions:
                    start = time.perf_counter()
                    lexical_index.search(q, DEPTH)
                    samples.append(time.perf_counter() - start)
                s = stats(samples)
                after_queries = {k: memory_mib()[k] - before[k] for k in before}
                key = "mmap" if mmap else "in_memory"
                row[key] = {"load_anon_mib": grown["RssAnon"], "anon_after_queries_mib": after_queries["RssAnon"],
                            "file_after_queries_mib": after_queries["RssFile"], "p50_ms": s["p50"],
                            "p95_ms": s["p95"]}
                del loaded, lexical_index
        print(f"build {build_s:.0f} s (RSS +{peak_note:.0f} MiB while built from token ids), {nnz:,} postings, "
              f"{disk / size:.0f} B/passage on disk")
        for key in ("in_memory", "mmap"):
            r = row[key]
            print(f"  load {key:<9}: RSS anon +{r['load_anon_mib']:.0f} MiB (+{r['anon_after_queries_mib']:.0f} after "
                  f"{len(questions)} queries, file-backed +{r['file_after_queries_mib']:.0f}); search k={DEPTH}: "
                  f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms")
        out.setdefault("lexical", []).append(row)


# --- passages in memory ----------------------------------------------------------------------------------------

def passages(sizes: list[int], out: dict) -> None:
    """What load_index's list of Passage objects costs per passage (RSS growth and load time)."""
    from qa.passages import Passage

    source = [json.loads(line) for line in (CACHE / "cmrc-dev-passages.jsonl").read_text("utf-8").splitlines()]
    for size in sizes:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as handle:
            for i in range(size):
                row = dict(source[i % len(source)], id=f"{source[i % len(source)]['id']}~{i}")
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        disk = os.path.getsize(handle.name)
        gc.collect()
        before = anon_mib()
        started = time.perf_counter()
        with open(handle.name, encoding="utf-8") as lines:
            loaded = [Passage.from_dict(json.loads(line)) for line in lines]
        load_s = time.perf_counter() - started
        grown = anon_mib() - before
        os.unlink(handle.name)
        row = {"size": size, "anon_bytes_per_passage": grown * 2**20 / size, "load_us_per_passage": load_s / size * 1e6,
               "jsonl_bytes_per_passage": disk / size}
        print(f"{size:,} passages: RSS +{grown:.0f} MiB = {row['anon_bytes_per_passage']:.0f} B/passage, loaded in "
              f"{load_s:.1f} s ({row['load_us_per_passage']:.1f} µs/passage); passages.jsonl "
              f"{row['jsonl_bytes_per_passage']:.0f} B/passage")
        out.setdefault("passages", []).append(row)
        del loaded


# --- processes sharing one memory-mapped index -----------------------------------------------------------------

CHILD = r"""
import sys, time, numpy as np, faiss
path, mmap = sys.argv[1], sys.argv[2] == "mmap"
flags = (faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY) if mmap else 0
index = faiss.read_index(path, flags)
index.search(np.random.default_rng(0).standard_normal((20, index.d)).astype("float32"), 50)
print("ready", flush=True)
time.sleep(60)
"""


def pss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def share(size: int, processes: int, out: dict) -> None:
    """K processes serve one Flat index: proportional memory (PSS) each, memory-mapped or read into memory."""
    import faiss

    real, _ = real_vectors_and_queries(10)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "vectors.faiss"
        index = faiss.IndexFlatIP(DIM)
        index.add(synthetic_vectors(real, size))
        faiss.write_index(index, str(path))
        del index
        file_mib = path.stat().st_size / 2**20
        row = {"size": size, "processes": processes, "file_mib": file_mib}
        for mode in ("copy", "mmap"):
            children = [subprocess.Popen([sys.executable, "-c", CHILD, str(path), mode], stdout=subprocess.PIPE,
                                         text=True) for _ in range(processes)]
            for child in children:
                child.stdout.readline()
            pss = [pss_mib(child.pid) for child in children]
            for child in children:
                child.kill()
                child.wait()
            row[mode] = {"pss_mib_each": pss, "total_mib": sum(pss)}
            print(f"{processes} processes, {mode:<4}: PSS each {', '.join(f'{x:.0f}' for x in pss)} MiB, "
                  f"together {sum(pss):.0f} MiB (index file {file_mib:.0f} MiB)")
        out["share"] = row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("part", choices=("dense", "calibrate", "lexical", "passages", "share"))
    parser.add_argument("--sizes", default=None, help="comma-separated passage counts")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--hnsw-max", type=int, default=1_000_000, help="skip HNSW above this size")
    parser.add_argument("--model", choices=("copies", "gaussian"), default="copies",
                        help="dense: noisy copies of real vectors (as bench_scale.py), or a Gaussian fitted to them")
    parser.add_argument("--size", type=int, default=1_000_000, help="share: index size")
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    defaults = {"dense": "100000,1000000", "lexical": "100000,1000000", "passages": "100000,300000"}
    sizes = [int(s) for s in (args.sizes or defaults.get(args.part, "0")).split(",")]
    print(f"== bench_million {args.part}\n{machine_note()}")
    out: dict = {"machine": machine_note()}
    if args.part == "dense":
        dense(sizes, args.queries, args.hnsw_max, args.model, out)
    elif args.part == "calibrate":
        calibrate(args.queries, out)
    elif args.part == "lexical":
        lexical(sizes, args.queries, out)
    elif args.part == "passages":
        passages(sizes, out)
    else:
        share(args.size, args.processes, out)
    out["machine_after"] = machine_note()
    print(out["machine_after"])
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2), "utf-8")


if __name__ == "__main__":
    main()
