#!/usr/bin/env bash
# A view of Dataset001_BraTS6 with nnU-Net's BraTS regions instead of its four labels: the same files (linked, not
# copied) and a dataset.json whose labels are whole tumour (1-4), tumour core (necrosis, non-enhancing, enhancing:
# 1, 3, 4) and enhancing tumour (4), painted in that order with edema (2), necrosis (1) and enhancing (4).
# Same case names, so the same seeded folds. Usage: benchmarks/brats_regions_view.sh [DATA] [VIEW]
set -euo pipefail
DATA=$(realpath "${1:-../shared/data/Dataset001_BraTS6}")
VIEW=${2:-runs/Dataset001_BraTS6_regions}
mkdir -p "$VIEW"
for folder in imagesTr labelsTr imagesTs labelsTs; do
    ln -sfn "$DATA/$folder" "$VIEW/$folder"
done
python3 - "$DATA/dataset.json" "$VIEW/dataset.json" <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
meta["labels"] = {"background": 0, "whole_tumour": [1, 2, 3, 4], "tumour_core": [1, 3, 4], "enhancing_tumour": 4}
meta["regions_class_order"] = [2, 1, 4]
meta["description"] += " Region view: whole tumour, tumour core, enhancing tumour."
json.dump(meta, open(sys.argv[2], "w"), indent=1)
PY
