"""Many articles, one figure (issue 15): answer, period, agreeing sources, conflicts and filters on our own
multi-article set.

    python benchmarks/eval_multi_article.py [--show-wrong] [--json out.json]

The 43 articles of tests/data/multi_article/articles.jsonl are indexed alone (index/eval/multi_article), with the
default embedder, and each question is asked with its filters.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from common import ROOT, machine_note

from qa.evaluate import QuestionSet, assistant_for
from qa.evaluate_articles import articles_figures, read_articles_set, run_articles_set
from qa.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-wrong", action="store_true")
    parser.add_argument("--json", help="write every outcome here")
    args = parser.parse_args()
    documents, questions = read_articles_set(ROOT / "tests" / "data" / "multi_article")
    assistant = assistant_for(QuestionSet("multi_article", "seed", [], documents, "multi_article"),
                              Settings.from_env(), None, progress=True)
    print(machine_note())
    outcomes = run_articles_set(assistant, questions)
    print(json.dumps(articles_figures(outcomes), ensure_ascii=False, indent=2))
    if args.show_wrong:
        for o in outcomes:
            problems = []
            if not o.exact:
                problems.append(f"got={o.predicted} gold={list(o.gold)}")
            if o.exact and o.gold and o.gold_period and o.period != o.gold_period:
                problems.append(f"period={o.period} gold={o.gold_period}")
            if o.exact and o.gold and set(o.sources) != set(o.gold_sources):
                problems.append(f"sources={o.sources} gold={o.gold_sources}")
            if o.exact and o.gold and set(o.conflicts) != set(o.gold_conflicts):
                problems.append(f"conflicts={o.conflicts} gold={o.gold_conflicts}")
            if problems:
                print(f"{o.id} [{o.situation}] {o.question}  " + "  ".join(problems))
    if args.json:
        Path(args.json).write_text(json.dumps([dataclasses.asdict(o) for o in outcomes], ensure_ascii=False,
                                              indent=1), "utf-8")


if __name__ == "__main__":
    main()
