"""The report's ``index.html``: one self-contained page that opens from disk with no network.

No CDN, no fonts, nothing fetched: styles and the few lines of table sorting are inline, and
every picture is a relative path inside the report folder. The per-case table shows
thumbnails that load lazily, so thousands of rows stay responsive.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from ..evaluation.metrics import DISTANCE_METRICS, METRICS
from .pictures import ERRORS, class_colour

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1600px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
th{background:#f4f4f4;position:sticky;top:0}td.l,th.l{text-align:left}
table.sortable th{cursor:pointer;user-select:none}table.sortable th:hover{background:#e4e4ff}
th[data-dir=asc]::after{content:" \\25B2"}th[data-dir=desc]::after{content:" \\25BC"}
.meta td{text-align:left;vertical-align:top}.meta td:first-child{font-weight:600;white-space:nowrap}
code{background:#f4f4f4;padding:1px 4px;word-break:break-all}
.legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:12px;height:12px;
margin-right:4px;vertical-align:-1px;border:1px solid #888}
.gallery{display:flex;flex-wrap:wrap;gap:8px 28px}.case{margin:4px 0}
.case figure{display:inline-block;margin:0 4px 0 0;vertical-align:top}
.case figcaption{font-size:12px;color:#555}.case img{display:block;height:120px;width:auto}
td img{height:56px;width:auto;margin-right:2px;vertical-align:middle}
.na{color:#aaa}
"""

SORT_SCRIPT = """
document.querySelectorAll("table.sortable th").forEach((th, column) => th.addEventListener("click", () => {
  const body = th.closest("table").tBodies[0];
  const order = th.dataset.dir = th.dataset.dir === "asc" ? "desc" : "asc";
  th.parentNode.querySelectorAll("th").forEach(other => { if (other !== th) delete other.dataset.dir; });
  const key = row => { const v = row.cells[column].dataset.v; return v === "" ? null : isNaN(v) ? v : +v; };
  const rows = [...body.rows].sort((a, b) => {
    const x = key(a), y = key(b);
    if (x === null || y === null) return (x === null) - (y === null);  // undefined values last
    return (x < y ? -1 : x > y ? 1 : 0) * (order === "asc" ? 1 : -1);
  });
  body.append(...rows);
}));
"""


@dataclass
class Row:
    """A case as the page shows it: name, scores per class, thumbnails, and its gallery pictures."""

    name: str
    dice: float
    metrics: dict[str, dict[str, float | None]]
    thumbnails: list[tuple[str, str]]  # (title, relative path)
    panels: list[tuple[str, list[tuple[str, str]]]] | None = None  # per view: title, [(caption, path)]


def _number(value: float | None) -> str:
    return '<td data-v="" class="na">undefined</td>' if value is None else f'<td data-v="{value:.6g}">{value:.4f}</td>'


def _meta(info: dict[str, Any]) -> str:
    rows = [(key, escape(str(value))) for key, value in info.items() if key != "commands" and value]
    rows += [("command", f"<code>{escape(command)}</code>") for command in info["commands"]]
    return '<table class="meta">' + "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _summary_table(summary: dict[str, Any], classes: list[str], names: dict[str, str]) -> str:
    head = "<tr><th class=l>class</th><th class=l>metric</th><th>mean</th><th>median</th><th>std</th><th>undefined</th></tr>"
    body = []
    for label in classes:
        for metric in METRICS:
            undefined = summary["undefined"][label].get(metric, 0) if metric in DISTANCE_METRICS else "–"
            body.append(f"<tr><td class=l>{escape(names[label])}</td><td class=l>{metric}</td>"
                        + "".join(_number(summary[s][label][metric]) for s in ("mean", "median", "std"))
                        + f"<td>{undefined}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _legend(value_names: dict[int, str]) -> str:
    swatch = '<span><i class="sw" style="background:rgb{}"></i>{}</span>'
    errors = "".join(swatch.format(colour, name) for name, colour in ERRORS.items())
    labels = "".join(swatch.format(class_colour(value), escape(name)) for value, name in value_names.items())
    return f'<p class="legend">overlay: {errors} &nbsp; labels: {labels}</p>'


def _gallery(rows: list[Row]) -> str:
    parts = []
    for row in rows:
        views = "".join(
            (f"<div><small>{escape(title)}</small></div>" if title else "")
            + "".join(f'<figure><img src="{path}" alt="{caption}"><figcaption>{caption}</figcaption></figure>'
                      for caption, path in panels)
            for title, panels in row.panels or [])
        parts.append(f'<div class="case"><div><b>{escape(row.name)}</b> &nbsp; Dice {row.dice:.4f}</div>{views}</div>')
    return f'<div class="gallery">{"".join(parts)}</div>'


def _case_table(rows: list[Row], classes: list[str], names: dict[str, str]) -> str:
    columns = [(label, metric) for label in classes for metric in METRICS]
    head = ("<tr><th class=l>pictures</th><th class=l>case</th><th>mean Dice</th>"
            + "".join(f"<th>{escape(names[k])} {m}</th>" for k, m in columns) + "</tr>")
    body = []
    for row in rows:
        thumbs = "".join(f'<img loading="lazy" src="{path}" title="{escape(title)}" alt="">'
                         for title, path in row.thumbnails)
        body.append(f'<tr><td class=l data-v="">{thumbs}</td><td class=l data-v="{escape(row.name)}">'
                    f"{escape(row.name)}</td>{_number(row.dice)}"
                    + "".join(_number(row.metrics[k][m]) for k, m in columns) + "</tr>")
    return f'<table class="sortable"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'


def render(title: str, info: dict[str, Any], summary: dict[str, Any], names: dict[str, str],
           value_names: dict[int, str], rows: list[Row], worst: list[Row], best: list[Row], distribution: str) -> str:
    """The whole page; ``names`` maps summary.json's class keys (``"1"``, ..., ``"foreground"``) to labels,
    ``value_names`` the label values the pictures colour."""
    classes = list(names)
    unit = summary.get("distance_unit", "pixel")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
{_meta(info)}
<h2>Summary over {summary["num_cases"]} cases</h2>
<p>Distances (HD95, ASSD) in {unit}s. {escape(summary.get("empty_mask_policy", ""))};
{escape(summary.get("distance_policy", ""))}.</p>
{_summary_table(summary, classes, names)}
<p><img src="{distribution}" alt="distributions" style="max-width:100%"></p>
{_legend(value_names)}
<h2>Worst {len(worst)} cases (lowest mean Dice)</h2>
{_gallery(worst)}
<h2>Best {len(best)} cases (those with foreground first)</h2>
{_gallery(best)}
<h2>All cases</h2>
<p>Click a column to sort; undefined values sort last. Thumbnails: image with TP/FP/FN overlay.</p>
{_case_table(rows, classes, names)}
<script>{SORT_SCRIPT}</script>
</body></html>
"""
