"""From ranked passages to a result: what the question asks for, which number answers it, and highlights.

The answer is the number mention whose kind and unit fit the question and whose surrounding clause talks about
what the question talks about (entity, metric, time). Each candidate gets a few inspectable features, combined
by a logistic model into a score in [0, 1]; below ANSWER_THRESHOLD we abstain.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .corpus import normalise_aligned, normalise_for_matching
from .lexical import Tokenizer
from .numbers import NumberMention, find_numbers
from .passages import Passage
from .retrieve import Hit

# Passages whose numbers compete for the answer (the returned top_k may be fewer).
ANSWER_DEPTH = 5
ANSWER_THRESHOLD = 0.5

# --- question typing -------------------------------------------------------------------------------------------

# (pattern on the normalised question, kinds accepted in order of preference). First match wins.
_KIND_RULES: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"百分点"), ("percentage_points",)),
    (re.compile(r"哪一?天|哪一?日|何时|什么时候|啥时候|什么时间|哪个时间|几月几[日号]|哪个月|什么日期|哪一?年|几几年|日期"),
     ("date",)),
    (re.compile(r"多少伏|电压|伏特"), ("voltage",)),
    (re.compile(r"多少度|角度|倾斜|倾角"), ("angle",)),
    (re.compile(r"车速|速度|时速|跑多快|码数"), ("speed",)),
    (re.compile(r"第几|排第|排名|几号|第多少|名次"), ("ordinal",)),
    (re.compile(r"几倍|多少倍|翻了几"), ("multiple",)),
    (re.compile(r"百分之几|百分比|占比|比重|份额|市占率|占有率|增速|增幅|增长率|涨幅|降幅|跌幅|同比|环比"
                r"|(增长|上涨|涨|下降|降|提升|提高|减少|增加|跌)了?(多少|几)(?![亿万千百]?[元辆台个家人])|有多快|多快"),
     ("percent",)),
    (re.compile(r"多久|多长时间|几年|多少年|几天|多少天|几个月|多少个月|周期|工期|几周"), ("duration",)),
    (re.compile(r"算力(?!.{0,3}产业)"), ("compute",)),
    (re.compile(r"多少钱|多少元|[亿万]元|营收|收入|产值|销售额|营业额|利润|金额|市值|总额|投资额|GDP|增加值|产业规模|集群.{0,6}规模|规模.{0,4}万亿"),
     ("money",)),
    (re.compile(r"多少[辆台家个项名位座条种款次人]|几[辆台家个项名位座条种款次]|几大|人口|人数|员工|销量|卖|销售|出口|交付|订单"),
     ("count",)),
]
_ANY_QUANTITY = ("count", "money", "quantity", "compute", "number", "percent", "multiple", "duration")
# Units a question may name, normalised to the unit find_numbers reports.
_UNIT_IN_QUESTION = re.compile(r"(?:多少|几)(个百分点|亿元|万元|元|辆|台|家|个|项|名|位|座|条|种|款|次|人次|人|天|年|个月|月|伏|度|倍|公里|米|吨)")
_UNIT_ALIASES = {"亿元": "元", "万元": "元", "伏": "V", "度": "°", "个月": "月", "人次": "人次"}
# Measure words that count the same things ("卖了多少台" is answered by "6.5万辆").
_COMPATIBLE_UNITS = [{"辆", "台", "部"}, {"个", "家", "座", "项", "所"}, {"人", "名", "位", "人次"}]
_KINDS_ALIKE = {("count", "number"), ("count", "quantity"), ("quantity", "number"), ("money", "number")}

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_RELATIVE_YEARS = {"前年": -2, "去年": -1, "上一年": -1, "今年": 0, "本年": 0, "明年": 1}
# Everyday words → the words news text uses for the same metric. General vocabulary, not per-question fixes.
_SYNONYMS = {
    "卖": ("销售", "销量"), "卖出": ("销售",), "销量": ("销售",), "涨": ("增长", "增速"), "增幅": ("增长",),
    "增速": ("增长",), "收入": ("营收",), "赚": ("利润", "净利润"), "利润": ("净利润",), "改名": ("更名",),
    "份额": ("市占率", "比重"), "占比": ("比重", "占"), "多快": ("速度", "增速", "码"), "高出": ("高于",),
    "高": ("高于",), "目标": ("力争", "达"), "计划": ("力争",), "规划": ("力争",), "现在": ("目前",),
    "人效": ("人效",), "缩短": ("缩短",),
}
_QUESTION_NOISE = frozenset("多少 几 多大 多快 多久 多高 多长 什么 哪 哪些 是 有 了 的 呢 吗 啊 呀 请问 一共 总共 大概".split())


@dataclass(frozen=True)
class QuestionIntent:
    """What a question asks for. `kinds` empty means any quantity."""

    text: str
    kinds: tuple[str, ...]
    unit: str | None
    years: tuple[int, ...] = ()
    relative_years: tuple[int, ...] = ()
    terms: tuple[str, ...] = ()

    def years_for(self, article_date: str | None) -> set[int]:
        """Explicit years plus 去年/今年 resolved against the article's own date."""
        years = set(self.years)
        if self.relative_years and article_date and article_date[:4].isdigit():
            years.update(int(article_date[:4]) + offset for offset in self.relative_years)
        return years


def analyse_question(question: str, tokenizer: Tokenizer) -> QuestionIntent:
    """>>> analyse_question("宇通客车2024年卖了多少辆车?", tok).kinds  →  ('count',), unit '辆', years (2024,)"""
    text = normalise_for_matching(question)
    kinds: tuple[str, ...] = ()
    for pattern, rule_kinds in _KIND_RULES:
        if pattern.search(text):
            kinds = rule_kinds
            break
    unit = None
    unit_match = _UNIT_IN_QUESTION.search(text)
    if unit_match:
        unit = _UNIT_ALIASES.get(unit_match.group(1), unit_match.group(1))
        if unit == "个百分点":
            kinds = ("percentage_points",)
        elif unit == "元":
            kinds = ("money",)
        elif unit in ("天", "年", "月") and "date" not in kinds:
            kinds = ("duration",)
    years = tuple(int(y) for y in _YEAR.findall(text))
    relative = tuple(offset for word, offset in _RELATIVE_YEARS.items() if word in text)
    terms: list[str] = []
    for token in tokenizer.tokens(text):
        if token in _QUESTION_NOISE or _YEAR.fullmatch(token) or token.isdigit():
            continue
        for word in (token, *_SYNONYMS.get(token, ())):
            if word not in terms:
                terms.append(word)
    return QuestionIntent(text, kinds, unit, years, relative, tuple(terms))


# --- candidate features and scoring ----------------------------------------------------------------------------

_SENTENCE_BOUNDARY = re.compile(r"[。！？!?；;\n]")
_CLAUSE_BOUNDARY = re.compile(r"[。！？!?；;\n，,：:、（）()]")


@dataclass(frozen=True)
class Candidate:
    mention: NumberMention
    hit_rank: int  # 1-based rank of the passage among the hits
    features: dict = field(default_factory=dict)
    score: float = 0.0


def _bounds(text: str, start: int, end: int, boundary: re.Pattern) -> tuple[int, int]:
    left = max((m.end() for m in boundary.finditer(text, 0, start)), default=0)
    right_match = boundary.search(text, end)
    return left, right_match.start() if right_match else len(text)


def _units_compatible(asked: str, found: str) -> bool:
    if asked == found:
        return True
    return any(asked in group and found in group for group in _COMPATIBLE_UNITS)


def _kind_fit(intent: QuestionIntent, mention: NumberMention) -> float:
    """1 for the asked kind, 0.5 for a plausible stand-in, 0 for a mismatch."""
    if intent.kinds:
        if mention.kind in intent.kinds:
            return 1.0
        return 0.5 if any((k, mention.kind) in _KINDS_ALIKE for k in intent.kinds) else 0.0
    if mention.kind == "date" or mention.kind == "ordinal":
        return 0.0
    return 0.7 if mention.kind in _ANY_QUANTITY else 0.3


def _term_coverage(terms: tuple[str, ...], text: str) -> float:
    """Share of question terms (weighted by length: longer words say more) found in text."""
    if not terms:
        return 0.0
    total = sum(len(t) for t in terms)
    return sum(len(t) for t in terms if t in text) / total


def _nearest_term_distance(terms: tuple[str, ...], text: str, left: int, start: int) -> float:
    """Characters between the mention and the closest question term before it in its sentence (∞ if none)."""
    best = math.inf
    window = text[left:start]
    for term in terms:
        position = window.rfind(term)
        if position >= 0:
            best = min(best, len(window) - (position + len(term)))
    return best


def candidate_features(intent: QuestionIntent, passage: Passage, mention: NumberMention, hit: Hit,
                       hit_rank: int) -> dict:
    text = normalise_aligned(passage.text)
    sentence = _bounds(text, mention.start, mention.end, _SENTENCE_BOUNDARY)
    clause = _bounds(text, mention.start, mention.end, _CLAUSE_BOUNDARY)
    previous_clause = _bounds(text, clause[0] - 1, clause[0] - 1, _CLAUSE_BOUNDARY) if clause[0] > 0 else clause
    clause_text = text[previous_clause[0] : clause[1]]
    sentence_text = text[sentence[0] : sentence[1]]

    asked_years = intent.years_for(passage.date)
    sentence_years = {int(y) for y in _YEAR.findall(sentence_text)}
    if not sentence_years:  # a sentence without a year inherits the passage's first one ("2024年,…。其中…")
        sentence_years = {int(y) for y in _YEAR.findall(text[: sentence[0]])[-1:]}
    if asked_years and sentence_years:
        time_fit = 1.0 if asked_years & sentence_years else -1.0
    else:
        time_fit = 0.0
    unit_fit = 0.5 if intent.unit is None else (1.0 if _units_compatible(intent.unit, mention.unit) else 0.0)
    distance = _nearest_term_distance(intent.terms, text, sentence[0], mention.start)
    return {
        "kind": _kind_fit(intent, mention),
        "unit": unit_fit,
        "clause_terms": _term_coverage(intent.terms, clause_text),
        "sentence_terms": _term_coverage(intent.terms, sentence_text),
        "passage_terms": _term_coverage(intent.terms, text),
        "proximity": 0.0 if math.isinf(distance) else math.exp(-distance / 12.0),
        "time": time_fit,
        "in_question": 1.0 if normalise_for_matching(mention.text) in intent.text else 0.0,
        "passage_rank": 1.0 / hit_rank,
        "passage_score": hit.score,
    }


# Logistic weights over the features above (see fit in tests/… and the note in README "How answers are chosen").
WEIGHTS = {
    "kind": 4.0,
    "unit": 1.5,
    "clause_terms": 3.0,
    "sentence_terms": 1.5,
    "passage_terms": 1.0,
    "proximity": 1.5,
    "time": 1.5,
    "in_question": -4.0,
    "passage_rank": 1.0,
    "passage_score": 0.5,
}
BIAS = -7.0


def score_features(features: dict) -> float:
    z = BIAS + sum(WEIGHTS[name] * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-z))


# --- the result ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Highlight:
    start: int  # offsets into the passage text
    end: int
    text: str
    value: float | None
    unit: str
    kind: str
    answer: bool = False

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "answer": self.answer,
                "value": self.value, "unit": self.unit, "kind": self.kind}


@dataclass(frozen=True)
class Answer:
    text: str
    value: float | None
    unit: str
    kind: str
    passage_rank: int  # 1-based index into Result.passages
    start: int  # offsets into Result.passages[passage_rank - 1].text
    end: int
    score: float

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit, "passage_rank": self.passage_rank,
                "start": self.start, "end": self.end, "score": self.score}


@dataclass(frozen=True)
class RankedPassage:
    rank: int
    passage: Passage
    score: float
    highlights: tuple[Highlight, ...]

    def to_dict(self) -> dict:
        p = self.passage
        return {"rank": self.rank, "doc_id": p.doc_id, "title": p.title, "date": p.date, "paragraph": p.paragraph,
                "passage_id": p.id, "text": p.text, "score": self.score,
                "highlights": [h.to_dict() for h in self.highlights]}


@dataclass(frozen=True)
class Result:
    question: str
    answer: Answer | None
    passages: tuple[RankedPassage, ...]

    def to_dict(self) -> dict:
        return {"question": self.question, "answer": self.answer.to_dict() if self.answer else None,
                "passages": [p.to_dict() for p in self.passages]}


def rank_candidates(intent: QuestionIntent, hits: list[Hit], mentions: list[list[NumberMention]]) -> list[Candidate]:
    """Every number in the given hits, scored, best first."""
    candidates = []
    for rank, (hit, passage_mentions) in enumerate(zip(hits, mentions), start=1):
        for mention in passage_mentions:
            features = candidate_features(intent, hit.passage, mention, hit, rank)
            candidates.append(Candidate(mention, rank, features, score_features(features)))
    candidates.sort(key=lambda c: (-c.score, c.hit_rank, c.mention.start))
    return candidates


def answer_question(question: str, intent: QuestionIntent, hits: list[Hit], top_k: int) -> Result:
    """Choose the answer among the numbers of the best hits; the passage holding it is returned first."""
    pool = hits[: max(top_k, ANSWER_DEPTH)]
    mentions = [find_numbers(hit.passage.text) for hit in pool]
    candidates = rank_candidates(intent, pool, mentions)
    best = candidates[0] if candidates and candidates[0].score >= ANSWER_THRESHOLD else None

    order = list(range(len(pool)))
    if best is not None:
        order.remove(best.hit_rank - 1)
        order.insert(0, best.hit_rank - 1)
    ranked = []
    for rank, position in enumerate(order[:top_k], start=1):
        hit = pool[position]
        highlights = tuple(
            Highlight(m.start, m.end, m.text, m.value, m.unit, m.kind,
                      answer=best is not None and position == best.hit_rank - 1 and m == best.mention)
            for m in mentions[position]
        )
        ranked.append(RankedPassage(rank, hit.passage, hit.score, highlights))
    answer = None
    if best is not None:
        m = best.mention
        answer = Answer(m.text, m.value, m.unit, m.kind, 1, m.start, m.end, round(best.score, 4))
    return Result(question, answer, tuple(ranked))
