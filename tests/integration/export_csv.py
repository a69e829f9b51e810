#!/usr/bin/python3
"""trygg export RESULT --csv DIR writes tidy long tables that pandas reads back to the same
numbers as the result file: one table per metric and the runs, arms, districts, effects, costs
and, for sweeps, the design and indices. It never replaces a file without --force.

Usage: export_csv.py TRYGG SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
import xarray as xr

trygg, source = sys.argv[1], sys.argv[2]
good = os.path.join(source, "tests", "data", "good")


def read(*path):
    """pandas' exact parser: its default one may miss a double's last bit."""
    return pd.read_csv(os.path.join(*path), float_precision="round_trip")


def run(*command, expect=0):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    assert done.returncode == expect, (command, done.returncode, done.stdout, done.stderr)
    return done.stdout + done.stderr


with tempfile.TemporaryDirectory() as folder:
    result = os.path.join(folder, "child.h5")
    csv = os.path.join(folder, "csv")
    run(trygg, "run", os.path.join(good, "child.yaml"), "-q", "-o", result)
    said = run(trygg, "export", result, "--csv", csv)
    # /micro (child.yaml inherits output.micro) is left out, and the command says so.
    assert "The /micro group is not exported" in said, said
    assert not any("micro" in name for _, _, names in os.walk(csv) for name in names)
    metrics = xr.open_dataset(result, group="metrics", engine="h5netcdf")
    series = [name for name, v in metrics.data_vars.items() if v.dims == ("run", "time", "district")]
    assert sorted(os.listdir(os.path.join(csv, "series"))) == sorted(f"{m}.csv" for m in series)
    for name in series:
        table = read(csv, "series", f"{name}.csv")
        assert list(table.columns) == ["run", "arm", "replicate", "date", "district", "value"]
        assert len(table) == metrics.sizes["run"] * metrics.sizes["time"] * metrics.sizes["district"]
        values = table["value"].to_numpy().reshape(metrics[name].shape)
        # Exactly the file's doubles (shortest round-trip text), NaN as an empty field.
        assert np.array_equal(values, metrics[name].values, equal_nan=True), name
    offences = read(csv, "series", "offences.csv")
    assert offences["arm"].iloc[-1] == "safety_campaign" and offences["date"].iloc[0] == "2024-01-01"
    runs = read(csv, "runs.csv")
    assert runs["arm"].tolist() == ["baseline"] * 3 + ["safety_campaign"] * 3
    effects = read(csv, "effects.csv")
    stored = xr.open_dataset(result, group="comparison/effects", engine="h5netcdf")
    assert np.array_equal(effects["difference"].to_numpy(), stored.difference.values,
                          equal_nan=True)
    assert len(read(csv, "districts.csv")) == metrics.sizes["district"]
    costs = read(csv, "costs.csv")
    assert costs["area"].iloc[0] == "Municipality"
    assert costs[costs["area"] == "Municipality"]["arm"].tolist() == ["safety_campaign"]
    assert len(costs) == 1 + metrics.sizes["district"]  # the municipality, then each district

    # An existing export is kept unless --force; nothing is half replaced.
    before = open(os.path.join(csv, "runs.csv")).read()
    said = run(trygg, "export", result, "--csv", csv, expect=3)
    assert "use --force" in said
    assert open(os.path.join(csv, "runs.csv")).read() == before
    run(trygg, "export", result, "--csv", csv, "--force")

    store = os.path.join(folder, "morris.h5")
    run(trygg, "sweep", os.path.join(good, "sweep-morris-tiny.yaml"), "-q", "-o", store)
    run(trygg, "sensitivity", store)
    run(trygg, "export", store, "--csv", os.path.join(folder, "sweep"))
    design = read(folder, "sweep", "sweep_points.csv")
    assert set(design["parameter"]) == {"offending.reporting.property",
                                        "safety.incident_sensitivity"}
    swept = read(folder, "sweep", "series", "offences.csv")
    assert "point" in swept.columns
    assert len(read(folder, "sweep", "sensitivity.csv")) > 0
print("trygg export wrote tidy tables with the file's own numbers")
