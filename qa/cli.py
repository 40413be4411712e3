"""Command line: `python -m qa build|ask|chat|eval` (also installed as `qa`)."""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
import time
from pathlib import Path

from .assistant import Assistant
from .corpus import load_corpus
from .errors import QAError
from .index import embed_in_batches
from .render import render_text
from .settings import Settings


def _settings(args) -> Settings:
    return Settings.from_env().replace(corpus_dir=args.corpus, index_dir=args.index, model=args.model)


class _TimedEngine:
    """Wraps an embed engine to report passages per second spent in it (Ray and its actors starting included), and
    per CPU-second of embedding (this process's for the local engine, the workers' for Ray)."""

    def __init__(self, engine):
        self.engine, self.passages, self.seconds, self.cpu_seconds = engine, 0, 0.0, 0.0

    def __call__(self, embedder, texts, progress=False):
        started, cpu_started = time.perf_counter(), time.process_time()
        workers_cpu = getattr(self.engine, "worker_cpu_seconds", None)
        vectors = self.engine(embedder, texts, progress)
        self.seconds += time.perf_counter() - started
        if workers_cpu is None:
            self.cpu_seconds += time.process_time() - cpu_started
        else:
            self.cpu_seconds += self.engine.worker_cpu_seconds - workers_cpu
        self.passages += len(texts)
        return vectors


def _embed_engine(args, settings: Settings):
    """The local engine, or a Ray engine (a context manager that starts and stops Ray) for --engine ray."""
    if args.engine == "local":
        return contextlib.nullcontext(embed_in_batches)
    if args.workers < 1:
        raise QAError(f"--workers 至少为 1 (must be at least 1, got {args.workers})")
    try:
        import ray.data  # noqa: F401  here, with the install hint, rather than half-way through a build
    except ImportError as error:
        raise QAError(f"--engine ray 需要 Ray Data: pip install 'qa-news[ray]' ({error})") from error
    from .distributed import RayEmbedEngine

    return RayEmbedEngine(settings, address=args.address, workers=args.workers)


def _build(args) -> int:
    settings = _settings(args)
    corpus = load_corpus(settings.corpus_dir)
    for problem in corpus.problems:
        print(f"跳过 (skipped) {problem}", file=sys.stderr)
    with _embed_engine(args, settings) as engine:
        timed = _TimedEngine(engine)
        assistant = Assistant.build(corpus.documents, settings=settings, progress=True, problems=corpus.problems,
                                    embed_engine=timed)
    counts = assistant.index.manifest["counts"]
    print(f"索引完成 (index built): {counts['documents']} 篇文章, {counts['passages']} 个段落, "
          f"新嵌入 {counts['embedded']} 个 → {assistant.index.path}")
    if timed.passages:
        workers = f", {args.workers} workers" if args.engine == "ray" else ""
        print(f"嵌入速度 (throughput): {timed.passages} 个段落 / {timed.seconds:.1f} s = "
              f"{timed.passages / timed.seconds:.2f} 段落/秒 (engine {args.engine}{workers}); "
              f"CPU {timed.cpu_seconds:.1f} s = {timed.passages / max(timed.cpu_seconds, 1e-9):.2f} 段落/CPU秒")
    return 0


def _filters(args) -> dict:
    return {"since": args.since, "until": args.until, "sources": args.source or None}


def _ask(args) -> int:
    assistant = Assistant.load(settings=_settings(args), progress=True)
    result = assistant.ask(args.question, top_k=args.top_k, **_filters(args))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0


CHAT_GREETING = "输入问题后回车；可以追问（净利润呢？ 2023年呢？）。输入「清空」开始新的对话，Ctrl-D 或「退出」结束。"
CHAT_CLEAR = {"清空", "新对话", "/clear"}
CHAT_QUIT = {"退出", "exit", "quit", "/quit"}


def _chat(args) -> int:
    """A conversation in the terminal: each question is read after the earlier ones (follow-ups), with readline's
    line editing and history."""
    with contextlib.suppress(ImportError):  # line editing where the platform has it
        import readline  # noqa: F401
    from .assistant import MAX_HISTORY_TURNS
    from .errors import QuestionError
    from .policy import polite_message

    assistant = Assistant.load(settings=_settings(args), progress=True)
    print(CHAT_GREETING)
    asked: list[str] = []
    while True:
        try:
            question = input("问> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if question in CHAT_QUIT:
            return 0
        if question in CHAT_CLEAR:
            asked.clear()
            print("（已开始新的对话）")
            continue
        if not question:
            continue
        try:
            result = assistant.ask(question, top_k=args.top_k, history=asked, **_filters(args))
        except QuestionError as error:
            print(polite_message(error))
            continue
        asked = (asked + [question])[-MAX_HISTORY_TURNS:]
        print(render_text(result))
        print()


def _eval(args) -> int:
    from .evaluate import format_table, plot_table, run_eval

    settings = _settings(args)
    report = run_eval(args.file, settings, top_k=args.top_k, compare=args.compare,
                      index_dir=args.index, progress=True, documents=args.documents, distractors=args.distractors)
    print(f"read {report['format']} format: {report['questions']} questions from {args.file} "
          f"({report['documents']} articles indexed)")
    print(format_table(report["table"]))
    if report["wrong"]:
        print(f"\nwrong ({len(report['wrong'])}):")
        for o in report["wrong"][: args.show_wrong]:
            print(f"  {o['id']} {o['question']}  gold={o['gold']}  got={o['predicted']}  "
                  f"passage_rank={o['passage_rank']}  top: {o['top_passage'][:60]!r}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2, default=_plain), "utf-8")
    if args.plot:
        print(f"chart → {plot_table(report['table'], args.plot, title=Path(args.file).name)}")
    return 0


def _plain(value):
    return value.__dict__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="中文新闻问答：找到回答问题的段落和数字")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what the library does")
    commands = parser.add_subparsers(dest="command", required=True)

    def filters(sub):
        sub.add_argument("--since", metavar="YYYY-MM-DD", help="only articles dated on or after this day")
        sub.add_argument("--until", metavar="YYYY-MM-DD", help="only articles dated on or before this day")
        sub.add_argument("--source", action="append", metavar="NAME",
                         help="only articles from this source (repeat for several)")

    def common(sub):
        sub.add_argument("--corpus", help="article folder (default: corpus/, or QA_CORPUS_DIR)")
        sub.add_argument("--index", help="index folder (default: index/, or QA_INDEX_DIR)")
        sub.add_argument("--model", help="embedder: multilingual-e5-small (bundled) or a sentence-transformers "
                                         "model directory (or QA_MODEL)")

    build = commands.add_parser("build", help="build or update the index of the corpus")
    common(build)
    build.add_argument("--engine", choices=("local", "ray"), default="local",
                       help="embed in this process (local) or on Ray Data actors (ray; pip install 'qa-news[ray]')")
    build.add_argument("--address", help="with --engine ray: an existing Ray cluster (auto, ray://head:10001); "
                                         "default: start Ray on this machine")
    build.add_argument("--workers", type=int, default=2, help="with --engine ray: embedder actors (default 2)")
    build.set_defaults(run=_build)

    ask = commands.add_parser("ask", help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--top-k", type=int, default=3)
    ask.add_argument("--json", action="store_true", help="print Result.to_dict() as JSON")
    filters(ask)
    common(ask)
    ask.set_defaults(run=_ask)

    chat = commands.add_parser("chat", help="a conversation in the terminal, with follow-up questions")
    chat.add_argument("--top-k", type=int, default=3)
    filters(chat)
    common(chat)
    chat.set_defaults(run=_chat)

    evaluate = commands.add_parser("eval", help="run a question set and print retrieval and answer figures")
    evaluate.add_argument("file", help="tests/data/*.jsonl (ours) or a CMRC 2018 JSONL file")
    evaluate.add_argument("--top-k", type=int, default=3)
    evaluate.add_argument("--compare", action="store_true", help="also run BM25-only and dense-only baselines")
    evaluate.add_argument("--json", help="write the full report (figures and every outcome) here")
    evaluate.add_argument("--show-wrong", type=int, default=30, help="how many wrong questions to print")
    evaluate.add_argument("--plot", metavar="PNG", help="also draw the table as a bar chart (needs matplotlib)")
    evaluate.add_argument("--documents", metavar="ARTICLES",
                          help="our format only: evaluate against the articles the doc_ids name in this JSONL archive "
                               "(or corpus folder) plus distractors from it, indexed under index/eval/")
    evaluate.add_argument("--distractors", type=int, default=300,
                          help="with --documents: how many other articles to index with them (default 300)")
    common(evaluate)
    evaluate.set_defaults(run=_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return args.run(args)
    except QAError as error:
        print(f"错误 (error): {error}", file=sys.stderr)
        return 2
