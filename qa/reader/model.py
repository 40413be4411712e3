"""The reader's learned parameters: ranking weights, calibration, threshold and where they came from, in one JSON
artifact (`number_model.json` beside this file) that `benchmarks/fit_answer_weights.py` writes.

    >>> model = ReaderModel.load()
    >>> model.threshold
    0.1

Ranking: a candidate's score is z = Σ weight·feature (only differences between candidates matter). Calibration:
P(right) = sigmoid(bias + score·z + lead·(z − z_rival) + Σ weight·feature of the best candidate), where z_rival is
the score of the best candidate stating another figure; the features also say whether the passages can answer at all
(question words missing, another kind of number), which a ranking score, fitted to compare the candidates of one
question, does not. Below `threshold` the reader abstains.

At load the feature names are checked against the registry (features.py): a feature the code computes and the
artifact does not weigh, or the other way round, is a ModelError, never a silent zero.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError
from .features import FEATURE_NAMES

DEFAULT_PATH = Path(__file__).with_name("number_model.json")
FORMAT = "qa-number-reader/1"
CALIBRATION_TERMS = ("bias", "score", "lead")  # besides features: the intercept, z and the lead over the runner-up


@dataclass(frozen=True)
class ReaderModel:
    weights: dict[str, float]  # feature name → ranking weight, for every registered feature
    calibration: dict[str, float]  # bias, score, lead, and feature name → weight for some features
    threshold: float  # below this calibrated probability the reader abstains
    provenance: dict = field(default_factory=dict)  # data, sizes, commit, date, the fit's held-out figures

    def __post_init__(self):
        registered = set(FEATURE_NAMES)
        unweighted, unknown = registered - self.weights.keys(), self.weights.keys() - registered
        if unweighted or unknown:
            raise ModelError(f"the model's weights do not match the feature registry: no weight for "
                             f"{sorted(unweighted) or 'none'}, weights for unknown {sorted(unknown) or 'none'}; "
                             f"refit with benchmarks/fit_answer_weights.py")
        strange = self.calibration.keys() - registered - set(CALIBRATION_TERMS)
        missing = set(CALIBRATION_TERMS) - self.calibration.keys()
        if strange or missing:
            raise ModelError(f"the model's calibration names unknown features {sorted(strange) or 'none'} and lacks "
                             f"{sorted(missing) or 'nothing'}; refit with benchmarks/fit_answer_weights.py")
        if not 0.0 <= self.threshold <= 1.0:
            raise ModelError(f"the model's threshold must be a probability, got {self.threshold}")

    @classmethod
    def load(cls, path: str | Path | None = None) -> "ReaderModel":
        path = Path(path) if path else DEFAULT_PATH
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise ModelError(f"cannot read the reader model {path}: {error}") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{path} is not a reader model of format {FORMAT}")
        try:
            return cls({k: float(v) for k, v in data["weights"].items()},
                       {k: float(v) for k, v in data["calibration"].items()},
                       float(data["threshold"]), dict(data.get("provenance", {})))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ModelError(f"{path} lacks or garbles {error}: weights, calibration and threshold are needed") from error

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        data = {"format": FORMAT, "threshold": self.threshold,
                "weights": {name: self.weights[name] for name in FEATURE_NAMES},
                "calibration": {**{t: self.calibration[t] for t in CALIBRATION_TERMS},
                                **{n: self.calibration[n] for n in FEATURE_NAMES if n in self.calibration}},
                "provenance": self.provenance}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
        return path

    def rank_score(self, features: dict[str, float]) -> float:
        """The candidate's linear ranking score z (higher is better)."""
        return sum(self.weights[name] * value for name, value in features.items())

    def probability(self, features: dict[str, float], score: float, lead: float) -> float:
        """Probability that the best candidate (its features and score z, its lead over its best rival) is right."""
        c = self.calibration
        x = c["bias"] + c["score"] * score + c["lead"] * lead
        x += sum(c[name] * value for name, value in features.items() if name in c)
        return 1.0 / (1.0 + math.exp(-x))


@lru_cache(maxsize=1)
def shipped_model() -> ReaderModel:
    """The artifact beside this module, read once per process (every Assistant starts from it)."""
    return ReaderModel.load()
