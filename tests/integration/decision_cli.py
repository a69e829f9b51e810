#!/usr/bin/env python3
"""trygg run --parameter-sets on the two-district test town: runs over parameter sets are
reproducible to the bit whatever the thread count and whether they ran in one process, in shards
that were merged, over MPI ranks, or as the sweep file they write (a batch job); without --draws
as many sets run as make 50 paired replicates; a calibration store's accepted sets are the sets
run; --until-precise adds draws without changing those run; the stored decision measures are
coherent; bad input is refused.

Usage: decision_cli.py TRYGG SOURCE_DIR
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

import trygg_cli

TRYGG, SOURCE = sys.argv[1], pathlib.Path(sys.argv[2])
SCENARIO = SOURCE / "tests/data/good/decision-tiny.yaml"
SETS = SOURCE / "tests/data/good/decision-tiny.sets.tsv"
CALIBRATION = SOURCE / "tests/data/good/calibration-tiny.yaml"


def run(*args, expect=0):
    return trygg_cli.run(TRYGG, *args, expect=expect)


def same(a, b, what):
    """Bit for bit, but each run's wall-clock time."""
    trygg_cli.same(a, b, what, ignore=("runs/wall_seconds",))


def table(f, group):
    g = f[group]
    return {name: (g[name].asstr()[:] if g[name].dtype.kind == "O" else g[name][:])
            for name in g if name != "row"}


def check(condition, message):
    if not condition:
        sys.exit(message)


def mpi_expected():
    """Whether this trygg's build asked for MPI (TRYGG_MPI in the CMake cache of the build the
    binary lies in, as the sweep's MPI test is registered only then), or TRYGG_EXPECT_MPI=1."""
    if os.environ.get("TRYGG_EXPECT_MPI") == "1":
        return True
    for folder in pathlib.Path(TRYGG).resolve().parents:
        cache = folder / "CMakeCache.txt"
        if cache.is_file():
            for line in cache.read_text(errors="replace").splitlines():
                if line.startswith("TRYGG_MPI:"):
                    value = line.split("=", 1)[1].strip().upper()
                    return value in ("ON", "TRUE", "YES", "Y", "1")
            return False
    return False


def rows(points):
    """A table's rows as a sorted list of tuples (the sets, whatever their order)."""
    return sorted(map(tuple, np.asarray(points).tolist()))


with tempfile.TemporaryDirectory() as folder:
    work = pathlib.Path(folder)
    common = ("--parameter-sets", SETS, "--draws", 6, "-q")

    # One process, one thread and two.
    one, two = work / "one.h5", work / "two.h5"
    run("run", SCENARIO, *common, "--threads", 1, "-o", one)
    run("run", SCENARIO, *common, "--threads", 2, "-o", two)
    same(one, two, "threads 1 against 2")

    # Two shards, merged; a shard's command names the sets' file another way.
    run("run", SCENARIO, *common, "--shard", "1/2", "-o", work / "s1.h5")
    run("run", SCENARIO, "--parameter-sets", f"{SOURCE}/tests/../tests/data/good/decision-tiny.sets.tsv",
        "--draws", 6, "-q", "--shard", "2/2", "-o", work / "s2.h5")
    run("merge", "-o", work / "merged.h5", work / "s1.h5", work / "s2.h5")
    same(one, work / "merged.h5", "one process against merged shards")

    # The sweep file alone, run by trygg sweep (a batch job).
    prepared = work / "prepared.h5"
    run("run", SCENARIO, *common, "--prepare-only", "-o", prepared)
    run("sweep", f"{prepared}.sweep.yaml", "-o", prepared, "-q")
    same(one, prepared, "trygg run against its sweep file run by trygg sweep")

    # Over two MPI ranks: the same store as one process, datasets and attributes (but the root's
    # provenance and the wall times, which tools/compare-results leaves out). The store names its
    # sweep file by the path given with -o, so the ranks write to the same path as one process
    # did, its store set aside meanwhile.
    launcher = shutil.which("mpirun") or shutil.which("mpiexec")
    expected = mpi_expected()
    if launcher is None:
        check(not expected, "this trygg was built with TRYGG_MPI, but there is no mpirun")
        print("decision_cli: no mpirun here; runs over MPI ranks not checked")
    else:
        single = work / "single.h5"
        shutil.copyfile(one, single)
        one.unlink()
        # CI runs as root, which OpenMPI refuses unless told.
        mpi = subprocess.run(
            [launcher, "--oversubscribe", "-n", "2", TRYGG, "run", SCENARIO, "--parameter-sets",
             SETS, "--draws", "6", "--threads", "1", "-o", one],
            capture_output=True, text=True, timeout=600,
            env=dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1"))
        if mpi.returncode != 0 and "built without MPI" in mpi.stderr:
            check(not expected, "the build asked for TRYGG_MPI, but this trygg was built without "
                  f"MPI:\n{mpi.stderr}")
            check(not one.exists(), "a trygg without MPI launched by mpirun wrote nothing")
            print("decision_cli: this trygg was built without MPI; MPI ranks not checked")
        else:
            check(mpi.returncode == 0, f"mpirun -n 2 trygg run: exit {mpi.returncode}\n"
                  f"{mpi.stdout}\n{mpi.stderr}")
            # One session of two ranks, not two whole runs: one summary, by rank 0, and the
            # store's threads are both ranks' (one each).
            check(mpi.stdout.count("\nWrote ") == 1, f"one summary, by rank 0:\n{mpi.stdout}")
            with h5py.File(one, "r") as f:
                check(f.attrs["threads"] == 2, f"2 ranks of 1 thread, got {f.attrs['threads']}")
            same(single, one, "one process against 2 MPI ranks")
            compared = subprocess.run(
                [sys.executable, SOURCE / "tools/compare-results", single, one],
                capture_output=True, text=True, timeout=600)
            check(compared.returncode == 0,
                  f"one process against 2 MPI ranks:\n{compared.stdout}{compared.stderr}")
        os.replace(single, one)

    with h5py.File(one, "r") as f:
        # The sets' file, relative to the sweep file's folder: the sweep's text (and id) do not
        # depend on how the path was typed.
        named = f["sweep"].attrs["parameter_sets"]
        check((work / named).resolve() == SETS.resolve(), f"the store names its sets: {named}")
        check(f["sweep/points"].shape == (6, 2), "6 parameter sets of 2 parameters")
        runs = len(f["runs/arm_index"])
        check(runs == 6 * 4 * 2, f"6 sets x 4 arms x 2 replicates, got {runs} runs")
        # Common random numbers within a set, seeds of their own between sets.
        seeds, points = f["runs/seed"][:], f["runs/point"][:]
        for p in range(6):
            in_set = seeds[points == p]
            check(len(set(in_set)) == 2, f"set {p}: every arm's replicate k shares its seed")
        check(len(set(seeds)) == 12, "each set's runs have seeds of their own")
        effects = table(f, "comparison/effects")
        check(set(effects["covers"]) == {"parameters and chance"}, "intervals cover parameters")
        check((effects["parameter_sets"] == 6).all(), "effects over 6 parameter sets")
        check((effects["relative_low"][np.isfinite(effects["relative_low"])] >= -1).all(),
              "no relative change below -100%")
        shares = effects["parameter_share"] + effects["chance_share"]
        check(np.allclose(shares[np.isfinite(shares)], 1), "variance shares add up to 1")

        decision = f["decision"]
        check(decision.attrs["parameter_sets"] == 6, "decision over 6 sets")
        best = table(f, "decision/best")
        for area in set(best["area"]):
            for outcome in set(best["outcome"]):
                chosen = (best["area"] == area) & (best["outcome"] == outcome)
                check(abs(best["probability_best"][chosen].sum() - 1) < 1e-12,
                      f"{area} {outcome}: P(best) adds up to 1")
        curve = table(f, "decision/acceptability")
        for area in set(curve["area"]):
            for wtp in set(curve["willingness_to_pay_sek"]):
                chosen = (curve["area"] == area) & (curve["willingness_to_pay_sek"] == wtp)
                check(abs(curve["probability"][chosen].sum() - 1) < 1e-12,
                      f"{area} at {wtp}: acceptability adds up to 1")
                check(curve["expected_best"][chosen].sum() == 1, "one arm to choose")
        check(set(curve["area"]) == {"Municipality", "North", "South"},
              f"acceptability for every area (costs by district), got {set(curve['area'])}")
        info = table(f, "decision/information")
        evpi = info["value_sek"][info["parameter"] == ""]
        check((evpi >= 0).all(), "EVPI >= 0")
        partial = info["parameter"] != ""
        check(set(info["parameter"][partial]) == {"offending.youth_level", "safety.baseline"},
              "EVPPI for each parameter")
        frontier = table(f, "decision/frontier")
        municipal = frontier["area"] == "Municipality"
        check(frontier["arm"][municipal][0] == "baseline", "the frontier starts at the baseline")
        check(set(frontier["status"]) <= {"frontier", "dominated", "extended_dominance"},
              "frontier statuses")

    # xarray (netCDF-4 through h5netcdf) reads every decision table as a Dataset along `row`.
    import xarray as xr
    for name in ("best", "frontier", "acceptability", "information", "flips"):
        table_read = xr.open_dataset(one, group=f"decision/{name}", engine="h5netcdf")
        check("row" in table_read.dims, f"decision/{name} has its dimension row")
    costs_read = xr.open_dataset(one, group="comparison/area_costs", engine="h5netcdf")
    check(set(costs_read.area.values) == {"Municipality", "North", "South"}, "area_costs areas")

    info = run("info", one).stdout
    check("/decision over 6 parameter sets" in info and "drawn from" in info, info)

    # trygg export writes the decision measures as CSV beside the other tables.
    run("export", one, "--csv", work / "csv")
    with h5py.File(one, "r") as f:
        for name in ("best", "frontier", "acceptability", "information", "flips"):
            lines = (work / "csv" / f"decision_{name}.csv").read_text().splitlines()
            check(len(lines) == 1 + len(f[f"decision/{name}/row"]), f"decision_{name}.csv")

    # trygg compare prints the decision measures; a discount rate of 0 leaves costs as spent.
    shown = run("compare", one, "--discount-rate", "0").stdout
    check("Decision measures over 6 parameter sets" in shown, shown)
    check("Efficient frontier" in shown and "EVPPI" in shown, shown)

    # --until-precise adds draws in batches, keeping the runs of the sets already drawn.
    grown = work / "grown.h5"
    run("run", SCENARIO, "--parameter-sets", SETS, "--draws", 3, "--max-draws", 9,
        "--until-precise", "offences=1e-9", "-q", "-o", grown)
    first = work / "first.h5"
    run("run", SCENARIO, "--parameter-sets", SETS, "--draws", 3, "-q", "-o", first)
    with h5py.File(grown, "r") as g, h5py.File(first, "r") as f:
        check(g["sweep/points"].shape[0] == 9, "three batches of 3 draws")
        check((g["sweep/points"][:3] == f["sweep/points"][:]).all(), "the first draws kept")
        kept = g["runs/point"][:] < 3
        for metric in ("offences", "measure_cost"):
            check(np.array_equal(g[f"metrics/{metric}"][kept], f[f"metrics/{metric}"][:]),
                  f"{metric}: the runs of the first draws unchanged")

    # The estimate counts the runs that will be made: without --until-precise the draw alone,
    # 6 sets x 4 arms x 2 replicates (it counted every set of the table, "Estimate: 80 runs"),
    # and with it the most its batches may draw, 9 sets.
    said = run("run", SCENARIO, "--parameter-sets", SETS, "--draws", 6, "--estimate-only", "-o",
               work / "estimate.h5").stdout
    check("Estimate: 48 runs" in said, said)
    said = run("run", SCENARIO, "--parameter-sets", SETS, "--draws", 3, "--max-draws", 9,
               "--until-precise", "offences=1e-9", "--estimate-only", "-o",
               work / "estimate.h5").stdout
    check("Estimate: 72 runs" in said, said)
    check(not (work / "estimate.h5").exists() and not (work / "estimate.h5.sweep.yaml").exists(),
          "--estimate-only wrote nothing")

    # Without --draws: as many sets as make at least 50 paired replicates in all, 25 of 2
    # replicates (docs/decisions.md), from a table of 30 sets; two arms keep it short.
    generator = np.random.default_rng(16)
    many = work / "many.tsv"
    many.write_text("offending.youth_level\tsafety.baseline\n" + "".join(
        f"{generator.uniform(0.7, 1.1):.6f}\t{generator.uniform(0.7, 0.9):.6f}\n"
        for _ in range(30)))
    table_sets = rows([[float(v) for v in line.split("\t")]
                       for line in many.read_text().splitlines()[1:]])
    default = work / "default.h5"
    run("run", SCENARIO, "--parameter-sets", many, "--arms", "baseline,est", "-q", "-o", default)
    with h5py.File(default, "r") as f:
        drawn = rows(f["sweep/points"][:])
        check(len(drawn) == 25, f"25 sets by default, got {len(drawn)}")
        check(len(set(drawn)) == 25 and set(drawn) <= set(table_sets),
              "25 different sets of the table")
        arms, points = f["runs/arm"].asstr()[:], f["runs/point"][:]
        replicates = f["runs/replicate"][:]
        check(len(arms) == 25 * 2 * 2, f"25 sets x 2 arms x 2 replicates, got {len(arms)} runs")
        for arm in ("baseline", "est"):
            pairs = set(zip(points[arms == arm], replicates[arms == arm]))
            check(len(pairs) == 50 and (arms == arm).sum() == 50,
                  f"{arm}: 50 paired replicates (25 sets x 2), got {len(pairs)}")
        check(f["decision"].attrs["parameter_sets"] == 25, "decision over the 25 sets")
    # The default follows --replicates (17 sets of 3 make 51), and a table of fewer sets than
    # the default runs every one, saying so: the plans alone (--prepare-only).
    plan = run("run", SCENARIO, "--parameter-sets", many, "--replicates", 3, "--prepare-only",
               "-o", work / "plan3.h5").stdout
    check("204 runs (17 parameter sets x 4 arms x 3 replicates)" in plan, plan)
    plan = run("run", SCENARIO, "--parameter-sets", SETS, "--prepare-only", "-o",
               work / "plan10.h5")
    check("(10 parameter sets x 4 arms x 2 replicates)" in plan.stdout, plan.stdout)
    check("holds 10 parameter sets, fewer than the default draw of 25; running every one"
          in plan.stderr, plan.stderr)

    # From a calibration store rather than its table: the sets run are exactly the accepted ones
    # of its posterior ensemble (/ensemble: accepted among points), not the rejected candidates.
    store = work / "calibration.h5"
    run("calibrate", CALIBRATION, "-o", store, "-q")
    with h5py.File(store, "r") as f:
        names = list(f["parameters/name"].asstr()[:])
        candidates = f["ensemble/points"][:]
        flags = f["ensemble/accepted"][:] != 0
        accepted = f["ensemble/accepted_points"][:]
    check(rows(accepted) == rows(candidates[flags]), "the store's accepted points are its flagged")
    kept = len(accepted)
    check(2 <= kept < len(candidates), f"a store with some rejected candidates: {kept} of "
          f"{len(candidates)} accepted")
    ensemble = work / "ensemble.h5"
    run("run", SCENARIO, "--parameter-sets", store, "--draws", kept, "-q", "-o", ensemble)
    with h5py.File(ensemble, "r") as f:
        check(list(f["sweep/parameter"].asstr()[:]) == names,
              f"the store's parameters, got {list(f['sweep/parameter'].asstr()[:])}")
        check(rows(f["sweep/points"][:]) == rows(accepted),
              "the sets run are not exactly the store's accepted sets")
        check((work / f["sweep"].attrs["parameter_sets"]).resolve() == store.resolve(),
              f"the result names the store: {f['sweep'].attrs['parameter_sets']}")
        check(sorted(set(f["runs/point"][:])) == list(range(kept)) and
              len(f["runs/point"]) == kept * 4 * 2, "every accepted set's runs")
        check(f["decision"].attrs["parameter_sets"] == kept, f"decision over {kept} sets")
    bad = run("run", SCENARIO, "--parameter-sets", store, "--draws", kept + 1, "-o",
              work / "v.h5", expect=2)
    check(f"expected at most the {kept} parameter sets" in bad.stderr, bad.stderr)

    # Bad input: a clear error (exit 2), nothing written.
    bad = run("run", SCENARIO, "--parameter-sets", SETS, "--draws", 11, "-o", work / "x.h5",
              expect=2)
    check("expected at most the 10 parameter sets" in bad.stderr, bad.stderr)
    check(not (work / "x.h5").exists(), "nothing written")
    run("run", SCENARIO, "--draws", 3, "-o", work / "y.h5", expect=2)
    run("run", SCENARIO, "--parameter-sets", SETS, "--until-precise", "offences=1", "--shard",
        "1/2", "-o", work / "w.h5", expect=2)
    broken = work / "broken.tsv"
    broken.write_text("offending.youth_level\tsafety.baseline\n1.0\t0.8\n1.0\tlow\n")
    bad = run("run", SCENARIO, "--parameter-sets", broken, "-o", work / "z.h5", expect=2)
    check(f"{broken}:3:5: safety.baseline: expected a finite number" in bad.stderr, bad.stderr)
    unknown = work / "unknown.tsv"
    unknown.write_text("offending.no_such_setting\n1.0\n")
    run("run", SCENARIO, "--parameter-sets", unknown, "-o", work / "u.h5", expect=2)

print("decision_cli: ok")
