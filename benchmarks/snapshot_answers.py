"""Per-question outputs of the answer path, written once and compared later: the check that a refactor changed
nothing, or the list of what a change did change.

    python benchmarks/snapshot_answers.py write before.jsonl      # every set below, about 10 min with indexes built
    python benchmarks/snapshot_answers.py write after.jsonl
    python benchmarks/snapshot_answers.py compare before.jsonl after.jsonl
    python benchmarks/snapshot_answers.py figures before.jsonl after.jsonl   # exact/lenient/abstention per set
    python benchmarks/snapshot_answers.py thresholds before.jsonl   # what each abstention threshold would give

Each line is one question of one set: its question analysis (what the reader reads the question as asking) and
the whole `Result.to_dict()` of `Assistant.ask(question, top_k=3)`. The sets are the seed dev set on the bundled
corpus, our news sets over the shared archive (300 distractors, as `python -m qa eval` runs them) and CMRC 2018
dev-numeric; sets whose files are missing are skipped and said so.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.evaluate import _on_own_corpus, assistant_for, read_question_set, with_documents  # noqa: E402
from qa.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared"
ARCHIVE = SHARED / "bench" / "news" / "articles.jsonl"
NEWS_SETS = ["news_dev", "news_dev2", "news_dev3", "news_dev4", "news_dev5", "news_test", "news_test2", "news_test3",
             "news_test4", "news_test5"]


def question_sets():
    """(name, QuestionSet or None, why skipped)."""
    yield "seed_dev", read_question_set(ROOT / "tests" / "data" / "seed_dev.jsonl"), ""
    for name in NEWS_SETS:
        path = ROOT / "tests" / "data" / f"{name}.jsonl"
        if ARCHIVE.exists() and path.exists():
            yield name, with_documents(path, ARCHIVE), ""
        else:
            yield name, None, f"{ARCHIVE} or {path} missing"
    cmrc = SHARED / "bench" / "cmrc2018" / "dev-numeric.jsonl"
    yield "cmrc_dev_numeric", read_question_set(cmrc) if cmrc.exists() else None, f"{cmrc} missing"


def analysis_of(assistant, question: str) -> dict:
    """The reader's reading of the question, as plain data."""
    from qa.reader import analyse_question

    return _plain(dataclasses.asdict(analyse_question(question, assistant.index.lexical)))


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    return value


def write(out: Path) -> None:
    settings = Settings.from_env()
    with out.open("w", encoding="utf-8") as f:
        for name, question_set, why in question_sets():
            if question_set is None:
                print(f"{name}: skipped ({why})", file=sys.stderr)
                continue
            assistant = assistant_for(question_set, settings, None, progress=True)
            if question_set.format == "seed" and question_set.documents is None:
                question_set = _on_own_corpus(ROOT / "tests" / "data" / f"{name}.jsonl", question_set, assistant)
            for q in question_set.questions:
                row = {"set": name, "id": q.id, "question": q.question, "analysis": analysis_of(assistant, q.question),
                       "result": assistant.ask(q.question, top_k=3).to_dict()}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{name}: {len(question_set.questions)} questions", file=sys.stderr)


def _shared(value, other):
    """value with only the dict keys other has too, at every depth: a field one side added is not a change."""
    if isinstance(value, dict) and isinstance(other, dict):
        return {k: _shared(v, other[k]) for k, v in value.items() if k in other}
    if isinstance(value, list) and isinstance(other, list) and len(value) == len(other):
        return [_shared(v, o) for v, o in zip(value, other)]
    return value


def compare(before: Path, after: Path) -> int:
    def rows(path):
        return {(r["set"], r["id"]): r for r in map(json.loads, path.open(encoding="utf-8"))}

    old, new = rows(before), rows(after)
    changed = {"analysis": [], "answer": [], "passages": []}
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        for what, x, y in (("analysis", a["analysis"], b["analysis"]),
                           ("answer", a["result"]["answer"], b["result"]["answer"]),
                           ("passages", a["result"]["passages"], b["result"]["passages"])):
            if _shared(x, y) != _shared(y, x):
                changed[what].append(key)
    sets = sorted({s for s, _ in old.keys() & new.keys()})
    print(f"{len(old.keys() & new.keys())} questions in both ({', '.join(sets)}); "
          f"only before {len(old.keys() - new.keys())}, only after {len(new.keys() - old.keys())}")
    for what, keys in changed.items():
        print(f"{what} differs (fields both sides have): {len(keys)}")
        for key in keys[:20]:
            a, b = old[key]["result"]["answer"], new[key]["result"]["answer"]
            print(f"  {key[0]} {key[1]} {old[key]['question']}: "
                  f"{a and a['text']!r} → {b and b['text']!r}" if what == "answer" else f"  {key[0]} {key[1]}")
    return 0 if not any(changed.values()) and old.keys() == new.keys() else 1


def _figure_forms(result: dict) -> list[str]:
    """The answer as qa.evaluate compares it with the golds, read from a snapshot row (old rows lack the newer
    fields): the figures without a stated direction word, with and without their qualifier words."""
    from qa.numbers import figure_span, find_numbers

    answer = result["answer"]
    if answer is None:
        return [result["text_answer"]["text"]] if result.get("text_answer") else []
    text = result["passages"][answer["passage_rank"] - 1]["text"]
    marked = [h for h in result["passages"][answer["passage_rank"] - 1]["highlights"] if h["answer"]]
    start = max(answer["start"], marked[0]["start"]) if marked else answer["start"]
    forms = [text[start : answer["end"]]]
    if len(marked) == 1:
        covering = [m for m in find_numbers(text) if m.start <= marked[0]["start"] and marked[0]["end"] <= m.end]
        if covering:
            bare_start, bare_end = figure_span(covering[0])
            forms.append(text[max(bare_start, start) : min(bare_end, answer["end"])])
    return forms


def _golds() -> dict[tuple[str, str], tuple[str, ...]]:
    """(set, question id) → the gold answers, for every set present."""
    return {(name, q.id): q.answers for name, question_set, _ in question_sets() if question_set
            for q in question_set.questions}


def figures(paths: list[Path]) -> None:
    """Exact, lenient, abstention and false abstention of each snapshot, per set, scored alike."""
    from qa.evaluate import exact_match, lenient_match

    golds = _golds()
    for path in paths:
        tallies: dict[str, list[int]] = {}
        for row in map(json.loads, path.open(encoding="utf-8")):
            gold, forms = golds[(row["set"], row["id"])], _figure_forms(row["result"])
            t = tallies.setdefault(row["set"], [0, 0, 0, 0, 0, 0])  # answerable, exact, lenient, unans, abst, false
            if gold:
                t[0] += 1
                t[1] += any(exact_match(f, g) for f in forms for g in gold)
                t[2] += any(lenient_match(f, g) for f in forms for g in gold)
                t[5] += not forms
            else:
                t[3] += 1
                t[4] += not forms
        print(path)
        for name, (n, exact, lenient, unanswerable, abstained, false) in tallies.items():
            abstention = f"{abstained / unanswerable:.3f}" if unanswerable else "  -  "
            print(f"  {name:<18} exact {exact / n:.3f}  lenient {lenient / n:.3f}  abstention {abstention}"
                  f"  false-abs {false / n:.3f}")


DEVELOPMENT = {"news (development)": ("news_dev", "news_dev2", "news_dev3", "news_dev4", "news_dev5"),
               "seed_dev": ("seed_dev",), "cmrc_dev_numeric": ("cmrc_dev_numeric",)}
HELD_OUT = {"news (held out)": ("news_test", "news_test2", "news_test3", "news_test4", "news_test5")}
SWEEP = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)


def thresholds(path: Path, held_out: bool = False) -> None:
    """What the reader's abstention threshold would give, had it been each of SWEEP: the answers below it withheld.
    The development sets by default; the held-out news sets with held_out (to report a choice, not to make it)."""
    from qa.evaluate import exact_match

    golds = _golds()
    rows = list(map(json.loads, path.open(encoding="utf-8")))
    for group, sets in (HELD_OUT if held_out else DEVELOPMENT).items():
        chosen = [r for r in rows if r["set"] in sets]
        answerable = [r for r in chosen if golds[(r["set"], r["id"])]]
        unanswerable = [r for r in chosen if not golds[(r["set"], r["id"])]]
        if not answerable:
            continue
        print(f"{group}: {len(answerable)} answerable, {len(unanswerable)} unanswerable")
        for threshold in SWEEP:
            def given(row):
                return row["result"]["answer"] is not None and row["result"]["answer"]["score"] >= threshold
            right = sum(given(r) and any(exact_match(f, g) for f in _figure_forms(r["result"])
                                         for g in golds[(r["set"], r["id"])]) for r in answerable)
            withheld = sum(not given(r) for r in answerable)
            abstention = f"{sum(not given(r) for r in unanswerable) / len(unanswerable):.3f}" if unanswerable else "  -  "
            print(f"  {threshold:.2f}  exact {right / len(answerable):.3f}  false-abs {withheld / len(answerable):.3f}"
                  f"  abstention {abstention}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("write").add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    sub.add_parser("figures").add_argument("snapshots", type=Path, nargs="+")
    t = sub.add_parser("thresholds")
    t.add_argument("snapshot", type=Path)
    t.add_argument("--held-out", action="store_true", help="the held-out news sets instead of the development sets")
    args = parser.parse_args(argv)
    if args.command == "write":
        write(args.out)
        return 0
    if args.command == "figures":
        figures(args.snapshots)
        return 0
    if args.command == "thresholds":
        thresholds(args.snapshot, args.held_out)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
