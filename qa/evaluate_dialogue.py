"""Evaluation of conversations (follow-up questions) and of questions that ask for no number.

    python benchmarks/eval_dialogue.py            # tests/data/conversations.jsonl and non_numeric.jsonl

Both sets are about the seed article and items of the shared news archive; they run on one index holding all of
them plus distractors from the archive, so that a follow-up has to find its article again among several hundred.
The sets' formats are in tests/data/README.md.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .assistant import Assistant
from .corpus import Document, load_corpus, normalise_for_matching
from .evaluate import _canonical, _distractor_order, _figure_forms, exact_match, read_articles


@dataclass(frozen=True)
class Turn:
    question: str
    doc_id: str
    understood_as: str
    must_contain: tuple[str, ...]
    must_not_contain: tuple[str, ...]
    answers: tuple[str, ...]  # the gold and its alternatives; empty when the articles do not say
    evidence: str | None
    standalone: bool


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class NonNumericQuestion:
    id: str
    question: str
    doc_id: str
    evidence: str
    asks_number: bool
    answers: tuple[str, ...]  # for the controls that do ask for a number
    kind: str  # what, which, why, …
    answer_text: str | None = None  # the name the passage states, for a question that asks for one


def _jsonl(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]


def read_conversations(path: str | Path) -> list[Conversation]:
    conversations = []
    for row in _jsonl(path):
        turns = tuple(Turn(t["question"], t["doc_id"], t.get("understood_as") or t["question"],
                           tuple(t.get("must_contain") or ()), tuple(t.get("must_not_contain") or ()),
                           tuple(a for a in [t.get("answer"), *(t.get("alternatives") or ())] if a),
                           t.get("evidence"), bool(t.get("standalone")))
                      for t in row["turns"])
        conversations.append(Conversation(row["id"], turns))
    return conversations


def read_non_numeric(path: str | Path) -> list[NonNumericQuestion]:
    return [NonNumericQuestion(r["id"], r["question"], r["doc_id"], r["evidence"], bool(r.get("asks_number")),
                               tuple(a for a in [r.get("answer"), *(r.get("alternatives") or ())] if a),
                               r.get("type") or r.get("kind") or "", r.get("answer_text"))
            for r in _jsonl(path)]


def dialogue_documents(doc_ids: Iterable[str], corpus_dir: str | Path, archive: str | Path | None,
                       distractors: int = 300) -> list[Document]:
    """The articles the sets name (from the corpus folder or the archive) plus `distractors` other archive items,
    the same ones every run."""
    wanted = set(doc_ids)
    documents = [d for d in load_corpus(corpus_dir).documents if d.id in wanted]
    if archive is not None and Path(archive).exists():
        articles = read_articles(archive)
        documents += [d for d in articles if d.id in wanted]
        named = {d.id for d in documents}
        documents += sorted((d for d in articles if d.id not in named), key=_distractor_order)[:distractors]
    return documents


def _reads_right(understood: str, turn: Turn) -> bool:
    text = normalise_for_matching(understood)
    return (all(normalise_for_matching(w) in text for w in turn.must_contain)
            and not any(normalise_for_matching(w) in text for w in turn.must_not_contain))


def _answer_right(result, answers: Sequence[str]) -> bool:
    if not answers:
        return result.answer is None
    return any(exact_match(form, gold) for form in _figure_forms(result) for gold in answers)


def _evidence_rank(result, doc_id: str, evidence: str | None) -> int | None:
    if not evidence:
        return None
    wanted = _canonical(evidence)
    for p in result.passages:
        if p.passage.doc_id == doc_id and wanted in _canonical(p.passage.text):
            return p.rank
    return None


@dataclass
class TurnOutcome:
    conversation: str
    turn: int
    question: str
    understood_as: str
    gold_understood_as: str
    predicted: str | None
    gold: tuple[str, ...]
    standalone: bool
    answer_right: bool
    reading_right: bool


def run_conversations(assistant: Assistant, conversations: Sequence[Conversation], *,
                      use_history: bool = True) -> list[TurnOutcome]:
    """Every turn asked after the earlier ones (or alone, with use_history False: the baseline)."""
    outcomes = []
    for conversation in conversations:
        asked: list[str] = []
        for number, turn in enumerate(conversation.turns, start=1):
            result = assistant.ask(turn.question, top_k=3, history=asked if use_history else None)
            asked.append(turn.question)
            outcomes.append(TurnOutcome(conversation.id, number, turn.question, result.understood_as,
                                        turn.understood_as, result.answer.text if result.answer else None,
                                        turn.answers, turn.standalone, _answer_right(result, turn.answers),
                                        _reads_right(result.understood_as, turn)))
    return outcomes


def conversation_figures(outcomes: Sequence[TurnOutcome]) -> dict[str, float | int]:
    followups = [o for o in outcomes if not o.standalone]
    standalone = [o for o in outcomes if o.standalone]

    def share(rows, attribute):
        return round(sum(getattr(o, attribute) for o in rows) / len(rows), 3) if rows else 0.0

    return {"turns": len(outcomes), "followups": len(followups),
            "followup_exact": share(followups, "answer_right"),
            "followup_understood_as": share(followups, "reading_right"),
            "standalone_exact": share(standalone, "answer_right"),
            "standalone_understood_as": share(standalone, "reading_right"),
            "all_exact": share(outcomes, "answer_right")}


@dataclass
class NonNumericOutcome:
    id: str
    question: str
    asks_number: bool  # as the set says
    read_as_number: bool  # as the assistant read it
    predicted: str | None
    answer_right: bool  # controls: the gold figure; the others: no number given
    evidence_rank: int | None
    text_answer: str | None = None  # the name given as text (TextAnswer), if any
    gold_text: str | None = None


def run_non_numeric(assistant: Assistant, questions: Sequence[NonNumericQuestion]) -> list[NonNumericOutcome]:
    outcomes = []
    for q in questions:
        result = assistant.ask(q.question, top_k=3)
        predicted = result.answer.text if result.answer else None
        right = _answer_right(result, q.answers) if q.asks_number else predicted is None
        outcomes.append(NonNumericOutcome(q.id, q.question, q.asks_number, result.asks_number, predicted, right,
                                          _evidence_rank(result, q.doc_id, q.evidence),
                                          result.text_answer.text if result.text_answer else None, q.answer_text))
    return outcomes


def non_numeric_figures(outcomes: Sequence[NonNumericOutcome]) -> dict[str, float | int]:
    asking = [o for o in outcomes if not o.asks_number]
    controls = [o for o in outcomes if o.asks_number]

    def share(rows, test):
        return round(sum(1 for o in rows if test(o)) / len(rows), 3) if rows else 0.0

    return {"questions": len(asking), "number_given": share(asking, lambda o: o.predicted is not None),
            "recall_at_3": share(asking, lambda o: o.evidence_rank is not None),
            "recall_at_1": share(asking, lambda o: o.evidence_rank == 1),
            "controls": len(controls), "controls_read_as_number": share(controls, lambda o: o.read_as_number),
            "controls_exact": share(controls, lambda o: o.answer_right),
            # names asked for (谁, 更名为什么): a text answer that holds the name as the set writes it is right
            # (位于山西省曲沃县生态工业园区晋南钢铁现有厂区内 says where, in more words), any other is wrong
            "names_asked": len(named := [o for o in asking if o.gold_text]),
            "name_given_right": share(named, lambda o: bool(o.text_answer) and o.gold_text in o.text_answer),
            "name_given_wrong": share(named, lambda o: bool(o.text_answer) and o.gold_text not in o.text_answer),
            "text_given_without_a_gold_name": sum(1 for o in asking if o.text_answer and not o.gold_text)}
