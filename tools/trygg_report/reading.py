"""Reading a result file through Trygg's one validating reader, and a calibration store.

The result file is read by the Python package trygg (trygg.open), whose native extension is
Trygg's own C++ reader: the report accepts exactly the files that `trygg info` accepts, and its
effects, costs and decision measures are the file's own tables (/comparison, /decision), never
computed again here.
"""
import datetime
import importlib
import math
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import EXIT_INPUT, EXIT_IO, ReportError

REPO_ROOT = Path(__file__).resolve().parent.parent.parent

# The outcomes the comparison holds, in the order the report shows them; "count" outcomes are
# totals over a period, "share" ones a mean over the last year.
OUTCOMES = [("offences", "count"), ("reported_offences", "count"),
            ("youth_offenders", "count"), ("new_recruits", "count"),
            ("share_unsafe", "share")]
OUTCOME_KIND = dict(OUTCOMES)
# The outcomes drawn over time: a count per `per` residents and year, or a share (None).
TIME_SERIES = [("offences", 1000.0), ("reported_offences", 1000.0), ("share_unsafe", None),
               ("new_recruits", 10000.0)]
MUNICIPALITY = "Municipality"


def import_trygg(python_dir=None):
    """The Python package trygg: from --python DIR, $TRYGG_PYTHONPATH, this checkout's release
    build, or wherever Python finds it."""
    candidates = [python_dir, os.environ.get("TRYGG_PYTHONPATH"),
                  REPO_ROOT / "build" / "release" / "python"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "trygg" / "__init__.py").is_file():
            if str(candidate) not in sys.path:
                sys.path.insert(0, str(candidate))
            break
    try:
        return importlib.import_module("trygg")
    except ImportError as error:
        raise ReportError(
            "cannot import the Python package trygg, whose reader checks result files: build "
            "it (cmake --build --preset release builds build/release/python/trygg), or give "
            f"--python DIR or $TRYGG_PYTHONPATH ({error})", EXIT_IO) from error


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


@dataclass
class Store:
    """What the report reads from a result file or sweep store."""
    path: Path
    results: object               # trygg.Results
    provenance: dict
    language: str                 # the scenario's report.language
    arms: list                    # names, in /arms order, those with finished runs
    baseline: str
    labels: dict                  # arm -> {"sv": ..., "en": ...}
    descriptions: dict            # arm -> {"sv": ..., "en": ...}
    measures: list                # rows: arm, measure, label_sv, label_en
    runs: object                  # DataFrame of the finished runs
    runs_total: int
    runs_failed: list             # (arm/replicate, message)
    districts: list
    classification: list
    residents: np.ndarray
    dates: list
    step_days: int
    effects: object               # DataFrame: /comparison/effects
    final_year_effects: object    # DataFrame: /comparison/final_year_effects (None if absent)
    area_costs: object            # DataFrame: /comparison/area_costs
    decision: dict                # name -> DataFrame (empty without /decision)
    sensitivity: object           # DataFrame
    sweep: dict = None
    scenario: dict = None
    metrics: object = None        # xarray Dataset of the finished runs' metrics
    student_t: object = None      # trygg.student_t_quantile
    frontier: object = None       # trygg.efficient_frontier (None if the module lacks it)

    @property
    def is_sweep(self):
        return self.sweep is not None

    @property
    def years(self):
        return len(self.dates) * self.step_days / 365.25

    @property
    def last_year_steps(self):
        return min(len(self.dates), max(1, round(365.25 / self.step_days)))

    def runs_of(self, arm):
        return np.flatnonzero(self.runs["arm"].to_numpy() == arm)

    def label(self, arm, language):
        return self.labels.get(arm, {}).get(language) or arm

    def description(self, arm, language):
        return self.descriptions.get(arm, {}).get(language) or ""


def _open_results(trygg, path):
    if not path.exists():
        raise ReportError(f"{path}: no such file", EXIT_IO)
    if path.is_dir():
        raise ReportError(f"{path}: is a folder, not a result file", EXIT_INPUT)
    try:
        return trygg.open(str(path))
    except (ValueError, trygg.ScenarioError) as error:
        raise ReportError(f"{path}: {error}", EXIT_INPUT) from error
    except UnicodeDecodeError as error:
        raise ReportError(f"{path}: not a consistent Trygg result file: text that is not UTF-8 "
                          f"({error.reason} at byte {error.start})", EXIT_INPUT) from error
    except OSError as error:
        raise ReportError(f"{path}: cannot be read: {error}", EXIT_IO) from error


def _texts_of(table, arms, column):
    """{arm: {"sv": ..., "en": ...}} from the arm table's COLUMN_sv and COLUMN_en."""
    out = {}
    if table is None or len(table) == 0:
        return out
    for _, row in table.iterrows():
        out[str(row["name"])] = {language: str(row.get(f"{column}_{language}", "") or "")
                                 for language in ("sv", "en")}
    return {arm: out.get(arm, {}) for arm in arms}


def parse_yaml(source):
    try:
        import yaml
    except ImportError:
        return None
    if not source:
        return None
    try:
        tree = yaml.safe_load(source)
    except yaml.YAMLError:
        return None
    return tree if isinstance(tree, dict) else None


def read_store(path, trygg):
    results = _open_results(trygg, path)
    try:
        return _read(path, results, trygg)
    except (KeyError, ValueError, IndexError, TypeError) as error:
        raise ReportError(f"{path}: not a consistent Trygg result file: {error}",
                          EXIT_INPUT) from error


def _read(path, results, trygg):
    runs = results.runs
    finished = runs["status"].to_numpy() == "done"
    if not finished.any():
        raise ReportError(f"{path}: holds no finished runs", EXIT_INPUT)
    failed = [(f"{a}/{r}", str(m)) for a, r, m in
              zip(runs["arm"][~finished], runs["replicate"][~finished], runs["message"][~finished])]
    present = set(runs["arm"][finished])
    arms = [a for a in results.arms if a in present]
    baseline = "baseline" if "baseline" in arms else arms[0]
    arm_table = getattr(results, "arm_table", None)
    raw_arms = results._raw["arms"]
    descriptions = _texts_of(arm_table, arms, "description")
    labels = _texts_of(arm_table, arms, "label")
    for arm, description in zip(raw_arms["name"], raw_arms["description"]):
        entry = descriptions.setdefault(str(arm), {})
        for language in ("sv", "en"):
            entry.setdefault(language, str(description))
            if not entry[language]:
                entry[language] = str(description)
    measures = getattr(results, "arm_measures", None)
    measures = ([] if measures is None else
                [dict(row) for _, row in measures.iterrows()])
    districts = results.districts
    provenance = results.provenance
    start = datetime.date.fromisoformat(str(results._raw["step_dates"][0])[:10])
    step_days = int(provenance.get("step_days", 7))
    steps = len(results._raw["step_dates"])
    metrics = results.metrics.isel(run=np.flatnonzero(finished))
    final_year = getattr(results, "final_year_effects", None)
    sweep = results.sweep
    return Store(
        path=path, results=results, provenance=provenance,
        language=str(getattr(results, "report_language", "") or "en"),
        arms=arms, baseline=baseline, labels=labels, descriptions=descriptions,
        measures=measures, runs=runs[finished].reset_index(drop=True),
        runs_total=len(runs), runs_failed=failed,
        districts=[str(d) for d in districts["name"]],
        classification=[str(c) for c in districts["classification"]],
        residents=np.asarray(districts["residents"], dtype=float),
        dates=[start + datetime.timedelta(days=step_days * k) for k in range(steps)],
        step_days=step_days, effects=results.effects, final_year_effects=final_year,
        area_costs=results.costs, decision=results.decision,
        sensitivity=results.sensitivity, sweep=sweep,
        scenario=parse_yaml(provenance.get("scenario_yaml", "")), metrics=metrics,
        student_t=getattr(trygg, "student_t_quantile", None),
        frontier=getattr(trygg, "efficient_frontier", None))


# --- the trygg binary, for calibration stores (which trygg.open does not read)

def find_trygg(option):
    """The trygg binary whose reader checks a calibration store: --trygg, $TRYGG, this
    checkout's release build, or an installed trygg on the PATH."""
    candidates = [option, os.environ.get("TRYGG"), REPO_ROOT / "build" / "release" / "trygg",
                  shutil.which("trygg")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise ReportError("cannot find the trygg binary that checks calibration stores: build it "
                      "(cmake --build --preset release), or give --trygg PATH or $TRYGG",
                      EXIT_IO)


def check_with_trygg(path, trygg_binary):
    done = subprocess.run([trygg_binary, "info", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        message = done.stderr.strip().removeprefix("trygg: ")
        raise ReportError(message or f"{path}: trygg info refused the file",
                          done.returncode if done.returncode in (EXIT_INPUT, EXIT_IO) else EXIT_IO)


@dataclass
class Calibration:
    """A calibration store of trygg calibrate (docs/results-format.md, "Calibration stores")."""
    path: Path
    name: str
    scenario_file: str
    arm: str
    stop_reason: str
    cutoff: float
    waves: int
    kept_share: float
    parameters: list
    prior_low: np.ndarray
    prior_high: np.ndarray
    targets: list
    candidates: int
    accepted_points: np.ndarray
    accepted_outputs: np.ndarray
    stability: list = field(default_factory=list)
    stability_years: tuple = (None, None)
    target_specs: dict = field(default_factory=dict)  # name -> the calibration file's target


def read_calibration(path, trygg_binary):
    """The calibration store given with --calibration, checked by trygg's own reader first."""
    import h5py
    if not path.exists():
        raise ReportError(f"{path}: no such file", EXIT_IO)
    if path.is_dir() or not h5py.is_hdf5(path):
        raise ReportError(f"{path}: not an HDF5 file (expected a calibration store of trygg "
                          "calibrate)", EXIT_INPUT)
    try:
        f = h5py.File(path, "r")
    except OSError as error:
        raise ReportError(f"{path}: cannot be read: {error}", EXIT_IO) from error
    with f:
        kind = text(f.attrs.get("format", ""))
        if kind != "trygg-calibration":
            raise ReportError(f"{path}: not a Trygg calibration store (its root attribute "
                              f"'format' is {kind!r}, expected 'trygg-calibration')", EXIT_INPUT)
    check_with_trygg(path, trygg_binary)
    try:
        with h5py.File(path, "r") as f:
            return _read_calibration(path, f)
    except (KeyError, ValueError, IndexError, TypeError, UnicodeDecodeError) as error:
        raise ReportError(f"{path}: not a consistent calibration store: {error}",
                          EXIT_INPUT) from error


def _read_calibration(path, f):
    needed = ["parameters/name", "parameters/prior_low", "parameters/prior_high",
              "targets/name", "targets/observed", "targets/observation_sd",
              "targets/discrepancy_sd", "ensemble/outputs", "ensemble/accepted",
              "ensemble/accepted_points", "waves"]
    missing = [name for name in needed if name not in f]
    if missing:
        raise ReportError(f"{path}: incomplete calibration store, missing "
                          f"{', '.join(missing)}", EXIT_INPUT)

    def strings(name, count):
        return [text(v) for v in f[name][:]] if name in f else [""] * count

    def numbers(name):
        return np.asarray(f[name][:], dtype=float)

    parameters = strings("parameters/name", 0)
    names = strings("targets/name", 0)
    columns = {key: strings(f"targets/{key}", len(names))
               for key in ("statistic", "unit", "flag", "source")}
    columns.update({key: numbers(f"targets/{key}")
                    for key in ("observed", "observation_sd", "discrepancy_sd")})
    targets = [{"name": name, **{key: values[t] for key, values in columns.items()}}
               for t, name in enumerate(names)]
    waves = sorted(f["waves"].keys(), key=lambda n: int(n) if n.isdigit() else 0)
    last = f[f"waves/{waves[-1]}"] if waves else None
    kept_share = (float(np.asarray(last["kept_share"][:]).ravel()[0])
                  if last is not None and "kept_share" in last else math.nan)
    accepted = numbers("ensemble/accepted") == 1
    outputs = numbers("ensemble/outputs").reshape(len(accepted), len(names))
    points = numbers("ensemble/accepted_points").reshape(-1, len(parameters))
    stability, years = [], (None, None)
    if "stability" in f:
        group = f["stability"]
        years = tuple(int(group.attrs[k]) if k in group.attrs else None
                      for k in ("from_year", "to_year"))
        districts = strings("stability/district", 0)
        values = {key: numbers(f"stability/{key}") if f"stability/{key}" in f else
                  np.full(len(districts), math.nan)
                  for key in ("members_trend", "reported_trend", "share_died_out",
                              "share_saturated", "met")}
        stability = [{"district": d, **{k: float(v[i]) for k, v in values.items()}}
                     for i, d in enumerate(districts)]
    specs = (parse_yaml(text(f.attrs.get("calibration_yaml", ""))) or {}).get("targets")
    return Calibration(
        target_specs=specs if isinstance(specs, dict) else {},
        path=path, name=text(f.attrs.get("name", "")),
        scenario_file=text(f.attrs.get("scenario_file", "")),
        arm=text(f.attrs.get("arm", "")), stop_reason=text(f.attrs.get("stop_reason", "")),
        cutoff=float(f.attrs.get("cutoff", math.nan)), waves=len(waves),
        kept_share=kept_share, parameters=parameters,
        prior_low=numbers("parameters/prior_low"), prior_high=numbers("parameters/prior_high"),
        targets=targets, candidates=len(accepted), accepted_points=points,
        accepted_outputs=outputs[accepted], stability=stability, stability_years=years)
