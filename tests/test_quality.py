"""The seed dev set as a regression guard: figures may only go up (measured values in docs/quality.md)."""
import pytest

from qa.evaluate import evaluate, read_question_set, summarise

from conftest import SEED_DEV


@pytest.fixture(scope="module")
def seed_summary(seed_assistant, seed_article):
    questions = read_question_set(SEED_DEV, doc_id=seed_article.id, article_text=seed_article.text).questions
    return summarise(evaluate(seed_assistant, questions))


def test_dev_set_is_what_the_issue_asks_for(seed_dev):
    answerable = [q for q in seed_dev if q["answer"]]
    assert len(answerable) >= 50 and len(seed_dev) - len(answerable) >= 5
    assert {q["variant"] for q in seed_dev} >= {"plain", "paraphrase", "colloquial", "traditional", "fullwidth"}


def test_retrieval_on_the_seed_dev_set(seed_summary):
    assert seed_summary.recall_at_1 >= 0.95
    assert seed_summary.recall_at_3 >= 0.99


def test_answers_on_the_seed_dev_set(seed_summary):
    assert seed_summary.exact >= 0.95
    assert seed_summary.abstention >= 0.8
    assert seed_summary.false_abstention <= 0.03
