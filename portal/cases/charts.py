"""Geometry for small server-rendered SVG bar charts.

The admin must work with a Content-Security-Policy that forbids inline scripts
and a network without CDNs, so the dashboard charts are plain SVG computed
here and drawn by a template (``cases/admin/bar_chart.html``): no JavaScript,
no chart library, and presentation attributes rather than inline CSS.
"""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: float
    text: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    label_y: float
    tone: str = "default"


@dataclass
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    bars: list


def horizontal_bars(
    items,
    *,
    title,
    maximum=None,
    width=360,
    label_width=84,
    bar_height=18,
    gap=8,
    value_width=56,
):
    """Lay out one horizontal bar per ``(label, value[, text[, tone]])`` item.

    ``maximum`` is the value of a full-length bar (default: the largest value,
    so the longest bar fills the chart; give 1 for rates). ``text`` is what is
    printed after the bar (default: the value).
    """
    rows = []
    for item in items:
        label, value, *rest = item
        text = rest[0] if rest else str(value)
        tone = rest[1] if len(rest) > 1 else "default"
        rows.append((label, value or 0, text, tone))
    top = maximum if maximum is not None else max((value for _, value, _, _ in rows), default=0)
    track = width - label_width - value_width
    bars = []
    for index, (label, value, text, tone) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        length = 0 if not top else max(0.0, min(1.0, value / top)) * track
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=label_width,
                y=y,
                width=round(length, 1),
                height=bar_height,
                text_x=round(label_width + length + 6, 1),
                text_y=y + bar_height * 0.75,
                label_y=y + bar_height * 0.75,
                tone=tone,
            )
        )
    height = gap + len(rows) * (bar_height + gap)
    return BarChart(title=title, width=width, height=height, label_width=label_width, bars=bars)
