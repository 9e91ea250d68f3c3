"""Seconds of SDSeg training (the progress bar's elapsed) at each val step, per arm's log.

python docs/results/polypgen_round20_cpu128_fp32/elapsed.py runs/pg29 ref b4 > docs/results/polypgen_round20_cpu128_fp32/elapsed.json
"""
import json
import re
import sys
from pathlib import Path

BAR = re.compile(r" (\d+)/\d+ \[(?:(\d+):)?(\d+):(\d+)")  # tqdm's elapsed: MM:SS, or H:MM:SS past an hour

runs, arms = Path(sys.argv[1]), sys.argv[2:]
out = {"what": "seconds of SDSeg training (the progress bar's elapsed) when each val step was reached "
               "(before its validation); the arms ran side by side on one instance"}
for arm in arms:
    text = (runs / f"{arm}.log").read_text(errors="replace").replace("\r", "\n")
    first_seen = {}
    for m in BAR.finditer(text):
        hours, minutes, seconds = (int(g or 0) for g in m.group(2, 3, 4))
        first_seen.setdefault(int(m.group(1)), hours * 3600 + minutes * 60 + seconds)
    val_steps = [int(s) for s in re.findall(r"step (\d+): val Dice", text)]
    out[arm] = {str(s): first_seen[s] for s in val_steps if s in first_seen}
print(json.dumps(out, indent=2))
