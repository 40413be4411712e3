"""Build throughput, local vs Ray Data with 1 and 2 workers, on the 848 contexts of CMRC 2018 dev (issue 7).

    python benchmarks/bench_ray.py                       # local, ray ×1, ray ×2; ~2,300 passages each
    python benchmarks/bench_ray.py --runs ray:1,ray:2 --limit 200

Each run is `python -m qa build --engine … --workers N` in a fresh process on a fresh temporary index folder
(so every passage is embedded), on a corpus folder holding the CMRC dev contexts as one JSONL file (read with
qa.evaluate.read_question_set). The throughput printed is the CLI's own line: passages embedded / seconds spent in
the embedding engine, which for Ray includes starting Ray and its actors (each actor loads the model), and
passages per CPU-second spent embedding (this process for local, the workers for Ray), which other work on the
machine does not change much and which sizes a cluster: W dedicated cores give about W times that rate. The
wall time of the whole command (imports, splitting, BM25, FAISS, saving) is shown beside it, and the load
average before and after each run, because other work on the machine takes CPU from the workers.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, machine_note  # noqa: E402

from qa.evaluate import read_question_set  # noqa: E402

CMRC_DEV = ROOT.parent / "shared" / "bench" / "cmrc2018" / "dev.jsonl"
THROUGHPUT = re.compile(r"嵌入速度 \(throughput\): (\d+) 个段落 / ([\d.]+) s = ([\d.]+) .*CPU ([\d.]+) s")


def write_corpus(folder: Path, limit: int | None) -> int:
    documents = read_question_set(CMRC_DEV).documents[:limit]
    folder.mkdir(parents=True)
    with open(folder / "cmrc-dev.jsonl", "w", encoding="utf-8") as out:
        for d in documents:
            out.write(json.dumps({"id": d.id, "title": d.title, "text": d.text}, ensure_ascii=False) + "\n")
    return len(documents)


def run_build(corpus: Path, index: Path, engine: str, workers: int) -> dict:
    command = [sys.executable, "-m", "qa", "build", "--corpus", str(corpus), "--index", str(index),
               "--engine", engine, "--workers", str(workers)]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{finished.stderr[-3000:]}")
    lines = [line for line in finished.stdout.splitlines() if line.strip()]
    match = THROUGHPUT.search(finished.stdout)
    passages, seconds, rate, cpu = ((int(match[1]), float(match[2]), float(match[3]), float(match[4])) if match
                                    else (0, 0.0, 0.0, 0.0))
    return {"engine": engine, "workers": workers if engine == "ray" else None, "passages": passages,
            "embed_s": seconds, "passages_per_s": rate, "cpu_s": cpu, "wall_s": wall, "load_before": load_before,
            "load_after": os.getloadavg()[0], "printed": lines[-2:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", default="local,ray:1,ray:2", help="engine[:workers], comma-separated")
    parser.add_argument("--limit", type=int, help="only the first N contexts")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    print(f"== bench_ray: python -m qa build on CMRC 2018 dev\n{machine_note()}")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as temporary:
        corpus = Path(temporary) / "corpus"
        print(f"{write_corpus(corpus, args.limit)} CMRC dev contexts → {corpus}")
        for n, run in enumerate(args.runs.split(",")):
            engine, _, workers = run.partition(":")
            result = run_build(corpus, Path(temporary) / f"index-{n}", engine, int(workers or 1))
            results.append(result)
            for line in result["printed"]:
                print(f"  {line}")
            per_cpu = result["passages"] / result["cpu_s"] if result["cpu_s"] else float("nan")
            print(f"{run:<8} {result['passages']} passages: {result['passages_per_s']:.2f} passages/s in the engine "
                  f"({result['embed_s']:.0f} s; {per_cpu:.2f} passages per CPU-second of embedding), command "
                  f"{result['wall_s']:.0f} s; load {result['load_before']:.2f} → {result['load_after']:.2f}",
                  flush=True)
    print(machine_note())
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine_note(), "runs": results}, ensure_ascii=False,
                                              indent=2), "utf-8")


if __name__ == "__main__":
    main()
