"""Fit the answer scorer's logistic weights on CMRC 2018 dev (numeric subset), half of the contexts.

    python benchmarks/fit_answer_weights.py ../shared/bench/cmrc2018/dev-numeric.jsonl

Every number mention in the top passages of a question is one example, labelled 1 when it matches a gold
answer (lenient match). Unanswerable questions are simulated by asking the same question with the passages of
its own context removed, so every candidate is wrong and the model learns when to abstain. Contexts are split
by a hash of their id: the weights are fitted on one half and the figures printed for the other.
The printed WEIGHTS/BIAS/threshold are what qa/answer.py uses.
"""
from __future__ import annotations

import argparse
import hashlib
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.answer import ANSWER_DEPTH, analyse_question, rank_candidates  # noqa: E402
from qa.evaluate import assistant_for, exact_match, lenient_match, read_question_set  # noqa: E402
from qa.numbers import find_numbers  # noqa: E402
from qa.settings import Settings  # noqa: E402


def held_out(doc_id: str) -> bool:
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 2 == 1


def examples(assistant, questions):
    """Per question: (feature names, matrix, labels, candidate texts, gold, answerable)."""
    rows = []
    for q in questions:
        hits = assistant.retriever.search(q.question, ANSWER_DEPTH + 3)
        intent = analyse_question(q.question, assistant.index.lexical)
        for answerable, pool in ((True, hits[:ANSWER_DEPTH]),
                                 (False, [h for h in hits if h.passage.doc_id != q.doc_id][:ANSWER_DEPTH])):
            candidates = rank_candidates(intent, pool, [find_numbers(h.passage.text) for h in pool])
            if not candidates:
                rows.append((None, np.zeros((0, 0)), np.zeros(0), [], q.answers, answerable))
                continue
            names = list(candidates[0].features)
            matrix = np.array([[c.features[n] for n in names] for c in candidates], dtype=float)
            labels = np.array([answerable and any(lenient_match(c.mention.text, a) for a in q.answers)
                               for c in candidates], dtype=float)
            rows.append((names, matrix, labels, [c.mention.text for c in candidates], q.answers, answerable))
    return rows


def fit(matrix: np.ndarray, labels: np.ndarray, l2: float = 1.0, steps: int = 30):
    """L2-regularised logistic regression by Newton's method (a dozen features: exact and fast)."""
    x = np.hstack([matrix, np.ones((len(matrix), 1))])
    w = np.zeros(x.shape[1])
    penalty = l2 * np.diag(np.r_[np.ones(x.shape[1] - 1), 0.0])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - labels) + penalty @ w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w[:-1], w[-1]


def figures(rows, weights, bias, threshold):
    exact = lenient = answerable = abstained_right = unanswerable = false_abstain = 0
    for names, matrix, labels, texts, gold, is_answerable in rows:
        best = None
        if len(texts):
            scores = 1 / (1 + np.exp(-(matrix @ weights + bias)))
            i = int(np.argmax(scores))
            best = texts[i] if scores[i] >= threshold else None
        if is_answerable:
            answerable += 1
            false_abstain += best is None
            exact += best is not None and any(exact_match(best, a) for a in gold)
            lenient += best is not None and any(lenient_match(best, a) for a in gold)
        else:
            unanswerable += 1
            abstained_right += best is None
    return {"exact": exact / answerable, "lenient": lenient / answerable,
            "abstention": abstained_right / unanswerable, "false_abstention": false_abstain / answerable}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    args = parser.parse_args()
    question_set = read_question_set(args.file)
    assistant = assistant_for(question_set, Settings.from_env(), None, progress=True)
    train = [q for q in question_set.questions if not held_out(q.doc_id)]
    test = [q for q in question_set.questions if held_out(q.doc_id)]
    train_rows, test_rows = examples(assistant, train), examples(assistant, test)
    names = next(r[0] for r in train_rows if r[0])
    matrix = np.vstack([r[1] for r in train_rows if len(r[3])])
    labels = np.concatenate([r[2] for r in train_rows if len(r[3])])
    weights, bias = fit(matrix, labels)
    print(f"{len(train)} train / {len(test)} held-out questions; {len(labels)} candidates, {int(labels.sum())} right")
    # The threshold trades answering for abstaining: pick the one with the best train accuracy overall.
    best = max(np.arange(0.05, 0.95, 0.05),
               key=lambda t: (lambda f: f["exact"] * 0.5 + f["lenient"] * 0.5 + f["abstention"])(
                   figures(train_rows, weights, bias, t)))
    print("WEIGHTS = {")
    for n, w in zip(names, weights):
        print(f'    "{n}": {w:.2f},')
    print("}")
    print(f"BIAS = {bias:.2f}\nANSWER_THRESHOLD = {best:.2f}")
    for t in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5):
        f = figures(test_rows, weights, bias, t)
        print(f"  held-out at threshold {t:.2f}: " + "  ".join(f"{k} {v:.3f}" for k, v in f.items()))
    for name, rows in (("train", train_rows), ("held-out", test_rows)):
        f = figures(rows, weights, bias, best)
        print(f"{name:>9}: " + "  ".join(f"{k} {v:.3f}" for k, v in f.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
