"""Inline SVG charts drawn on the server: no JavaScript chart library, a few hundred bytes
each. Numbers are formatted here; every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def trend_line(
    values: Sequence[float | None], *, title: str, width: int = 220, height: int = 56
) -> SafeString:
    """A sparkline of up to 12 monthly values; gaps where a month has no value."""
    pad = 4
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    if high == low:
        high = low + 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return height - pad - (v - low) / (high - low) * (height - 2 * pad)

    segments: list[list[str]] = [[]]
    dots = []
    for i, v in enumerate(values):
        if v is None:
            segments.append([])
            continue
        x = pad + i * step
        segments[-1].append(f"{x:.1f},{y(v):.1f}")
        dots.append((x, y(v)))
    lines = "".join(
        f'<polyline points="{" ".join(points)}"/>' for points in segments if len(points) > 1
    )
    last = f'<circle cx="{dots[-1][0]:.1f}" cy="{dots[-1][1]:.1f}" r="3"/>' if dots else ""
    return mark_safe(  # noqa: S308 - numbers and an escaped title only
        f'<svg class="trend" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
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
