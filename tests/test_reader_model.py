"""The reader's model artifact (qa/reader/model.py, number_model.json): loaded, checked against the feature
registry, and used as one configured component."""
import json

import pytest

import qa
from qa.reader import FEATURE_NAMES, NumberReader, ReaderModel


def test_the_shipped_model_weighs_every_registered_feature_and_says_where_it_came_from():
    model = ReaderModel.load()
    assert list(model.weights) == list(FEATURE_NAMES)
    assert 0 < model.threshold < 1
    assert {"date", "data", "held_out"} <= set(model.provenance)


def _saved(tmp_path, model: ReaderModel, **changes) -> str:
    path = tmp_path / "model.json"
    model.save(path)
    data = json.loads(path.read_text("utf-8"))
    for key, value in changes.items():
        data[key] = value
    path.write_text(json.dumps(data), "utf-8")
    return path


def test_a_saved_model_loads_back_the_same(tmp_path):
    model = ReaderModel.load()
    assert ReaderModel.load(_saved(tmp_path, model)) == model


@pytest.mark.parametrize("change", [
    lambda w: w.pop("word_order"),  # a feature the code computes and the model does not weigh
    lambda w: w.update(renamed_feature=1.0),  # a weight for a feature the code no longer has
])
def test_weights_that_do_not_match_the_registry_are_an_error_not_a_silent_zero(tmp_path, change):
    model = ReaderModel.load()
    weights = dict(model.weights)
    change(weights)
    with pytest.raises(qa.ModelError, match="registry"):
        ReaderModel.load(_saved(tmp_path, model, weights=weights))


def test_a_calibration_naming_an_unknown_feature_is_an_error(tmp_path):
    model = ReaderModel.load()
    with pytest.raises(qa.ModelError, match="unknown"):
        ReaderModel.load(_saved(tmp_path, model, calibration={**model.calibration, "gone": 0.3}))


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": "something else"}'])
def test_a_damaged_model_file_is_an_error(tmp_path, text):
    path = tmp_path / "model.json"
    path.write_text(text, "utf-8")
    with pytest.raises(qa.ModelError):
        ReaderModel.load(path)


def test_the_threshold_is_configured_once_on_the_reader(seed_assistant):
    question = "宇通客车2024年卖了多少辆车?"
    vocabulary = seed_assistant.index.lexical
    hits = seed_assistant.retriever.search(question, 5)
    for threshold, answers in ((0.0, True), (1.0, False)):
        reader = NumberReader(threshold=threshold)
        assert (reader.read(reader.analyse(question, vocabulary), hits, vocabulary) is not None) is answers
    deep = NumberReader(depth=1)
    candidates = deep.rank(deep.analyse(question, vocabulary), hits, vocabulary)
    assert {c.hit_rank for c in candidates} <= {1}  # only the first passage is read


def test_the_same_figure_said_again_does_not_count_as_a_rival():
    from qa.numbers import find_numbers
    from qa.reader.candidates import Candidate
    from qa.reader.reader import NO_RUNNER_UP_MARGIN, lead_over_rivals

    said_once, said_again, other = find_numbers("全年销售6.5万辆，即65000辆，上半年21321辆")
    ranked = [Candidate(said_once, 1, {}, 10.0), Candidate(said_again, 1, {}, 9.5), Candidate(other, 1, {}, 6.0)]
    assert lead_over_rivals(ranked) == 4.0  # over 21321辆, not over 65000辆
    assert lead_over_rivals(ranked[:2]) == NO_RUNNER_UP_MARGIN  # no other figure at all
