"""``sdseg report``: a page to open -- summary, distributions, worst and best cases, every case sortable.

The report is written into a temporary folder renamed onto the output when complete, so a
folder named like a report always holds a whole one.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

from ..data.volume import volume_suffix
from ..errors import DataError
from ..evaluation.evaluate import summary_keys
from ..io_utils import atomic_path
from .cases import Case, View, case_views, provenance, read_summary, scored_cases, worst_and_best
from .page import Row, render
from .pictures import (
    PANEL_SIDE, THUMB_SIDE, coloured_labels, error_overlay, save_picture, shrink, uncertainty_colours,
)
from .plots import draw_distributions

INDEX = "index.html"
GALLERY_SIZE = 12


def _thumbnail(view: View) -> np.ndarray:
    image = shrink(view.image, THUMB_SIDE, labels=False)
    size = image.shape[:2]
    return error_overlay(image, _resized(view.prediction, size), _resized(view.truth, size))


def _resized(labels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if labels.shape == size:
        return labels
    return np.asarray(Image.fromarray(labels).resize(size[::-1], Image.Resampling.NEAREST))


def _panels(view: View, folder: Path, stem: str, uncertainty: Path | None) -> list[tuple[str, str]]:
    """Image, ground truth, prediction, overlay (and the uncertainty map) of one view, saved at panel size."""
    image = shrink(view.image, PANEL_SIDE, labels=False)
    size = image.shape[:2]
    truth, prediction = _resized(view.truth, size), _resized(view.prediction, size)
    pictures = {"image": image, "ground truth": coloured_labels(truth), "prediction": coloured_labels(prediction),
                "overlay": error_overlay(image, prediction, truth)}
    if uncertainty is not None:
        pictures["uncertainty"] = uncertainty_colours(_resized(_read_uncertainty(uncertainty), size))
    panels = []
    for caption, rgb in pictures.items():
        name = f"{stem}_{caption.replace(' ', '_')}.{'png' if caption in ('ground truth', 'prediction') else 'jpg'}"
        save_picture(folder / name, rgb)
        panels.append((caption, f"{folder.name}/{name}"))
    return panels


def _read_uncertainty(path: Path) -> np.ndarray:
    if not path.is_file():
        raise DataError(f"{path}: no uncertainty map for this case; pass the folder sdseg stability wrote for "
                        "the same images as --stability, or leave the option out")
    return np.asarray(Image.open(path).convert("L"))


def _row(index: int, case: Case, volume: bool, folder: Path, uncertainty: Path | None, in_gallery: bool) -> Row:
    views = case_views(case, volume)
    thumbnails = []
    for v, view in enumerate(views):
        name = f"{index:05d}_{v}.jpg"
        save_picture(folder / "thumbs" / name, _thumbnail(view))
        thumbnails.append((view.title or case.name, f"thumbs/{name}"))
    panels = None
    if in_gallery:
        maps = uncertainty / "uncertainty" / f"{case.name}.png" if uncertainty and not volume else None
        panels = [(view.title, _panels(view, folder / "gallery", f"{index:05d}_{v}", maps))
                  for v, view in enumerate(views)]
    return Row(case.name, case.dice, case.metrics, thumbnails, panels)


def write_report(
    predictions: str | Path,
    images: dict[str, Path],
    output: str | Path,
    *,
    data: str,
    split: str | None = None,
    stability: str | Path | None = None,
    gallery: int = GALLERY_SIZE,
    class_names: dict[str, str] | None = None,
    value_names: dict[int, str] | None = None,
    model: Path | None = None,
    command: str = "",
) -> Path:
    """Write ``output/index.html`` and its pictures for a prediction folder scored by ``sdseg evaluate``.

    ``images`` maps case names to their image (a volume's first channel); ``model`` stands in for
    the one ``predict.json`` records when there is none; ``class_names`` name the labels by their summary.json keys,
    ``value_names`` the label values the pictures colour (needed for regions, whose keys are not label values).
    """
    predictions, output = Path(predictions), Path(output)
    if output.resolve() == predictions.resolve() or (output.is_dir() and any(output.iterdir())
                                                    and not (output / INDEX).is_file()):
        raise DataError(f"{output}: holds files that are not a report, and a report replaces its folder; "
                        "choose a new folder for -o")
    summary = read_summary(predictions)
    cases = scored_cases(predictions, summary, images)
    volume = any(volume_suffix(case.truth) for case in cases)
    worst, best = worst_and_best(cases, gallery)
    shown = {case.name for case in (*worst, *best)}
    names = {key: (class_names or {}).get(key, f"class {key}") for key in summary_keys(summary)}
    legend = value_names or {int(key): name for key, name in names.items() if key.isdigit()}
    names.update({k: k for k in summary["metric_per_case"][0]["metrics"] if k not in names})  # "foreground"
    info = {"predictions": str(predictions.resolve()), **provenance(predictions, summary, model),
            "data": f"{data}" + (f", split {split}" if split else ""),
            "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}
    info["commands"] += [command] if command else []
    with atomic_path(output) as folder:
        for sub in ("thumbs", "gallery"):
            (folder / sub).mkdir(parents=True)
        stability = Path(stability) if stability else None
        rows = {case.name: _row(i, case, volume, folder, stability, case.name in shown) for i, case in enumerate(cases)}
        draw_distributions(folder / "distributions.png", cases, list(names), names, summary.get("distance_unit", "pixel"))
        page = render(f"sdseg report: {predictions.name}", info, summary, names, legend, list(rows.values()),
                      [rows[c.name] for c in worst], [rows[c.name] for c in best], "distributions.png")
        (folder / INDEX).write_text(page, encoding="utf-8")
    return output / INDEX
