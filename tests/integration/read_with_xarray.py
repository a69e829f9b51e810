#!/usr/bin/python3
"""Every group of a result file and of a sweep store opens with xarray.open_dataset(path,
group=...) and Debian's h5netcdf, with no custom code: named dimensions, numeric CF time,
arm and replicate as coordinates along run, units and long names; /micro's tallies add up to
the metrics.

Usage: read_with_xarray.py TRYGG SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import xarray as xr

trygg, source = sys.argv[1], sys.argv[2]
good = os.path.join(source, "tests", "data", "good")


def open_group(path, group):
    return xr.open_dataset(path, group=group, engine="h5netcdf")


with tempfile.TemporaryDirectory() as folder:
    result = os.path.join(folder, "child.h5")
    store = os.path.join(folder, "morris.h5")
    subprocess.run([trygg, "run", os.path.join(good, "child.yaml"), "-q", "-o", result], check=True)
    subprocess.run([trygg, "sweep", os.path.join(good, "sweep-morris-tiny.yaml"), "-q", "-o", store],
                   check=True)
    subprocess.run([trygg, "sensitivity", store], check=True, capture_output=True)

    metrics = open_group(result, "metrics")
    assert dict(metrics.dims) == {"run": 6, "time": 104, "district": 34}, dict(metrics.dims)
    assert np.issubdtype(metrics.time.dtype, np.datetime64)
    assert str(metrics.time.values[1])[:10] == "2024-01-08"
    assert metrics.arm.dims == ("run",) and metrics.replicate.dims == ("run",)
    assert metrics.arm.values.tolist() == ["baseline"] * 3 + ["safety_campaign"] * 3
    assert metrics.offences.attrs["units"] == "offences per step"
    assert metrics.offences.attrs["long_name"].startswith("Offences committed")
    assert "Navestad" in metrics.district.values
    # A tidy table (arm, replicate, date, district, metric) in two lines of pandas.
    tidy = metrics[["offences", "share_unsafe"]].to_dataframe().reset_index()
    assert {"run", "time", "district", "arm", "replicate", "offences"} <= set(tidy.columns)
    assert len(tidy) == 6 * 104 * 34
    # The same numbers as the command line's own reader reports through trygg info.
    total = float(metrics.offences.sum())
    assert total > 0

    # /micro: child.yaml inherits output.micro from norrkoping.yaml.
    micro = open_group(result, "micro")
    assert set(micro.dims) == {"run", "year", "place", "k", "age", "district"}, dict(micro.dims)
    assert (micro.sizes["run"], micro.sizes["year"], micro.sizes["k"], micro.sizes["age"],
            micro.sizes["district"]) == (6, 2, 21, 101, 34), dict(micro.dims)
    assert np.issubdtype(micro.year.dtype, np.datetime64)
    assert [str(day)[:10] for day in micro.year.values] == ["2024-01-01", "2025-01-01"]
    assert micro.place_incidents.dims == ("run", "year", "place")
    assert micro.offending_prevalence_by_age.dims == ("run", "year", "age")
    assert micro.est_displaced.dims == ("run", "year", "district")
    assert "place_district" in micro.coords and micro.arm.values.tolist() == metrics.arm.values.tolist()
    assert micro.place_incidents.attrs["units"] == "offences"
    assert "or more" in micro.k.attrs["comment"]
    assert micro.k.values.tolist() == list(range(21))
    for year in range(2):
        first, steps = int(micro.first_step[year]), int(micro.steps[year])
        span = slice(first, first + steps)
        # Offences at places add up to the offences metric of the year's steps, by district too.
        by_place = micro.place_incidents.isel(year=year)
        assert (by_place.sum("place").values ==
                metrics.offences.isel(time=span).sum(["time", "district"]).values).all()
        by_district = by_place.groupby("place_district").sum()
        assert (by_district.values ==
                metrics.offences.isel(time=span).sum("time").values).all()
        residents = metrics.residents.isel(time=first + steps - 1).sum("district").values
        assert (micro.victimisation_counts.isel(year=year).sum("k").values == residents).all()
        assert (micro.offender_counts.isel(year=year).sum("k").values == residents).all()
    share = micro.offending_prevalence_by_age.values
    assert ((share >= 0) & (share <= 1) | np.isnan(share)).all()
    assert int(micro.est_displaced.sum()) == 0 and int(micro.est_diffused.sum()) == 0  # no EST

    runs = open_group(result, "runs")
    assert dict(runs.dims) == {"run": 6}
    assert set(runs.coords) >= {"run", "arm", "replicate"}
    assert runs.status.values.tolist() == ["done"] * 6
    assert open_group(result, "arms").arm.values.tolist() == ["baseline", "safety_campaign"]
    districts = open_group(result, "districts")
    assert districts.residents.attrs["units"] == "persons"
    effects = open_group(result, "comparison/effects")
    assert set(effects.arm.values) == {"safety_campaign"}
    costs = open_group(result, "comparison/costs")
    assert costs.arm.values.tolist() == ["safety_campaign"]
    root = xr.open_dataset(result, engine="h5netcdf")
    assert root.attrs["format_version"] == 2 and root.attrs["Conventions"] == "CF-1.8"

    sweep_metrics = open_group(store, "metrics")
    assert "point" in sweep_metrics.coords and sweep_metrics.point.dims == ("run",)
    sweep = open_group(store, "sweep")
    assert dict(sweep.dims) == {"point": 6, "parameter": 2}, dict(sweep.dims)
    assert sweep.points.dims == ("point", "parameter")
    assert sweep.parameter.values.tolist() == ["offending.reporting.property",
                                              "safety.incident_sensitivity"]
    assert sweep.changed.values.tolist()[0] == -1
    sensitivity = open_group(store, "sweep/sensitivity")
    assert set(sensitivity.method.values) == {"morris"}
    assert open_group(store, "runs").point.dims == ("run",)
    sweep_micro = open_group(store, "micro")
    assert "point" in sweep_micro.coords and sweep_micro.sizes["run"] == sweep_metrics.sizes["run"]
print("xarray opened every group of a result file and of a sweep store")
