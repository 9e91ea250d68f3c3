"""Does glibc's habit of handing freed memory back to the kernel slow CPU training?

A training step frees and re-allocates the same large activation buffers every time. glibc
returns big freed blocks to the kernel (anything served by mmap, and the top of the heap beyond
``M_TRIM_THRESHOLD``), so the next step page-faults and zero-fills them again: kernel time, not
arithmetic. ``sdseg`` raises those thresholds when it starts (``sdseg.allocator``). This runs
``sdseg train`` on real data for a fixed number of steps, alternately with glibc's defaults
(``SDSEG_KEEP_FREED_MEMORY=0``) and as ``sdseg`` runs by default, and reports each run's seconds
per step, its user and kernel CPU time and its page faults:

    python benchmarks/bench_allocator.py ../shared/data/polypgen --first-stage runs/ae --config cpu128 \\
        --steps 60 --repeats 3 --threads 1 --json bench_allocator.json

Validation and checkpoints are pushed past the last step, so a run is data loading plus steps.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = {"glibc defaults": {"SDSEG_KEEP_FREED_MEMORY": "0"}, "keep freed memory": {}}


def run_once(args: argparse.Namespace, setting: str, workdir: Path) -> dict:
    """One ``sdseg train`` of ``args.steps`` steps; its wall, user and kernel seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "SDSEG_KEEP_FREED_MEMORY"))}
    env.update(SETTINGS[setting], OMP_NUM_THREADS=str(args.threads))
    output = workdir / "run"
    shutil.rmtree(output, ignore_errors=True)
    command = [str(Path(sys.executable).with_name("sdseg")), "train", args.data, "--first-stage", args.first_stage,
               "-o", str(output), "--config", args.config, "--set", f"training.steps={args.steps}",
               "--set", f"training.val_every={args.steps + 1}", "--set", f"training.checkpoint_every={args.steps + 1}",
               *[item for override in args.set for item in ("--set", override)]]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = json.loads((output / "summary.json").read_text())
    return {
        "setting": setting,
        "train_seconds_per_step": round(summary["train_seconds_this_run"] / summary["steps"], 3),
        "wall_seconds": round(wall, 1),
        "user_seconds": round(after.ru_utime - before.ru_utime, 1),
        "kernel_seconds": round(after.ru_stime - before.ru_stime, 1),
        "minor_page_faults": after.ru_minflt - before.ru_minflt,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("--first-stage", required=True)
    parser.add_argument("--config", default="cpu128")
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3, help="runs per setting, alternating")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="an override for every run")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeats):
            for setting in SETTINGS:
                rows.append(run_once(args, setting, Path(tmp)))
                print(rows[-1], flush=True)
    means = {}
    for setting in SETTINGS:
        mine = [r for r in rows if r["setting"] == setting]
        means[setting] = {key: round(sum(r[key] for r in mine) / len(mine), 3)
                          for key in ("train_seconds_per_step", "user_seconds", "kernel_seconds", "minor_page_faults")}
    print(json.dumps(means, indent=1))
    if args.json:
        record = {"command": " ".join(sys.argv), "machine": platform.processor() or platform.machine(),
                  "cpu": _cpu_model(), "runs": rows, "means": means}
        args.json.write_text(json.dumps(record, indent=1) + "\n")


def _cpu_model() -> str:
    try:
        return next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.machine()


if __name__ == "__main__":
    main()
