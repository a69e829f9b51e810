"""plotly.js figure specifications, drawn by the page's own script from JSON.

Every trace carries in `meta` the switch keys it belongs to (an arm, an area, an outcome, a
period); the page shows a trace only while every one of its keys is switched on. Hover texts
are written here, in the page's language, so the browser formats nothing itself.
"""
import math


# Arm colours: Okabe-Ito, then more; the baseline always dark grey. Dash styles tell areas apart.
BASELINE_COLOUR = "#333333"
ARM_COLOURS = ["#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8C6D31",
               "#7B3294", "#A6761D", "#1B9E77", "#666666"]
AREA_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
PERIOD_SYMBOLS = {"horizon": "circle", "final_year": "diamond-open"}
CLASSIFICATION_COLOURS = {"none": "#8c8c8c", "risk": "#b58900", "utsatt": "#c4560c",
                          "sarskilt_utsatt": "#b2182b"}


def arm_colour(store, arm):
    """An arm's colour; an effect ("ARM - baseline", from trygg sensitivity) takes its arm's."""
    suffix = f" - {store.baseline}"
    if arm.endswith(suffix) and arm[:-len(suffix)] in store.arms:
        arm = arm[:-len(suffix)]
    if arm == store.baseline:
        return BASELINE_COLOUR
    others = [a for a in store.arms if a != store.baseline]
    return ARM_COLOURS[others.index(arm) % len(ARM_COLOURS)] if arm in others else "#666666"


def rgba(colour, alpha):
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def finite(values):
    """JSON has no NaN: None where a value is missing."""
    return [None if v is None or not math.isfinite(float(v)) else float(v) for v in values]


def layout(texts, x_title, y_title, **extra):
    spec = {
        "margin": {"l": 70, "r": 20, "t": 20, "b": 60},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.25},
        "hovermode": "closest",
        "font": {"family": "system-ui, sans-serif", "size": 13, "color": "#1a1a1a"},
        "separators": ", " if texts.language == "sv" else ".,",
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
    }
    spec["xaxis"].update({"gridcolor": "#e0e0e0", "linecolor": "#555555"})
    spec["yaxis"].update({"gridcolor": "#e0e0e0", "linecolor": "#555555"})
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(spec.get(key), dict):
            spec[key].update(value)
        else:
            spec[key] = value
    return spec


def time_traces(store, texts, bands, mids, area, area_index, label_of, formatter):
    """A band and a line per arm in one area."""
    traces = []
    x = [d.isoformat() for d in mids]
    area_name = label_of(area)
    for arm, band in bands.items():
        colour = arm_colour(store, arm)
        name = f"{store.label(arm, texts.language)}, {area_name}"
        traces.append({
            "type": "scatter", "mode": "lines", "x": x + x[::-1],
            "y": finite(list(band.high) + list(band.low)[::-1]), "fill": "toself",
            "fillcolor": rgba(colour, 0.15), "line": {"width": 0}, "hoverinfo": "skip",
            "showlegend": False, "meta": [f"arms:{arm}", f"areas:{area}"]})
        hover = [texts("figure.hover_band", name=name, date=texts.day(d),
                       value=formatter(m), low=formatter(lo), high=formatter(hi))
                 for d, m, lo, hi in zip(mids, band.mean, band.low, band.high)]
        traces.append({
            "type": "scatter", "mode": "lines", "x": x, "y": finite(band.mean), "name": name,
            "line": {"color": colour, "width": 2.5 if arm != store.baseline else 2,
                     "dash": AREA_DASHES[area_index % len(AREA_DASHES)]},
            "text": hover, "hoverinfo": "text", "meta": [f"arms:{arm}", f"areas:{area}"]})
    return traces


def plot_config(texts):
    return {"displaylogo": False, "responsive": True, "locale": texts.language,
            "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}


def spec(data, layout_spec, texts):
    return {"data": data, "layout": layout_spec, "config": plot_config(texts)}


def forest_traces(store, texts, rows, label_of):
    """The effect of each arm against the baseline, one trace per outcome, area and period:
    the relative change in per cent with its interval. `rows`: dicts of arm, outcome, area,
    period, relative, low, high, text."""
    arms = [a for a in store.arms if a != store.baseline]
    groups = sorted({(r["outcome"], r["area"], r["period"]) for r in rows},
                    key=lambda g: [r for r in rows if (r["outcome"], r["area"], r["period"]) == g][
                        0]["order"])
    traces = []
    count = max(len(groups), 1)
    for index, (outcome, area, period) in enumerate(groups):
        chosen = [r for r in rows if (r["outcome"], r["area"], r["period"]) == (outcome, area,
                                                                                 period)]
        offset = (index - (count - 1) / 2) * (0.6 / count)
        y = [arms.index(r["arm"]) + offset for r in chosen]
        x = [100.0 * r["relative"] for r in chosen]
        traces.append({
            "type": "scatter", "mode": "markers", "x": finite(x), "y": y,
            "name": f"{texts(f'outcome.{outcome}.short')}, {label_of(area)}, "
                    f"{texts(f'period.{period}')}",
            "marker": {"symbol": PERIOD_SYMBOLS.get(period, "circle"), "size": 9,
                       "color": ARM_COLOURS[index % len(ARM_COLOURS)]},
            "error_x": {"type": "data", "symmetric": False,
                        "array": finite([100.0 * (r["high"] - r["relative"]) for r in chosen]),
                        "arrayminus": finite([100.0 * (r["relative"] - r["low"])
                                              for r in chosen]),
                        "thickness": 1.5, "width": 4},
            "text": [r["text"] for r in chosen], "hoverinfo": "text",
            "meta": [f"outcomes:{outcome}", f"areas:{area}", f"periods:{period}"]})
    return traces, arms
