"""NumberReader: the answerer as one configured component, called as one step.

    reader = NumberReader()                                   # the shipped model, depth 5
    question = reader.analyse("宇通客车2024年卖了多少辆车?", index.lexical)
    hits = reader.order(question, hits)                       # another day's reports last (2月7日 asked)
    answer = reader.read(question, hits, index.lexical)       # Answer | None

Every number of the first `depth` hits is a candidate (candidates.py); those that cannot answer are dropped
(filters.py); the rest get their features (features.py), a ranking score and, for the best, a calibrated
probability (model.py). Below the threshold the reader abstains. Otherwise the numbers of the next passages (up to
`agreement_depth`) join them to say which articles agree, which disagree and which period each figure is of
(aggregate.py); the answer's score stays the calibrated probability of the best.
"""
from __future__ import annotations

from typing import Sequence

from ..numbers import NumberMention, direction_word_span, range_ends
from ..retrieve import Hit, moved_back
from . import features as registry
from . import lexicon as lx
from .aggregate import Reading, aggregate, same_figure
from .candidates import Candidate, MatchingText, MentionContext, mentions_of, reports_another_day
from .filters import cannot_answer, misses_a_name
from .model import ReaderModel, shipped_model
from .question import QuestionIntent, Vocabulary, analyse_question
from .result import Alternative, Answer, Conflict, Source

DEFAULT_DEPTH = 5  # passages whose numbers compete for the answer (more than the top_k shown, often)
DEFAULT_AGREEMENT_DEPTH = 10  # passages read for other articles stating the answer's figure, or contradicting it
NO_RUNNER_UP_MARGIN = 5.0  # a lone figure leads by this much


class NumberReader:
    """Reads the number that answers a question from ranked passages."""

    def __init__(self, model: ReaderModel | None = None, *, depth: int = DEFAULT_DEPTH,
                 agreement_depth: int = DEFAULT_AGREEMENT_DEPTH, threshold: float | None = None):
        self.model = model or shipped_model()
        self.depth = depth
        self.agreement_depth = max(depth, agreement_depth)
        self.threshold = self.model.threshold if threshold is None else threshold

    def analyse(self, question: str, vocabulary: Vocabulary) -> QuestionIntent:
        return analyse_question(question, vocabulary)

    def order(self, question: QuestionIntent, hits: list[Hit]) -> list[Hit]:
        """The hits as retrieved, except that the passages of an article on another day than the one the question
        asks of (2月4日欧市尾盘 for 2月7日) come after the others."""
        if not question.days:
            return hits
        return moved_back(hits, lambda hit: reports_another_day(hit, question.days))

    def rank(self, question: QuestionIntent, hits: Sequence[Hit], vocabulary: Vocabulary,
             passages: slice | None = None) -> list[Candidate]:
        """Every number of the first `depth` hits (or of the hits in `passages`) that can answer the question,
        scored, best first."""
        candidates = []
        passages = passages or slice(0, self.depth)
        for rank, hit in enumerate(hits[passages], start=(passages.start or 0) + 1):
            matching = MatchingText.of(hit.passage, hit.lead)
            if misses_a_name(question, matching):
                continue
            passage_mentions = mentions_of(hit.passage.text)
            kept, previous_end = [], 0
            for mention in passage_mentions:
                context = MentionContext(question, vocabulary, hit, rank, matching, mention, previous_end,
                                         passage_mentions)
                previous_end = mention.end
                if not cannot_answer(context):
                    kept.append(context)
            rivals = [c.figure for c in kept]
            for context in kept:
                context.rivals = rivals
                values = {name: f(context) for name, f in registry.MENTION_FEATURES.items()}
                values.update((name, f(context)) for name, f in registry.RIVAL_FEATURES.items())
                candidates.append(Candidate(context.mention, rank, values, self.model.rank_score(values)))
        candidates.sort(key=lambda c: (-c.score, c.hit_rank, c.mention.start))
        return candidates

    def confidence(self, candidates: Sequence[Candidate]) -> float:
        """The calibrated probability that the best of the ranked candidates is right (0 without candidates)."""
        if not candidates:
            return 0.0
        best = candidates[0]
        return self.model.probability(best.features, best.score, lead_over_rivals(candidates))

    def read(self, question: QuestionIntent, hits: Sequence[Hit], vocabulary: Vocabulary) -> Answer | None:
        """The answer among the numbers of the first `depth` hits, or None when no number is likely enough.

        answer.passage_rank is the rank of its passage among `hits`. Pass at least `agreement_depth` hits for
        the answer's sources, conflicts and alternatives (aggregate.py) to cover that many passages.
        """
        candidates = self.rank(question, hits, vocabulary)
        confidence = self.confidence(candidates)
        if not candidates or confidence < self.threshold:
            return None
        # the passages after the first `depth` only add articles that agree with, contradict or update the answer
        further = self.rank(question, hits, vocabulary, slice(self.depth, self.agreement_depth))
        chosen = aggregate(question, candidates, further, hits)
        best = chosen.answer.candidate
        text = hits[best.hit_rank - 1].passage.text
        figures = [best.mention]
        if question.asks_several:
            figures = listed_with(best.mention, mentions_of(text), text)
        elif question.asks_bound and (ends := range_ends(text, best.mention)):
            figures = [ends[0] if question.asks_bound == "lower" else ends[1]]  # 最多 of 1.2亿元至1.5亿元: 1.5亿元
        first, end = figures[0], figures[-1].end
        if len(figures) == 1 and question.year_only and first.kind == "date" \
                and 0 < first.text.find("年") < len(first.text) - 1:
            end = first.start + first.text.index("年") + 1  # 哪一年 is answered by the year of a full date
        shared = bool(first.unit) or first == best.mention  # a bare first figure has the unit of the list
        unit, kind = (first.unit, first.kind) if shared else (best.mention.unit, best.mention.kind)
        start = first.start
        if question.asks_change and first.direction:
            start = _with_direction_word(text, first)
        return Answer(text[start:end], first.value, unit, kind, best.hit_rank, start, end, round(confidence, 4),
                      first.qualifier, first.direction, tuple(figures),
                      period=chosen.answer.period.text if chosen.answer.period else None,
                      sources=tuple(_source(r) for r in chosen.sources),
                      conflicts=tuple(_conflict(r) for r in chosen.conflicts),
                      alternatives=tuple(_alternative(r) for r in chosen.alternatives))


def lead_over_rivals(candidates: Sequence[Candidate]) -> float:
    """How far the best candidate scores above the best one stating another figure: the same figure said again (in
    the lead and the body, or by another article) agrees with it rather than competes."""
    best = candidates[0]
    runner_up = next((c for c in candidates[1:] if not same_figure(c.mention, best.mention)), None)
    return best.score - runner_up.score if runner_up else NO_RUNNER_UP_MARGIN


def _source(reading: Reading) -> Source:
    p = reading.hit.passage
    return Source(p.doc_id, p.title, p.date, p.source, p.id, reading.candidate.mention.text)


def _conflict(reading: Reading) -> Conflict:
    p, mention = reading.hit.passage, reading.candidate.mention
    return Conflict(p.doc_id, p.title, p.date, p.source, p.id, mention.text, mention.value, mention.unit)


def _alternative(reading: Reading) -> Alternative:
    mention = reading.candidate.mention
    return Alternative(mention.text, mention.value, mention.unit, reading.period.text, reading.hit.passage.id)


MAX_GAP_AFTER_DIRECTION = 4  # 下降了3.4%, 降幅为3.4%, 同比增长达3.4%: a few characters between the verb and the figure


def _with_direction_word(text: str, figure: NumberMention) -> int:
    """Where the answer starts so that it says which way the figure went: at the verb (下降3.4%) when it stands just
    before the figure, else at the figure."""
    span = direction_word_span(text, figure)
    if span and span[1] <= figure.start and figure.start - span[1] <= MAX_GAP_AFTER_DIRECTION:
        return span[0]
    return figure.start


def listed_with(best: NumberMention, passage_mentions: Sequence[NumberMention], text: str) -> list[NumberMention]:
    """The figures listed together with best (6.5万、8.5万人次; 1753年和1762年), in order, best among them."""
    def listed(left: NumberMention, right: NumberMention) -> bool:
        # of one kind, or bare before the unit they share (6.5万、8.5万人次)
        alike = left.kind == right.kind or left.kind == "number" and not left.unit
        return alike and bool(lx.COORDINATION.fullmatch(text[left.end : right.start]))

    at = passage_mentions.index(best)
    first = last = at
    while first > 0 and listed(passage_mentions[first - 1], passage_mentions[first]):
        first -= 1
    while last + 1 < len(passage_mentions) and listed(passage_mentions[last], passage_mentions[last + 1]):
        last += 1
    return list(passage_mentions[first : last + 1])
