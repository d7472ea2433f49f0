"""AuditReport renderers: a compact rich table, JSON, and one self-contained HTML file."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from dockwright.audit.audit import AuditReport
from dockwright.audit.checks import CheckResult, Status
from dockwright.audit.image import PathSize
from dockwright.output import fmt_bytes
from dockwright.redact import redact

if TYPE_CHECKING:  # rich is imported by the text and HTML renderers only (not for JSON)
    from rich.console import Console

_STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red", Status.SKIP: "dim"}
_COLOR = {Status.PASS: "#1a7f37", Status.WARN: "#b7791f", Status.FAIL: "#cf222e", Status.SKIP: "#6e7781"}


def short_step(created_by: str) -> str:
    """A history ``created_by`` without the classic builder's ``/bin/sh -c #(nop)`` noise."""
    text = re.sub(r"^/bin/sh -c #\(nop\)\s*", "", created_by.strip())
    text = re.sub(r"^/bin/sh -c ", "RUN ", text)
    return " ".join(text.split())


def render_text(report: AuditReport, console: Console) -> None:
    """The report for a terminal; every text from the image goes through ``redact`` (no credentials)."""
    from rich.table import Table
    from rich.text import Text

    img = report.image
    console.print(
        Text.assemble(
            ("audit ", "bold"),
            (redact(img.ref or img.id), "bold cyan"),
            f"  {fmt_bytes(img.size)}, {len(report.layers)} layers, {img.files} files, "
            f"wasted {fmt_bytes(img.wasted_bytes)} (as dive counts: {fmt_bytes(img.dive_wasted_bytes)}, "
            f"{img.dive_user_wasted_percent:.1f} % of the bytes over the first layer)",
        )
    )
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    table.add_column("status", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("finding", overflow="fold")
    for result in report.checks:
        line = Text(redact(result.summary))
        if result.status in (Status.WARN, Status.FAIL):
            for ev in result.evidence[:3]:
                where = f" layer {ev.layer}" if ev.layer is not None else ""
                size = f" {fmt_bytes(ev.bytes)}" if ev.bytes else ""
                text = redact(ev.detail)
                detail = text if len(text) <= 48 else text[:47] + "…"
                line.append(redact(f"\n  {ev.path}{where}{size} {detail}".rstrip()), style="dim")
        table.add_row(Text(result.status.value, style=_STYLE[result.status]), result.id, line)
    console.print(table)
    for note in report.notes:
        console.print(Text(redact(f"note: {note}"), style="yellow"))
    counts = dict(report.counts)
    console.print(
        f"{counts.get('PASS', 0)} pass, {counts.get('WARN', 0)} warn, {counts.get('FAIL', 0)} fail, "
        f"{counts.get('SKIP', 0)} skip in {report.seconds:.1f} s"
    )


def render_json(report: AuditReport) -> str:
    return json.dumps(report.to_dict(), indent=2, sort_keys=False) + "\n"


# ----------------------------------------------------------------------------------------------- HTML

_CSS = """
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1f2328;background:#f6f8fa}main{max-width:1200px;margin:0 auto;padding:28px 32px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 10px;color:#24292f}
.sub{color:#57606a;font-size:13px;word-break:break-all}
.cards{display:flex;gap:12px;margin:18px 0 6px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:12px 16px;min-width:130px}
.card b{display:block;font-size:22px}
.card span{color:#57606a;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.panel{background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:14px 16px;overflow:hidden}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
table{border-collapse:collapse;width:100%}
td,th{padding:6px 8px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}
th{font-size:12px;color:#57606a;text-transform:uppercase;letter-spacing:.04em}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.pill{display:inline-block;min-width:46px;text-align:center;border-radius:999px;
color:#fff;font-weight:600;font-size:12px;padding:2px 8px}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.bar{height:8px;border-radius:4px;background:#0969da;opacity:.75}
details summary{cursor:pointer;color:#0969da;font-size:12px}
.ev{margin:6px 0 0;padding:0;list-style:none}.ev li{font-size:12px;color:#57606a}
.legend{display:flex;flex-wrap:wrap;gap:10px 18px;margin-top:10px;font-size:12px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.note{color:#9a6700;font-size:13px}
"""

_PALETTE = ("#0969da", "#8250df", "#1a7f37", "#bf8700", "#cf222e", "#0a7ea4", "#6639ba", "#57606a")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _layer_chart(report: AuditReport) -> str:
    rows = report.layers
    if not rows:
        return "<p class='sub'>No layers.</p>"
    width, label_w, row_h, top = 1120, 430, 24, 8
    bar_w = width - label_w - 110
    biggest = max((r.size for r in rows), default=1) or 1
    height = top + row_h * len(rows) + 8
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='100%' "
        f"role='img' aria-label='layer sizes'>"
    ]
    for i, row in enumerate(rows):
        y = top + i * row_h
        step = short_step(row.created_by) or f"layer {row.index}"
        label = step if len(step) <= 54 else step[:53] + "…"  # 12px monospace fits the label column
        w = max(2.0, bar_w * row.size / biggest) if row.size else 1.0
        waste_w = bar_w * row.wasted / biggest if row.wasted else 0.0
        title = f"layer {row.index}: {fmt_bytes(row.size)}, {row.files} files" + (
            f", {fmt_bytes(row.wasted)} hidden by later layers" if row.wasted else ""
        )
        parts.append(f"<g><title>{_e(title)}&#10;{_e(step)}</title>")
        parts.append(
            f"<text x='0' y='{y + 16}' font-size='12' fill='#57606a' font-family='ui-monospace,monospace'>"
            f"{row.index:>2}</text>"
        )
        parts.append(
            f"<text x='26' y='{y + 16}' font-size='12' fill='#1f2328' "
            f"font-family='ui-monospace,monospace'>{_e(label)}</text>"
        )
        parts.append(
            f"<rect x='{label_w}' y='{y + 5}' width='{w:.1f}' height='14' rx='3' "
            "fill='#0969da' opacity='.8'/>"
        )
        if waste_w:
            parts.append(
                f"<rect x='{label_w}' y='{y + 5}' width='{max(waste_w, 2):.1f}' height='14' rx='3' "
                f"fill='#cf222e' opacity='.85'/>"
            )
        parts.append(
            f"<text x='{label_w + w + 8:.1f}' y='{y + 16}' font-size='12' fill='#24292f'>"
            f"{_e(fmt_bytes(row.size))}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _top_level_bar(rows: tuple[PathSize, ...]) -> str:
    total = sum(r.size for r in rows) or 1
    shown = list(rows[:7])
    rest = sum(r.size for r in rows[7:])
    if rest:
        shown.append(PathSize("other", rest))
    x = 0.0
    rects, legend = [], []
    for i, row in enumerate(shown):
        w = 1000 * row.size / total
        color = _PALETTE[i % len(_PALETTE)]
        rects.append(
            f"<rect x='{x:.2f}' y='0' width='{w:.2f}' height='28' fill='{color}'>"
            f"<title>{_e(row.path)} {_e(fmt_bytes(row.size))}</title></rect>"
        )
        legend.append(
            f"<span><i class='sw' style='background:{color}'></i><b class='mono'>{_e(row.path)}</b> "
            f"{_e(fmt_bytes(row.size))} ({100 * row.size / total:.0f}%)</span>"
        )
        x += w
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1000 28' width='100%' height='28' "
        f"preserveAspectRatio='none' role='img' aria-label='size per top-level path'>{''.join(rects)}</svg>"
    )
    return svg + f"<div class='legend'>{''.join(legend)}</div>"


def _path_table(rows: tuple[PathSize, ...], what: str) -> str:
    if not rows:
        return "<p class='sub'>none</p>"
    biggest = rows[0].size or 1
    body = "".join(
        f"<tr><td class='mono'>{_e(r.path)}"
        f"<div class='bar' style='width:{100 * r.size / biggest:.1f}%'></div></td>"
        f"<td class='num'>{_e(fmt_bytes(r.size))}</td></tr>"
        for r in rows
    )
    return f"<table><tr><th>{_e(what)}</th><th class='num'>size</th></tr>{body}</table>"


def _check_row(result: CheckResult) -> str:
    color = _COLOR[result.status]
    evidence = ""
    if result.evidence:
        items = "".join(
            "<li class='mono'>"
            + _e(ev.path)
            + (f" · layer {ev.layer}" if ev.layer is not None else "")
            + (f" · {_e(fmt_bytes(ev.bytes))}" if ev.bytes else "")
            + (f" · {_e(ev.detail)}" if ev.detail else "")
            + "</li>"
            for ev in result.evidence
        )
        open_attr = (
            " open" if result.status in (Status.FAIL, Status.WARN) and len(result.evidence) <= 4 else ""
        )
        evidence = (
            f"<details{open_attr}><summary>{len(result.evidence)} evidence</summary>"
            f"<ul class='ev'>{items}</ul></details>"
        )
    return (
        f"<tr><td><span class='pill' style='background:{color}'>{result.status.value}</span></td>"
        f"<td><b>{_e(result.title)}</b><div class='sub mono'>{_e(result.id)}</div></td>"
        f"<td>{_e(result.summary)}{evidence}</td></tr>"
    )


def render_html(report: AuditReport) -> str:
    """One self-contained page: inline CSS and SVG, no script, no external asset."""
    img = report.image
    counts = dict(report.counts)
    status_color = _COLOR[Status.FAIL] if counts.get("FAIL") else _COLOR[Status.PASS]
    verdict = "FAIL" if counts.get("FAIL") else "PASS"
    cards = [
        (verdict, "verdict", status_color),
        (fmt_bytes(img.size), "image size", "#1f2328"),
        (str(len(report.layers)), "layers", "#1f2328"),
        (f"{img.files:,}", "files", "#1f2328"),
        (fmt_bytes(img.wasted_bytes), "hidden by later layers", "#cf222e" if img.wasted_bytes else "#1f2328"),
        (
            " / ".join(str(counts.get(s, 0)) for s in ("PASS", "WARN", "FAIL", "SKIP")),
            "pass / warn / fail / skip",
            "#1f2328",
        ),
    ]
    card_html = "".join(
        f"<div class='card'><b style='color:{c}'>{_e(v)}</b><span>{_e(k)}</span></div>" for v, k, c in cards
    )
    groups = (("checklist", "Pro shipping checklist"), ("python", "Python-aware findings"))
    check_html = "".join(
        f"<h2>{_e(title)}</h2><div class='panel'><table><tr><th style='width:70px'>status</th>"
        f"<th style='width:300px'>check</th><th>finding</th></tr>"
        + "".join(_check_row(r) for r in report.checks if r.group == group)
        + "</table></div>"
        for group, title in groups
    )
    notes = "".join(f"<p class='note'>note: {_e(n)}</p>" for n in report.notes)
    meta = " · ".join(
        _e(x)
        for x in (img.id[:19], img.os_release or img.os, img.architecture, img.created[:19], report.schema)
        if x
    )
    wasted = (
        "<h2>Largest copies hidden by later layers (wasted)</h2><div class='panel'><table>"
        "<tr><th>path</th><th>layer</th><th class='num'>size</th><th>hidden</th></tr>"
        + "".join(
            f"<tr><td class='mono'>{_e(w.path)}</td><td>{w.layer}</td>"
            f"<td class='num'>{_e(fmt_bytes(w.bytes))}</td><td>{_e(w.detail)}</td></tr>"
            for w in report.wasted
        )
        + "</table></div>"
        if report.wasted
        else ""
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>dockwright audit — {_e(img.ref or img.id)}</title><style>{_CSS}</style></head><body><main>"
        "<h1>dockwright audit · "
        f"<span class='mono' style='font-size:20px'>{_e(img.ref or img.id)}</span></h1>"
        f"<div class='sub'>{meta}</div><div class='cards'>{card_html}</div>{notes}"
        f"{check_html}"
        "<h2>Layers <span class='sub'>(bar = bytes added; red = bytes a later layer hides)</span></h2>"
        f"<div class='panel'>{_layer_chart(report)}</div>"
        f"<h2>Where the bytes are</h2><div class='panel'>{_top_level_bar(report.top_level)}</div>"
        "<div class='grid' style='margin-top:16px'>"
        f"<div class='panel'>{_path_table(report.largest_dirs, 'largest directories')}</div>"
        f"<div class='panel'>{_path_table(report.largest_files, 'largest files')}</div></div>"
        f"{wasted}"
        "</main></body></html>\n"
    )


def render(report: AuditReport, fmt: str) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "html":
        return render_html(report)
    from rich.console import Console

    console = Console(record=True, width=120, force_terminal=False)
    with console.capture():
        render_text(report, console)
    return console.export_text()


def write_report(path: str | Path, text: str) -> None:
    """Write ``text`` atomically (temp file in the same directory, then rename); a folder that
    refuses it is one line (WriteRefused), never a traceback."""
    from dockwright.render.writer import write_or_refuse

    write_or_refuse(Path(path), text)
