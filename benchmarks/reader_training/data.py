"""Training examples for the number scorer: DRCD dev+test (to simplified) and the CMRC 2018 dev contexts that
`held_out` leaves for training. Never the news archive.

One example = a question, a window of passage tokens, the number mentions that lie whole inside it, and which of
them are right. A mention is right when it overlaps a gold answer occurrence and matches it leniently (same
digits, one contains the other). Questions whose gold answer is no mention (most are not about a number) are
dropped. "None" examples: for a question with a right mention, a window of the same context that holds other
mentions but no right one (a wrong passage), taken with probability `none_rate`.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from qa.evaluate import lenient_match
from qa.numbers import NumberMention, find_numbers
from qa.reader.tokenizer import Encoding, Tokenizer

MAX_QUESTION_TOKENS = 48


def held_out(doc_id: str) -> bool:
    """The CMRC contexts kept for reporting (same split as benchmarks/fit_answer_weights.py)."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 2 == 1


def dev_context(doc_id: str) -> bool:
    """One context in ten of the training data is the dev split (model choice and early stopping)."""
    return int(hashlib.sha1(("dev:" + doc_id).encode()).hexdigest(), 16) % 10 == 0


@dataclass
class Context:
    id: str
    text: str
    questions: list[tuple[str, str, list[tuple[str, int | None]]]] = field(default_factory=list)  # id, q, golds


def read_drcd(paths: list[Path]) -> tuple[list[Context], dict]:
    """DRCD (traditional) converted with OpenCC t2s; a gold offset is kept when it still slices the gold."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    contexts, stats = [], {"answers": 0, "offset_kept": 0, "offset_found": 0, "answer_lost": 0}
    for path in paths:
        for article in json.loads(path.read_text("utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                original = paragraph["context"]
                text = convert(original)
                context = Context("drcd:" + paragraph["id"], text)
                for qa in paragraph["qas"]:
                    golds = []
                    for answer in qa["answers"][:1]:
                        stats["answers"] += 1
                        gold, start = convert(answer["text"]), answer["answer_start"]
                        if len(text) == len(original) and text[start:start + len(gold)] == gold:
                            stats["offset_kept"] += 1
                        elif gold in text:
                            start = min((i for i in _occurrences(text, gold)), key=lambda i: abs(i - start))
                            stats["offset_found"] += 1
                        else:
                            stats["answer_lost"] += 1
                            continue
                        golds.append((gold, start))
                    if golds:
                        context.questions.append((qa["id"], convert(qa["question"]), golds))
                contexts.append(context)
    return contexts, stats


def read_cmrc(path: Path, keep_held_out: bool = False) -> list[Context]:
    """CMRC 2018 JSONL contexts: by default only the training half (held_out False)."""
    contexts = []
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        if held_out(row["id"]) != keep_held_out:
            continue
        context = Context("cmrc:" + row["id"], row["context"])
        for qa in row["qas"]:
            context.questions.append((qa["id"], qa["question"], [(a, None) for a in qa["answers"]]))
        contexts.append(context)
    return contexts


def _occurrences(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start >= 0 and needle:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _same_leading_digits(mention: str, gold: str) -> bool:
    """1979年10月6日 answers 哪一年 (gold 1979年); 约200万 answers gold 200万立方公尺; 92部 does not answer 2部."""
    a, b = _DIGITS.findall(mention), _DIGITS.findall(gold)
    shorter = min(len(a), len(b))
    return shorter > 0 and a[:shorter] == b[:shorter]


def right_mentions(text: str, mentions: list[NumberMention], golds: list[tuple[str, int | None]]) -> list[int]:
    """Indexes of the mentions that overlap an occurrence of a gold answer and match it leniently."""
    right = set()
    for gold, start in golds:
        starts = [start] if start is not None else _occurrences(text, gold)
        for index, mention in enumerate(mentions):
            if any(mention.start < s + len(gold) and s < mention.end for s in starts) and \
                    (lenient_match(mention.text, gold) or _same_leading_digits(mention.text, gold)):
                right.add(index)
    return sorted(right)


@dataclass
class Example:
    context_id: str
    question_id: str
    input_ids: list[int]
    candidate_tokens: list[tuple[int, int]]  # [first, last+1) token positions in input_ids
    labels: list[int]  # 1 for a right candidate
    candidate_texts: list[str]


def question_ids(tokenizer: Tokenizer, question: str) -> list[int]:
    return list(tokenizer.encode(question).ids[:MAX_QUESTION_TOKENS])


def mention_tokens(encoding: Encoding, mentions: list[NumberMention]) -> list[tuple[int, int] | None]:
    """For each mention, the [first, last+1) content tokens that overlap its characters."""
    result = []
    for mention in mentions:
        covered = [i for i, (a, b) in enumerate(encoding.spans) if a < mention.end and mention.start < b]
        result.append((covered[0], covered[-1] + 1) if covered else None)
    return result


def window_example(q_ids: list[int], encoding: Encoding, token_ranges, first: int, last: int, labels_of,
                   texts) -> tuple[list[int], list[tuple[int, int]], list[int], list[str]]:
    """Input `<s> q </s></s> passage[first:last] </s>` and the candidates that lie whole inside the window."""
    prefix = [0, *q_ids, 2, 2]
    input_ids = prefix + list(encoding.ids[first:last]) + [2]
    shift = len(prefix) - first
    spans, labels, names = [], [], []
    for index, span in enumerate(token_ranges):
        if span is not None and first <= span[0] and span[1] <= last:
            spans.append((span[0] + shift, span[1] + shift))
            labels.append(labels_of(index))
            names.append(texts[index])
    return input_ids, spans, labels, names


SPAN_NEGATIVES = 24  # other spans of a window competing with the gold span of a question not about a number


def span_example(q_ids: list[int], encoding: Encoding, gold: tuple[int, int], budget: int, rng: random.Random,
                 context_id: str, question_id: str, text: str) -> Example | None:
    """A question whose answer is no number (a name, a place, a phrase): its gold span among other spans of the same
    token length in a window around it, so the encoder learns to read questions against passages on every DRCD
    question, not only the ~2,200 about a number."""
    covered = [i for i, (a, b) in enumerate(encoding.spans) if a < gold[1] and gold[0] < b]
    if not covered or covered[-1] + 1 - covered[0] > budget // 2:
        return None
    first_token, last_token = covered[0], covered[-1] + 1
    n, width = len(encoding.ids), last_token - first_token
    low, high = max(0, last_token - budget), min(first_token, max(0, n - budget))
    first = rng.randint(low, max(low, high))
    last = min(n, first + budget)
    starts = [s for s in range(first, last - width + 1) if s != first_token]
    ranges = [(first_token, last_token)] + [(s, s + width) for s in rng.sample(starts, min(SPAN_NEGATIVES,
                                                                                             len(starts)))]
    gold_text = text[gold[0]:gold[1]]
    texts = [text[encoding.spans[a][0]:encoding.spans[b - 1][1]] for a, b in ranges]
    ids, spans, labels, names = window_example(q_ids, encoding, ranges, first, last,
                                               lambda i: int(texts[i] == gold_text), texts)
    return Example(context_id, question_id, ids, spans, labels, names) if any(labels) else None


def build_examples(contexts: list[Context], tokenizer: Tokenizer, max_tokens: int, none_rate: float,
                   seed: int = 0, spans: bool = False) -> tuple[list[Example], dict]:
    """Number examples (and their "none" windows); with spans, also one span example per question whose gold is
    no number (span_example), outside the dev contexts so that the dev figures stay those of numbers."""
    rng = random.Random(seed)
    examples, stats = [], {"questions": 0, "no_right_mention": 0, "positive": 0, "none": 0, "span": 0}
    for context in contexts:
        if not context.questions:
            continue
        mentions = find_numbers(context.text)
        if not mentions and not spans:
            stats["questions"] += len(context.questions)
            stats["no_right_mention"] += len(context.questions)
            continue
        encoding = tokenizer.encode(context.text)
        ranges = mention_tokens(encoding, mentions)
        texts = [m.text for m in mentions]
        n = len(encoding.ids)
        for question_id, question, golds in context.questions:
            stats["questions"] += 1
            right = set(right_mentions(context.text, mentions, golds))
            right = {i for i in right if ranges[i] is not None}
            q_ids = question_ids(tokenizer, question)
            budget = max_tokens - len(q_ids) - 4
            if not right:
                stats["no_right_mention"] += 1
                gold, start = golds[0]
                start = start if start is not None else context.text.find(gold)
                if spans and start >= 0 and not dev_context(context.id):
                    example = span_example(q_ids, encoding, (start, start + len(gold)), budget, rng, context.id,
                                           question_id, context.text)
                    if example is not None:
                        examples.append(example)
                        stats["span"] += 1
                continue
            anchor = ranges[rng.choice(sorted(right))]
            low, high = max(0, anchor[1] - budget), min(anchor[0], max(0, n - budget))
            first = rng.randint(low, max(low, high))
            last = min(n, first + budget)
            ids, spans, labels, names = window_example(q_ids, encoding, ranges, first, last,
                                                       lambda i: int(i in right), texts)
            examples.append(Example(context.id, question_id, ids, spans, labels, names))
            stats["positive"] += 1
            if rng.random() < none_rate and n > budget:
                right_tokens = [ranges[i] for i in right]
                options = [s for s in range(0, n - budget // 2, max(1, budget // 4))
                           if all(t[1] <= s or t[0] >= s + budget for t in right_tokens)]
                if options:
                    first = rng.choice(options)
                    ids, spans, labels, names = window_example(q_ids, encoding, ranges, first,
                                                               min(n, first + budget), lambda i: 0, texts)
                    if spans:
                        examples.append(Example(context.id, question_id, ids, spans, labels, names))
                        stats["none"] += 1
    return examples, stats
