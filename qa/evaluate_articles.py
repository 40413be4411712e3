"""Evaluation of "many articles, one figure": the answer, its period, the articles that agree (sources), those
that disagree (conflicts), and the article filters, on tests/data/multi_article/ (our own articles and questions;
the format is in tests/data/README.md).

    python benchmarks/eval_multi_article.py [--show-wrong]
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .assistant import Assistant
from .corpus import Document, normalise_for_matching
from .evaluate import _figure_forms, exact_match, read_articles
from .retrieve import ArticleFilter


@dataclass(frozen=True)
class ArticleQuestion:
    id: str
    question: str
    answers: tuple[str, ...]  # the gold and its other spellings; empty when no article answers
    period: str | None
    sources: frozenset[str]
    conflicts: frozenset[str]  # doc ids
    filters: dict
    situation: str


def read_articles_set(folder: str | Path) -> tuple[list[Document], list[ArticleQuestion]]:
    folder = Path(folder)
    documents = read_articles(folder / "articles.jsonl")
    questions = []
    for line in (folder / "questions.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        questions.append(ArticleQuestion(
            row["id"], row["question"], tuple(a for a in [row.get("answer"), *(row.get("alternatives") or ())] if a),
            row.get("period"), frozenset(row.get("sources") or ()),
            frozenset(c["doc_id"] for c in row.get("conflicts") or ()), row.get("filters") or {},
            row.get("situation", "")))
    return documents, questions


def _same_period(ours: str | None, gold: str | None) -> bool:
    if ours is None or gold is None:
        return ours == gold
    ours, gold = (normalise_for_matching(p).removeprefix("截至").replace("全年", "") for p in (ours, gold))
    return ours == gold


@dataclass
class ArticleOutcome:
    id: str
    question: str
    situation: str
    predicted: str | None
    gold: tuple[str, ...]
    exact: bool
    period: str | None
    gold_period: str | None
    sources: list[str]
    gold_sources: list[str]
    conflicts: list[str]
    gold_conflicts: list[str]
    filtered: bool
    within_filter: bool  # every passage and every source lies inside the question's filter


def run_articles_set(assistant: Assistant, questions: Sequence[ArticleQuestion]) -> list[ArticleOutcome]:
    docs = {p.doc_id: p for p in assistant.index.passages}
    outcomes = []
    for q in questions:
        result = assistant.ask(q.question, top_k=3, **q.filters)
        answer = result.answer
        exact = (any(exact_match(f, g) for f in _figure_forms(result) for g in q.answers) if q.answers
                 else answer is None)
        only = ArticleFilter.of(**q.filters)
        shown = [p.passage.doc_id for p in result.passages] + ([s.doc_id for s in answer.sources] if answer else [])
        outcomes.append(ArticleOutcome(
            q.id, q.question, q.situation, answer.text if answer else None, q.answers, exact,
            answer.period if answer else None, q.period,
            [s.doc_id for s in answer.sources] if answer else [], sorted(q.sources),
            [c.doc_id for c in answer.conflicts] if answer else [], sorted(q.conflicts),
            only.active, all(only.allows(docs[d]) for d in shown)))
    return outcomes


def articles_figures(outcomes: Sequence[ArticleOutcome]) -> dict[str, float | int]:
    def share(rows, test) -> float:
        return round(sum(1 for o in rows if test(o)) / len(rows), 3) if rows else 0.0

    answered_right = [o for o in outcomes if o.exact and o.gold]
    agreeing = [o for o in answered_right if len(o.gold_sources) >= 2]
    with_conflicts = [o for o in answered_right if o.gold_conflicts]
    without_conflicts = [o for o in answered_right if not o.gold_conflicts]
    with_period = [o for o in answered_right if o.gold_period]
    filtered = [o for o in outcomes if o.filtered]
    recall = [len(set(o.sources) & set(o.gold_sources)) / len(o.gold_sources) for o in answered_right]
    precision = [len(set(o.sources) & set(o.gold_sources)) / len(o.sources) for o in answered_right if o.sources]
    return {
        "questions": len(outcomes), "answer_exact": share(outcomes, lambda o: o.exact),
        "answerable_exact": share([o for o in outcomes if o.gold], lambda o: o.exact),
        "unanswerable_abstained": share([o for o in outcomes if not o.gold], lambda o: o.exact),
        "agreement_found": share(agreeing, lambda o: len(o.sources) >= 2),
        "sources_recall": round(sum(recall) / len(recall), 3) if recall else 0.0,
        "sources_precision": round(sum(precision) / len(precision), 3) if precision else 0.0,
        "conflicts_flagged": share(with_conflicts, lambda o: set(o.gold_conflicts) <= set(o.conflicts)),
        "false_conflicts": share(without_conflicts, lambda o: bool(o.conflicts)),
        "period_right": share(with_period, lambda o: _same_period(o.period, o.gold_period)),
        "filters_honoured": share(filtered, lambda o: o.within_filter),
        "filter_questions_exact": share(filtered, lambda o: o.exact),
        "counted": {"answered_right": len(answered_right), "agreeing": len(agreeing),
                    "with_conflicts": len(with_conflicts), "with_period": len(with_period), "filtered": len(filtered)},
    }
