"""Alerts per hour per watch-list over the last 48 hours, as an inline SVG: no script, no CDN, no fonts to load."""

from __future__ import annotations

from markupsafe import Markup, escape

CHART_HOURS = 48
WIDTH_PX, HEIGHT_PX = 720, 180
MARGIN_LEFT_PX, MARGIN_BOTTOM_PX, MARGIN_TOP_PX = 36, 36, 8
COLOURS = ("#1b6ac9", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285", "#c2255c", "#5c940d")


def hours_window(now_hour: int) -> list[int]:
    """The 48 hour numbers (epoch seconds // 3600) ending with the current one."""
    return list(range(now_hour - CHART_HOURS + 1, now_hour + 1))


def alerts_chart(per_hour: dict[int, dict[str, int]], now_hour: int) -> Markup:
    """One polyline per watch-list; the y axis is scaled to the busiest hour; a legend names each colour."""
    hours = hours_window(now_hour)
    watchlists = sorted({name for counts in per_hour.values() for name in counts})
    peak = max((n for counts in per_hour.values() for n in counts.values()), default=0) or 1
    plot_w, plot_h = WIDTH_PX - MARGIN_LEFT_PX, HEIGHT_PX - MARGIN_BOTTOM_PX - MARGIN_TOP_PX
    step = plot_w / (len(hours) - 1)
    parts = [_axes(peak, plot_h)]
    for index, name in enumerate(watchlists):
        heights = [per_hour.get(hour, {}).get(name, 0) / peak for hour in hours]
        points = " ".join(
            f"{MARGIN_LEFT_PX + i * step:.1f},{MARGIN_TOP_PX + plot_h * (1 - height):.1f}"
            for i, height in enumerate(heights)
        )
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<polyline class="series" data-watchlist="{escape(name)}" fill="none" stroke="{colour}" '
            f'stroke-width="2" points="{points}"><title>{escape(name)}</title></polyline>'
        )
    legend = "".join(
        f'<text x="{MARGIN_LEFT_PX + 4 + 150 * i}" y="{HEIGHT_PX - 4}" fill="{COLOURS[i % len(COLOURS)]}" '
        f'font-size="12">■ {escape(name)}</text>'
        for i, name in enumerate(watchlists)
    )
    label = "Alerts per hour per watch-list, last 48 hours"
    return Markup(
        f'<svg id="alerts-chart" role="img" aria-label="{label}" viewBox="0 0 {WIDTH_PX} {HEIGHT_PX}" '
        f'width="{WIDTH_PX}" height="{HEIGHT_PX}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
        f"{''.join(parts)}{legend}</svg>"
    )


def _axes(peak: int, plot_h: float) -> str:
    bottom = MARGIN_TOP_PX + plot_h
    return (
        f'<line x1="{MARGIN_LEFT_PX}" y1="{bottom}" x2="{WIDTH_PX}" y2="{bottom}" stroke="#999"/>'
        f'<line x1="{MARGIN_LEFT_PX}" y1="{MARGIN_TOP_PX}" x2="{MARGIN_LEFT_PX}" y2="{bottom}" stroke="#999"/>'
        f'<text x="2" y="{MARGIN_TOP_PX + 10}" font-size="11">{peak}</text>'
        f'<text x="2" y="{bottom}" font-size="11">0</text>'
        f'<text x="{MARGIN_LEFT_PX}" y="{bottom + 14}" font-size="11">−48 h</text>'
        f'<text x="{WIDTH_PX - 30}" y="{bottom + 14}" font-size="11">now</text>'
    )
