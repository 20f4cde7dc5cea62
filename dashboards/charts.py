"""Inline SVG charts drawn on the server: no JavaScript chart library, a few hundred bytes
each. Numbers are formatted here; every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def trend_line(
    values: Sequence[float | None],
    *,
    title: str,
    low_label: str = "",
    high_label: str = "",
    first_label: str = "",
    last_label: str = "",
    width: int = 260,
    height: int = 92,
) -> SafeString:
    """A line of up to 12 monthly values with its axes: the lowest and highest value on the
    left, the first and last month below; gaps where a month has no value. The labels are
    formatted by the caller exactly as the page shows the numbers."""
    left, right, top, bottom = 46, 8, 8, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    span = (high - low) or 1.0
    step = plot_w / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return top + (high - v) / span * plot_h if high != low else top + plot_h / 2

    segments: list[list[str]] = [[]]
    dots = []
    for i, v in enumerate(values):
        if v is None:
            segments.append([])
            continue
        x = left + i * step
        segments[-1].append(f"{x:.1f},{y(v):.1f}")
        dots.append((x, y(v)))
    lines = "".join(
        f'<polyline points="{" ".join(points)}"/>' for points in segments if len(points) > 1
    )
    last = f'<circle cx="{dots[-1][0]:.1f}" cy="{dots[-1][1]:.1f}" r="3"/>' if dots else ""
    base = top + plot_h
    axis = (
        f'<g class="axis" stroke="currentColor" stroke-width="1" opacity=".5">'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}"/>'
        f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}"/></g>'
    )
    labels = (
        f'<g class="axis-labels" font-size="11" fill="currentColor">'
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{escape(high_label)}</text>'
        f'<text x="{left - 4}" y="{base}" text-anchor="end">{escape(low_label)}</text>'
        f'<text x="{left}" y="{height - 4}">{escape(first_label)}</text>'
        f'<text x="{width - right}" y="{height - 4}" text-anchor="end">{escape(last_label)}</text>'
        f"</g>"
    )
    return mark_safe(  # noqa: S308 - numbers and escaped texts only
        f'<svg class="trend" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>{axis}{labels}'
        f'<g fill="none" stroke="currentColor" stroke-width="2">{lines}</g>'
        f'<g fill="currentColor">{last}</g></svg>'
    )


def bars(
    items: Sequence[tuple[str, float | None, str, str]], *, title: str, maximum: float | None = None
) -> SafeString:
    """Horizontal bars: (label, value, text shown, css level) per puskesmas."""
    row, label_width, bar_width = 20, 190, 260
    known = [v for _l, v, _t, _c in items if v is not None]
    top = maximum or (max(known) if known else 1) or 1
    height = row * len(items) + 4
    parts = []
    for i, (label, value, text, level) in enumerate(items):
        y = i * row + 2
        length = 0 if value is None else max(value / top * bar_width, 1)
        parts.append(
            f'<text x="0" y="{y + 14}">{escape(label[:28])}</text>'
            f'<rect class="{escape(level)}" x="{label_width}" y="{y + 3}" width="{length:.1f}" height="14"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 14}">{escape(text)}</text>'
        )
    width = label_width + bar_width + 60
    return mark_safe(  # noqa: S308
        f'<svg class="bars" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(parts)}</svg>'
    )
