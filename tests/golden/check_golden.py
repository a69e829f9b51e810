#!/usr/bin/python3
"""Golden-file regression test (docs/golden.md).

    check_golden.py TRYGG_BINARY SOURCE_DIR [--regenerate] [--show N]

For every shipped scenario scenarios/NAME.yaml, tests/golden/NAME.yaml is a small case that
extends it (every arm, few residents and replicates, a short horizon) and
tests/golden/NAME.golden.json holds what the real `trygg run` made of it: per run, the total of
every metric, a few per-district series, and a digest of every value. tests/golden/sweep-*.yaml
are small sweeps, checked the same way. The model is deterministic, so the tolerance is zero:
values must match to the bit (NaN matches NaN).

Without --regenerate it runs every case, compares, prints what changed and exits 1 on any
difference, missing golden file or failed run. With --regenerate it rewrites the golden files
and prints what changed, for review with `git diff tests/golden` (tools/regenerate-golden).
"""
import argparse
import datetime
import glob
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import yaml

GOLDEN_VERSION = 1
SERIES_DISTRICTS = ("Navestad", "Hageby")  # the two districts on the police list of December 2023
SERIES_STRIDE = 13  # every 13th step (a quarter at weekly steps), and the last one
THREADS = "2"  # results do not depend on it; 2 keeps the test cheap on small machines
NEW_CASE = """\
# Golden-file case for scenarios/{name}.yaml (docs/golden.md): every arm, at a small scale
# and a short horizon so that tests/golden/check_golden.py runs in seconds.
extends: ../../scenarios/{name}.yaml
replicates: 2
time:
  horizon_years: 3
population:
  scale: 0.1
"""


# --- reading a result file ---------------------------------------------------------------------

def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def fsum_mean(values):
    values = [v for v in values if not math.isnan(v)]
    return math.fsum(values) / len(values) if values else math.nan


def total(data, residents, aggregation):
    """One number per run and metric. data: [step, district]. Sums use math.fsum, which is
    correctly rounded, so the result does not depend on numpy's summation order."""
    if aggregation == "sum":
        # The municipality's value summed over the steps (for stocks: person-steps).
        return math.fsum(data.ravel().tolist())
    if aggregation == "resident_weighted_mean":
        # The mean over the steps of the municipality's resident-weighted mean.
        per_step = []
        for values, weights in zip(data, residents):
            defined = ~np.isnan(values)
            weight = math.fsum(weights[defined].tolist())
            per_step.append(math.fsum((weights[defined] * values[defined]).tolist()) / weight
                            if weight > 0 else math.nan)
        return fsum_mean(per_step)
    # not_additive: the mean of the defined district values over all steps.
    return fsum_mean(data.ravel().tolist())


def digest(data):
    """A fingerprint of every value of one run's metric, NaN made canonical."""
    canonical = np.where(np.isnan(data), np.nan, data).astype("<f8")
    return hashlib.sha256(canonical.tobytes()).hexdigest()[:16]


def extract(path, header):
    golden = dict(header)
    with h5py.File(path, "r") as f:
        golden["format"] = text(f.attrs["format"])
        golden["format_version"] = int(f.attrs["format_version"])
        golden["scenario_name"] = text(f.attrs["scenario_name"])
        golden["seed"] = int(f.attrs["seed"])
        golden["step_days"] = int(f.attrs["step_days"])
        time = f["metrics/time"]
        start = datetime.date.fromisoformat(text(time.attrs["units"]).removeprefix("days since "))
        steps = [(start + datetime.timedelta(days=int(day))).isoformat() for day in time[:]]
        districts = f["metrics/district"].asstr()[:].tolist()
        golden["steps"] = {"count": len(steps), "first": steps[0], "last": steps[-1]}
        golden["districts"] = districts
        picked = list(range(0, len(steps), SERIES_STRIDE))
        if picked[-1] != len(steps) - 1:
            picked.append(len(steps) - 1)
        golden["series_steps"] = [steps[i] for i in picked]
        golden["series_districts"] = list(SERIES_DISTRICTS)
        columns = [districts.index(d) for d in SERIES_DISTRICTS]
        if "sweep" in f:
            golden["sweep"] = {
                "name": text(f["sweep"].attrs["name"]),
                "design": text(f["sweep"].attrs["design"]),
                "parameters": f["sweep/parameter"].asstr()[:].tolist(),
                "points": [[float(v) for v in row] for row in f["sweep/points"][:]],
            }
        # The series are the group's 3-D variables; the rest are its coordinates.
        metrics = {name: d for name, d in f["metrics"].items() if d.ndim == 3}
        golden["metrics"] = {name: {"unit": text(d.attrs["units"]), "aggregation": text(d.attrs["aggregation"])}
                             for name, d in metrics.items()}
        values = {name: d[:] for name, d in metrics.items()}
        runs = {}
        table = {name: column[:] for name, column in f["runs"].items()}
        for row in range(len(table["run"])):
            label = f"{text(table['arm'][row])}/{int(table['replicate'][row])}"
            if "sweep" in f:
                label = f"point {int(table['point'][row])}/{label}"
            entry = {"seed": int(table["seed"][row]), "status": text(table["status"][row]),
                     "measure_cost_sek": float(table["measure_cost_sek"][row]), "totals": {}, "series": {},
                     "digests": {}}
            residents = values["residents"][row]
            for name, info in golden["metrics"].items():
                entry["totals"][name] = total(values[name][row], residents, info["aggregation"])
                entry["digests"][name] = digest(values[name][row])
            for district, column in zip(SERIES_DISTRICTS, columns):
                entry["series"][district] = {name: [float(values[name][row, i, column]) for i in picked]
                                             for name in golden["metrics"]}
            runs[label] = entry
        golden["runs"] = runs
    return golden


# --- the golden file: JSON, floats by repr() (exact), NaN as null, one series per line -----------

def scalar(value):
    if isinstance(value, float):
        if math.isnan(value):
            return "null"
        if math.isinf(value):
            return '"inf"' if value > 0 else '"-inf"'
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def dump(value, indent=0):
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        if all(not isinstance(v, (dict, list)) for v in value.values()):
            line = "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {scalar(v)}" for k, v in value.items()) + "}"
            if len(line) <= 80:
                return line
        items = [f"{pad}  {json.dumps(k, ensure_ascii=False)}: {dump(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "[" + ", ".join(scalar(v) for v in value) + "]"
        return "[\n" + ",\n".join(f"{pad}  {dump(v, indent + 1)}" for v in value) + "\n" + pad + "]"
    return scalar(value)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def normalised(value):
    """The in-memory form of a loaded golden file: null -> NaN, "inf" -> inf."""
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if value is None:
        return math.nan
    if value in ("inf", "-inf"):
        return float(value)
    return value


# --- comparing ---------------------------------------------------------------------------------

def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return type(a) is type(b) and a == b


def differences(old, new, path=()):
    """(path, old, new) for every leaf that differs; a missing side is None."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            yield from differences(old.get(key), new.get(key), path + (key,))
    elif (isinstance(old, list) and isinstance(new, list) and len(old) == len(new)
          and all(not isinstance(v, (dict, list)) for v in old + new)):
        for i, (a, b) in enumerate(zip(old, new)):
            if not same(a, b):
                yield path + (i,), a, b
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            yield from differences(a, b, path + (i,))
    elif not same(old, new):
        yield path, old, new


def describe(path, golden):
    """(run, metric, district, where) of a difference, for the summary."""
    if path[:1] != ("runs",) or len(path) < 3:
        return None, None, None, "/".join(str(p) for p in path)
    run = path[1]
    if path[2] == "totals" and len(path) > 3:
        return run, path[3], None, f"{run} total {path[3]}"
    if path[2] == "digests" and len(path) > 3:
        return run, path[3], None, f"{run} {path[3]}: digest of all values"
    if path[2] == "series" and len(path) > 3:
        district = path[3]
        metric = path[4] if len(path) > 4 else None
        where = f"{run} {district} {metric or ''}".rstrip()
        if len(path) > 5 and isinstance(path[5], int):
            steps = golden.get("series_steps", [])
            where += f" @{steps[path[5]]}" if path[5] < len(steps) else f" [{path[5]}]"
        return run, metric, district, where
    return run, path[2], None, f"{run} {'/'.join(str(p) for p in path[2:])}"


def show(value):
    if value is None:
        return "(absent)"
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else repr(value)
    text_value = json.dumps(value, ensure_ascii=False)
    return text_value if len(text_value) <= 60 else text_value[:57] + "..."


def relative(old, new):
    if isinstance(old, float) and isinstance(new, float) and math.isfinite(old) and math.isfinite(new):
        if old != 0:
            return f"{100 * (new - old) / abs(old):+.3g}%"
        return "from 0"
    return "n/a"


def summarise(name, old, new, limit):
    found = list(differences(old, new))
    if not found:
        return 0
    rows = [describe(path, new if new else old) + (a, b) for path, a, b in found]
    values = [r for r in rows if not (r[3].endswith("digest of all values"))]
    digests_only = {(r[0], r[1]) for r in rows if r[3].endswith("digest of all values")} - {(r[0], r[1]) for r in values}
    order = list(new.get("runs", {})) + [r for r in old.get("runs", {}) if r not in new.get("runs", {})]
    runs = [r for r in order if any(row[0] == r for row in rows)]
    metrics = sorted({r[1] for r in rows if r[1]})
    districts = sorted({r[2] for r in rows if r[2]})
    print(f"{name}: {len(values)} stored value{'s differ' if len(values) != 1 else ' differs'}", end="")
    print(f", and {len(digests_only)} run/metric digests differ with equal stored values" if digests_only else "")
    all_runs = len(new.get("runs", {}))
    print(f"  runs ({len(runs)} of {all_runs}): {', '.join(runs[:12])}{' ...' if len(runs) > 12 else ''}")
    if metrics:
        counts = {m: sum(1 for r in rows if r[1] == m) for m in metrics}
        print("  metrics: " + ", ".join(f"{m} ({counts[m]})" for m in metrics))
    if districts:
        print("  series districts: " + ", ".join(districts))
    for run, metric in sorted(digests_only)[:5]:
        print(f"  {run} {metric}: totals and series equal, other values changed (digest)")
    print(f"  first {min(limit, len(values))} of {len(values)} (old -> new, relative change):")
    for r in values[:limit]:
        print(f"    {r[3]}: {show(r[4])} -> {show(r[5])} ({relative(r[4], r[5])})")
    return len(found)


# --- the cases ---------------------------------------------------------------------------------

def cases(source):
    golden_dir = os.path.join(source, "tests/golden")
    found = []
    for shipped in sorted(glob.glob(os.path.join(source, "scenarios/*.yaml"))):
        name = os.path.splitext(os.path.basename(shipped))[0]
        found.append(("run", name, os.path.join(golden_dir, name + ".yaml"), shipped))
    for sweep in sorted(glob.glob(os.path.join(golden_dir, "sweep-*.yaml"))):
        name = os.path.splitext(os.path.basename(sweep))[0]
        found.append(("sweep", name, sweep, None))
    return golden_dir, found


def extends_shipped(case, shipped):
    with open(case, encoding="utf-8") as f:
        parent = (yaml.safe_load(f) or {}).get("extends")
    return parent and os.path.realpath(os.path.join(os.path.dirname(case), parent)) == os.path.realpath(shipped)


def run_case(trygg, kind, case, folder):
    output = os.path.join(folder, os.path.basename(case).replace(".yaml", ".h5"))
    command = [trygg, kind, case, "-o", output, "-q", "--threads", THREADS]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        print(f"  FAILED: `{' '.join(command)}` exited with {done.returncode}\n{done.stdout}{done.stderr}")
        return None, seconds
    return output, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trygg", help="the trygg binary")
    parser.add_argument("source", help="the source tree")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the golden files")
    parser.add_argument("--show", type=int, default=20, help="differences shown per case (default 20)")
    args = parser.parse_args()
    source = os.path.abspath(args.source)
    golden_dir, found = cases(source)
    failures = []
    changed = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="trygg-golden-") as folder:
        for kind, name, case, shipped in found:
            golden_path = os.path.join(golden_dir, name + ".golden.json")
            label = os.path.relpath(shipped or case, source)
            print(f"== {label}")
            if not os.path.exists(case):
                if not args.regenerate:
                    failures.append(f"{label}: no golden case tests/golden/{name}.yaml; "
                                    "run tools/regenerate-golden and review `git diff tests/golden`")
                    print(f"  MISSING: {failures[-1]}")
                    continue
                with open(case, "w", encoding="utf-8") as f:
                    f.write(NEW_CASE.format(name=name))
                print(f"  wrote a new small case {os.path.relpath(case, source)}")
            if shipped and not extends_shipped(case, shipped):
                failures.append(f"{os.path.relpath(case, source)} must extend {label} "
                                f"(extends: ../../scenarios/{name}.yaml)")
                print(f"  WRONG CASE: {failures[-1]}")
                continue
            if not args.regenerate and not os.path.exists(golden_path):
                failures.append(f"{label}: no golden file tests/golden/{name}.golden.json; "
                                "run tools/regenerate-golden and review `git diff tests/golden`")
                print(f"  MISSING: {failures[-1]}")
                continue
            output, seconds = run_case(args.trygg, kind, case, folder)
            if output is None:
                failures.append(f"{label}: `trygg {kind}` failed")
                continue
            header = {"golden_version": GOLDEN_VERSION, "case": os.path.relpath(case, source),
                      "extends": os.path.relpath(shipped, source) if shipped else None,
                      "command": f"trygg {kind} {os.path.relpath(case, source)} --threads {THREADS}"}
            if header["extends"] is None:
                del header["extends"]
            new = normalised(json.loads(dump(extract(output, header))))
            os.remove(output)
            old = normalised(load(golden_path)) if os.path.exists(golden_path) else None
            print(f"  {len(new['runs'])} runs, {new['steps']['count']} steps, {len(new['metrics'])} metrics "
                  f"in {seconds:.1f} s")
            if old is None:
                print("  no golden file yet")
                count = 1
            else:
                count = summarise(f"  {name}", old, new, args.show)
                if count == 0:
                    print("  identical to the golden file")
            if count:
                changed.append(name)
            if args.regenerate:
                content = dump(new) + "\n"
                stored = None
                if os.path.exists(golden_path):
                    with open(golden_path, encoding="utf-8") as f:
                        stored = f.read()
                if content != stored:  # also when only the layout of the file changed
                    with open(golden_path, "w", encoding="utf-8") as f:
                        f.write(content)
                    print(f"  wrote tests/golden/{name}.golden.json")
            elif count:
                failures.append(f"{label}: results differ from tests/golden/{name}.golden.json")
        expected = {name + ".golden.json" for _, name, _, _ in found}
        for stale in sorted(glob.glob(os.path.join(golden_dir, "*.golden.json"))):
            if os.path.basename(stale) not in expected:
                if args.regenerate:
                    os.remove(stale)
                    print(f"removed {os.path.relpath(stale, source)}: no scenario or case for it")
                    changed.append(os.path.basename(stale))
                else:
                    failures.append(f"{os.path.relpath(stale, source)} belongs to no scenario or case; "
                                    "run tools/regenerate-golden to remove it")
    print(f"== {len(found)} cases in {time.monotonic() - started:.1f} s")
    if args.regenerate:
        print("changed: " + (", ".join(changed) if changed else "nothing"))
    if failures:
        print("FAILED:\n" + "\n".join("  " + f for f in failures))
        if not args.regenerate and changed:
            print("If the change is intended, run tools/regenerate-golden and commit the reviewed "
                  "`git diff tests/golden` with the model change.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
