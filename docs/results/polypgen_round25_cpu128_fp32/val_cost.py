"""What a validation check costs a 90-minute cpu128 arm: from each training log's progress bar (elapsed at 1-s
resolution), the time between the bar at step N (a val step) and at step N+1, less the run's mean step time, is the
check (val Dice over the 142 val images, checkpoint, best/ export, progress picture).

python docs/results/polypgen_round25_cpu128_fp32/val_cost.py runs/pg34/xfade.log runs/pg34/xfade_seed1.log
"""
import json, re, sys

BAR = re.compile(r"\| *(\d+)/\d+ \[(?:(\d+):)?(\d+):(\d+)<")
out = {"what": __doc__.split("\n\n")[0].replace("\n", " ")}
for path in sys.argv[1:]:
    elapsed = {}  # step -> the elapsed seconds the bar first showed at that step
    for line in open(path, errors="replace").read().replace("\r", "\n").splitlines():
        if m := BAR.search(line):
            h, mnt, s = (int(x or 0) for x in m.groups()[1:])
            elapsed.setdefault(int(m[1]), 3600 * h + 60 * mnt + s)
    steps = sorted(elapsed)
    per_step = (elapsed[steps[-1]] - elapsed[steps[0]]) / (steps[-1] - steps[0])
    checks = {str(n): round(elapsed[n + 1] - elapsed[n] - per_step, 1)
              for n in steps if n and n % 500 == 0 and n + 1 in elapsed}
    out[path] = {"mean_seconds_per_step_with_checks": round(per_step, 3), "check_seconds": checks,
                 "checks_total_seconds": round(sum(checks.values()), 1), "last_step": steps[-1]}
print(json.dumps(out, indent=2))
