"""Issue 6, load and thread safety: 50 concurrent clients × 20 requests against the JSON API and the Gradio API on
loopback, with answers identical to the single-threaded ones, latency and memory reported; the embedder, the lexical
index and whole questions called from many threads give exactly the serial results.

Every loop is bounded in count and in time. Run with `-s` to see the figures.
"""
import gc
import json
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import pytest

from qa.lexical import Tokenizer
from qa.web import create_app
from test_web import serve

pytestmark = pytest.mark.reliability

CLIENTS, REQUESTS_PER_CLIENT = 50, 20
DEADLINE_SECONDS = 600  # per API; far above what a 2-core machine needs, so only a hang trips it
QUESTIONS = [
    "宇通客车2024年卖了多少辆车?",
    "郑州计划让算力规模达到多少？",
    "2024年中创智领集团营收是多少?",
    "超聚变2024年产值增长了多少？",
    "宇通产品远销全球多少个国家和地区？",
    "宇通客車２０２４年賣了多少輛車？",
    "火星基地2024年有多少名宇航员?",  # nothing in the corpus: answer is null, passages still come back
    "How many buses did Yutong sell in 2024?",
    "<script>alert(1)</script>郑州的算力规模是多少",
    "郑州",
]


def rss_mb() -> float:
    """Resident memory of this process (the server runs in a thread of it), from /proc/self/statm."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def plan(client: int, request: int) -> tuple[str, int]:
    """Which question and top_k request `request` of client `client` asks: every client a different mix."""
    n = client * REQUESTS_PER_CLIENT + request
    return QUESTIONS[(client + request) % len(QUESTIONS)], 1 + n % 3


class Clients:
    """50 clients, each on its own keep-alive connection, asking 20 questions one after another."""

    def __init__(self, url: str, expected: dict):
        self.url, self.expected = url, expected
        self._local = threading.local()

    def http(self) -> httpx.Client:
        if not hasattr(self._local, "client"):
            self._local.client = httpx.Client(base_url=self.url, timeout=60)
        return self._local.client

    def json_api(self, question: str, top_k: int) -> dict:
        response = self.http().get("/api/ask", params={"q": question, "top_k": top_k})
        response.raise_for_status()
        return response.json()

    def gradio_api(self, question: str, top_k: int) -> dict:
        """Gradio's HTTP API: POST /gradio_api/call/ask → event id; GET the event's stream → the result."""
        started = self.http().post("/gradio_api/call/ask", json={"data": [question, top_k]})
        started.raise_for_status()
        stream = self.http().get(f"/gradio_api/call/ask/{started.json()['event_id']}")
        stream.raise_for_status()
        lines = [line for line in stream.text.splitlines() if line]
        if lines[-2:-1] != ["event: complete"]:
            raise RuntimeError(f"no result: {stream.text[:300]}")
        return json.loads(lines[-1].removeprefix("data: "))[0]

    def run(self, pool: ThreadPoolExecutor, call) -> tuple[list[float], list[str]]:
        deadline = time.monotonic() + DEADLINE_SECONDS

        def client(number: int):
            latencies, errors = [], []
            for request in range(REQUESTS_PER_CLIENT):
                if time.monotonic() > deadline:
                    errors.append(f"client {number}: deadline passed before request {request}")
                    break
                question, top_k = plan(number, request)
                started = time.perf_counter()
                try:
                    result = call(question, top_k)
                except Exception as error:  # noqa: BLE001 — every failure is counted and shown
                    errors.append(f"client {number} request {request}: {type(error).__name__}: {error}")
                    continue
                latencies.append(time.perf_counter() - started)
                if result != self.expected[question, top_k]:
                    errors.append(f"client {number} request {request}: answer differs for {question!r}")
            return latencies, errors

        latencies, errors = [], []
        for client_latencies, client_errors in pool.map(client, range(CLIENTS)):
            latencies += client_latencies
            errors += client_errors
        return latencies, errors


def test_fifty_clients_on_the_json_and_gradio_apis(seed_assistant):
    expected = {(q, k): seed_assistant.ask(q, top_k=k).to_dict() for q in QUESTIONS for k in (1, 2, 3)}
    app = create_app(seed_assistant, examples=[])
    figures = {}
    with serve(app) as url, ThreadPoolExecutor(CLIENTS) as pool:
        clients = Clients(url, expected)
        for call in (clients.json_api, clients.gradio_api):  # warm-up: connections, threads, allocator arenas
            warm = list(pool.map(lambda n: call(*plan(n, n)), range(CLIENTS)))
            assert warm == [expected[plan(n, n)] for n in range(CLIENTS)]
        gc.collect()
        memory, objects = [rss_mb()], len(gc.get_objects())
        for name, call in (("JSON API", clients.json_api), ("Gradio API", clients.gradio_api)):
            started = time.monotonic()
            latencies, errors = clients.run(pool, call)
            elapsed = time.monotonic() - started
            memory.append(rss_mb())
            figures[name] = {"requests": len(latencies) + len(errors), "errors": len(errors),
                             "p50_ms": round(1000 * percentile(latencies, 0.5), 1),
                             "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
                             "seconds": round(elapsed, 1), "per_second": round(len(latencies) / elapsed, 1)}
            assert errors == [], errors[:5]
            assert len(latencies) == CLIENTS * REQUESTS_PER_CLIENT
    gc.collect()
    served = 2 * CLIENTS * REQUESTS_PER_CLIENT
    figures["rss_mb"] = {"after_warm_up": round(memory[0], 1), "after_json": round(memory[1], 1),
                         "after_gradio": round(memory[2], 1), "growth": round(memory[2] - memory[0], 1)}
    figures["python_objects_per_request"] = round((len(gc.get_objects()) - objects) / served, 1)
    print("\nload:", json.dumps(figures, ensure_ascii=False))
    # What 2,000 requests leave behind must be small. Objects: Gradio's own bounded logs (the last 2,000 sessions'
    # message queues, the last 10,000 events) add a few per request; a copy of the page kept per session added 74.
    # With the 资料库 tab the page is larger: 1,000 Gradio API requests now leave ~44,000 objects (~17,000 before),
    # the JSON API ~1,600 (measured 2026-12-05); the limit below is for that page.
    # RSS: glibc keeps freed memory of 50+ threads in its arenas (Python's traced memory grows < 2 MB per 1,000
    # Gradio requests while RSS wanders by tens of MB), so it gets a tolerance: under 48 KB per request.
    assert figures["python_objects_per_request"] < 25, figures
    assert memory[2] - memory[0] < 96, figures["rss_mb"]


# --- thread safety ---------------------------------------------------------------------------------------------

THREADS, ROUNDS = 8, 1


def run_in_threads(work) -> list:
    """work(seed) in THREADS threads at once, each started together so their calls overlap."""
    barrier = threading.Barrier(THREADS)

    def start(seed):
        barrier.wait(timeout=60)
        return work(seed)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(start, range(THREADS)))


def test_embedder_from_many_threads_gives_the_serial_vectors(seed_assistant):
    embedder = seed_assistant.embedder
    texts = QUESTIONS[:6] + [p.search_text for p in seed_assistant.index.passages[:2]]
    serial_queries = [embedder.encode_queries([t])[0] for t in texts]
    serial_batch = embedder.encode_passages(texts[-4:])

    def work(seed):
        order = list(range(len(texts))) * ROUNDS
        random.Random(seed).shuffle(order)
        wrong = [i for i in order if not np.array_equal(embedder.encode_queries([texts[i]])[0], serial_queries[i])]
        if not np.array_equal(embedder.encode_passages(texts[-4:]), serial_batch):
            wrong.append("batch")
        return wrong

    assert run_in_threads(work) == [[]] * THREADS


def test_search_and_whole_questions_from_many_threads_give_the_serial_results(seed_assistant):
    lexical, retriever = seed_assistant.index.lexical, seed_assistant.retriever
    serial = {q: (lexical.tokenizer.tokens(q), [a.tolist() for a in lexical.search(q, 50)],
                  [h.to_dict() for h in retriever.search(q, 10)], seed_assistant.ask(q, top_k=5).to_dict())
              for q in QUESTIONS}

    def work(seed):
        order = QUESTIONS * ROUNDS
        random.Random(seed).shuffle(order)
        return [q for q in order
                if (lexical.tokenizer.tokens(q), [a.tolist() for a in lexical.search(q, 50)],
                    [h.to_dict() for h in retriever.search(q, 10)], seed_assistant.ask(q, top_k=5).to_dict())
                != serial[q]]

    assert run_in_threads(work) == [[]] * THREADS


def test_a_fresh_tokenizer_used_from_many_threads_at_once(seed_assistant):
    """jieba builds its structures lazily (the part-of-speech tagger on first use): the first calls race."""
    words = seed_assistant.index.lexical.tokenizer.user_words
    reference = Tokenizer(words)
    serial = {q: (reference.tokens(q), reference.names(q)) for q in QUESTIONS}
    fresh = Tokenizer(words)
    results = run_in_threads(lambda seed: [(fresh.tokens(q), fresh.names(q)) == serial[q] for q in QUESTIONS])
    assert all(all(row) for row in results)
