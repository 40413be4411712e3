"""What every benchmark prints: the machine it ran on, and timings as median / p95.

Imported by the bench_*.py scripts next to it (they put the checkout on sys.path, so `qa` is this checkout's).
"""
from __future__ import annotations

import math
import os
import platform
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def machine_note() -> str:
    """One line: cores, CPU model, load average now (other processes may be running), Python and date.

    'machine: 2 cores (AMD EPYC), load 1.27 2.32 2.04 (1/5/15 min), Python 3.11.7, 2026-11-29 01:02'
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    one, five, fifteen = load_average()
    return (f"machine: {cores} cores ({cpu_model()}), load {one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min), "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")


def busy_warning(threshold: float = 0.5) -> str | None:
    """A warning when something else is using the CPU: the 1-minute load is above `threshold` per core."""
    cores = os.cpu_count() or 1
    one = load_average()[0]
    if one > threshold * cores:
        return (f"warning: load average {one:.2f} on {cores} cores — other processes are running; "
                f"figures may be noisy, re-run when the machine is quieter")
    return None


def print_header(title: str) -> None:
    print(f"== {title}")
    print(machine_note())
    warning = busy_warning()
    if warning:
        print(warning)


def ms(seconds) -> float:
    return float(seconds) * 1000.0


def stats(samples_s) -> dict:
    """Median, p95, mean and count of timings given in seconds, in milliseconds."""
    a = np.asarray(samples_s, dtype=float) * 1000.0
    if a.size == 0:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "mean": float("nan")}
    return {"n": int(a.size), "p50": float(np.median(a)), "p95": float(np.percentile(a, 95)), "mean": float(a.mean())}


def format_rows(rows: list[tuple[str, dict]], unit: str = "ms", name_width: int = 44) -> str:
    lines = [f"{'':<{name_width}}{'n':>6}{'p50 ' + unit:>12}{'p95 ' + unit:>12}{'mean ' + unit:>12}"]
    for name, s in rows:
        lines.append(f"{name:<{name_width}}{s['n']:>6}{s['p50']:>12.2f}{s['p95']:>12.2f}{s['mean']:>12.2f}")
    return "\n".join(lines)


@contextmanager
def timed(samples: list):
    start = time.perf_counter()
    try:
        yield
    finally:
        samples.append(time.perf_counter() - start)


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mib() -> float:
    """Resident memory now, from /proc/self/statm."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return float("nan")


class PrecomputedQuery:
    """An embedder stand-in returning a query vector computed beforehand, so that Retriever.search can be timed
    without the embedding."""

    def __init__(self, embedder, vector: np.ndarray):
        self.name, self.dim, self._vector = embedder.name, embedder.dim, vector

    def encode_queries(self, texts):
        return self._vector


# --- vector search, shared by bench_scale.py and bench_million.py ------------------------------------------------

DEPTH = 50  # Settings.retrieval_depth: what the retriever asks FAISS and BM25 for


def noise_scale(vectors: np.ndarray) -> tuple[float, float]:
    """Per-dimension sigma such that cos(copy, original) equals the median nearest-neighbour cosine of real
    passages; returns (sigma, that cosine)."""
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1)
    nearest = float(np.median(sims.max(axis=1)))
    # cos(v, normalise(v + e)) ≈ 1 / sqrt(1 + d σ²) for a unit v and e ~ N(0, σ² I_d)
    sigma = math.sqrt((1 / nearest**2 - 1) / vectors.shape[1])
    return sigma, nearest


def search_times(index, queries: np.ndarray, k: int = DEPTH) -> tuple[dict, np.ndarray]:
    """One query at a time (as ask() does): latency stats and the top-k positions of every query."""
    for q in queries[:10]:  # warm-up
        index.search(q[None, :], k)
    samples, found = [], np.empty((len(queries), k), dtype=np.int64)
    for i, q in enumerate(queries):
        with timed(samples):
            _, positions = index.search(q[None, :], k)
        found[i] = positions[0]
    return stats(samples), found


def recall_at_10(found: np.ndarray, exact: np.ndarray) -> float:
    return float(np.mean([len(set(f[:10]) & set(e[:10])) / 10 for f, e in zip(found, exact)]))
