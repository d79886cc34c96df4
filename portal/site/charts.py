"""Small server-side SVG charts: no JavaScript library, nothing fetched."""

from decimal import Decimal
from html import escape

from portal.core.money import amount


def bars_against_targets(
    rows: list[tuple[str, Decimal, Decimal | None]],
    *,
    unit: str = "",
    width: int = 640,
    bar_height: int = 26,
) -> str:
    """Horizontal bars (value) with a target mark for each row. The figures are
    Decimal and shown by the money module; only the geometry is in floats."""
    top = float(max([max(v or 0, t or 0) for _l, v, t in rows] + [1]))
    label_w, gap = 175, 10
    plot_w = width - label_w - 90
    height = len(rows) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart" width="100%">'
    ]
    for n, (label, value, target) in enumerate(rows):
        y = gap + n * (bar_height + gap)
        w = plot_w * float(value or 0) / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_height * 0.7}" text-anchor="end" '
            f'font-size="13">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" '
            f'fill="#b3261e"><title>{escape(label)}: {amount(value or 0)}{unit}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_height * 0.7}" '
            f'font-size="12">{amount(value or 0)}{escape(unit)}</text>'
        )
        if target:
            x = label_w + plot_w * float(target) / top
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" '
                f'y2="{y + bar_height + 3}" stroke="#222" stroke-width="2" '
                f'stroke-dasharray="4 2"><title>{escape(label)} target: '
                f"{amount(target)}{escape(unit)}</title></line>"
            )
    parts.append("</svg>")
    return "".join(parts)


def monthly_lines(series: dict[str, list[float]], *, width: int = 640, height: int = 220) -> str:
    """One line per series over the 12 months."""
    colours = ["#b3261e", "#1f6feb", "#2da44e", "#bf8700", "#8250df"]
    left, bottom, right, top_pad = 40, 24, 10, 10
    top = max([max(v) for v in series.values() if v] + [1])
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart" width="100%">',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" '
        f'y2="{top_pad + plot_h}" stroke="#999"/>',
    ]
    for m in range(12):
        x = left + plot_w * m / 11
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">{m + 1}</text>'
        )
    for n, (name, values) in enumerate(series.items()):
        points = " ".join(
            f"{left + plot_w * m / 11:.1f},{top_pad + plot_h * (1 - v / top):.1f}"
            for m, v in enumerate(values)
        )
        colour = colours[n % len(colours)]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{points}"><title>{escape(name)}</title></polyline>'
        )
        parts.append(
            f'<text x="{left + 8 + 120 * n}" y="{top_pad + 12}" font-size="12" '
            f'fill="{colour}">■ {escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
