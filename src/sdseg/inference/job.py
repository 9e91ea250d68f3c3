"""A prediction job's record in its output folder, ``predict.json``: what made the outputs, what failed.

The record holds everything that decides what an output contains -- the model folder(s) and when
they were saved, steps, seed, decoder, precision, and the list of inputs (an input's noise seed
follows its position in it) -- so that ``--continue`` adds only what the stopped run would have
written, and a folder never mixes two models' or two settings' predictions. Outputs are written
under a temporary name and renamed, so an output that exists is a finished one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..errors import DataError
from ..io_utils import write_json
from ..models.sdseg import CONFIG_NAME
from .engine import InferenceSettings

RECORD_NAME = "predict.json"
INPUT_KEYS = ("inputs", "inputs_sha256")
# Settings added after some predict.json files were written, with the value such a job had.
LATER_SETTINGS = {"mirror": False}


def job_identity(model_dirs: list[Path], settings: InferenceSettings, inputs: list[str]) -> dict:
    """What the outputs depend on; batch size, workers and device are left out because they do not. An ensemble's
    models are listed in order; one model is recorded as before ensembles existed, so its jobs still continue."""
    folders = [str(folder.resolve()) for folder in model_dirs]
    saved = [datetime.fromtimestamp((folder / CONFIG_NAME).stat().st_mtime, timezone.utc).isoformat()
             for folder in model_dirs]
    return {
        "model": folders[0] if len(folders) == 1 else folders,
        "model_saved": saved[0] if len(saved) == 1 else saved,
        **settings.output_options(),
        "inputs": len(inputs),
        "inputs_sha256": hashlib.sha256("\n".join(inputs).encode()).hexdigest(),
    }


@dataclass
class PredictionJob:
    """The outputs still to write (``todo``, indices into the inputs) and the inputs that failed."""

    folder: Path
    identity: dict
    inputs: list[str]
    todo: list[int]
    command: str = ""
    failed: list[dict] = field(default_factory=list)

    @classmethod
    def open(cls, folder: str | Path, identity: dict, inputs: list[str], outputs: list[str],
             resume: bool, command: str = "") -> "PredictionJob":
        """Refuse a folder holding other predictions and record this job in it; with ``resume``,
        leave out the inputs whose output (``outputs``, named like the inputs) already exists.
        ``command`` (the command line) is recorded for the report, not compared."""
        folder = Path(folder)
        _refuse_mixing(folder, identity, outputs)
        todo = [i for i, name in enumerate(outputs) if not (resume and (folder / name).is_file())]
        job = cls(folder, identity, inputs, todo, command)
        job.write("running")
        return job

    def fail(self, index: int, reason: str) -> None:
        """Note an input that could not be read mid-run, and go on."""
        self.failed.append({"input": self.inputs[index], "reason": reason})

    def write(self, status: str, **stats) -> None:
        write_json(self.folder / RECORD_NAME, {**self.identity, "command": self.command, "status": status,
                                               "predicted": stats, "failed": self.failed})


def _refuse_mixing(folder: Path, identity: dict, outputs: list[str]) -> None:
    record = _read_record(folder / RECORD_NAME)
    if record is None:
        existing = [name for name in outputs if (folder / name).exists()]
        if existing:
            raise DataError(f"{folder}: already holds {existing[0]} ({len(existing)} output(s) in all) but no "
                            f"{RECORD_NAME} saying which model and settings made them; predict into another "
                            "folder, or remove them")
        return
    record = {**LATER_SETTINGS, **record}
    changed = [key for key in identity if record.get(key) != identity[key]]
    settings = [key for key in changed if key not in INPUT_KEYS]
    reasons = [f"with {_show(record, settings)}, not {_show(identity, settings)}"] if settings else []
    if set(changed) & set(INPUT_KEYS):
        reasons.append(f"from another list of inputs ({record.get('inputs')} then, {identity['inputs']} now; "
                       "each input's noise seed follows its position in the list)")
    if reasons:
        raise DataError(f"{folder / RECORD_NAME}: the predictions there were made {' and '.join(reasons)}; "
                        "predict into another folder, or delete this one to start afresh")


def _show(values: dict, keys: list[str]) -> str:
    return ", ".join(f"{key}={values.get(key)}" for key in keys)


def _read_record(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read ({exc}); delete the folder's predictions to start afresh") from None
