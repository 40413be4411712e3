"""Conversations and questions that ask for no number: the figures of issue 16.

    python benchmarks/eval_dialogue.py [--distractors 300] [--show-wrong] [--json out.json] [--conversations F]

One index (index/eval/dialogue-<n>d) holds the seed article, the archive items the two sets name and n other
archive items. Prints, for tests/data/conversations.jsonl, follow-up exact and understood_as right, with history
and without it (the baseline: every turn read alone); for tests/data/non_numeric.jsonl, how often a number is given
to a question that asks for none, and whether the evidence is among the top 3 passages.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from common import ROOT, machine_note

from qa.evaluate import QuestionSet, assistant_for
from qa.evaluate_dialogue import (conversation_figures, dialogue_documents, non_numeric_figures, read_conversations,
                                  read_non_numeric, run_conversations, run_non_numeric)
from qa.settings import Settings

DATA = ROOT / "tests" / "data"
ARCHIVE = ROOT.parent / "shared" / "bench" / "news" / "articles.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", type=int, default=300)
    parser.add_argument("--show-wrong", action="store_true")
    parser.add_argument("--json", help="write every outcome here")
    parser.add_argument("--conversations", type=Path, default=DATA / "conversations.jsonl",
                        help="the conversation set (tests/data/conversations_blind.jsonl: written blind, held out)")
    args = parser.parse_args()

    conversations = read_conversations(args.conversations)
    questions = read_non_numeric(DATA / "non_numeric.jsonl")
    named = {t.doc_id for c in conversations for t in c.turns} | {q.doc_id for q in questions}
    settings = Settings.from_env()
    documents = dialogue_documents(named, settings.corpus_dir, ARCHIVE, args.distractors)
    missing = named - {d.id for d in documents}
    if missing:
        raise SystemExit(f"articles not found (is ../shared present?): {sorted(missing)[:5]}")
    index_name = "dialogue" if args.conversations.name == "conversations.jsonl" else args.conversations.stem
    assistant = assistant_for(QuestionSet("dialogue", "seed", [], documents, f"{index_name}-{args.distractors}d"),
                              settings, None, progress=True)
    print(machine_note())
    print(f"{len(documents)} articles indexed ({len(named)} named by the sets, {args.distractors} distractors)")

    with_history = run_conversations(assistant, conversations)
    alone = run_conversations(assistant, conversations, use_history=False)
    non_numeric = run_non_numeric(assistant, questions)
    figures = {"conversations": len(conversations), "with_history": conversation_figures(with_history),
               "without_history": conversation_figures(alone), "non_numeric": non_numeric_figures(non_numeric)}
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.show_wrong:
        for o in with_history:
            if not (o.answer_right and o.reading_right):
                print(f"{o.conversation}#{o.turn} {'' if o.standalone else '(follow-up) '}{o.question} → "
                      f"{o.understood_as}  [gold {o.gold_understood_as}]  got={o.predicted} gold={list(o.gold)}")
        for o in non_numeric:
            if not o.answer_right or o.evidence_rank is None:
                print(f"{o.id} {o.question} asks_number={o.asks_number} read_as_number={o.read_as_number} "
                      f"got={o.predicted} evidence_rank={o.evidence_rank}")
    if args.json:
        outcomes = {"with_history": with_history, "without_history": alone, "non_numeric": non_numeric}
        Path(args.json).write_text(
            json.dumps({"figures": figures, **{k: [dataclasses.asdict(o) for o in v] for k, v in outcomes.items()}},
                       ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
