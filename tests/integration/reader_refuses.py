#!/usr/bin/python3
"""The one reader of result files and stores refuses what does not hold together, and every
command that reads files (info, compare, sensitivity, merge) and the planners' report go
through it. Each case corrupts a copy of a real store with h5py and expects exit 2 and a
message that names the file and what is wrong; the untouched store is accepted.

Usage: reader_refuses.py TRYGG SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy

trygg, source = sys.argv[1], Path(sys.argv[2])
report_tool = source / "tools" / "trygg-report"
morris = source / "tests" / "data" / "good" / "sweep-morris-tiny.yaml"
os.environ["TRYGG"] = trygg


def run(*command, expect):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if done.returncode != expect:
        sys.exit(f"{' '.join(map(str, command))}: exit {done.returncode}, expected {expect}\n"
                 f"{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def corrupt(store, name, change):
    copy = store.with_name(name + ".h5")
    shutil.copy(store, copy)
    with h5py.File(copy, "r+") as f:
        change(f)
    return copy


def set_field(group, row, column, value):
    """One value of a table's column (tables are groups of 1-D variables)."""
    group[column][row] = value


def replace(f, name, data):
    """A dataset replaced by another of other contents or shape (its scales are not kept)."""
    del f[name]
    f.create_dataset(name, data=data)


def truncate_points(f):
    """The design one point short: the point scale, sweep/points and sweep/changed together."""
    points = f["sweep/points"][:-1]
    changed = f["sweep/changed"][:-1]
    for name in ("sweep/points", "sweep/changed", "sweep/point"):
        del f[name]
    f["sweep"].create_dataset("point", data=list(range(len(points))), dtype="u8")
    f["sweep"].create_dataset("points", data=points)
    f["sweep"].create_dataset("changed", data=changed)


def swap_run_indices(f):
    """Two runs that say each other's sweep index: each row is still in range and unique."""
    index = f["runs/run_index"][:]
    index[0], index[1] = index[1], index[0]
    f["runs/run_index"][:] = index


def shrink_places(f):
    """micro/place_incidents one place short of its dimension (the base writes /micro)."""
    shape = f["micro/place_incidents"].shape
    del f["micro/place_incidents"]
    f["micro"].create_dataset("place_incidents", shape=(shape[0], shape[1], shape[2] - 1),
                              dtype="u4")


with tempfile.TemporaryDirectory() as folder:
    work = Path(folder)
    whole = work / "whole.h5"
    run(trygg, "sweep", morris, "-o", whole, "-q", expect=0)
    run(trygg, "sensitivity", whole, expect=0)
    shard = work / "shard.h5"
    run(trygg, "sweep", morris, "-o", shard, "--shard", "1/2", "-q", expect=0)
    other_shard = work / "shard2.h5"
    run(trygg, "sweep", morris, "-o", other_shard, "--shard", "2/2", "-q", expect=0)
    run(trygg, "info", whole, expect=0)

    cases = [
        # (name, change, command, what the message must say)
        ("arm", lambda f: set_field(f["runs"], 0, "arm_index", 99),
         ["info"], "run 0 names arm 99 of 1"),
        ("changed", lambda f: f["sweep/changed"].__setitem__(1, 7),
         ["sensitivity"], "sweep/changed[1] = 7 names no parameter"),
        ("point", lambda f: set_field(f["runs"], 2, "point", 50),
         ["compare"], "run 2 is at sweep point 50 of"),
        ("version", lambda f: f.attrs.__setitem__("format_version", 99),
         ["info"], "written in format version 99; this trygg reads version 2"),
        ("status", lambda f: set_field(f["runs"], 1, "status", "half"),
         ["info"], "run 1 has status 'half'"),
        ("twice", lambda f: set_field(f["runs"], 1, "run_index", int(f["runs/run_index"][0])),
         ["info"], "is stored twice"),
        ("micro_shape", shrink_places, ["info"], "micro/place_incidents has the shape"),
        ("micro_district", lambda f: f["micro/place_district"].__setitem__(0, 99),
         ["compare"], "micro/place_district[0] = 99"),
        # Issue 17, point 1: each of these gave a heap overflow or indices of 0 with exit 0.
        ("changed_far", lambda f: f["sweep/changed"].__setitem__(3, 100000),
         ["sensitivity"], "sweep/changed[3] = 100000 names no parameter"),
        ("changed_negative", lambda f: f["sweep/changed"].__setitem__(2, -9),
         ["sensitivity"], "sweep/changed[2] = -9 names no parameter"),
        ("no_changed", lambda f: f["sweep"].__delitem__("changed"),
         ["sensitivity"], "sweep/changed has 0 entries for the"),
        ("points_truncated", lambda f: replace(f, "sweep/points", f["sweep/points"][:-1]),
         ["sensitivity"], "sweep/points: expected [point, parameter]"),
        ("design_truncated", truncate_points, ["sensitivity"], "is at sweep point"),
        ("run_index_far", lambda f: set_field(f["runs"], 0, "run_index", 2**40),
         ["sensitivity"], "has index 1099511627776 in a sweep of"),
        ("run_indices_swapped", swap_run_indices, ["sensitivity"], "(expected index"),
        ("total_runs", lambda f: f["sweep"].attrs.__setitem__(
            "total_runs", int(f["sweep"].attrs["total_runs"]) + 1),
         ["compare"], "sweep total_runs is"),
        ("version_999", lambda f: f.attrs.__setitem__("format_version", 999),
         ["sensitivity"], "written in format version 999"),
        ("metric_missing", lambda f: f["metrics"].__delitem__("offences"),
         ["info"], "metrics/offences is missing"),
        ("metric_shape", lambda f: replace(f, "metrics/offences", f["metrics/offences"][:, :, 0]),
         ["compare"], "metrics/offences does not have the shape [run, time, district]"),
        ("scenario_not_utf8", lambda f: f.attrs.__setitem__("scenario_yaml",
                                                            numpy.bytes_(b"name: \xff\xfe")),
         ["info"], "the scenario text (attribute scenario_yaml) is not UTF-8 text"),
    ]
    for name, change, command, message in cases:
        bad = corrupt(whole, name, change)
        said = run(trygg, *command, bad, expect=2)
        assert str(bad) in said and message in said, f"{name}: {said}"
        assert "Segmentation" not in said and len(said.strip().splitlines()) == 1, f"{name}: {said}"
    # A shard whose run belongs to the other shard: merge refuses it before merging.
    foreign = corrupt(shard, "foreign", lambda f: set_field(f["runs"], 0, "run_index", 1))
    said = run(trygg, "merge", "-o", work / "merged.h5", foreign, other_shard, expect=2)
    assert "belongs to another shard than 1 of 2" in said, said
    assert not (work / "merged.h5").exists()
    run(trygg, "merge", "-o", work / "merged.h5", shard, other_shard, expect=0)
    # The report reads through the same reader (the Python package trygg, whose native module is
    # Trygg's C++ reader): it refuses what trygg refuses, with trygg's message, in one line and
    # without a traceback (issue 17, point 4), and writes no report. Only where this build
    # made the Python package (TRYGG_PYTHONPATH, release builds).
    reported = 0
    if os.environ.get("TRYGG_PYTHONPATH"):
        for name, message in [("arm", "run 0 names arm 99 of 1"),
                              ("scenario_not_utf8", "scenario_yaml) is not UTF-8 text"),
                              ("metric_shape", "metrics/offences does not have the shape"),
                              ("metric_missing", "metrics/offences is missing")]:
            bad = work / f"{name}.h5"
            said = run(report_tool, bad, "-o", work / "report", expect=2)
            assert message in said and str(bad) in said, f"report, {name}: {said}"
            assert "Traceback" not in said and len(said.strip().splitlines()) == 1, said
            assert not (work / "report").exists()
            reported += 1

# The corrupted stores, the foreign shard: counted, not written down.
print(f"the reader refused {len(cases) + 1} corrupted stores and accepted the whole ones; "
      f"the report refused {reported} of them as trygg did")
