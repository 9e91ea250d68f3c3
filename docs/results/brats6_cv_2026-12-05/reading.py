"""The cross-validation's table (written before its results): per fold, the held-out case, its Dice per class and
whole tumour by the fold's last model, that model's two test cases, and each fold's training-time val checks; then
the mean over folds (each training case scored once, by the model that did not see it), the spread of the test
class mean over the four models, and the four models' ensemble on the test cases (run_ensemble.sh). The reading
itself is benchmarks/cv_reading.py, which later CV records are read and paired with."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))
from cv_reading import read_cv  # noqa: E402

print(json.dumps(read_cv(HERE), indent=1))
