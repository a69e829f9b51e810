"""What the figures draw that the result file does not hold as a table: each arm's outcomes
over time in each area, and the districts' levels in the baseline.

Effects, costs, the efficient frontier and the decision measures are the file's own tables
(/comparison, /decision) or Trygg's own functions (trygg.efficient_frontier,
trygg.student_t_quantile); nothing here compares arms.
"""
import datetime
import math
import warnings
from dataclasses import dataclass

import numpy as np

from .reading import MUNICIPALITY, OUTCOME_KIND

# Police classifications, from none to the most serious.
CLASSIFICATIONS = ["none", "risk", "utsatt", "sarskilt_utsatt"]
MODEL_FLAG_INDEX = 1.5  # trygg run's "the model would flag" threshold on the influence index


@dataclass
class Area:
    key: str            # "Municipality" or a district's name, as /comparison names areas
    mask: np.ndarray    # bool per district


def choose_areas(store, requested):
    """The municipality, then each district shown beside it, separately: --districts, else
    those on the police list in force at the start, else the scenario's focus districts.
    Returns the areas and the catalogue key that says why those districts."""
    everywhere = np.ones(len(store.districts), dtype=bool)
    areas = [Area(MUNICIPALITY, everywhere)]
    if requested:
        names, why = requested, "focus.chosen"
    else:
        names = [d for d, c in zip(store.districts, store.classification) if c != "none"]
        why = "focus.police_list"
        if not names and store.scenario:
            wanted = (store.scenario.get("report") or {}).get("focus_districts") or []
            names = [d for d in wanted if d in store.districts]
            why = "focus.scenario"
    for name in names:
        areas.append(Area(name, np.array([d == name for d in store.districts])))
    return areas, (why if len(areas) > 1 else "focus.none")


@dataclass
class Band:
    """A mean over replicate runs with its 95% interval, per time block."""
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    runs: int


def band(values, student_t, floor=0.0, ceiling=None):
    """Mean and 95% Student t interval over axis 0, kept within [floor, ceiling]: the level of
    a rate or share cannot leave that range, which a t interval of a few runs can."""
    values = np.asarray(values, dtype=float)
    runs = values.shape[0]
    mean = values.mean(axis=0)
    if runs < 2:
        return Band(mean, mean.copy(), mean.copy(), runs)
    half = student_t(0.975, runs - 1) * values.std(axis=0, ddof=1) / math.sqrt(runs)
    low, high = mean - half, mean + half
    low = np.maximum(low, floor)
    if ceiling is not None:
        high = np.minimum(high, ceiling)
    return Band(mean, low, high, runs)


def block_length(store):
    """Steps per block of about a quarter (at least 8 blocks over short horizons)."""
    steps = len(store.dates)
    return max(1, min(round(91 / store.step_days), steps // 8 or 1))


def series(store, outcome, per, area):
    """Per arm: the outcome in `area` per block of about a quarter, a count per `per` residents
    and year or a share (per None), as a Band, and the blocks' middle dates."""
    block = block_length(store)
    blocks = max(1, len(store.dates) // block)
    data = store.metrics[outcome].values[:, :blocks * block, :]  # [run, step, district]
    if per is None:
        weights = store.residents * area.mask
        per_step = (np.nan_to_num(data) * weights).sum(axis=2) / max(weights.sum(), 1e-12)
        values = per_step.reshape(len(data), blocks, block).mean(axis=2)
        ceiling = 1.0
    else:
        per_step = np.nansum(data[:, :, area.mask], axis=2)
        years = block * store.step_days / 365.25
        residents = max(store.residents[area.mask].sum(), 1e-12)
        values = per_step.reshape(len(data), blocks, block).sum(axis=2) / residents * per / years
        ceiling = None
    mids = [store.dates[b * block] + datetime.timedelta(days=block * store.step_days / 2)
            for b in range(blocks)]
    out = {}
    for arm in store.arms:
        runs = store.runs_of(arm)
        if len(runs):
            out[arm] = band(values[runs], store.student_t, 0.0, ceiling)
    return out, mids


def district_levels(store):
    """The baseline's levels per district: offences, reported offences and new recruits per
    year (means over its runs), offences per 1,000 residents and year with its Band, the share
    feeling unsafe and the criminal-influence index over the last year."""
    runs = store.runs_of(store.baseline)
    years = store.years
    last = store.last_year_steps

    def totals(name):
        return np.nansum(store.metrics[name].values[runs], axis=1)  # [run, district]

    offences = totals("offences")
    rate = offences / np.maximum(store.residents, 1e-12) * 1000.0 / years
    unsafe = np.nan_to_num(store.metrics["share_unsafe"].values[runs][:, -last:, :]).mean(axis=1)
    with warnings.catch_warnings():  # a district without residents has no index
        warnings.simplefilter("ignore", RuntimeWarning)
        influence = np.nanmean(
            store.metrics["criminal_influence_index"].values[runs][:, -last:, :], axis=1)
    return {
        "offences_per_year": offences.mean(axis=0) / years,
        "rate": band(rate, store.student_t),
        "reported_per_year": totals("reported_offences").mean(axis=0) / years,
        "recruits_per_year": totals("new_recruits").mean(axis=0) / years,
        "unsafe": unsafe.mean(axis=0),
        "influence": np.nanmean(influence, axis=0) if len(runs) else influence,
    }


def severity(classification):
    return CLASSIFICATIONS.index(classification) if classification in CLASSIFICATIONS else 0


def effect_rows(table, arm, area, outcome):
    """The row of an effects table (a DataFrame) for an arm, area and outcome, or None."""
    if table is None or len(table) == 0:
        return None
    chosen = table[(table["arm"] == arm) & (table["area"] == area) & (table["outcome"] == outcome)]
    return None if chosen.empty else chosen.iloc[0]


def cost_row(costs, arm, area):
    if costs is None or len(costs) == 0:
        return None
    chosen = costs[(costs["arm"] == arm) & (costs["area"] == area)]
    return None if chosen.empty else chosen.iloc[0]


def frontier(store, area):
    """Each arm's place on the efficient frontier of mean extra cost against mean offences
    averted in `area` (the baseline at the origin), from /decision/frontier when the file
    holds it (runs over parameter sets: discounted means over the sets), else from
    trygg.efficient_frontier on /comparison/area_costs. {arm: row dict}, and the source."""
    stored = store.decision.get("frontier") if store.decision else None
    if stored is not None and len(stored):
        rows = stored[stored["area"] == area]
        return {str(r["arm"]): dict(r) for _, r in rows.iterrows()}, "decision"
    if store.frontier is None:
        return {}, None
    arms = [store.baseline] + [a for a in store.arms if a != store.baseline]
    costs, averted = [0.0], [0.0]
    for arm in arms[1:]:
        row = cost_row(store.area_costs, arm, area)
        if row is None:
            return {}, None
        costs.append(float(row["cost_sek"]))
        averted.append(float(row["offences_averted"]))
    rows = store.frontier(costs, averted)
    out = {}
    for _, row in rows.iterrows():
        option = int(row["option"])
        out[arms[option]] = {
            "arm": arms[option], "status": row["status"],
            "compared_with": arms[int(row["compared_with"])],
            "cost_sek": costs[option], "offences_averted": averted[option],
            "incremental_cost_sek": row["incremental_cost_sek"],
            "incremental_offences_averted": row["incremental_offences_averted"],
            "incremental_cost_per_offence_averted":
                row["incremental_cost_per_offence_averted"]}
    return out, "comparison"


def outcome_kind(outcome):
    return OUTCOME_KIND.get(outcome, "count")
