"""Embedding on Ray Data: the vectors `index.embed_in_batches` computes, from N embedder actors instead of one process.

`RayEmbedEngine` is an `EmbedEngine` (`engine(embedder, texts, progress) -> vectors`), so `build_index` and
`Assistant.build` take it in place of the local engine and write the same on-disk index:

    >>> settings = Settings.from_env()
    >>> with RayEmbedEngine(settings, workers=2) as engine:            # a local Ray instance on this machine
    ...     Assistant.build(documents, settings=settings, embed_engine=engine)
    >>> RayEmbedEngine(settings, address="auto", workers=16)          # or an existing Ray cluster

Only the passages `build_index` could not reuse reach the engine, so an incremental build ships only new and
changed passages to the workers. Rows carry their position, so the result is in input order whatever order the
actors finish in. Each actor builds its own embedder once (`load_embedder(settings)`), checks it is the one the
driver holds, and is restarted by Ray if its process dies; its unfinished batches are retried on the new actor.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import math
import os
import time
import warnings
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .embed import Embedder, load_embedder
from .settings import Settings

log = logging.getLogger(__name__)

BLOCK_ROWS = 512  # rows per Ray Data block: the unit of work handed to an actor (and of retry)
BATCH_ROWS = 32  # rows per encode_passages call, as in the local engine


class EmbedderMismatchError(RuntimeError):
    """A worker built another embedder than the driver's (different model files or settings on that node)."""


class _EmbedderActor:
    """One per Ray worker: loads the embedder once, then embeds batches of {"row", "text"}."""

    def __init__(self, make_embedder: Callable[[], Embedder], expected: tuple[str, int]):
        self.embedder = make_embedder()
        if (self.embedder.name, self.embedder.dim) != tuple(expected):
            raise EmbedderMismatchError(
                f"worker on {os.uname().nodename} loaded {self.embedder.name} ({self.embedder.dim}d), the driver "
                f"uses {expected[0]} ({expected[1]}d): install the same model on every node"
            )

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        started = time.process_time()
        vectors = self.embedder.encode_passages([str(t) for t in batch["text"]])
        # CPU time of this worker process (all its threads), spread over the rows: what a passage costs to embed.
        cpu_seconds = np.full(len(batch["row"]), (time.process_time() - started) / max(1, len(batch["row"])))
        return {"row": batch["row"], "vector": np.asarray(vectors, dtype=np.float32), "cpu_s": cpu_seconds}


@contextlib.contextmanager
def _ray_data_quiet(verbose: bool):
    """Ray Data's progress bars and per-execution log lines off while we embed (ours count passages instead)."""
    import ray

    context = ray.data.DataContext.get_current()
    ray_data_log = logging.getLogger("ray.data")
    saved = (context.enable_progress_bars, context.print_on_execution_start, context.enable_auto_log_stats,
             ray_data_log.level)
    context.enable_progress_bars = context.print_on_execution_start = context.enable_auto_log_stats = False
    if not verbose:
        ray_data_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        (context.enable_progress_bars, context.print_on_execution_start, context.enable_auto_log_stats) = saved[:3]
        ray_data_log.setLevel(saved[3])


class RayEmbedEngine:
    """Embeds passages with Ray Data `map_batches` over a pool of `workers` embedder actors.

    address None starts a Ray instance on this machine (and stops it on close()); "auto" or "ray://host:10001"
    joins an existing cluster, shipping this checkout's `qa` package to it (the nodes need the dependencies).
    An engine that found Ray already initialised uses that and leaves it running.
    """

    def __init__(self, settings: Settings, address: str | None = None, workers: int = 2,
                 cpus_per_worker: int = 1, batch_size: int = BATCH_ROWS, max_restarts: int = 3,
                 make_embedder: Callable[[], Embedder] | None = None):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.settings = settings
        self.address = address
        self.workers = workers
        # Ray gives an actor OMP_NUM_THREADS = its CPUs: one thread per actor, many actors, is the default.
        self.cpus_per_worker = cpus_per_worker
        self.batch_size = batch_size
        # Ray Data's default is to restart and retry forever; a batch that kills every worker would then never end.
        self.max_restarts = max_restarts
        self.make_embedder = make_embedder or functools.partial(load_embedder, settings)
        self.worker_cpu_seconds = 0.0  # summed over workers and calls: passages per CPU-second, for sizing
        self._started_ray = False

    def __enter__(self) -> "RayEmbedEngine":
        return self  # Ray starts on the first passages to embed: an incremental build with none never starts it

    def __exit__(self, *exc) -> None:
        self.close()

    def connect(self) -> None:
        """Join the cluster at `address`, or start Ray on this machine; nothing when Ray is already running."""
        import ray

        if ray.is_initialized():
            return
        options: dict = {"include_dashboard": False, "logging_level": logging.WARNING, "log_to_driver": False}
        if self.address:
            # Cluster nodes run the driver's code, not whatever qa they may have installed.
            options["runtime_env"] = {"py_modules": [str(Path(__file__).resolve().parent)]}
        else:
            # Local mode: one logical CPU per actor even when asking for more workers than cores.
            options["num_cpus"] = max(self.workers * self.cpus_per_worker, os.cpu_count() or 1)
        ray.init(address=self.address, **options)
        self._started_ray = True
        log.info("ray: %s, %s CPUs", self.address or "local", ray.cluster_resources().get("CPU"))

    def close(self) -> None:
        import ray

        if self._started_ray and ray.is_initialized():
            ray.shutdown()
        self._started_ray = False

    def __call__(self, embedder: Embedder, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        import pyarrow as pa
        import ray.data
        from tqdm import tqdm

        vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        if not len(texts):
            return vectors
        self.connect()
        table = pa.table({"row": np.arange(len(texts), dtype=np.int64), "text": pa.array(list(texts), pa.string())})
        # At least a few blocks per worker so that every actor has work and a retry repeats little.
        rows_per_block = min(BLOCK_ROWS, max(1, math.ceil(len(texts) / (4 * self.workers))))
        blocks = [table.slice(start, rows_per_block) for start in range(0, len(texts), rows_per_block)]
        done = np.zeros(len(texts), dtype=bool)
        bar = tqdm(total=len(texts), desc=f"embedding passages (ray, {self.workers} workers)", unit="passage",
                   disable=not progress)
        with _ray_data_quiet(log.isEnabledFor(logging.INFO)), bar, warnings.catch_warnings():
            # max_restarts / max_task_retries have no named parameter yet (ray[data] is pinned below 2.64).
            warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated")
            dataset = ray.data.from_arrow(blocks).map_batches(
                _EmbedderActor,
                fn_constructor_args=(self.make_embedder, (embedder.name, embedder.dim)),
                # Never more than a block: Ray Data would otherwise bundle small blocks into one actor's batch.
                batch_size=min(self.batch_size, rows_per_block),
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=self.workers),
                num_cpus=self.cpus_per_worker,
                max_restarts=self.max_restarts,
                max_task_retries=self.max_restarts,
            )
            for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
                rows = batch["row"]
                vectors[rows] = batch["vector"]
                done[rows] = True
                self.worker_cpu_seconds += float(batch["cpu_s"].sum())
                bar.update(len(rows))
        if not done.all():
            raise RuntimeError(f"ray returned {int(done.sum())} of {len(texts)} passage vectors")
        return vectors
