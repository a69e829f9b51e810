"""Trygg from Python: load and change scenarios, run them, read result files and compare arms.

    import trygg
    scenario = trygg.Scenario.load("tests/data/good/child.yaml").set("population.scale", 0.05)
    ds = trygg.run(scenario, replicates=2)        # xarray.Dataset (arm, replicate, time, district)
    print(trygg.compare(ds).query("area == 'Municipality'"))
    results = trygg.open("results/norrkoping.h5")  # any result file or sweep store

The engine is the one of the `trygg` command (the native extension _trygg links Trygg's own
libraries), so a run gives the command line's numbers bit for bit. docs/python.md is a worked
example and the reference.
"""
from __future__ import annotations

import errno
import inspect
import os
import warnings as _warnings

import numpy as np
import pandas as pd
import xarray as xr

from . import _trygg
from ._trygg import ScenarioError

__all__ = ["Scenario", "Results", "ScenarioError", "ScenarioWarning", "run", "sweep", "open",
           "compare", "costs", "metric_definitions", "efficient_frontier",
           "student_t_quantile"]
__version__ = _trygg.version

# The columns of the comparison tables, in the order of docs/results-format.md.
EFFECT_COLUMNS = ["arm", "area", "outcome", "baseline_mean", "arm_mean", "difference", "low",
                  "high", "relative_change", "replicates", "relative_low", "relative_high",
                  "covers", "parameter_sets", "mean_low", "mean_high", "parameter_share",
                  "chance_share"]
COST_COLUMNS = ["arm", "area", "cost_sek", "offences_averted", "offences_averted_low",
                "offences_averted_high", "cost_per_offence_averted", "cost_discounted_sek",
                "offences_averted_discounted", "cost_per_offence_averted_discounted"]
RUN_DIMS = ("arm", "replicate", "time", "district")
# The arms' table (Results.arm_table) and the measures each arm uses (Results.arm_measures).
ARM_COLUMNS = ["name", "label_sv", "label_en", "description_sv", "description_en"]
ARM_MEASURE_COLUMNS = ["arm", "measure", "label_sv", "label_en"]
# What compare() compares over: the whole horizon, or its last year.
PERIODS = ("horizon", "final_year")


class ScenarioWarning(UserWarning):
    """What the loader accepted but should change (an old key), as `trygg validate` prints it."""


def metric_definitions():
    """The metrics of every result, in their order: dicts of name, units, description,
    measurement and aggregation (the engine's metrics, then each measure's)."""
    return _trygg.metric_definitions()


def efficient_frontier(mean_cost, mean_averted):
    """Where each option stands on the efficient frontier of mean cost (SEK) against mean
    offences averted, by the function that writes /decision/frontier (docs/decisions.md): a
    DataFrame, one row per option ordered by cost, with option (its index in the inputs),
    status (frontier, dominated, extended_dominance), compared_with (an option index),
    incremental_cost_sek, incremental_offences_averted and
    incremental_cost_per_offence_averted (NaN for the first frontier option and dominated
    ones)."""
    cost = [float(value) for value in mean_cost]
    averted = [float(value) for value in mean_averted]
    return pd.DataFrame(_trygg.efficient_frontier(cost, averted))


def student_t_quantile(probability, degrees_of_freedom):
    """The quantile of Student's t distribution: the t with P(T <= t) = probability, for
    0 < probability < 1 and degrees_of_freedom > 0 (not necessarily whole). The very function
    behind every 95% interval of the comparison (at its 0.975 point), so that intervals made
    in Python match the files'. Raises ValueError outside those ranges."""
    return _trygg.student_t_quantile(float(probability), float(degrees_of_freedom))


def _missing(path):
    return FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)


def _plain(value):
    """numpy scalars, dates and mappings as the plain Python values that Scenario.set takes."""
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(item) for item in value]
    return value


class Scenario:
    """A scenario file, validated by the same strict loader as `trygg validate`, with changes
    made from Python (`set`), each validated again before it is kept."""

    def __init__(self, native):
        self._native = native

    @classmethod
    def load(cls, path):
        """Loads and validates a scenario file (raises ScenarioError naming file, line and key)."""
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise _missing(path)
        scenario = cls(_trygg.Scenario(path))
        for warning in scenario.warnings:
            _warnings.warn(warning, ScenarioWarning, stacklevel=2)
        return scenario

    def set(self, key, value):
        """Sets the setting at a dotted key (`"population.scale"`,
        `"arms.sspf.measures.sspf.relative_risk"`) as if written in the file, and validates the
        scenario again: a value that does not validate raises ScenarioError, pointing at the
        line that called set, and leaves the scenario as it was. Returns the scenario."""
        caller = inspect.currentframe().f_back
        self._native.set(key, _plain(value), caller.f_code.co_filename, caller.f_lineno)
        return self

    @property
    def path(self):
        return self._native.path

    @property
    def name(self):
        return self._native.name

    @property
    def description(self):
        return self._native.description

    @property
    def arms(self):
        """The names of the arms, in file order."""
        return list(self._native.arms)

    @property
    def districts(self):
        return list(self._native.districts)

    @property
    def warnings(self):
        """What the loader accepted but should change, "file:line:column: ..."."""
        return list(self._native.warnings)

    @property
    def replicates(self):
        return self._native.replicates

    @property
    def seed(self):
        return self._native.seed

    @property
    def steps(self):
        return self._native.steps

    @property
    def changes(self):
        """The dotted keys changed with set, in order."""
        return list(self._native.changed_keys)

    @property
    def yaml(self):
        """The resolved scenario (after extends and set), as stored in result files."""
        return self._native.yaml

    def __repr__(self):
        changed = f", changed {', '.join(self.changes)}" if self.changes else ""
        return f"<trygg.Scenario {self.name!r} from {self.path}: arms {', '.join(self.arms)}{changed}>"


# ----- From the raw form that _trygg returns to xarray and pandas -----

def _metric_attrs(metric):
    return {"units": metric["units"], "long_name": metric["description"],
            "aggregation": metric["aggregation"], "measurement": metric["measurement"]}


def _provenance_attrs(raw):
    attrs = {key: value for key, value in raw["provenance"].items()}
    attrs["seed"] = np.uint64(attrs["seed"])
    attrs["step_days"] = raw["step_days"]
    attrs["report_language"] = raw.get("report_language", "en")
    return attrs


def _time(raw):
    return pd.to_datetime(raw["step_dates"], format="%Y-%m-%d").values


def _table(columns, order=None):
    frame = pd.DataFrame({name: columns[name] for name in (order or columns)})
    return frame


def _district_coords(districts):
    """What the file's /districts says of each district, as coordinates over district
    (district_residents, after population.scale, weights shares in comparisons)."""
    return {"district_" + name: ("district", list(values) if name == "classification" else values)
            for name, values in districts.items() if name != "name"}


def _by_arm(raw):
    """The (arm, replicate, time, district) Dataset of a result that is not a sweep."""
    runs = raw["runs"]
    arms = list(raw["arms"]["name"])
    arm_index = np.asarray(runs["arm_index"], dtype=np.int64)
    replicate = np.asarray(runs["replicate"], dtype=np.int64)
    replicates = np.unique(replicate)
    position = np.searchsorted(replicates, replicate)
    cells = arm_index * len(replicates) + position
    if len(np.unique(cells)) != len(cells):
        raise ValueError("the results hold an arm and replicate more than once (a sweep?): "
                         "use Results.metrics")
    series = raw["series"]
    shape = (len(arms), len(replicates)) + series.shape[1:]
    if np.array_equal(cells, np.arange(len(arms) * len(replicates))):
        grid = series.reshape(shape)  # runs arm by arm, replicates within: a view, no copy
    else:
        grid = np.full(shape, np.nan)
        grid[arm_index, position] = series
    cost = np.full((len(arms), len(replicates)), np.nan)
    cost[arm_index, position] = runs["measure_cost_sek"]
    seeds = np.zeros(len(replicates), dtype=np.uint64)
    seeds[position] = runs["seed"]

    data = {metric["name"]: (RUN_DIMS, grid[:, :, m], _metric_attrs(metric))
            for m, metric in enumerate(raw["metrics"])}
    data["measure_cost_sek"] = (("arm", "replicate"), cost,
                                {"units": "SEK", "long_name": "What the arm's measures cost "
                                 "over the run (NaN where the run is missing)."})
    districts = raw["districts"]
    coords = {
        "arm": ("arm", arms),
        "replicate": ("replicate", replicates),
        "time": ("time", _time(raw), {"long_name": "First day of the step"}),
        "district": ("district", list(districts["name"])),
        "seed": ("replicate", seeds, {"long_name": "The replicate's seed (shared by every arm)"}),
        "arm_description": ("arm", list(raw["arms"]["description"])),
        "arm_label_sv": ("arm", list(raw["arms"]["label_sv"])),
        "arm_label_en": ("arm", list(raw["arms"]["label_en"])),
    }
    coords.update(_district_coords(districts))
    return xr.Dataset(data, coords=coords, attrs=_provenance_attrs(raw))


def _by_run(raw):
    """The (run, time, district) Dataset of any result: every run, sweep or not."""
    runs = raw["runs"]
    arms = np.asarray(raw["arms"]["name"], dtype=object)
    series = raw["series"]
    data = {metric["name"]: (("run", "time", "district"), series[:, m], _metric_attrs(metric))
            for m, metric in enumerate(raw["metrics"])}
    data["measure_cost_sek"] = ("run", runs["measure_cost_sek"],
                                {"units": "SEK", "long_name": "What the arm's measures cost "
                                 "over the run."})
    arm_index = np.asarray(runs["arm_index"], dtype=np.int64)
    coords = {
        "run": ("run", np.arange(series.shape[0])),
        "arm": ("run", list(arms[arm_index])),
        "arm_label_sv": ("run", list(np.asarray(raw["arms"]["label_sv"], dtype=object)[arm_index])),
        "arm_label_en": ("run", list(np.asarray(raw["arms"]["label_en"], dtype=object)[arm_index])),
        "replicate": ("run", runs["replicate"]),
        "seed": ("run", runs["seed"]),
        "time": ("time", _time(raw), {"long_name": "First day of the step"}),
        "district": ("district", list(raw["districts"]["name"])),
    }
    coords.update(_district_coords(raw["districts"]))
    if raw["sweep"] is not None:
        coords["point"] = ("run", runs["point"])
        coords["run_index"] = ("run", runs["run_index"])
    return xr.Dataset(data, coords=coords, attrs=_provenance_attrs(raw))


class Results:
    """A result file or sweep store (trygg.open), or a sweep run in memory (trygg.sweep)."""

    def __init__(self, raw, source=None):
        self._raw = raw
        self.source = source
        self._metrics = None

    @property
    def metrics(self):
        """Every metric of every run: an xarray.Dataset over (run, time, district), with
        coordinates arm, replicate and seed of each run (and point and run_index in sweeps)."""
        if self._metrics is None:
            self._metrics = _by_run(self._raw)
        return self._metrics

    def by_arm(self):
        """The metrics over (arm, replicate, time, district), as trygg.run returns them; not
        for sweeps, whose runs differ by point too."""
        if self.sweep is not None:
            raise ValueError("a sweep's runs differ by point: use .metrics (dims run, time, "
                             "district, with coordinates arm, replicate and point)")
        return _by_arm(self._raw)

    @property
    def runs(self):
        """One row per run, as the file's /runs table."""
        runs = self._raw["runs"]
        frame = pd.DataFrame({"run": np.arange(len(runs["arm_index"]))})
        names = np.asarray(self._raw["arms"]["name"], dtype=object)
        frame["arm"] = names[np.asarray(runs["arm_index"], dtype=np.int64)]
        for name in ("arm_index", "replicate", "seed", "status", "wall_seconds",
                     "measure_cost_sek", "point", "run_index", "message"):
            frame[name] = runs[name]
        return frame

    @property
    def arms(self):
        return list(self._raw["arms"]["name"])

    @property
    def arm_table(self):
        """One row per arm, in the file's order: name, label_sv, label_en (the scenario's labels;
        the name where it gave none), description_sv, description_en (files written before the
        labels: the name, and /arms/description in both languages)."""
        arms = self._raw["arms"]
        return pd.DataFrame({"name": list(arms["name"]),
                             **{column: list(arms[column]) for column in ARM_COLUMNS[1:]}},
                            columns=ARM_COLUMNS)

    @property
    def arm_measures(self):
        """The measures each arm uses, arm by arm (/arm_measures): arm, measure (the kind: est,
        sspf, outreach, ...), label_sv and label_en (empty where the scenario named none; the
        report then uses its own name of the kind). Empty for files written before it."""
        return pd.DataFrame({column: list(self._raw["arm_measures"][column])
                             for column in ARM_MEASURE_COLUMNS}, columns=ARM_MEASURE_COLUMNS)

    @property
    def report_language(self):
        """The report's language, 'sv' or 'en' (the scenario's report.language; 'en' for files
        written before it)."""
        return self._raw["report_language"]

    @property
    def districts(self):
        """One row per district: name, classification, residents, criminal_influence,
        employment_rate."""
        return _table(self._raw["districts"])

    @property
    def effects(self):
        """The file's /comparison/effects: paired effects of each arm against the baseline,
        totals over the whole horizon (share_unsafe: the mean over its last year)."""
        return _table(self._raw["effects"], EFFECT_COLUMNS)

    @property
    def final_year_effects(self):
        """The file's /comparison/final_year_effects: the same columns and rows as effects, with
        totals over the horizon's last year only (share_unsafe as in effects); empty for files
        written before it (trygg.compare(results, period="final_year") computes it)."""
        return _table(self._raw["final_year_effects"], EFFECT_COLUMNS)

    @property
    def costs(self):
        """The file's /comparison/area_costs: cost per offence averted, per arm and area."""
        return _table(self._raw["costs"], COST_COLUMNS)

    @property
    def decision(self):
        """The file's /decision (runs over parameter sets, docs/decisions.md): a dict of
        DataFrames, best, frontier, acceptability, information and flips; empty without it."""
        return {name: _table(columns) for name, columns in self._raw["decision"].items()}

    @property
    def sensitivity(self):
        """The sweep's sensitivity indices (after `trygg sensitivity`), else an empty table."""
        return _table(self._raw["sensitivity"])

    @property
    def provenance(self):
        """How the results were made: versions, scenario, seed, threads, times, host."""
        provenance = dict(self._raw["provenance"])
        provenance["step_days"] = self._raw["step_days"]
        return provenance

    @property
    def sweep(self):
        """The sweep's design (name, file, yaml, id, parameters, points as a DataFrame, shard,
        shards, total_runs, design, changed, parameter_sets: where the points were drawn from
        for runs over parameter sets, empty for a designed sweep), or None for a result file of
        `trygg run`."""
        sweep = self._raw["sweep"]
        if sweep is None:
            return None
        described = dict(sweep)
        described["points"] = pd.DataFrame(sweep["points"], columns=sweep["parameters"])
        described["points"].index.name = "point"
        return described

    def __repr__(self):
        runs = len(self._raw["runs"]["arm_index"])
        kind = "sweep store" if self._raw["sweep"] is not None else "results"
        where = f" from {self.source}" if self.source else ""
        return (f"<trygg.Results: {kind} {self._raw['provenance']['scenario_name']!r}{where}: "
                f"{runs} runs, arms {', '.join(self.arms)}>")


# ----- Running -----

def run(scenario, arms=None, replicates=None, threads=None, seed=None):
    """Runs every selected arm x replicate of a scenario (a Scenario or a path) in memory, on
    the engine of `trygg run` (the same numbers, bit for bit), and returns an xarray.Dataset:
    one variable per metric over (arm, replicate, time, district), measure_cost_sek over (arm,
    replicate), the seed of each replicate, and the provenance in attrs.

    The GIL is released while the engine runs; Ctrl-C stops it and raises KeyboardInterrupt."""
    if not isinstance(scenario, Scenario):
        scenario = Scenario.load(scenario)
    if isinstance(arms, str):
        arms = [arms]
    if threads is not None and threads < 1:
        raise ValueError(f"threads: expected at least 1, got {threads}")
    raw = _trygg.run(scenario._native, list(arms or []), replicates, threads, seed)
    return _by_arm(raw)


def _shard(shard):
    if shard is None:
        return 0, 1
    if isinstance(shard, str):
        parts = shard.split("/")
        try:
            index, count = (int(part) for part in parts)
        except ValueError:
            raise ValueError(f"shard: expected 'i/n' with 1 <= i <= n, got {shard!r}") from None
    else:
        index, count = shard
    if not 1 <= index <= count:
        raise ValueError(f"shard: expected 'i/n' with 1 <= i <= n, got {shard!r}")
    return index - 1, count


def sweep(path, shard=None, threads=None):
    """Runs a sweep file (every point x arm x replicate, or shard 'i/n' of them, 1-based) in
    memory on the engine of `trygg sweep`, and returns its Results, as trygg.open would return
    the store that `trygg sweep` writes."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise _missing(path)
    if threads is not None and threads < 1:
        raise ValueError(f"threads: expected at least 1, got {threads}")
    index, count = _shard(shard)
    raw = _trygg.sweep(path, index, count, threads)
    for warning in raw.pop("warnings"):
        _warnings.warn(warning, ScenarioWarning, stacklevel=2)
    return Results(raw, source=path)


def open(path):  # noqa: A001 (trygg.open, as xarray.open_dataset: the module's reader)
    """Reads a result file or sweep store through Trygg's one validating reader (a file that
    does not hold together raises ValueError naming what is wrong)."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise _missing(path)
    return Results(_trygg.read_result_file(path), source=path)


# ----- Comparing -----

def _raw_from_dataset(ds):
    """The raw form of a Dataset of trygg.run (or Results.by_arm), for the C++ comparison."""
    missing = [dim for dim in RUN_DIMS if dim not in ds.dims]
    if missing:
        raise ValueError(f"expected a Dataset over {', '.join(RUN_DIMS)} (from trygg.run); "
                         f"it lacks {', '.join(missing)}")
    names = [metric["name"] for metric in metric_definitions()]
    absent = [name for name in names if name not in ds.data_vars]
    if absent:
        raise ValueError(f"the Dataset lacks the metrics {', '.join(absent)}; compare needs "
                         "every metric of trygg.run")
    arms, replicates = ds.sizes["arm"], ds.sizes["replicate"]
    series = np.stack([ds[name].transpose(*RUN_DIMS).values for name in names], axis=2)
    series = np.ascontiguousarray(series, dtype=np.float64).reshape(
        (arms * replicates,) + series.shape[2:])
    cost = (ds["measure_cost_sek"].transpose("arm", "replicate").values.reshape(-1)
            if "measure_cost_sek" in ds else np.zeros(arms * replicates))
    seed = ds["seed"].values if "seed" in ds.coords else np.zeros(replicates, dtype=np.uint64)
    descriptions = (list(ds["arm_description"].values) if "arm_description" in ds.coords
                    else [""] * arms)
    labels = {language: ([str(text) for text in ds["arm_label_" + language].values]
                         if "arm_label_" + language in ds.coords
                         else [str(name) for name in ds["arm"].values])
              for language in ("sv", "en")}
    if "district_residents" not in ds.coords:
        raise ValueError("the Dataset lacks the coordinate district_residents, which weights "
                         "shares in the comparison")
    districts = {"name": [str(name) for name in ds["district"].values]}
    for name in ("residents", "criminal_influence", "employment_rate"):
        if "district_" + name in ds.coords:
            districts[name] = np.asarray(ds["district_" + name].values, dtype=np.float64)
    if "district_classification" in ds.coords:
        districts["classification"] = [str(c) for c in ds["district_classification"].values]
    return {
        "step_days": int(ds.attrs.get("step_days", 7)),
        "step_dates": [str(day)[:10] for day in ds["time"].values.astype("datetime64[D]")],
        "districts": districts,
        "arms": {"name": [str(name) for name in ds["arm"].values],
                 "description": [str(text) for text in descriptions],
                 "label_sv": labels["sv"], "label_en": labels["en"]},
        "report_language": str(ds.attrs.get("report_language", "en")),
        "runs": {
            "arm_index": np.repeat(np.arange(arms, dtype=np.uint32), replicates),
            "replicate": np.tile(ds["replicate"].values.astype(np.uint32), arms),
            "seed": np.tile(np.asarray(seed, dtype=np.uint64), arms),
            "measure_cost_sek": np.asarray(cost, dtype=np.float64),
            "status": ["done"] * (arms * replicates),
        },
        "series": series,
    }


def _raw_to_compare(result, point):
    if isinstance(result, xr.Dataset):
        if point is not None:
            raise ValueError("point: only for the Results of a sweep")
        return _raw_from_dataset(result)
    if not isinstance(result, Results):
        raise TypeError(f"expected trygg.Results or the xarray.Dataset of trygg.run, got "
                        f"{type(result).__name__}")
    raw = result._raw
    if raw["sweep"] is None:
        if point is not None:
            raise ValueError("point: only for the Results of a sweep")
        return raw
    points = len(raw["sweep"]["points"])
    if point is None:
        if points != 1:
            raise ValueError(f"a sweep of {points} points: say which point to compare at "
                             "(point=...)")
        point = 0
    if not 0 <= point < points:
        raise ValueError(f"point: expected 0 to {points - 1}, got {point}")
    keep = np.asarray(raw["runs"]["point"]) == point
    runs = {name: (np.asarray(values)[keep] if isinstance(values, np.ndarray)
                   else [v for v, k in zip(values, keep) if k])
            for name, values in raw["runs"].items()}
    return dict(raw, runs=runs, series=raw["series"][keep], sweep=None)


def _compared(result, point):
    return _trygg.compare(_raw_to_compare(result, point))


def compare(result, point=None, period="horizon"):
    """The paired effects of each arm against the baseline (the arm named baseline, else the
    first), per outcome, for the municipality and each district, computed from the series by
    the C++ comparison of `trygg compare`: a DataFrame with columns arm, area, outcome,
    baseline_mean, arm_mean, difference, low, high (the 95% interval of the difference, kept
    within what is possible; what it covers in column covers), relative_change with
    relative_low and relative_high (never below -1), replicates, parameter_sets, mean_low and
    mean_high (the interval of the mean), and the shares of variance due to the parameters and
    to chance. `result` is a Results or the Dataset of trygg.run; for a sweep give the point.
    `period` is "horizon" (totals over the whole horizon, as /comparison/effects) or
    "final_year" (totals over its last year, as /comparison/final_year_effects); share_unsafe is
    the mean over the last year in both."""
    if period not in PERIODS:
        raise ValueError(f"period: expected one of {', '.join(PERIODS)}, got {period!r}")
    table = "effects" if period == "horizon" else "final_year_effects"
    return _table(_compared(result, point)[table], EFFECT_COLUMNS)


def costs(result, point=None):
    """What each arm's measures cost and the offences they averted against the baseline over
    the whole horizon, for the municipality and (with the measures' cost by district) each
    district, as spent and discounted, computed as compare() is."""
    return _table(_compared(result, point)["costs"], COST_COLUMNS)
