"""Count the answers whose shown text lost or inverted what the article says about the figure (issue 18).

    python benchmarks/count_meaning_loss.py                          # ask() on the news dev and test sets
    python benchmarks/count_meaning_loss.py --sets news_test news_test2
    python benchmarks/count_meaning_loss.py --from-json OUT/*.json   # `python -m qa eval … --json OUT` outputs
    python benchmarks/count_meaning_loss.py --json cases.json        # also write every case found

Two losses are counted, from the passage the answer was taken from:
  qualifier  a bound or approximation word right next to the answer span (不少于, 超过, 约, 以上, 左右 …) that the
             shown text does not hold; "cut" when the span starts or ends inside such a word (少于 shown for
             不少于), which inverts the bound.
  direction  the question asks for a change (增长了多少, 下跌了多少, 变化, 增幅 …) and a direction word stands before
             the answer in its clause (同比下降3.4%), but the shown text does not state it; "inverted" when the
             question asks for the opposite way (增长了多少 answered from 下降3.4%). A figure after 至/到/为 is the
             level reached (增长至50亿元) and is not counted.

The word lists here are written for this count and do not come from qa.numbers, so the parser is not judged by
its own tables. By default the script asks the assistant itself (the answer's passage and offsets are exact); with
--from-json it finds the shown text in the first passage of each outcome (the answer's passage comes first when
the question asks for a number), and says how many it could not place.

What is shown of an answer is its text and the note the chat and the CLI add to a change figure whose verb is
not part of the text (「5.2%（降幅）」, qa/render.py); with --from-json only the text is known.

Measured 2026-12-05 with `ask()` on the seven news sets: at ddf979f 113 answers (21 qualifier: 20 lost, 1 cut, 少于3500辆
for 不少于3500辆; 93 direction: 91 lost, 2 inverted); with qualifiers read whole and the reader stating the direction, 0
(`QA_INDEX_DIR=index PYTHONPATH=<checkout of ddf979f> python benchmarks/count_meaning_loss.py` for the first).

The code counted is this checkout's qa, or the one PYTHONPATH names (e.g. a checkout of a branch's base); the
first line printed says which.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))  # this checkout's qa, unless PYTHONPATH names another
NEWS_SETS = ("news_dev", "news_dev2", "news_dev3", "news_dev4", "news_dev5", "news_test", "news_test2", "news_test3",
             "news_test4", "news_test5")

BEFORE_WORDS = ("不少于", "不低于", "不小于", "不超过", "不多于", "不高于", "不大于", "超过", "至少", "最少", "多于",
                "高于", "大于", "不超", "不足", "不到", "不满", "至多", "最多", "少于", "低于", "小于", "约为", "大约",
                "将近", "接近", "超", "逾", "约", "近")
AFTER_WORDS = ("以上", "以下", "以内", "左右", "前后")
# A one-character word is part of the word before it here: 签约, 节约, 最近, 附近, 赶超.
NOT_A_QUALIFIER_AFTER = {"约": "签合节条公制预契邀违履特婚践租相隐", "近": "最附靠临邻亲就远贴逼将接",
                         "超": "赶高不"}
UP_WORDS = ("增长", "上涨", "提高", "提升", "上升", "增加", "上行", "上调", "回升", "反弹", "扩大", "加息", "升值",
            "增", "涨", "升")
DOWN_WORDS = ("负增长", "下降", "下跌", "减少", "回落", "下滑", "下行", "降低", "下调", "下挫", "缩小", "收窄", "缩水",
              "降息", "降准", "贬值", "降", "跌", "减")
CHANGE_QUESTION = re.compile(r"变化|变动|幅度|增幅|涨幅|跌幅|降幅|多了|少了|多多少|少多少|增减")
CLAUSE_BREAK = re.compile(r"[，,。；;！!？?\n：:]")
LEVEL_MARK = re.compile(r"[至到为]")
# Words with a direction word inside that name a measure or a level: 跌幅偏离值 is the exchange's cumulative price
# deviation (累计达22.98% is its level, as 增速8% is a level of growth).
NOT_A_DIRECTION = ("增长率", "增速", "增加值", "新增", "增持", "减持", "涨跌", "升至", "降至", "涨至", "跌至",
                   "涨幅偏离值", "跌幅偏离值")


@dataclass(frozen=True)
class Case:
    set: str
    id: str
    question: str
    shown: str
    loss: str  # "qualifier lost", "qualifier cut", "direction lost", "direction inverted"
    word: str
    context: str  # the passage around the answer


def qualifier_losses(passage: str, start: int, end: int, shown: str) -> list[tuple[str, str]]:
    """(loss, word) for each bound or approximation word next to passage[start:end] that shown does not hold."""
    losses = []
    for word in BEFORE_WORDS:
        for begin in range(max(0, start - len(word) + 1), start):  # a word the span starts inside of
            if passage.startswith(word, begin) and begin + len(word) > start:
                losses.append(("qualifier cut", word))
        if passage.endswith(word, 0, start) and word not in shown:
            before = passage[start - len(word) - 1: start - len(word)]
            if len(word) == 1 and before and before in NOT_A_QUALIFIER_AFTER.get(word, ""):
                continue
            if any(longer.endswith(word) and passage.endswith(longer, 0, start) for longer in BEFORE_WORDS
                   if len(longer) > len(word)):
                continue  # 不少于 is counted once, as itself
            losses.append(("qualifier lost", word))
    for word in AFTER_WORDS:
        if passage.startswith(word, end) and word not in shown:
            losses.append(("qualifier lost", word))
        for begin in range(max(0, end - len(word) + 1), end):
            if passage.startswith(word, begin) and begin + len(word) > end:
                losses.append(("qualifier cut", word))
    return losses


def question_direction(question: str) -> str | None:
    """"up", "down" or "change" when the question asks how a figure moved; None when it asks for a level."""
    for word in DOWN_WORDS + UP_WORDS:
        for found in re.finditer(word, question):
            rest = question[found.end():found.end() + 2]
            if LEVEL_MARK.match(rest) or re.match(r"了?[至到为]", rest):
                continue  # 上调到了多少 asks for the level reached
            if any(question.startswith(other, i) for other in NOT_A_DIRECTION
                   for i in range(max(0, found.start() - 2), found.end())):
                continue
            return "down" if word in DOWN_WORDS else "up"
    return "change" if CHANGE_QUESTION.search(question) else None


def passage_direction(passage: str, start: int) -> tuple[str, str] | None:
    """(direction, word) of the last direction word before start in its clause, unless the figure is a level."""
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(passage, 0, start)), default=0)
    clause = passage[clause_start:start]
    best = None
    for direction, words in (("down", DOWN_WORDS), ("up", UP_WORDS)):
        for word in words:
            at = clause.rfind(word)
            if at < 0:
                continue
            if any(clause.startswith(other, i) for other in NOT_A_DIRECTION
                   for i in range(max(0, at - 2), at + len(word))):
                continue
            if clause[at + len(word):at + len(word) + 1] == "后":
                continue  # 扩大后股本 names the state after the change
            # the longest word wins where two end at the same place (负增长 over 增长)
            key = (at + len(word), len(word))
            if best is None or key > best[0]:
                best = (key, direction, word, at)
    if best is None:
        return None
    _, direction, word, at = best
    if LEVEL_MARK.search(clause[at + len(word):]):
        return None  # 增长12.3%至50亿元: 50亿元 is the level reached
    return direction, word


def direction_losses(question: str, passage: str, start: int, shown: str) -> list[tuple[str, str]]:
    asked = question_direction(question)
    found = passage_direction(passage, start) if asked else None
    if found is None:
        return []
    direction, word = found
    if any(w in shown for w in (DOWN_WORDS if direction == "down" else UP_WORDS)):
        return []
    inverted = asked in ("up", "down") and asked != direction
    return [("direction inverted" if inverted else "direction lost", word)]


def cases_of(set_name: str, qid: str, question: str, shown: str, passage: str, start: int, end: int) -> list[Case]:
    context = passage[max(0, start - 20):end + 10].replace("\n", " ")
    found = qualifier_losses(passage, start, end, shown) + direction_losses(question, passage, start, shown)
    return [Case(set_name, qid, question, shown, loss, word, context) for loss, word in found]


def shown_answer(result) -> str:
    """What the chat and the CLI show of the answer: its text and any note said with it (「5.2%（降幅）」)."""
    try:
        from qa.render import direction_note
    except ImportError:  # code from before figures had a direction (ddf979f): only the text is shown
        return result.answer.text
    return result.answer.text + direction_note(result.answer)


def from_assistant(sets: list[str], documents: Path) -> tuple[list[Case], dict]:
    from qa.evaluate import assistant_for, with_documents
    from qa.settings import Settings

    settings = Settings.from_env()
    cases, answered = [], {}
    for name in sets:
        question_set = with_documents(ROOT / "tests" / "data" / f"{name}.jsonl", documents)
        assistant = assistant_for(question_set, settings, None)
        answered[name] = 0
        for q in question_set.questions:
            result = assistant.ask(q.question, top_k=3)
            if result.answer is None:
                continue
            answered[name] += 1
            passage = result.passages[result.answer.passage_rank - 1].passage.text
            cases += cases_of(name, q.id, q.question, shown_answer(result), passage, result.answer.start,
                              result.answer.end)
    return cases, {"answered": answered}


def from_json(paths: list[Path]) -> tuple[list[Case], dict]:
    cases, answered, unplaced = [], {}, {}
    for path in paths:
        report = json.loads(path.read_text("utf-8"))
        name = Path(report["file"]).stem
        answered[name], unplaced[name] = 0, 0
        for outcome in report["outcomes"]:
            shown, passage = outcome["predicted"], outcome["top_passage"]
            if not shown:
                continue
            answered[name] += 1
            start = passage.find(shown)
            if start < 0:
                unplaced[name] += 1
                continue
            cases += cases_of(name, outcome["id"], outcome["question"], shown, passage, start, start + len(shown))
    return cases, {"answered": answered, "not placed in the first passage": unplaced}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=list(NEWS_SETS), help="question sets under tests/data")
    parser.add_argument("--documents", type=Path, default=ROOT.parent / "shared" / "bench" / "news" / "articles.jsonl")
    parser.add_argument("--from-json", nargs="+", type=Path, help="eval --json outputs instead of asking")
    parser.add_argument("--json", type=Path, help="write the cases here")
    args = parser.parse_args(argv)

    if args.from_json:
        cases, counts = from_json(args.from_json)
    else:
        if not args.documents.is_file():
            print(f"news archive not found: {args.documents} (pass --documents)", file=sys.stderr)
            return 2
        cases, counts = from_assistant(args.sets, args.documents)

    import qa

    print(f"code: {Path(qa.__file__).parent}")
    for key, by_set in counts.items():
        print(f"{key}: " + ", ".join(f"{name} {n}" for name, n in by_set.items()) + f" (total {sum(by_set.values())})")
    kinds = ("qualifier lost", "qualifier cut", "direction lost", "direction inverted")
    answers = {(c.set, c.id) for c in cases}
    print(f"answers that lost or inverted meaning: {len(answers)}")
    for kind in kinds:
        print(f"  {kind:<20} {sum(c.loss == kind for c in cases)}")
    for kind in ("qualifier", "direction"):
        print(f"  answers with a {kind} loss: {len({(c.set, c.id) for c in cases if c.loss.startswith(kind)})}")
    print()
    for c in sorted(cases, key=lambda c: (c.loss, c.set, c.id)):
        print(f"{c.loss:<20} {c.set:<11} {c.id:<16} word={c.word:<4} shown={c.shown!r:<18} {c.question}  …{c.context}…")
    if args.json:
        args.json.write_text(json.dumps([asdict(c) for c in cases], ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
