"""The learned number scorer as a standalone reader on CMRC 2018 dev-numeric's held-out half (contexts with
held_out(id) True: the model never trained on them), beside today's rule-based ranking, and its latency.

    python benchmarks/bench_learned.py ../shared/bench/cmrc2018/dev-numeric.jsonl [--model DIR] [--threads 1]

Per question, over the same passages for both readers:
  context   every passage of the gold context (a perfect retriever)
  top5      the 5 best passages of the whole set by BM25 (the assistant's lexical index; the dense half of its
            hybrid retrieval is left out so that no embedding index has to be built)
"top-1 right" = the best-scored mention matches a gold answer leniently (the evaluation's lenient match), no
abstention; "reachable" = some mention of those passages does. Latency = LearnedScorer.score_many over the top 5
passages (tokenising, windows, one onnxruntime run), p50/p95 over the questions, after 5 warm-up questions.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa.evaluate import lenient_match, read_question_set  # noqa: E402
from qa.lexical import LexicalIndex, entity_words  # noqa: E402
from qa.numbers import find_numbers  # noqa: E402
from qa.passages import split_article  # noqa: E402
from qa.reader import NumberReader, analyse_question  # noqa: E402
from qa.reader.learned import LearnedScorer  # noqa: E402
from qa.retrieve import Hit  # noqa: E402
from qa.settings import Settings  # noqa: E402
from reader_training.data import held_out  # noqa: E402


RULES = NumberReader()  # today's ranking


def _right(text: str | None, golds) -> bool:
    return text is not None and any(lenient_match(text, g) for g in golds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions")
    parser.add_argument("--model", default=None)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--max-tokens", type=int, default=None, help="window cap (default: the trained one)")
    parser.add_argument("--json", default=None, help="write per-question outputs here")
    parser.add_argument("--update-card", action="store_true",
                        help="record the figures in the model's card.json and MODEL_CARD.md")
    args = parser.parse_args()

    question_set = read_question_set(args.questions)
    settings = Settings()
    passages = [p for d in question_set.documents
                for p in split_article(d, settings.passage_max_chars, settings.passage_min_chars)]
    lexical = LexicalIndex.build([p.search_text for p in passages],
                                 entity_words(d.title + "\n" + d.text for d in question_set.documents))
    scorer = LearnedScorer.load(args.model, intra_op_num_threads=args.threads, max_tokens=args.max_tokens)
    by_doc = {}
    for passage in passages:
        by_doc.setdefault(passage.doc_id, []).append(passage)

    questions = [q for q in question_set.questions if held_out(q.doc_id)]
    if args.limit:
        questions = questions[:args.limit]
    counts = {f"{reader}_{pool}": 0 for reader in ("learned", "rules") for pool in ("context", "top5")}
    counts.update(reachable_context=0, reachable_top5=0)
    latencies, rows = [], []
    for number, q in enumerate(questions):
        intent = analyse_question(q.question, lexical)
        ids, bm25 = lexical.search(q.question, 5)
        pools = {"top5": [Hit(passages[int(i)], float(s), None, None, None) for i, s in zip(ids, bm25)],
                 "context": [Hit(p, 1.0, None, None, None) for p in by_doc[q.doc_id]]}
        row = {"id": q.id, "question": q.question, "gold": list(q.answers)}
        for pool, hits in pools.items():
            mentions = [find_numbers(h.passage.text) for h in hits]
            scorer.clear_cache()  # time the tokenising too, as for a question whose passages are new
            started = time.perf_counter()
            scores = scorer.score_many(q.question, [(h.passage.text, m) for h, m in zip(hits, mentions)])
            if pool == "top5" and number >= 5:
                latencies.append(time.perf_counter() - started)
            flat = [(s, m) for passage_scores, passage_mentions in zip(scores, mentions)
                    for s, m in zip(passage_scores, passage_mentions)]
            learned = max(flat, key=lambda pair: pair[0])[1].text if flat else None
            candidates = RULES.rank(intent, hits, lexical, slice(0, len(hits)))
            rules = candidates[0].mention.text if candidates else None
            counts[f"learned_{pool}"] += _right(learned, q.answers)
            counts[f"rules_{pool}"] += _right(rules, q.answers)
            counts[f"reachable_{pool}"] += any(_right(m.text, q.answers) for _, m in flat)
            row[pool] = {"learned": learned, "learned_score": max((s for s, _ in flat), default=None),
                         "rules": rules}
        rows.append(row)

    total = len(questions)
    figures = {name: round(value / total, 3) for name, value in counts.items()}
    milliseconds = np.array(latencies) * 1000
    figures.update(questions=total, latency_ms_p50=round(float(np.percentile(milliseconds, 50)), 1),
                   latency_ms_p95=round(float(np.percentile(milliseconds, 95)), 1), threads=args.threads,
                   max_tokens=scorer.max_tokens)
    print(json.dumps(figures, indent=1))
    if args.update_card:
        record_in_card(Path(args.model) if args.model else scorer.path, figures)
    if args.json:
        Path(args.json).write_text(json.dumps({"figures": figures, "questions": rows}, ensure_ascii=False,
                                              indent=1), "utf-8")


def record_in_card(folder: Path, figures: dict) -> None:
    card_path = folder / "card.json"
    card = json.loads(card_path.read_text("utf-8"))
    card["cmrc_dev_numeric_held_out"] = figures
    card_path.write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", "utf-8")
    markdown = folder / "MODEL_CARD.md"
    text = markdown.read_text("utf-8").split("\n## CMRC 2018 dev-numeric")[0].rstrip("\n")
    f = figures
    text += (f"\n\n## CMRC 2018 dev-numeric, held-out half ({f['questions']} questions; never trained on)\n"
             f"`python benchmarks/bench_learned.py ../shared/bench/cmrc2018/dev-numeric.jsonl --update-card`. "
             f"Top-1 mention right (lenient, no abstention):\n\n"
             f"| passages | learned | rules (today's ranking) | reachable |\n|---|---|---|---|\n"
             f"| gold context | {f['learned_context']:.3f} | {f['rules_context']:.3f} "
             f"| {f['reachable_context']:.3f} |\n"
             f"| BM25 top 5 of the set | {f['learned_top5']:.3f} | {f['rules_top5']:.3f} | {f['reachable_top5']:.3f} |\n\n"
             f"Latency of score_many over the top 5 passages ({f['threads']} onnxruntime thread, windows of "
             f"{f['max_tokens']} tokens, shared 2-core "
             f"machine): "
             f"p50 {f['latency_ms_p50']} ms, p95 {f['latency_ms_p95']} ms.\n\n"
             f"Learned minus rules: {f['learned_context'] - f['rules_context']:+.3f} on the gold context, "
             f"{f['learned_top5'] - f['rules_top5']:+.3f} on the top 5: "
             + ("the learned scorer is better than today's ranking here.\n"
                if f['learned_top5'] > f['rules_top5'] else
                "not good enough to replace today's ranking; use it at most as one feature of the reader.\n"))
    markdown.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
