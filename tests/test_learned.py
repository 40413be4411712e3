"""qa/reader/learned.py: the shipped scorer loads only when it matches its card, ranks the obvious figure first,
and covers every mention of a long passage."""
import json
import logging
import shutil

import pytest

from qa.numbers import find_numbers
from qa.reader import learned
from qa.errors import ModelError
from qa.reader.learned import MODEL_DIR, LearnedScorer, load_or_none
from qa.reader.tokenizer import Encoding

pytest.importorskip("onnxruntime")
if not (MODEL_DIR / "card.json").is_file():
    pytest.skip("no shipped number scorer", allow_module_level=True)

PASSAGE = "2024年累计销售各类商用车6.5万辆，同比增长43.8%"


@pytest.fixture(scope="module")
def scorer() -> LearnedScorer:
    return LearnedScorer.load()


@pytest.fixture
def artifact_copy(tmp_path):
    folder = tmp_path / "number_scorer"
    shutil.copytree(MODEL_DIR, folder)
    return folder


def test_card_lists_every_shipped_file_and_the_training_data():
    card = json.loads((MODEL_DIR / "card.json").read_text("utf-8"))
    assert set(card["files"]) == {"number_scorer.onnx", "vocab.json"}
    assert sum(f["bytes"] for f in card["files"].values()) <= 40 * 1024 * 1024
    licences = {d["licence"] for d in card["training_data"]}
    assert licences == {"CC BY-SA 3.0", "CC BY-SA 4.0"} and "news" in card["not_trained_on"]


def test_obvious_figure_ranks_first(scorer):
    mentions = find_numbers(PASSAGE)
    assert [m.text for m in mentions] == ["2024年", "6.5万辆", "43.8%"]
    scores = scorer.score("宇通客车2024年卖了多少辆车", PASSAGE, mentions)
    assert len(scores) == 3 and all(0.0 <= s <= 1.0 for s in scores)
    assert max(range(3), key=scores.__getitem__) == 1
    growth = scorer.score("宇通客车2024年销量同比增长多少", PASSAGE, mentions)
    assert max(range(3), key=growth.__getitem__) == 2


@pytest.mark.xfail(strict=True, reason="issue 17 item 6 not met by the shipped 6-layer model: it puts 70码 first "
                   "(70码 0.06, 50码 0.03, 30码 0.03); strict, so a model that learns it makes this fail as a reminder")
def test_labelled_list_binds_each_label_to_its_figure(scorer):
    passage = "这款车提供三档能量回收，高环70码，中环50码，低环30码。"
    mentions = find_numbers(passage)
    texts = [m.text for m in mentions]
    scores = scorer.score("中环限速多少码", passage, mentions)
    assert texts[max(range(len(scores)), key=scores.__getitem__)] == "50码"


def test_score_many_equals_one_passage_at_a_time(scorer):
    other = "全年营业收入达到370亿元，净利润41.2亿元。"
    passages = [(PASSAGE, find_numbers(PASSAGE)), ("没有数字的段落。", []), (other, find_numbers(other))]
    together = scorer.score_many("宇通客车2024年卖了多少辆车", passages)
    alone = [scorer.score("宇通客车2024年卖了多少辆车", text, mentions) for text, mentions in passages]
    assert [len(s) for s in together] == [3, 0, 2]
    for a, b in zip(together, alone):
        # int8 activations are quantised with one scale per tensor, so the other windows of a batch (and their
        # padding) move the scores a little: measured up to 0.003
        assert a == pytest.approx(b, abs=0.01)


def test_long_passage_scores_every_mention(scorer):
    text = "".join(f"第{i}季度公司销售汽车{i * 1000 + 7}辆，营业收入{i * 3 + 1}亿元，同比增长{i + 10}%。" for i in range(1, 13))
    mentions = find_numbers(text)
    assert len(mentions) > 30
    scores = scorer.score("第12季度销售了多少辆汽车", text, mentions)
    assert len(scores) == len(mentions) and all(s > 0.0 for s in scores)


def test_windows_hold_each_mention_once_within_the_budget():
    text = "甲" * 40 + "1辆" + "乙" * 40 + "2辆" + "丙" * 40 + "3辆"
    encoding = Encoding(tuple(range(len(text))), tuple((i, i + 1) for i in range(len(text))))
    mentions = find_numbers(text)
    windows = list(learned._windows(encoding, mentions, budget=30))
    placed = sorted(i for _, inside in windows for i, _, _ in inside)
    assert placed == [0, 1, 2]
    for ids, inside in windows:
        assert len(ids) <= 30
        for index, first, last in inside:
            assert "".join(text[t] for t in ids[first:last]) == mentions[index].text


def test_tampered_file_is_refused(artifact_copy):
    vocab = artifact_copy / "vocab.json"
    data = bytearray(vocab.read_bytes())
    data[100] = ord("X") if data[100] != ord("X") else ord("Y")
    vocab.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        LearnedScorer.load(artifact_copy)


def test_truncated_or_missing_files_are_refused(artifact_copy):
    model = artifact_copy / "number_scorer.onnx"
    model.write_bytes(model.read_bytes()[:1000])
    with pytest.raises(ModelError, match="bytes"):
        LearnedScorer.load(artifact_copy)
    model.unlink()
    with pytest.raises(ModelError, match="missing"):
        LearnedScorer.load(artifact_copy)
    (artifact_copy / "card.json").unlink()
    with pytest.raises(ModelError, match="model card not found"):
        LearnedScorer.load(artifact_copy)


def test_unavailable_model_gives_none_and_logs_once(tmp_path, caplog):
    missing = tmp_path / "nowhere"
    with caplog.at_level(logging.WARNING, logger="qa.reader.learned"):
        assert load_or_none(missing) is None
        assert load_or_none(missing) is None
    assert sum("falling back" in r.message for r in caplog.records) == 1
