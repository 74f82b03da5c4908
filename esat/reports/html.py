"""Render a :class:`~esat.reports.model.Report` as one self-contained, accessible HTML file.

This is the accessible twin of the PDF (reportlab cannot tag a PDF for screen
readers): ``lang="en-GB"``, one ``h1`` and nested headings, tables with a
caption and header cells (``th scope``), every chart drawn as inline SVG with
a text alternative and followed by its data as a table. No scripts, no
external files, no colour that carries meaning alone.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from .. import __version__
from . import model

CSS = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #1a1a1a;
       max-width: 60rem; margin: 1rem auto; padding: 0 1rem; line-height: 1.45; }
.marking { text-align: center; font-weight: bold; text-transform: uppercase;
           border: 1px solid #555; padding: .25rem; }
table { border-collapse: collapse; margin: .5rem 0 1.25rem; width: 100%; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #777; padding: .2rem .4rem; vertical-align: top; text-align: left;
         overflow-wrap: anywhere; }
thead th, tbody th { background: #dde3ea; }
td.num { text-align: right; }
.note { font-size: .85rem; }
p, li { overflow-wrap: anywhere; white-space: pre-line; }
figure { margin: 1rem 0; }
svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; }
"""


def render_html(report: model.Report) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title>",
        f'<meta name="author" content="{escape(report.author)}">',
        f'<meta name="description" content="{escape(report.subject)}">',
        f'<meta name="generator" content="ESAT {escape(__version__)}">',
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f'<header><p class="marking">Protective marking: {escape(report.marking or "not set")}'
        "</p></header>",
        "<main>",
    ]
    charts = 0
    for block in report.blocks:
        if isinstance(block, model.BarChart):
            charts += 1
            parts.append(_chart(block, charts))
        else:
            parts.append(_block(block))
    parts += [
        "</main>",
        f'<footer><p class="marking">Protective marking: {escape(report.marking or "not set")}'
        "</p></footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def write_html(report: model.Report, target: Path) -> Path:
    """Write the HTML twin to ``target`` (under a temporary name, renamed when complete)."""
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(render_html(report), encoding="utf-8", newline="\n")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _block(block: model.Block) -> str:
    if isinstance(block, model.Heading):
        level = min(max(block.level, 1), 6)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, model.Para):
        if block.emphasis:
            return f"<p><strong>{escape(block.text)}</strong></p>"
        css = ' class="note"' if block.note else ""
        return f"<p{css}>{escape(block.text)}</p>"
    if isinstance(block, model.Bullets):
        return "<ul>\n" + "\n".join(f"<li>{escape(i)}</li>" for i in block.items) + "\n</ul>"
    if isinstance(block, model.KeyValues):
        rows = "\n".join(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>'
                         for k, v in block.pairs)
        return (f"<table>\n<caption>{escape(block.caption)}</caption>\n<tbody>\n{rows}\n"
                "</tbody>\n</table>")
    if isinstance(block, model.Table):
        return _table(block)
    if isinstance(block, model.PageBreak):
        return ""
    raise TypeError(f"not a report block: {block!r}")


def _table(block: model.Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.header)
    body = []
    for row in block.rows:
        cells = []
        for index, value in enumerate(row):
            if index == 0 and block.row_headers:
                cells.append(f'<th scope="row">{escape(value)}</th>')
            elif index in block.numeric:
                cells.append(f'<td class="num">{escape(value)}</td>')
            else:
                cells.append(f"<td>{escape(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{escape(block.caption)}</caption>\n" if block.caption else ""
    return (f"<table>\n{caption}<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "\n".join(body) + "\n</tbody>\n</table>")


def _chart(chart: model.BarChart, number: int) -> str:
    """The chart as inline SVG (an image with a text alternative), then its data."""
    bar, gap, label_w, span = 16, 6, 260, 380
    height = len(chart.labels) * (bar + gap) + 30
    width = label_w + span + 60
    ident = f"chart-{number}"
    shapes = []
    for index, (label, value) in enumerate(zip(chart.labels, chart.values)):
        y = 5 + index * (bar + gap)
        shapes.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" '
                      f'font-size="12">{escape(label)}</text>')
        if value is None:
            shapes.append(f'<text x="{label_w + 4}" y="{y + 12}" font-size="12">no figure</text>')
            continue
        w = span * value / 100
        shapes.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" '
                      'fill="#2f5d8a" stroke="#1a1a1a" stroke-width="0.5"/>')
        shapes.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 12}" font-size="12">'
                      f"{value}%</text>")
    if chart.threshold is not None:
        x = label_w + span * chart.threshold / 100
        shapes.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" '
                      'stroke="#1a1a1a" stroke-dasharray="4 3"/>')
        shapes.append(f'<text x="{x + 3:.1f}" y="{height - 6}" font-size="11">'
                      f"baseline {chart.threshold}%</text>")
    svg = (f'<svg role="img" aria-labelledby="{ident}-title" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
           f'<title id="{ident}-title">{escape(chart.title)}</title>'
           f'<desc id="{ident}-desc">{escape(chart.description)}</desc>'
           + "".join(shapes) + "</svg>")
    out = [f'<figure aria-describedby="{ident}-alt">', svg,
           f"<figcaption>{escape(chart.title)}</figcaption>", "</figure>",
           f'<p id="{ident}-alt">{escape(chart.description)}</p>']
    if chart.data is not None:
        out.append(_table(chart.data))
    return "\n".join(out)
