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
        assert f.attrs["format_version"] == 1
        for key in ("trygg_version", "git_commit", "scenario_yaml", "start_utc", "end_utc", "host"):
            assert isinstance(f.attrs[key], str) and f.attrs[key], key
        assert int(f.attrs["seed"]) == 20231201

        runs = f["runs"][:]
        assert runs.dtype.names == ("run", "arm", "arm_index", "replicate", "seed", "status",
                                    "wall_seconds", "measure_cost_sek", "point", "run_index", "message"), runs.dtype.names
        assert len(runs) == 6
        assert [a.decode() for a in runs["arm"][:3]] == ["baseline"] * 3
        assert all(s.decode() == "done" for s in runs["status"])

        districts = [d.decode() for d in f["districts"]["name"]]
        assert "Navestad" in districts and "Åby" in districts, districts
        steps = f["axes/step"].asstr()[:]
        assert steps[0] == "2024-01-01" and steps[1] == "2024-01-08"

        offences = f["metrics/offences"]
        assert offences.shape == (6, len(steps), len(districts)), offences.shape
        assert offences.attrs["unit"] == "offences per step"
        assert offences.compression == "gzip" and offences.chunks is not None
        # Every metric carries the aggregation of the metric table (generated into the docs).
        table = open(os.path.join(source, "docs/results-format.md"), encoding="utf-8").read()
        documented = {}
        for line in table.splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 5 and cells[0].startswith("`"):
                documented[cells[0].strip("`")] = cells[2]
        assert len(documented) == len(f["metrics"]), sorted(documented)
        for name, dataset in f["metrics"].items():
            assert dataset.attrs["aggregation"] == documented[name], (name, dataset.attrs["aggregation"])
        # Dimension scales name every axis.
        assert [dim[0].name for dim in offences.dims] == ["/axes/run", "/axes/step", "/axes/district"]
        assert offences.dims[2][0].asstr()[:].tolist() == districts
        data = offences[:]
        assert np.all(data >= 0) and data.sum() > 0
        effects = f["comparison/effects"][:]
        assert set(e.decode() for e in effects["arm"]) == {"safety_campaign"}
        assert "Municipality" in set(a.decode() for a in effects["area"])
        costs = f["comparison/costs"][:]
        assert len(costs) == 1 and costs["cost_sek"][0] == 0
        unsafe = f["metrics/share_unsafe"][:]
        assert np.nanmin(unsafe) >= 0 and np.nanmax(unsafe) <= 1
print("h5py read the result file")
