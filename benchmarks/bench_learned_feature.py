"""Does the learned number scorer help the reader as one more feature (issue 17)? The same candidates, fitted and
scored the same way (benchmarks/fit_answer_weights.py's listwise ranking, calibration and threshold), with and
without the scorer's probability as a ranking feature and a calibration input.

    python benchmarks/bench_learned_feature.py [--cache /tmp/learned_rows.pkl] [--threads 2] [--model DIR]

Fitted on what the shipped weights are fitted on: CMRC 2018 dev-numeric's training half (which the scorer also
trained on, so its probabilities there are optimistic), the seed set and news_dev, news_dev2, news_dev3 (counted
OWN_WEIGHT times). Reported on data neither fit saw: CMRC's held-out half and the four held-out news sets
news_test…news_test4 (each answerable question once with its passages, once without the passages holding its
answer, as fit_answer_weights simulates abstention). Both fits are printed; nothing is written to the shipped
model. The candidate rows (features + learned probability) are cached in --cache, since scoring them takes minutes.
"""
from __future__ import annotations

import argparse
import math
import pickle
import sys
from pathlib import Path


from common import ROOT, machine_note

import fit_answer_weights as fit  # noqa: E402

from qa.evaluate import assistant_for, read_question_set, with_documents  # noqa: E402
from qa.reader.learned import LearnedScorer  # noqa: E402
from qa.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared"
ARCHIVE = SHARED / "bench" / "news" / "articles.jsonl"
CMRC = SHARED / "bench" / "cmrc2018" / "dev-numeric.jsonl"
DEV_SETS = ["news_dev", "news_dev2", "news_dev3"]
TEST_SETS = ["news_test", "news_test2", "news_test3", "news_test4"]
LEARNED = "learned"  # log of the scorer's probability, floored


def learned_rows(assistant, questions, scorer):
    """fit.examples() with one more column: log max(P_learned, 1e-4) of each candidate."""
    def learned(q, pool, candidates):
        by_passage: dict[int, list] = {}
        for c in candidates:
            by_passage.setdefault(c.hit_rank, []).append(c)
        ranks = sorted(by_passage)
        scores = scorer.score_many(q.question, [(pool[r - 1].passage.text, [c.mention for c in by_passage[r]])
                                                for r in ranks])
        probability = {id(c): s for r, ss in zip(ranks, scores) for c, s in zip(by_passage[r], ss)}
        return [math.log(max(probability[id(c)], 1e-4)) for c in candidates]

    return fit.examples(assistant, questions, extra=(LEARNED, learned))


def without_learned(rows):
    return [(names[:-1] if names else names, matrix[:, :-1] if len(mentions) else matrix, labels, mentions, gold, a)
            for names, matrix, labels, mentions, gold, a in rows]


def collect(threads: int, model: str | None) -> dict[str, list]:
    settings = Settings.from_env()
    scorer = LearnedScorer.load(model, intra_op_num_threads=threads)
    out = {}
    cmrc = read_question_set(CMRC)
    assistant = assistant_for(cmrc, settings, None, progress=True)
    out["cmrc_train"] = learned_rows(assistant, [q for q in cmrc.questions if not fit.held_out(q.doc_id)], scorer)
    out["cmrc_held_out"] = learned_rows(assistant, [q for q in cmrc.questions if fit.held_out(q.doc_id)], scorer)
    from qa.assistant import Assistant
    from qa.corpus import load_corpus

    seed_assistant = Assistant.load(settings=settings)
    article = load_corpus(settings.corpus_dir).documents[0]
    seed = read_question_set(ROOT / "tests" / "data" / "seed_dev.jsonl", doc_id=article.id,
                             article_text=article.text).questions
    out["seed"] = learned_rows(seed_assistant, seed, scorer)
    for name in DEV_SETS + TEST_SETS:
        news_set = with_documents(ROOT / "tests" / "data" / f"{name}.jsonl", ARCHIVE)
        out[name] = learned_rows(assistant_for(news_set, settings, None, progress=True), news_set.questions, scorer)
        print(f"{name}: {len(out[name])} pools", flush=True)
    return out


def calibration_with(features: list[str]):
    fit.CALIBRATION_FEATURES[:] = features


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/learned_rows.pkl"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", default=None, help="the scorer's folder (default: the shipped one)")
    args = parser.parse_args()
    if not (ARCHIVE.exists() and CMRC.exists()):
        print(f"{ARCHIVE} or {CMRC} missing (../shared is absent)")
        return 2
    print(machine_note())
    if args.cache.exists():
        rows = pickle.loads(args.cache.read_bytes())
    else:
        rows = collect(args.threads, args.model)
        args.cache.write_bytes(pickle.dumps(rows))
    base_calibration = list(fit.CALIBRATION_FEATURES)
    own = rows["seed"] + [r for name in DEV_SETS for r in rows[name]]
    variants = {
        "rules (today)": (without_learned, base_calibration),
        "rules + learned (ranking)": (lambda r: r, base_calibration),
        "rules + learned (ranking + calibration)": (lambda r: r, [*base_calibration, LEARNED]),
    }
    for variant, (view, calibration) in variants.items():
        calibration_with(calibration)
        model = fit.fit_all(view(rows["cmrc_train"]), view(own), view(rows["seed"]))
        weight = dict(zip(next(r[0] for r in view(own) if r[0]), model[0])).get(LEARNED)
        print(f"\n{variant}: threshold {model[2]:.2f}" + (f", learned weight {weight:.2f}" if weight else ""))
        for name in ["cmrc_held_out", *TEST_SETS, "seed", *DEV_SETS]:
            note = "" if name in ["cmrc_held_out", *TEST_SETS] else " (fitted on)"
            fit.show(name + note, view(rows[name]), model)
        together = [r for name in TEST_SETS for r in view(rows[name])]
        fit.show("news_test* together", together, model)
        confident(together, model)
    calibration_with(base_calibration)
    return 0


def confident(rows, model, at: float = 0.5):
    """Of the answerable pools answered with P ≥ `at`: how many right; share of answerable answered so."""
    weights, calibration, threshold = model
    right = answered = answerable = 0
    for names, matrix, labels, mentions, gold, is_answerable in rows:
        answerable += is_answerable
        if not len(mentions):
            continue
        i, inputs = fit._calibration_inputs(matrix, weights, names, mentions)
        if fit._confidence(calibration, inputs) >= at and is_answerable:
            answered += 1
            right += any(fit.exact_match(mentions[i].text, g) for g in gold)
    print(f"  {'confident (P ≥ 0.5)':<34}right {right / max(answered, 1):.3f} of {answered}; "
          f"answered {answered / answerable:.3f} of answerable")


if __name__ == "__main__":
    sys.exit(main())
