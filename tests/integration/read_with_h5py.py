#!/usr/bin/python3
"""Runs a small scenario and reads its result file with h5py, as a Python user would."""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

trygg, source = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "child.h5")
    subprocess.run([trygg, "run", os.path.join(source, "tests/data/good/child.yaml"), "-q", "-o", path],
                   check=True)
    with h5py.File(path, "r") as f:
        assert f.attrs["format"] == "trygg-results", f.attrs["format"]
        assert f.attrs["format_version"] == 2
        assert f.attrs["Conventions"] == "CF-1.8"
        for key in ("trygg_version", "git_commit", "scenario_yaml", "start_utc", "end_utc", "host",
                    "references"):
            assert isinstance(f.attrs[key], str) and f.attrs[key], key
        assert "CITATION.cff" in f.attrs["references"]
        assert int(f.attrs["seed"]) == 20231201

        # Tables are groups of 1-D variables along one dimension, not compound datasets.
        runs = f["runs"]
        assert sorted(runs) == sorted(["run", "arm", "arm_index", "replicate", "seed", "status",
                                       "wall_seconds", "measure_cost_sek", "point", "run_index",
                                       "message"]), sorted(runs)
        assert runs["run"].shape == (6,)
        assert runs["arm"].asstr()[:3].tolist() == ["baseline"] * 3
        assert all(s == "done" for s in runs["status"].asstr()[:])
        assert runs["status"].dims[0][0].name == "/runs/run"

        districts = f["districts/district"].asstr()[:].tolist()
        assert "Navestad" in districts and "Åby" in districts, districts

        metrics = f["metrics"]
        time = metrics["time"]
        assert time.attrs["units"] == "days since 2024-01-01"
        assert time.attrs["calendar"] == "proleptic_gregorian"
        assert time[0] == 0 and time[1] == 7
        offences = metrics["offences"]
        assert offences.shape == (6, len(time), len(districts)), offences.shape
        assert offences.attrs["units"] == "offences per step"
        assert offences.attrs["long_name"].startswith("Offences committed")
        assert offences.attrs["coordinates"] == "arm replicate"
        assert offences.compression == "gzip" and offences.chunks is not None
        # Every metric carries the aggregation of the metric table (generated into the docs).
        table = open(os.path.join(source, "docs/results-format.md"), encoding="utf-8").read()
        documented = {}
        for line in table.splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 5 and cells[0].startswith("`"):
                documented[cells[0].strip("`")] = cells[2]
        series = [name for name, d in metrics.items() if d.ndim == 3]
        assert sorted(series) == sorted(documented), sorted(documented)
        for name in series:
            assert metrics[name].attrs["aggregation"] == documented[name], name
        # Dimension scales in the group itself name every axis.
        assert [dim[0].name for dim in offences.dims] == ["/metrics/run", "/metrics/time",
                                                          "/metrics/district"]
        assert offences.dims[2][0].asstr()[:].tolist() == districts
        assert metrics["arm"].asstr()[:].tolist() == runs["arm"].asstr()[:].tolist()
        data = offences[:]
        assert np.all(data >= 0) and data.sum() > 0
        effects = f["comparison/effects"]
        assert set(effects["arm"].asstr()[:]) == {"safety_campaign"}
        assert "Municipality" in set(effects["area"].asstr()[:])
        costs = f["comparison/costs"]
        assert costs["arm"].asstr()[:].tolist() == ["safety_campaign"]
        assert costs["cost_sek"][0] == 0
        unsafe = metrics["share_unsafe"][:]
        assert np.nanmin(unsafe) >= 0 and np.nanmax(unsafe) <= 1
print("h5py read the result file")
