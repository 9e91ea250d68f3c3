# 128² confirmation of condition_foreground: cpu128 as is vs + condition_foreground 1, same whole-image first stage
# (runs/pg20/ae, 1456 s, AMD fp32), 90-minute budget each (65.7 min SDSeg), one thread each, side by side, seed 0
cd /work/main
RUNS=runs/pg22 bash benchmarks/polypgen.sh train_sdseg ref 90 > runs/pg22/ref.out 2>&1 &
RUNS=runs/pg22 bash benchmarks/polypgen.sh train_sdseg condfg 90 \
  --set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground":1}' > runs/pg22/condfg.out 2>&1 &
wait
date > runs/pg22/train_done
