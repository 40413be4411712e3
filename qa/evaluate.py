"""Question sets → figures: passage Recall@1/@3, MRR, answer exact/lenient match, abstention.

Two formats are read:
- ours (tests/data/*.jsonl): question, answer (null when unanswerable), evidence, kind, variant, optional doc_id;
  the corpus the questions are about is the assistant's own, or (with_documents) the articles of an archive that
  the doc_ids name plus distractors from the same archive;
- CMRC 2018 (context + qas with gold answers): every context becomes a Document.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .assistant import Assistant
from .corpus import Document, load_corpus, normalise_for_matching, parse_archive
from .embed import load_embedder
from .errors import CorpusError, IndexCorruptError, QuestionError, StaleIndexError
from .numbers import figure_span
from .settings import Settings

log = logging.getLogger(__name__)

# A full stop is punctuation, a decimal point is not: 6.5万辆 and 65万辆 must not compare equal.
_PUNCT = re.compile(r"[\s\u3000,，。、;；:：!！?？\"'“”‘’「」（）()《》]|(?<!\d)\.|\.(?!\d)")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answers: tuple[str, ...]  # empty: the corpus does not answer it
    doc_id: str | None = None  # the article that answers it, when known
    answer_start: int | None = None  # where the gold answer is in that article, when known
    kind: str = ""
    variant: str = ""


@dataclass(frozen=True)
class QuestionSet:
    name: str
    format: str  # "seed" or "cmrc"
    questions: list[EvalQuestion]
    documents: list[Document] | None = None  # None: evaluate against the assistant's own corpus
    index_name: str = ""  # the folder under index/eval/ its documents are indexed in (default: the file stem)


def read_question_set(path: str | Path, doc_id: str | None = None, article_text: str | None = None,
                      articles: dict[str, str] | None = None) -> QuestionSet:
    """Reads either format and says which it read.

    In ours, the gold answer's position is found from `evidence` in the text of the question's article:
    articles[row doc_id] when articles are given, else article_text (the one article doc_id names).
    """
    path = Path(path)
    if not path.is_file():
        raise QuestionError(f"问题集不存在 (question file not found): {path}")
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    if rows and "qas" in rows[0] and "context" in rows[0]:
        documents, questions = [], []
        for row in rows:
            documents.append(Document(id=row["id"], title=row.get("title") or row["id"], text=row["context"]))
            for q in row["qas"]:
                questions.append(EvalQuestion(q["id"], q["question"], tuple(q["answers"]), row["id"]))
        return QuestionSet(path.name, "cmrc", questions, documents)
    questions = []
    for row in rows:
        answer, evidence, row_doc = row.get("answer"), row.get("evidence"), row.get("doc_id") or doc_id
        text = articles.get(row_doc) if articles is not None else article_text
        start = None
        if answer and evidence and text:
            if evidence in text and answer in evidence:
                start = text.index(evidence) + evidence.index(answer)
            else:
                log.warning("%s %s: evidence %r not found in article %s", path.name, row["id"], evidence, row_doc)
        answers = (answer, *row.get("alternatives", ())) if answer else ()
        questions.append(EvalQuestion(row["id"], row["question"], answers, row_doc,
                                      start, row.get("kind", ""), row.get("variant", "")))
    return QuestionSet(path.name, "seed", questions)


def read_articles(path: str | Path) -> list[Document]:
    """The articles of a JSONL archive (one {id, title, text, …} per line) or of a corpus folder."""
    path = Path(path)
    if path.is_dir():
        return load_corpus(path).documents
    if not path.is_file():
        raise CorpusError(f"文章文件不存在 (articles file not found): {path}")
    documents, problems = parse_archive(path.read_bytes(), path.name)
    for problem in problems:
        log.warning("articles: %s", problem)
    return documents


def _distractor_order(doc: Document) -> str:
    return hashlib.sha256(doc.id.encode("utf-8")).hexdigest()


def with_documents(path: str | Path, archive: str | Path, distractors: int = 300) -> QuestionSet:
    """Our question set at `path` over its own articles: those its doc_ids name in `archive`, plus `distractors`
    other articles of the archive (the first by a hash of their id, so every run picks the same ones).

    >>> len(with_documents("tests/data/news_dev.jsonl", "../shared/bench/news/articles.jsonl").documents)
    314
    """
    if distractors < 0:
        raise QuestionError(f"--distractors 不能为负数 (must be >= 0, got {distractors})")
    probe = read_question_set(path)
    if probe.format != "seed":
        raise QuestionError(f"{path}: CMRC 格式自带文章 (a CMRC set brings its own contexts), --documents is not used")
    named = {q.doc_id for q in probe.questions if q.doc_id}
    unnamed = [q.id for q in probe.questions if not q.doc_id]
    if unnamed:
        raise QuestionError(f"{path}: {len(unnamed)} 个问题缺少 doc_id (questions without doc_id, e.g. {unnamed[0]}); "
                            f"--documents needs every question to name its article")
    articles = read_articles(archive)
    by_id = {d.id: d for d in articles}
    unknown = sorted(named - by_id.keys())
    if unknown:
        raise QuestionError(f"{path}: {len(unknown)} 个 doc_id 不在 {archive} 中 (doc_ids not in the articles file): "
                            f"{', '.join(unknown[:5])}")
    others = sorted((d for d in articles if d.id not in named), key=_distractor_order)[:distractors]
    documents = [by_id[doc_id] for doc_id in sorted(named)] + others
    question_set = read_question_set(path, articles={d.id: d.text for d in documents})
    return QuestionSet(question_set.name, "seed", question_set.questions, documents,
                       index_name=f"{Path(path).stem}-{distractors}d")


def _canonical(text: str) -> str:
    return _PUNCT.sub("", normalise_for_matching(unicodedata.normalize("NFKC", text))).lower()


def exact_match(predicted: str, gold: str) -> bool:
    return _canonical(predicted) == _canonical(gold)


def lenient_match(predicted: str, gold: str) -> bool:
    """Same numbers, and one span contains the other (6.5万辆 vs 累计销售6.5万辆)."""
    p, g = _canonical(predicted), _canonical(gold)
    if not p or not g:
        return False
    return (p in g or g in p) and _DIGITS.findall(p) == _DIGITS.findall(g)


@dataclass
class QuestionOutcome:
    id: str
    question: str
    gold: list[str]
    predicted: str | None
    passage_rank: int | None  # 1-based rank of the first passage holding the gold answer
    exact: bool
    lenient: bool
    kind: str
    variant: str
    top_passage: str


def _passage_rank(q: EvalQuestion, result) -> int | None:
    for p in result.passages:
        passage = p.passage
        if q.doc_id is not None and passage.doc_id != q.doc_id:
            continue
        if q.answer_start is not None:
            answer_end = q.answer_start + len(q.answers[0])
            if passage.start <= q.answer_start and answer_end <= passage.end:
                return p.rank
        elif any(_canonical(a) in _canonical(passage.text) for a in q.answers):
            return p.rank
    return None


def _figure_forms(result) -> list[str]:
    """What is compared with the golds: the figures answered, without the word of direction stated before them
    (3.4% of 下降3.4%; count_meaning_loss checks that word), with and without their qualifier words (约为268.72万元
    and 268.72万元: golds, ours and CMRC's, write the bound sometimes; count_meaning_loss checks it is shown); or
    the text answer, for a question that asks for a name (7+20 of 以什么产业链群为骨架)."""
    answer = result.answer
    if answer is None:
        return [result.text_answer.text] if result.text_answer else []
    forms = [answer.figure_text]
    if len(answer.figures) == 1 and answer.qualifier:
        start, end = figure_span(answer.figures[0])
        forms.append(result.passages[answer.passage_rank - 1].passage.text[start : min(end, answer.end)])
    return forms


def evaluate(assistant: Assistant, questions: list[EvalQuestion], top_k: int = 3) -> list[QuestionOutcome]:
    outcomes = []
    for q in questions:
        result = assistant.ask(q.question, top_k=top_k)
        predicted = result.answer.text if result.answer else result.text_answer.text if result.text_answer else None
        forms = _figure_forms(result)
        answerable = bool(q.answers)
        outcomes.append(QuestionOutcome(
            id=q.id, question=q.question, gold=list(q.answers), predicted=predicted,
            passage_rank=_passage_rank(q, result) if answerable else None,
            exact=any(exact_match(f, a) for f in forms for a in q.answers) if answerable else predicted is None,
            lenient=any(lenient_match(f, a) for f in forms for a in q.answers) if answerable else predicted is None,
            kind=q.kind, variant=q.variant,
            top_passage=result.passages[0].passage.text if result.passages else "",
        ))
    return outcomes


@dataclass
class Summary:
    questions: int
    answerable: int
    recall_at_1: float
    recall_at_3: float
    mrr: float
    exact: float
    lenient: float
    abstention: float | None  # share of unanswerable questions where we said nothing
    false_abstention: float  # share of answerable questions where we said nothing
    by_group: dict = field(default_factory=dict)


def _ratio(n: int, d: int) -> float:
    return round(n / d, 4) if d else 0.0


def summarise(outcomes: list[QuestionOutcome], group_by: tuple[str, ...] = ("variant", "kind")) -> Summary:
    """The figures over all outcomes, and by_group[attribute][value] for each attribute that splits them.

    >>> summarise(evaluate(assistant, seed_dev_questions)).by_group["kind"]["count"]["exact"]
    0.88
    """
    answerable = [o for o in outcomes if o.gold]
    unanswerable = [o for o in outcomes if not o.gold]
    summary = Summary(
        questions=len(outcomes),
        answerable=len(answerable),
        recall_at_1=_ratio(sum(o.passage_rank == 1 for o in answerable), len(answerable)),
        recall_at_3=_ratio(sum(o.passage_rank is not None and o.passage_rank <= 3 for o in answerable),
                           len(answerable)),
        mrr=round(sum(1 / o.passage_rank for o in answerable if o.passage_rank) / max(len(answerable), 1), 4),
        exact=_ratio(sum(o.exact for o in answerable), len(answerable)),
        lenient=_ratio(sum(o.lenient for o in answerable), len(answerable)),
        abstention=_ratio(sum(o.predicted is None for o in unanswerable), len(unanswerable)) if unanswerable
        else None,
        false_abstention=_ratio(sum(o.predicted is None for o in answerable), len(answerable)),
    )
    for attribute in group_by:
        groups = defaultdict(list)
        for o in outcomes:
            groups[getattr(o, attribute) or "-"].append(o)
        if len(groups) > 1:
            summary.by_group[attribute] = {name: asdict(summarise(items, ())) for name, items in sorted(groups.items())}
    return summary


def format_table(rows: dict[str, Summary]) -> str:
    """One line per named summary: the figures side by side."""
    header = f"{'':<28}{'n':>6}{'R@1':>8}{'R@3':>8}{'MRR':>8}{'exact':>8}{'lenient':>9}{'abstain':>9}{'false-abs':>10}"
    lines = [header]
    for name, s in rows.items():
        # Figures over answerable questions mean nothing for a group that has none: "-", not 0.000.
        cells = [f"{v:.3f}" if s.answerable else "-"
                 for v in (s.recall_at_1, s.recall_at_3, s.mrr, s.exact, s.lenient)]
        abstain = "-" if s.abstention is None else f"{s.abstention:.3f}"
        false_abstention = f"{s.false_abstention:.3f}" if s.answerable else "-"
        lines.append(f"{name:<28}{s.questions:>6}{cells[0]:>8}{cells[1]:>8}{cells[2]:>8}{cells[3]:>8}{cells[4]:>9}"
                     f"{abstain:>9}{false_abstention:>10}")
    return "\n".join(lines)


METRICS = {"R@1": "recall_at_1", "R@3": "recall_at_3", "MRR": "mrr", "exact": "exact", "lenient": "lenient",
           "abstain": "abstention", "false-abs": "false_abstention"}
GROUP_METRICS = ("R@1", "R@3", "exact", "abstain", "false-abs")  # fewer bars where there are many groups


def _figure(s: Summary, metric: str) -> float:
    """One cell of the table as a bar height; NaN (no bar) where format_table prints "-"."""
    value = getattr(s, METRICS[metric])
    if value is None or (not s.answerable and metric != "abstain"):
        return float("nan")
    return value


def plot_table(rows: dict[str, Summary], path: str | Path, title: str = "") -> Path:
    """format_table's rows as a PNG bar chart: the systems side by side per metric, then one panel per grouping
    (variant, kind) with the groups along the axis."""
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window
    import matplotlib.pyplot as plt

    systems = {name: s for name, s in rows.items() if not name.startswith(" ")}
    groupings: dict[str, dict[str, Summary]] = defaultdict(dict)
    for name, s in rows.items():
        if name.startswith(" "):
            attribute, _, value = name.strip().partition(": ")
            groupings[attribute][value] = s
    panels = [("systems", systems, False)]
    panels += [(f"hybrid (ours) by {attribute}", groups, True) for attribute, groups in groupings.items()]
    figure, axes = plt.subplots(len(panels), 1, figsize=(11, 3.6 * len(panels)), squeeze=False)
    for axis, (heading, members, by_group) in zip(axes[:, 0], panels):
        if by_group:
            labels = [f"{name}\n(n={s.questions})" for name, s in members.items()]
            series = {metric: [_figure(s, metric) for s in members.values()] for metric in GROUP_METRICS}
        else:
            labels = list(METRICS)
            series = {f"{name} (n={s.questions})": [_figure(s, m) for m in METRICS] for name, s in members.items()}
        width = 0.8 / len(series)
        for i, (label, values) in enumerate(series.items()):
            offset = (i - (len(series) - 1) / 2) * width
            axis.bar([x + offset for x in range(len(labels))], values, width, label=label)
        axis.set_xticks(range(len(labels)), labels, fontsize=8, rotation=30 if len(labels) > 8 else 0)
        axis.set_ylim(0, 1.05)
        axis.set_title(heading)
        axis.grid(axis="y", alpha=0.3)
        axis.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def assistant_for(question_set: QuestionSet, settings: Settings, index_dir: str | Path | None,
                  progress: bool = False) -> Assistant:
    """Our sets run on the configured corpus; a CMRC set, or ours with_documents, gets its own index (default
    index/eval/<file stem>, or index/eval/<file stem>-<distractors>d)."""
    if question_set.documents is None:
        return Assistant.load(settings=settings, progress=progress)
    name = question_set.index_name or Path(question_set.name).stem
    index_dir = Path(index_dir) if index_dir else settings.index_dir / "eval" / name
    from .index import load_index

    try:
        index = load_index(index_dir)
        if index is not None:
            embedder = load_embedder(settings)
            index.check_fresh(question_set.documents, embedder, settings)
            return Assistant(index, embedder, settings)
    except (IndexCorruptError, StaleIndexError):
        pass
    return Assistant.build(question_set.documents, index_dir=index_dir, settings=settings, progress=progress)


def _on_own_corpus(path: str | Path, probe: QuestionSet, assistant: Assistant) -> QuestionSet:
    """Our set against the assistant's corpus: every doc_id must be in it; rows without one are about its only
    article (the seed set)."""
    indexed = {p.doc_id for p in assistant.index.passages}
    missing = sorted({q.doc_id for q in probe.questions if q.doc_id} - indexed)
    if missing:
        raise QuestionError(f"{path}: {len(missing)} 个 doc_id 不在语料中 (articles not in the corpus "
                            f"{assistant.settings.corpus_dir}), e.g. {missing[0]}; pass --documents ARTICLES.jsonl")
    only = next(iter(indexed)) if len(indexed) == 1 else None
    wanted = {q.doc_id for q in probe.questions} | {only}
    texts = {d.id: d.text for d in load_corpus(assistant.settings.corpus_dir).documents if d.id in wanted}
    return read_question_set(path, doc_id=only, articles=texts)


def run_eval(path: str | Path, settings: Settings, top_k: int = 3, compare: bool = False,
             index_dir: str | Path | None = None, progress: bool = False, documents: str | Path | None = None,
             distractors: int = 300) -> dict:
    """Everything `python -m qa eval` prints, as one JSON-ready dict."""
    probe = with_documents(path, documents, distractors) if documents else read_question_set(path)
    assistant = assistant_for(probe, settings, index_dir, progress)
    question_set = probe
    if probe.format == "seed" and probe.documents is None:
        question_set = _on_own_corpus(path, probe, assistant)
    systems = {"hybrid (ours)": ("dense", "lexical")}
    if compare:
        systems = {"bm25 only": ("lexical",), "dense only": ("dense",), **systems}
    table, outcomes_by_system = {}, {}
    for name, signals in systems.items():
        variant = Assistant(assistant.index, assistant.embedder, assistant.settings, reader=assistant.reader)
        variant.retriever.signals = signals
        outcomes = evaluate(variant, question_set.questions, top_k=top_k)
        table[name] = summarise(outcomes)
        outcomes_by_system[name] = outcomes
    ours = table["hybrid (ours)"]
    for attribute, groups in ours.by_group.items():
        for group, figures in groups.items():
            table[f"  {attribute}: {group}"] = Summary(**figures)
    wrong = [asdict(o) for o in outcomes_by_system["hybrid (ours)"] if not o.exact]
    return {"file": str(path), "format": question_set.format, "questions": len(question_set.questions),
            "documents": len({p.doc_id for p in assistant.index.passages}), "table": table, "wrong": wrong,
            "outcomes": [asdict(o) for o in outcomes_by_system["hybrid (ours)"]]}
