"""What both training commands share: accelerate set-up, endless seeded batches, checkpoints.

A checkpoint is accelerate's own state folder (trainable weights as safetensors,
optimizer, LR schedule, RNG states, and registered objects such as the EMA and the
step counter), so ``--resume`` continues exactly where the last checkpoint stopped.

Under ``accelerate launch --num_processes N`` (several GPUs or machines) the same code
runs in every process: each builds the same initial model (one seed for all), the
prepared loader gives each rank its own ``batch_size`` cases of a shared shuffle (an
optimizer step sees N x batch_size x grad_accum cases), gradients are averaged by
DDP, so all ranks hold the same weights; only the main process writes files.
"""

from __future__ import annotations

import math
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
import torch
from accelerate import Accelerator
from accelerate.utils import DataLoaderConfiguration, ProjectConfiguration, broadcast, set_seed
from diffusers.optimization import get_scheduler
from diffusers.training_utils import EMAModel
from torch import nn
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm

from ..config import LoopConfig
from ..data.label_scheme import LabelScheme
from ..data.splits import Partition
from ..errors import CheckpointError, ConfigError, DataError, DivergenceError
from ..evaluation.metrics import dice
from .progress import LR, PROGRESS_FILE, VAL_METRIC, check_trackers, draw_progress, record

CHECKPOINT_DIR = "checkpoint"
# Updates in a row whose loss or gradients were not finite before a run gives up (each one is skipped).
MAX_SKIPPED_IN_A_ROW = 20


@dataclass
class TrainState:
    """Counters saved with every checkpoint; accelerate stores it via ``state_dict``.

    ``learning_rate`` reads the schedule's current rate for the curves (set by ``prepare_training``;
    the schedule itself is checkpointed by accelerate, so it is not part of this state).
    """

    step: int = 0
    best_metric: float = float("-inf")
    extra: dict[str, Any] = field(default_factory=dict)
    learning_rate: Callable[[], float] | None = field(default=None, repr=False, compare=False)

    def state_dict(self) -> dict[str, Any]:
        return {"step": self.step, "best_metric": self.best_metric, "extra": dict(self.extra)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.step, self.best_metric, self.extra = state["step"], state["best_metric"], dict(state["extra"])


def make_accelerator(output_dir: Path, cfg: LoopConfig, seed: int) -> Accelerator:
    """An accelerator whose shuffling is seeded per epoch, so skipped batches replay exactly, and whose batches
    reach a GPU by asynchronous copies (from the loader's pinned memory).

    Precision, gradient accumulation and trackers (``log_with``, checked first) come from ``cfg``.
    The global seed is the same in every process, so every rank builds identical initial
    weights -- and so identical copies of them, such as the EMA made before ``prepare``
    (DDP would only overwrite the wrapped module's weights with rank 0's). Noise differs
    between ranks because ``fit`` re-seeds every micro-batch with the rank.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    accelerator = Accelerator(
        mixed_precision=cfg.mixed_precision,
        gradient_accumulation_steps=cfg.grad_accum,
        project_config=ProjectConfiguration(project_dir=str(output_dir)),
        log_with=check_trackers(cfg.log_with) or None,
        dataloader_config=DataLoaderConfiguration(use_seedable_sampler=True, data_seed=seed, non_blocking=True),
    )
    set_seed(seed)
    return accelerator


def native_bf16_flag(cpuinfo: Path = Path("/proc/cpuinfo")) -> str | None:
    """The CPU flag that makes bf16 autocast fast here (``amx_bf16`` or ``avx512_bf16``), or None, also where
    ``cpuinfo`` cannot be read (not Linux). Without either, bf16 autocast on a CPU is slow (inference about 10x
    slower than fp32 on an AVX2 CPU, docs/PERFORMANCE.md)."""
    try:
        text = cpuinfo.read_text()
    except OSError:
        return None
    flags = set(next((line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")), []))
    return next((flag for flag in ("amx_bf16", "avx512_bf16") if flag in flags), None)


def make_optimizer(
    parameters: Iterator[nn.Parameter] | list[dict], lr: float, weight_decay: float = 0.01,
    betas: tuple[float, float] = (0.9, 0.999),
) -> torch.optim.AdamW:
    """AdamW with the fused kernel: one call for all tensors instead of a Python loop over them
    (for the tiny denoiser's 218 tensors the optimizer step was about 3x faster on a CPU)."""
    return torch.optim.AdamW(parameters, lr=lr, weight_decay=weight_decay, betas=betas, fused=True)


def make_ema(module: nn.Module, decay: float) -> EMAModel:
    """diffusers' EMA of ``module``'s weights, updated with foreach kernels for the same reason as the fused AdamW:
    its default loops over the tensors, three operator calls each (864 a step for the presets' 288-tensor
    denoisers), which a GPU step pays as kernel launches; the foreach update keeps the same weights up to float
    rounding."""
    return EMAModel(module.parameters(), decay=decay, foreach=True)


def warmup_stable_decay(cfg: LoopConfig) -> Callable[[int], float]:
    """Warm-up, the peak rate, then linear to 0 over the last ``cfg.lr_decay_steps`` steps.

    Cosine lowers the rate from the first step; this anneals only at the end of a run whose length
    is known. On PolypGen at 128² it matched the constant rate's test Dice with 28 % fewer steps but
    not its val Dice (docs/RESULTS.md, seventh round), so no preset uses it.
    """
    if not 0 < cfg.lr_decay_steps <= cfg.steps - cfg.warmup_steps:
        raise ConfigError(f"lr_schedule 'warmup_stable_decay' needs 0 < lr_decay_steps <= steps - warmup_steps "
                          f"(got {cfg.lr_decay_steps} with steps {cfg.steps}, warmup_steps {cfg.warmup_steps})")

    def factor(step: int) -> float:
        warm = min(1.0, step / cfg.warmup_steps) if cfg.warmup_steps else 1.0  # as diffusers warms up
        return warm * min(1.0, max(0.0, (cfg.steps - step) / cfg.lr_decay_steps))

    return factor


def make_lr_schedule(optimizer: torch.optim.Optimizer, cfg: LoopConfig) -> torch.optim.lr_scheduler.LRScheduler:
    """The config's schedule over ``cfg.steps``: a diffusers one (warm-up, then constant, cosine, ...)
    or ``warmup_stable_decay``."""
    if cfg.lr_schedule == "warmup_stable_decay":
        return torch.optim.lr_scheduler.LambdaLR(optimizer, warmup_stable_decay(cfg))
    try:
        return get_scheduler(cfg.lr_schedule, optimizer, num_warmup_steps=cfg.warmup_steps,
                             num_training_steps=cfg.steps)
    except ValueError as exc:
        raise ConfigError(f"lr_schedule {cfg.lr_schedule!r}: {exc}") from None


def make_loader(dataset: Dataset, batch_size: int, num_workers: int, shuffle: bool = True,
                pin_memory: bool = False) -> DataLoader:
    """The training loader. Its workers, if any, persist across epochs: each keeps the decoded cases it has served
    (the datasets cache them), where workers started afresh each epoch decode every case again
    (docs/PERFORMANCE.md, "Loading a training batch"). ``pin_memory`` for a GPU, whose copies then run asynchronously."""
    if len(dataset) < batch_size and shuffle:
        raise DataError(
            f"the training split has {len(dataset)} cases, fewer than the batch size {batch_size}; "
            "add data or lower training.batch_size"
        )
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=shuffle, num_workers=num_workers,
                      persistent_workers=num_workers > 0, pin_memory=pin_memory)


@dataclass
class Optimization:
    """What ``accelerator.prepare`` returns for a trainer: the wrapped module, optimizer, loader, schedule.

    An update whose gradients are not finite (a NaN or inf loss, or an overflow in mixed precision) is
    skipped rather than applied, and the learning-rate schedule waits: one such update, even clipped,
    turns every weight into NaN for good (seen in bf16 on an H100, docs/RESULTS.md).
    ``skipped`` counts them; ``MAX_SKIPPED_IN_A_ROW`` in a row end the run with a ``DivergenceError``.
    ``grad_norm`` is the last update's gradient norm before clipping, for the curves that show a run heading there.
    """

    module: nn.Module
    optimizer: torch.optim.Optimizer
    loader: DataLoader
    lr_schedule: torch.optim.lr_scheduler.LRScheduler
    skipped: int = 0
    skipped_in_a_row: int = 0
    grad_norm: float = math.nan

    def step(self, accelerator: Accelerator, loss: torch.Tensor, max_grad_norm: float | None = None) -> bool:
        """Backward, clip at the end of an accumulation cycle, and step (accelerate skips it mid-cycle).

        Returns whether the update was applied (False when its gradients were not finite).
        """
        accelerator.backward(loss)
        finite = True
        if accelerator.sync_gradients:
            # the gradients' norm is all-reduced already, so every rank takes the same decision
            norm = accelerator.clip_grad_norm_(self.module.parameters(), max_grad_norm or float("inf"))
            self.grad_norm = math.nan if norm is None else float(norm)  # the step's one host sync for it
            finite = norm is None or math.isfinite(self.grad_norm)  # None: DeepSpeed clips itself
        if finite:
            self.optimizer.step()
            self.lr_schedule.step()
            self.skipped_in_a_row = 0
        else:
            self.skipped += 1
            self.skipped_in_a_row += 1
            if self.skipped_in_a_row >= MAX_SKIPPED_IN_A_ROW:
                raise DivergenceError(
                    f"training diverged: the loss or gradients were not finite for {self.skipped_in_a_row} updates "
                    "in a row (each skipped); best/ and the last checkpoint hold the weights from before. "
                    "Lower training.lr, or train with --mixed-precision no"
                )
        self.optimizer.zero_grad()
        return finite


def prepare_training(
    accelerator: Accelerator,
    module: nn.Module,
    dataset: Dataset,
    cfg: LoopConfig,
    state: TrainState,
    *,
    lr: float,
    weight_decay: float = 0.01,
    partition: Partition,
    checkpointed: tuple[Any, ...] = (),
    resume_from: Path | None = None,
    param_groups: list[dict] | None = None,
) -> Optimization:
    """The setup every trainer shares: AdamW + schedule + loader prepared by accelerate, the train
    state (and ``checkpointed`` objects such as an EMA) saved with each checkpoint, and the
    checkpoint at ``resume_from`` loaded when given. ``param_groups``: ``module``'s parameters in
    AdamW groups (e.g. one with its own ``lr``) instead of one group at ``lr``. ``partition``: the seed and
    fold the data was opened with, saved too, so that a resumed run cannot go on with other cases or noise."""
    optimizer = make_optimizer(param_groups or module.parameters(), lr, weight_decay, tuple(cfg.adam_betas))
    lr_schedule = make_lr_schedule(optimizer, cfg)
    loader = make_loader(dataset, cfg.batch_size, cfg.num_workers, pin_memory=accelerator.device.type == "cuda")
    prepared = Optimization(*accelerator.prepare(module, optimizer, loader, lr_schedule))
    state.learning_rate = lambda: prepared.lr_schedule.get_last_lr()[0]
    accelerator.register_for_checkpointing(state, *checkpointed)
    if resume_from is not None:
        resume(accelerator, resume_from)
    _check_resumed_partition(state, partition, resume_from)
    return prepared


RESUMED_OPTIONS = {  # what a run's checkpoint fixes, and why another value cannot go on from it
    "seed": "another seed would change the batches and noise of every remaining step",
    "fold": "another fold would train on other cases; or start a new run",
}


def _check_resumed_partition(state: TrainState, partition: Partition, run_dir: Path | None) -> None:
    """Record the run's seed and fold in its checkpointed state; a resumed run must give the ones it started with
    (a checkpoint from before folds existed records none, and takes the one given)."""
    for option, why in RESUMED_OPTIONS.items():
        value = getattr(partition, option)
        started_with = state.extra.setdefault(option, value)
        if started_with != value:
            given = f"without --{option}" if started_with is None else f"with --{option} {started_with}"
            raise ConfigError(f"{run_dir} was trained {given}: resume it {given} ({why})")


def run_summary(preset_name: str, state: TrainState, seed: int, fold: int | None, train_cases: list[str],
                val_cases: list[str]) -> dict:
    """The fields every training summary starts with: what ran, how far, which cases it learnt from, and which
    selected the model (with ``--fold``, the one fold held out). ``train_cases`` lets a later stage check that it
    does not validate on what this one trained on (``sdseg_trainer.warn_if_first_stage_saw``)."""
    return {"preset": preset_name, "steps": state.step, "seed": seed, "fold": fold,
            "train_cases": train_cases, "val_cases": val_cases}


def endless_batches(accelerator: Accelerator, loader: DataLoader, start_step: int) -> Iterator[dict]:
    """Batches forever, epoch after epoch, starting after the ``start_step`` optimizer steps already done.

    ``loader`` is the prepared one, so ``len(loader)`` counts this rank's share of an epoch,
    which is empty when the split has fewer cases than processes x batch size.
    """
    per_epoch = len(loader)
    if per_epoch == 0:
        raise DataError(
            f"the training split has fewer cases than {accelerator.num_processes} processes x the batch size; "
            "add data, lower the batch size, or launch fewer processes"
        )
    epoch, skip = divmod(start_step * accelerator.gradient_accumulation_steps, per_epoch)
    while True:
        loader.set_epoch(epoch)
        yield from accelerator.skip_first_batches(loader, skip) if skip else loader
        epoch, skip = epoch + 1, 0


def union_mask(batch: dict) -> torch.Tensor:
    """The batch's binary mask: ``mask`` for 2D sets, any foreground label for volume slices."""
    return batch["mask"] if "mask" in batch else (batch["label"] > 0).float()


def class_masks(batch: dict, labels: LabelScheme) -> torch.Tensor:
    """Every binary mask SDSeg encodes for the batch: ``mask`` for 2D sets; for volume slices one mask per class
    the slice shows, and one empty mask for a slice that shows none."""
    if "mask" in batch:
        return batch["mask"]
    planes = labels.planes(batch["label"])
    present = planes.flatten(2).any(2)
    first = torch.arange(labels.num_classes, device=planes.device) == 0
    return planes[present | (~present.any(1, keepdim=True) & first)].float()


@torch.no_grad()
def mean_dice(
    module: nn.Module, dataset: Dataset, predict: Callable[[dict, int], torch.Tensor], batch_size: int,
    targets: Callable[[dict], torch.Tensor] = union_mask,
) -> float:
    """Mean Dice of ``predict(batch, first_index) > 0.5`` against ``targets(batch)`` (by default each item's
    whole foreground) over ``dataset``, in eval mode."""
    was_training = module.training
    module.eval()
    device = next(module.parameters()).device
    scores, first = [], 0
    for batch in DataLoader(dataset, batch_size=batch_size):
        batch = {k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in batch.items()}
        prediction = (predict(batch, first) > 0.5).cpu().numpy()
        target = targets(batch).cpu().numpy() > 0.5
        scores += [dice(p[0], t[0]) for p, t in zip(prediction, target)]
        first += len(batch["image"])
    module.train(was_training)
    return float(np.mean(scores))


def save_checkpoint(accelerator: Accelerator, output_dir: Path) -> None:
    """Save the training state under a temporary name, then swap it in.

    Every rank writes into the folder (rank 0 the weights, optimizer and registered objects,
    each rank its own RNG state), so all must have finished before rank 0 renames it.
    With several machines, the output folder must be on a file system they share.
    """
    final, tmp = output_dir / CHECKPOINT_DIR, output_dir / f".{CHECKPOINT_DIR}.tmp"
    accelerator.wait_for_everyone()
    accelerator.save_state(str(tmp))
    accelerator.wait_for_everyone()
    if accelerator.is_main_process:
        old = output_dir / f".{CHECKPOINT_DIR}.old"
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    accelerator.wait_for_everyone()


def resume(accelerator: Accelerator, output_dir: Path) -> None:
    path = output_dir / CHECKPOINT_DIR
    if not path.is_dir():
        raise CheckpointError(f"{path}: no checkpoint to resume from; start without --resume")
    try:
        accelerator.load_state(str(path))
    except (RuntimeError, KeyError, ValueError) as exc:
        raise CheckpointError(
            f"{path}: does not match this run's models or optimizer ({str(exc).strip()[:2000]}); "
            "resume with the preset and options the run was started with (its preset.json, and for sdseg train "
            "--vision-encoder-init if it had one), or start a new run"
        ) from exc


def _past(deadline: float | None, accelerator: Accelerator) -> bool:
    """Whether the wall-clock budget is spent, as the main process sees it (broadcast to every rank)."""
    if deadline is None:
        return False
    if accelerator.num_processes == 1:
        return time.monotonic() >= deadline
    flag = torch.tensor([float(time.monotonic() >= deadline)], device=accelerator.device)
    return bool(broadcast(flag, from_process=0).item())


def fit(
    accelerator: Accelerator,
    state: TrainState,
    loader: DataLoader,
    *,
    steps: int,
    val_every: int,
    checkpoint_every: int,
    output_dir: Path,
    seed: int,
    train_step: Callable[[dict], dict[str, float]],
    validate: Callable[[], float],
    export: Callable[[Path], None],
    desc: str,
    max_minutes: float = 0.0,
) -> TrainState:
    """Run optimizer steps until ``steps``, validating, checkpointing and exporting on the way.

    The RNG is re-seeded from (seed, step, micro-batch, rank) before every micro-batch, so the noise,
    timesteps and flips of a step do not depend on what ran before it: a run resumed
    from a checkpoint replays an uninterrupted one exactly.

    ``train_step`` does one micro-batch (inside ``accelerator.accumulate``); ``validate``
    returns the score to maximise (validation Dice); ``export`` saves an inference model
    folder, called for ``best`` when the score improves and for ``last`` at the end.

    Each step's losses and learning rate are kept in ``state.extra["curves"]`` (checkpointed, so a
    resumed run continues them) and handed to any trackers; ``progress.png`` in ``output_dir`` is
    redrawn at each validation. Each validation's history entry carries ``seconds``: the wall-clock
    time spent in ``fit`` when its step was reached (before validating), summed over resumed runs (each
    checkpoint keeps the time up to its own saving, so a resumed run counts the check just before it), so
    runs side by side compare at equal time from their summaries alone.

    With several processes the logged losses are averaged over them; every rank validates
    (the same weights, so the same score) and only the main process prints, draws and exports.

    ``max_minutes`` > 0 ends the run after that much wall-clock time as if ``steps`` were reached;
    the main process decides, so all ranks stop at the same step.
    """
    deadline = time.monotonic() + 60 * max_minutes if max_minutes > 0 else None
    bar = tqdm(total=steps, initial=state.step, desc=desc, disable=not accelerator.is_local_main_process)
    history = state.extra.setdefault("history", [])
    spent_before = state.extra.setdefault("seconds", 0.0)  # in earlier runs of a resumed training
    started = time.monotonic()

    def seconds() -> float:
        return round(spent_before + time.monotonic() - started, 1)

    curves = state.extra.setdefault("curves", {})
    accelerator.init_trackers(output_dir.name)
    micro_batch = 0  # index within the current gradient-accumulation cycle
    for batch in endless_batches(accelerator, loader, state.step):
        if state.step >= steps:
            break
        torch.manual_seed(hash((seed, state.step, micro_batch, accelerator.process_index)) % 2**63)
        logs = train_step(batch)
        if not accelerator.sync_gradients:
            micro_batch += 1
            continue
        micro_batch = 0
        if accelerator.num_processes > 1:
            mean = accelerator.reduce(torch.tensor(list(logs.values()), device=accelerator.device), "mean")
            logs = dict(zip(logs, mean.tolist()))
        state.step += 1
        bar.update(1)
        bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()})
        scalars = {**logs, LR: state.learning_rate()}
        record(curves, state.step, scalars)
        accelerator.log(scalars, step=state.step)
        final = state.step == steps or _past(deadline, accelerator)
        if state.step % val_every == 0 or final:
            reached = seconds()
            score = validate()
            history.append({"step": state.step, "seconds": reached, VAL_METRIC: score, **logs})
            accelerator.log({VAL_METRIC: score}, step=state.step)
            if accelerator.is_main_process:
                bar.write(f"step {state.step}: val Dice {score:.4f}")
                draw_progress(output_dir / PROGRESS_FILE, curves, history, f"{desc}: {output_dir}")
            if score > state.best_metric:
                state.best_metric = score
                if accelerator.is_main_process:
                    export(output_dir / "best")
        if state.step % checkpoint_every == 0 or final:
            state.extra["seconds"] = seconds()  # with this step's check, so a resumed run counts it
            save_checkpoint(accelerator, output_dir)
        if final:
            break
    bar.close()
    for tracker in accelerator.trackers:  # not accelerator.end_training(): that also ends the process group
        tracker.finish()
    if accelerator.is_main_process:
        export(output_dir / "last")
    accelerator.wait_for_everyone()
    return state
