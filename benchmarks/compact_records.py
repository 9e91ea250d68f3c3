"""Store the raw JSON records over 20 KB under docs/results/ compact (same content, checked by json.load equality).

`sdseg evaluate` writes summary.json indented for people to read; the copies kept as records do not need the
whitespace, and everything tracked travels with each GPU call (the device tool's 64 MiB, gpu_polypgen.sh prepare).
Run it before committing a round's results; files already compact are left alone.

    python benchmarks/compact_records.py [docs/results]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sdseg.io_utils import atomic_path

THRESHOLD = 20_000  # bytes: the per-case summaries; small files (readings, trainings) stay indented


def compact(path: Path) -> int:
    """Bytes saved on one record; 0 where it is small or already compact."""
    raw = path.read_text()
    if len(raw) <= THRESHOLD or "\n " not in raw[:2000]:
        return 0
    record = json.loads(raw)
    text = json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n"
    if json.loads(text) != record:
        raise SystemExit(f"{path}: compact form reads back differently; left as it was")
    with atomic_path(path) as partial:
        partial.write_text(text)
    return len(raw.encode()) - len(text.encode())


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/results")
    saved = {path: compact(path) for path in sorted(root.rglob("*.json"))}
    changed = [path for path, n in saved.items() if n]
    print(f"{root}: {len(changed)} records compacted, {sum(saved.values()) / 1048576:.2f} MiB saved")


if __name__ == "__main__":
    main()
