#!/usr/bin/env bash
# Twenty-third round, after run_post.sh: the step cost of fgimg against cpu128 at equal load on this instance (both
# 300 steps, seed 0, one thread each, side by side, no validation). The 90-minute fgimg arms stepped at 1.45 s here,
# cpu128's earlier runs at 1.37 s on earlier instances; this tells the term's cost from the instance's speed.
cd /work/main
export RUNS=runs/pg32
while [ ! -f $RUNS/post.done ]; do sleep 30; done
PIN=(--seed 0 --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12
     --set training.batch_size=8 --set training.val_every=100000 --set training.checkpoint_every=100000)
bash benchmarks/polypgen.sh screen cost_cpu128 300 "${PIN[@]}" &
bash benchmarks/polypgen.sh screen cost_fgimg 300 "${PIN[@]}" \
    --set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground_per_image":1}' &
wait
.venv/bin/python - > docs/results/polypgen_round23_cpu128_fp32/step_cost.json <<'PY'
import json
out = {"what": "seconds per training step, 300 steps side by side, one thread each (train_seconds_this_run / steps)"}
for arm in ("cost_cpu128", "cost_fgimg"):
    s = json.load(open(f"runs/pg32/{arm}/summary.json"))
    out[arm] = {"steps": s["steps"], "train_seconds": s["train_seconds_this_run"],
                "seconds_per_step": round(s["train_seconds_this_run"] / s["steps"], 3)}
print(json.dumps(out, indent=2))
PY
date > $RUNS/cost.done
