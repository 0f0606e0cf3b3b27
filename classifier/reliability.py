"""A reliability diagram as a standalone SVG, drawn from reliability tables.

    reliability_svg({"authored held-out": table, ...}) -> str

Each table is what `train.expected_calibration_error` returns: one row per
equal-width bin with `n`, `mean_predicted` and `observed`. A well-calibrated
model's points lie on the diagonal: of the paragraphs scored about 0.7, about
70% are loaded. Each point's area grows with its bin's count, so a bin of
three paragraphs does not look like evidence. Pure string building, no
plotting library: the report stays reproducible with the runtime
dependencies alone.
"""

from __future__ import annotations

from html import escape

SIZE = 420  # plot square, in SVG user units
MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM = 56, 36, 250, 48
COLOURS = ("#1f5fa8", "#c2410c", "#15803d", "#7c3aed")


def reliability_svg(series: dict[str, list[dict]], title: str = "Reliability") -> str:
    """An SVG document: the diagonal, then one line of points per named table."""
    width, height = MARGIN_LEFT + SIZE + MARGIN_RIGHT, MARGIN_TOP + SIZE + MARGIN_BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{MARGIN_LEFT}" y="22" font-size="14" font-weight="bold">{escape(title)}</text>',
        *_axes(),
    ]
    for k, (name, table) in enumerate(series.items()):
        colour = COLOURS[k % len(COLOURS)]
        parts += _series(table, colour)
        legend_y = MARGIN_TOP + 16 + 20 * k
        total = sum(row["n"] for row in table)
        parts += [f'<circle cx="{MARGIN_LEFT + SIZE + 20}" cy="{legend_y - 4}" r="5" fill="{colour}"/>',
                  f'<text x="{MARGIN_LEFT + SIZE + 30}" y="{legend_y}">{escape(name)} (n={total:,})</text>']
    parts += [f'<text x="{MARGIN_LEFT + SIZE + 20}" y="{MARGIN_TOP + 16 + 20 * len(series) + 8}" fill="#555">'
              'area ∝ paragraphs in bin</text>', "</svg>"]
    return "\n".join(parts) + "\n"


def _x(p: float) -> float:
    return round(MARGIN_LEFT + p * SIZE, 1)


def _y(p: float) -> float:
    return round(MARGIN_TOP + (1 - p) * SIZE, 1)


def _axes() -> list[str]:
    parts = [f'<rect x="{MARGIN_LEFT}" y="{MARGIN_TOP}" width="{SIZE}" height="{SIZE}" fill="none" stroke="#999"/>',
             f'<line x1="{_x(0)}" y1="{_y(0)}" x2="{_x(1)}" y2="{_y(1)}" stroke="#999" stroke-dasharray="4 4"/>']
    for tick in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        parts += [f'<line x1="{_x(tick)}" y1="{_y(0)}" x2="{_x(tick)}" y2="{_y(0) + 5}" stroke="#999"/>',
                  f'<text x="{_x(tick)}" y="{_y(0) + 18}" text-anchor="middle">{tick:.1f}</text>',
                  f'<line x1="{_x(0) - 5}" y1="{_y(tick)}" x2="{_x(0)}" y2="{_y(tick)}" stroke="#999"/>',
                  f'<text x="{_x(0) - 8}" y="{_y(tick) + 4}" text-anchor="end">{tick:.1f}</text>']
    parts += [f'<text x="{_x(0.5)}" y="{_y(0) + 38}" text-anchor="middle">mean predicted probability</text>',
              f'<text transform="translate(16 {_y(0.5)}) rotate(-90)" text-anchor="middle">observed loaded share'
              '</text>']
    return parts


def _series(table: list[dict], colour: str) -> list[str]:
    points = [(_x(row["mean_predicted"]), _y(row["observed"]), row["n"]) for row in table if row["n"]]
    largest = max((n for _, _, n in points), default=1)
    path = " ".join(f"{x},{y}" for x, y, _ in points)
    parts = [f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5" opacity="0.7"/>']
    for x, y, n in points:
        radius = round(2.5 + 9.5 * (n / largest) ** 0.5, 1)
        parts.append(f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{colour}" fill-opacity="0.55" '
                     f'stroke="{colour}"><title>n={n}</title></circle>')
    return parts
