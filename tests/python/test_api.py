#!/usr/bin/python3
"""The Python module's API (docs/python.md): scenarios loaded and changed through the strict
loader, runs and sweeps that give the command line's numbers bit for bit, result files read
through the one validating reader, comparisons by the C++ comparison, and trygg::Error kinds
as Python exceptions.

Usage: test_api.py TRYGG SOURCE_DIR, with PYTHONPATH=<build>/python."""
import inspect
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import xarray as xr

import trygg
from harness import SOURCE, TRYGG, run_tests

GOOD = SOURCE / "tests" / "data" / "good"
CHILD = GOOD / "child.yaml"
ALL_MEASURES = GOOD / "all-measures.yaml"
SWEEP = GOOD / "sweep-small.yaml"
LABELS = GOOD / "labels.yaml"
OLD_FILE = SOURCE / "fuzz" / "corpus" / "result_store" / "two-arms.h5"  # written by Trygg 0.2.0
WORK = Path(tempfile.mkdtemp(prefix="trygg-python-api-"))


def cli(*arguments):
    done = subprocess.run([str(TRYGG), *map(str, arguments)], capture_output=True, text=True)
    assert done.returncode == 0, f"trygg {' '.join(map(str, arguments))}: {done.stderr}"
    return done.stdout


def same_bits(a, b):
    """Equal to the bit: same dtype, shape and bytes (NaN included)."""
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def cli_result(name, scenario, *options):
    path = WORK / f"{name}.h5"
    if not path.exists():
        cli("run", scenario, "-o", path, "-q", *options)
    return path


def this_line():
    return inspect.currentframe().f_back.f_lineno


# ----- Scenarios -----

def test_scenario_loads_with_its_name_and_arms():
    scenario = trygg.Scenario.load(CHILD)
    assert scenario.name == "child"
    assert scenario.arms == ["baseline", "safety_campaign"]
    assert scenario.warnings == []
    assert scenario.replicates == 3
    assert scenario.steps == 104
    assert "Navestad" in scenario.districts


def test_old_keys_give_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario = trygg.Scenario.load(GOOD / "old-keys" / "scenario.yaml")
    assert scenario.warnings and "interventions" in scenario.warnings[0], scenario.warnings
    assert any(issubclass(w.category, trygg.ScenarioWarning) for w in caught)


def test_set_changes_a_setting_through_the_loader():
    scenario = trygg.Scenario.load(CHILD).set("population.scale", 0.02)
    assert scenario.changes == ["population.scale"]
    assert "scale: 0.02" in scenario.yaml
    small = trygg.run(scenario, arms="baseline", replicates=1)
    full = trygg.run(CHILD, arms="baseline", replicates=1)
    first = {"time": 0, "arm": 0, "replicate": 0}
    assert small["residents"].isel(first).sum() < 0.5 * full["residents"].isel(first).sum()
    # An arm's setting by its dotted key, as a sweep writes it; numpy scalars are plain values.
    scenario.set("arms.safety_campaign.set", {"safety.baseline": np.float64(0.8)})
    assert "safety.baseline: 0.8" in scenario.yaml


def test_set_is_the_same_as_writing_it_in_the_file():
    changed = WORK / "changed.yaml"
    changed.write_text(f"extends: {CHILD}\npopulation: {{scale: 0.03}}\n")
    from_file = trygg.run(changed, replicates=1)
    from_set = trygg.run(trygg.Scenario.load(CHILD).set("population.scale", 0.03), replicates=1)
    for name in from_file.data_vars:
        assert same_bits(from_file[name].values, from_set[name].values), name


def test_a_bad_value_is_a_scenario_error_at_the_calling_line():
    scenario = trygg.Scenario.load(CHILD)
    try:
        line = this_line() + 1
        scenario.set("offending.reporting.property", 1.5)
    except trygg.ScenarioError as error:
        assert isinstance(error, ValueError)
        assert error.file == __file__, error.file
        assert error.line == line, (error.line, line)
        assert error.column == 1
        assert error.key == "offending.reporting.property"
        assert error.message == "expected a number between 0 and 1, got 1.5", error.message
        assert error.errors == [str(error)]
    else:
        raise AssertionError("no ScenarioError")
    # The failed change is not kept.
    assert scenario.changes == []
    assert "property: 0.5" in scenario.yaml


def test_an_unknown_key_is_a_scenario_error_with_a_suggestion():
    try:
        trygg.Scenario.load(CHILD).set("population.scael", 0.1)
    except trygg.ScenarioError as error:
        assert error.key == "population.scael"
        assert "did you mean 'scale'?" in error.message
    else:
        raise AssertionError("no ScenarioError")


def test_a_bad_file_is_a_scenario_error_naming_file_line_and_column():
    bad = SOURCE / "tests" / "data" / "bad" / "arm-sets-bad-value.yaml"
    try:
        trygg.Scenario.load(bad)
    except trygg.ScenarioError as error:
        assert error.file == str(bad), error.file
        assert (error.line, error.column) == (6, 34)
        assert error.key == "offending.reporting.drugs"
        assert error.message.startswith("expected a number between 0 and 1, got 2")
    else:
        raise AssertionError("no ScenarioError")


def test_every_error_line_is_kept():
    sweep_file = WORK / "bad-sweep.yaml"
    sweep_file.write_text(f"base: {CHILD}\nparameters:\n  population.scale: {{values: [0]}}\n"
                          "  offending.reporting.property: {values: [7]}\n")
    try:
        trygg.sweep(sweep_file)
    except trygg.ScenarioError as error:
        assert len(error.errors) == 2, error.errors
        assert error.errors[1].endswith("(sweep point 0)"), error.errors
        assert (error.file, error.line, error.column) == (str(sweep_file), 3, 3)
        assert error.key == "population.scale"
    else:
        raise AssertionError("no ScenarioError")


# ----- Runs -----

def test_run_gives_the_command_lines_numbers_bit_for_bit():
    file = trygg.open(cli_result("child", CHILD)).by_arm()
    ds = trygg.run(trygg.Scenario.load(CHILD))
    names = [metric["name"] for metric in trygg.metric_definitions()]
    assert [name for name in ds.data_vars if name != "measure_cost_sek"] == names
    for name in [*names, "measure_cost_sek"]:
        assert same_bits(ds[name].values, file[name].values), name
    assert same_bits(ds["seed"].values, file["seed"].values)
    # The same, read by h5py rather than by Trygg's reader.
    with h5py.File(cli_result("child", CHILD)) as f:
        for name in names:
            stored = f["metrics"][name][()]  # [run, step, district]
            assert same_bits(ds[name].values.reshape(stored.shape), stored), name


def test_run_options_are_the_command_lines():
    # Every measure (so measure_cost_sek and the measures' metrics are not all zero).
    file = trygg.open(cli_result("all", ALL_MEASURES, "--replicates", "2", "--seed", "7")).by_arm()
    ds = trygg.run(ALL_MEASURES, replicates=2, seed=7, threads=2)
    assert list(ds["arm"].values) == trygg.Scenario.load(ALL_MEASURES).arms
    for name in ds.data_vars:
        assert same_bits(ds[name].values, file[name].values), name
    assert (ds["measure_cost_sek"].isel(arm=-1) > 0).all()
    assert (ds["sspf_referrals"].isel(arm=-1).sum() > 0)
    # Arms in the order asked for, on one thread.
    file = trygg.open(cli_result("child-options", CHILD, "--arms", "safety_campaign,baseline",
                                 "--replicates", "2", "--seed", "7", "--threads", "1")).by_arm()
    ds = trygg.run(CHILD, arms=["safety_campaign", "baseline"], replicates=2, seed=7, threads=1)
    assert list(ds["arm"].values) == ["safety_campaign", "baseline"]
    for name in ds.data_vars:
        assert same_bits(ds[name].values, file[name].values), name
    assert ds.attrs["threads"] == 1
    assert ds.attrs["seed"] == 7


def test_run_returns_a_described_dataset():
    scenario = trygg.Scenario.load(CHILD)
    ds = trygg.run(scenario, replicates=2)
    assert dict(ds.sizes) == {"arm": 2, "replicate": 2, "time": 104, "district": 34}
    assert ds["offences"].dims == ("arm", "replicate", "time", "district")
    assert ds["measure_cost_sek"].dims == ("arm", "replicate")
    assert ds["seed"].dims == ("replicate",)
    assert list(ds["arm"].values) == scenario.arms
    assert list(ds["replicate"].values) == [0, 1]
    assert list(ds["district"].values) == scenario.districts
    assert ds["time"].dtype.kind == "M"
    assert str(ds["time"].values[0])[:10] == "2024-01-01"
    assert (np.diff(ds["time"].values) == np.timedelta64(7, "D")).all()
    for metric in trygg.metric_definitions():
        attrs = ds[metric["name"]].attrs
        assert attrs["units"] == metric["units"]
        assert attrs["long_name"] == metric["description"]
        assert attrs["aggregation"] == metric["aggregation"]
        assert attrs["measurement"] == metric["measurement"]
    assert ds["offences"].attrs["aggregation"] == "sum"
    for key in ("trygg_version", "git_commit", "scenario_file", "scenario_name", "scenario_yaml",
                "seed", "threads", "start_utc", "end_utc", "host", "step_days"):
        assert key in ds.attrs, key
    assert ds.attrs["scenario_name"] == "child"
    assert ds.attrs["trygg_version"] == trygg.__version__


def test_dataset_round_trips_through_netcdf():
    ds = trygg.run(CHILD, replicates=2)
    path = WORK / "child.nc"
    ds.to_netcdf(path, engine="h5netcdf")
    with xr.open_dataset(path, engine="h5netcdf") as back:
        back.load()
    for name in ds.data_vars:
        assert same_bits(ds[name].values, back[name].values), name
    assert trygg.compare(back).equals(trygg.compare(ds))


# ----- Reading files -----

def test_open_reads_a_result_file():
    path = cli_result("child", CHILD)
    results = trygg.open(path)
    assert results.sweep is None
    assert results.arms == ["baseline", "safety_campaign"]
    assert dict(results.metrics.sizes) == {"run": 6, "time": 104, "district": 34}
    assert list(results.metrics["arm"].values) == ["baseline"] * 3 + ["safety_campaign"] * 3
    assert list(results.metrics["replicate"].values) == [0, 1, 2] * 2
    assert "point" not in results.metrics.coords
    runs = results.runs
    assert isinstance(runs, pd.DataFrame) and len(runs) == 6
    assert list(runs.columns) == ["run", "arm", "arm_index", "replicate", "seed", "status",
                                  "wall_seconds", "measure_cost_sek", "point", "run_index",
                                  "message"]
    assert (runs["status"] == "done").all()
    assert list(results.effects.columns) == trygg.EFFECT_COLUMNS
    assert list(results.costs.columns) == trygg.COST_COLUMNS
    assert results.provenance["scenario_name"] == "child"
    assert results.provenance["scenario_file"] == str(CHILD)
    with h5py.File(path) as f:
        assert results.provenance["git_commit"] == f.attrs["git_commit"]
        assert len(results.effects) == len(f["comparison/effects/effect"])
    assert results.districts["name"].tolist() == trygg.Scenario.load(CHILD).districts


def test_open_refuses_inconsistent_files():
    path = WORK / "corrupt.h5"
    shutil.copy(cli_result("child", CHILD), path)
    with h5py.File(path, "r+") as f:
        f["runs/arm_index"][0] = 99
    try:
        trygg.open(path)
    except ValueError as error:
        assert "not a consistent Trygg result file" in str(error), error
        assert "run 0 names arm 99 of 2" in str(error), error
        assert not isinstance(error, trygg.ScenarioError)
    else:
        raise AssertionError("the reader accepted an inconsistent file")
    try:
        trygg.open(WORK / "missing.h5")
    except FileNotFoundError:
        pass
    else:
        raise AssertionError("no FileNotFoundError")
    try:
        trygg.open(CHILD)
    except OSError as error:
        assert "HDF5" in str(error)
    else:
        raise AssertionError("no OSError for a file that is not HDF5")


# ----- Comparing -----

def test_compare_of_a_run_is_the_command_lines_comparison():
    file = trygg.open(cli_result("child", CHILD))
    ds = trygg.run(CHILD)
    effects = trygg.compare(ds)
    assert list(effects.columns) == trygg.EFFECT_COLUMNS
    assert effects.equals(file.effects)
    assert trygg.compare(file).equals(file.effects)
    assert trygg.costs(ds).equals(file.costs)
    municipality = effects.query("area == 'Municipality'")
    assert list(municipality["outcome"]) == ["offences", "reported_offences", "new_recruits",
                                             "youth_offenders", "share_unsafe"]
    assert (municipality["replicates"] == 3).all()
    # The safety campaign lowers the share feeling unsafe, and compare says so.
    unsafe = municipality.set_index("outcome").loc["share_unsafe"]
    assert unsafe["difference"] < 0 and unsafe["high"] < 0, unsafe


def test_decision_tables_are_the_files():
    """A store over parameter sets: Results.decision holds /decision's tables as DataFrames."""
    store = WORK / "decision.h5"
    cli("run", GOOD / "decision-tiny.yaml", "--parameter-sets", GOOD / "decision-tiny.sets.tsv",
        "--draws", 4, "-o", store, "-q")
    decision = trygg.open(store).decision
    assert sorted(decision) == ["acceptability", "best", "flips", "frontier", "information"]
    with h5py.File(store, "r") as f:
        for name, table in decision.items():
            assert len(table) == len(f[f"decision/{name}/row"]), name
        assert np.array_equal(decision["best"]["probability_best"].to_numpy(),
                              f["decision/best/probability_best"][:])
    assert trygg.open(WORK / "decision.h5").effects["covers"].eq("parameters and chance").all()
    assert trygg.open(WORK / "decision.h5").costs["area"].nunique() == 3


def test_compare_of_a_selection_compares_what_it_holds():
    ds = trygg.run(CHILD)
    two = trygg.compare(ds.isel(replicate=[0, 1]))
    assert (two["replicates"] == 2).all()
    try:
        trygg.compare(ds.drop_vars("offences"))
    except ValueError as error:
        assert "offences" in str(error)
    else:
        raise AssertionError("compare accepted a Dataset without a metric")


# ----- Sweeps -----

def test_sweep_gives_the_store_of_trygg_sweep():
    store = WORK / "sweep.h5"
    cli("sweep", SWEEP, "-o", store, "-q")
    written = trygg.open(store)
    swept = trygg.sweep(SWEEP, threads=2)
    assert type(swept) is type(written)
    for name in written.metrics.data_vars:
        assert same_bits(swept.metrics[name].values, written.metrics[name].values), name
    for name in ("arm", "replicate", "seed", "point", "run_index"):
        assert same_bits(swept.metrics[name].values, written.metrics[name].values), name
    assert swept.runs.drop(columns="wall_seconds").equals(written.runs.drop(columns="wall_seconds"))
    assert swept.sweep["points"].equals(written.sweep["points"])
    for key in ("name", "id", "parameters", "shard", "shards", "total_runs", "design"):
        assert swept.sweep[key] == written.sweep[key], key
    assert list(swept.sweep["points"].columns) == [
        "offending.reporting.property", "arms.safety_campaign.measures.outreach.join_given_contact"]
    try:
        swept.by_arm()
    except ValueError:
        pass
    else:
        raise AssertionError("by_arm of a sweep")
    at_point = trygg.compare(swept, point=3)
    assert (at_point["replicates"] == 2).all()
    # A store's labels, measures and language are its base scenario's (child.yaml: Swedish).
    assert swept.report_language == written.report_language == "sv"
    assert swept.arm_table.equals(written.arm_table)
    assert swept.arm_measures.equals(written.arm_measures)
    assert written.arm_measures.to_dict("records") == [
        {"arm": "safety_campaign", "measure": "outreach", "label_sv": "", "label_en": ""}]
    final = trygg.compare(swept, point=3, period="final_year")
    assert final[["arm", "area", "outcome"]].equals(at_point[["arm", "area", "outcome"]])


def test_a_sweep_shard_holds_its_runs():
    shard = trygg.sweep(SWEEP, shard="2/3")
    assert shard.sweep["shard"] == 1 and shard.sweep["shards"] == 3
    assert list(shard.runs["run_index"]) == [1, 4, 7, 10, 13]
    same = trygg.sweep(SWEEP, shard=(2, 3))
    assert same.runs.drop(columns="wall_seconds").equals(shard.runs.drop(columns="wall_seconds"))
    for bad in ("0/3", "4/3", "x"):
        try:
            trygg.sweep(SWEEP, shard=bad)
        except ValueError:
            pass
        else:
            raise AssertionError(f"shard {bad} accepted")


# ----- Labels, the final year, intervals (the planners' report v2) -----

def test_labels_and_the_report_language_are_read():
    results = trygg.open(cli_result("labels", LABELS))
    assert results.report_language == "en"
    table = results.arm_table
    assert list(table.columns) == trygg.ARM_COLUMNS
    assert table.to_dict("records") == [
        {"name": "baseline", "label_sv": "Nuläge", "label_en": "Current practice",
         "description_sv": "Kommunen arbetar som i dag.", "description_en": "Current practice."},
        {"name": "campaign", "label_sv": "Trygghetskampanj", "label_en": "Trygghetskampanj",
         "description_sv": "Residents feel safer.", "description_en": "Residents feel safer."}]
    measures = results.arm_measures
    assert list(measures.columns) == trygg.ARM_MEASURE_COLUMNS
    assert measures.to_dict("records") == [
        {"arm": "campaign", "measure": "est", "label_sv": "EST i Navestad",
         "label_en": "EST in Navestad"},
        {"arm": "campaign", "measure": "outreach", "label_sv": "", "label_en": ""}]
    by_arm = results.by_arm()
    assert list(by_arm["arm_label_sv"].values) == ["Nuläge", "Trygghetskampanj"]
    assert list(by_arm["arm_label_en"].values) == ["Current practice", "Trygghetskampanj"]
    assert by_arm.attrs["report_language"] == "en"
    assert list(results.metrics["arm_label_en"].values[:1]) == ["Current practice"]
    # trygg.run gives the same labels, and the shipped scenarios' Swedish through extends.
    ds = trygg.run(LABELS, replicates=1)
    assert list(ds["arm_label_sv"].values) == ["Nuläge", "Trygghetskampanj"]
    child = trygg.open(cli_result("child", CHILD))
    assert child.report_language == "sv"  # child.yaml extends scenarios/norrkoping.yaml
    assert list(child.arm_table["label_en"]) == ["baseline", "safety_campaign"]  # none given
    assert child.arm_measures.empty
    with h5py.File(cli_result("labels", LABELS)) as f:
        assert f.attrs["report_language"] == "en"
        assert f["arms/label_sv"].asstr()[:].tolist() == ["Nuläge", "Trygghetskampanj"]
        assert f["arm_measures/measure"].asstr()[:].tolist() == ["est", "outreach"]
    with xr.open_dataset(cli_result("labels", LABELS), group="arms", engine="h5netcdf") as arms:
        assert list(arms["description_en"].values) == ["Current practice.",
                                                       "Residents feel safer."]


def test_set_changes_labels_and_is_checked():
    scenario = trygg.Scenario.load(LABELS)
    scenario.set("arms.campaign.label", {"sv": "Kampanj", "en": "Campaign"})
    scenario.set("report.language", "sv")
    ds = trygg.run(scenario, replicates=1)
    assert list(ds["arm_label_en"].values) == ["Current practice", "Campaign"]
    assert ds.attrs["report_language"] == "sv"
    line = this_line() + 2
    try:
        scenario.set("arms.campaign.label", {"sv": "Kampanj"})
    except trygg.ScenarioError as error:
        assert error.key == "arms.campaign.label.en", error
        assert error.line == line, (error.line, line)
        assert "missing required key" in error.message
    else:
        raise AssertionError("a label without English was accepted")
    for bad in ({"sv": "Kampanj", "en": "Campaign", "de": "Kampagne"}, "x" * 41, ["a", "b"]):
        try:
            scenario.set("arms.campaign.label", bad)
        except trygg.ScenarioError:
            pass
        else:
            raise AssertionError(f"label {bad!r} accepted")
    assert "Kampanj" in scenario.yaml  # the scenario stays as it was


def test_final_year_effects_are_the_comparison_over_the_last_year():
    path = cli_result("child", CHILD)
    results = trygg.open(path)
    final = results.final_year_effects
    assert list(final.columns) == trygg.EFFECT_COLUMNS
    whole = results.effects
    assert final[["arm", "area", "outcome"]].equals(whole[["arm", "area", "outcome"]])
    assert final.equals(trygg.compare(results, period="final_year"))
    assert final.equals(trygg.compare(trygg.run(CHILD), period="final_year"))
    assert trygg.compare(results, period="horizon").equals(whole)
    with h5py.File(path) as f:
        assert np.array_equal(f["comparison/final_year_effects/difference"][:],
                              final["difference"].to_numpy(), equal_nan=True)
    unsafe = final["outcome"] == "share_unsafe"
    assert final[unsafe].equals(whole[unsafe])  # the last year's mean in both
    offences = (final["outcome"] == "offences") & (final["area"] == "Municipality")
    # A year of a two-year horizon: about half the offences.
    ratio = final[offences]["baseline_mean"].iloc[0] / whole[offences]["baseline_mean"].iloc[0]
    assert 0.4 < ratio < 0.6, ratio
    try:
        trygg.compare(results, period="last_year")
    except ValueError as error:
        assert "final_year" in str(error)
    else:
        raise AssertionError("an unknown period was accepted")


def test_intervals_stay_within_what_is_possible():
    results = trygg.open(cli_result("child-two", CHILD, "--replicates", "2"))
    for table in (results.effects, results.final_year_effects):
        assert (table["replicates"] == 2).all()
        base = table["baseline_mean"]
        assert (table["low"] >= -base).all()
        assert (table["mean_low"] >= -base).all()
        assert (table["relative_low"].dropna() >= -1).all()
        share = table["outcome"] == "share_unsafe"
        assert (table[share]["high"] <= 1 - base[share]).all()
        assert (table[share]["relative_high"] <= 1 / base[share] - 1 + 1e-12).all()
    costs = results.costs
    municipal = results.effects.query("area == 'Municipality' and outcome == 'offences'")
    assert costs["offences_averted_high"].iloc[0] <= municipal["baseline_mean"].iloc[0]


def test_efficient_frontier_is_the_decisions():
    # Option 3 costs more than option 1 and averts fewer: dominated by it. Option 1's ratio
    # (10 SEK per offence) is below option 2's step from it (20): both are on the frontier.
    rows = trygg.efficient_frontier([0, 100, 300, 250], [0, 10, 20, 5]).set_index("option")
    assert list(rows.index) == [0, 1, 3, 2]  # ordered by cost
    assert rows.loc[3, "status"] == "dominated" and rows.loc[3, "compared_with"] == 1
    assert rows.loc[1, "status"] == rows.loc[2, "status"] == "frontier"
    assert rows.loc[1, "incremental_cost_per_offence_averted"] == 10.0
    assert rows.loc[2, "incremental_cost_per_offence_averted"] == 20.0
    assert rows.loc[2, "compared_with"] == 1
    # Extended dominance: option 1's ratio (20) is above option 2's step from it (10).
    rows = trygg.efficient_frontier([0, 100, 200], [0, 5, 15]).set_index("option")
    assert rows.loc[1, "status"] == "extended_dominance"
    assert rows.loc[2, "incremental_cost_per_offence_averted"] == 200 / 15
    try:
        trygg.efficient_frontier([0, 1], [0])
    except ValueError:
        pass
    else:
        raise AssertionError("costs and effects of different lengths were accepted")


def test_student_t_quantile_is_the_comparisons():
    assert abs(trygg.student_t_quantile(0.975, 1) - 12.706204736174693) < 1e-12
    assert abs(trygg.student_t_quantile(0.975, 2) - 4.3026527297494618) < 1e-12
    assert abs(trygg.student_t_quantile(0.025, 5) + 2.5705818356363155) < 1e-12
    # The comparison's interval at one parameter set: mean -+ t(0.975, n - 1) x standard error.
    ds = trygg.run(CHILD, replicates=3)
    effects = trygg.compare(ds).set_index(["area", "outcome"])
    row = effects.loc[("Municipality", "share_unsafe")]
    weights = ds["district_residents"]  # as the comparison weights districts
    unsafe = ds["share_unsafe"].isel(time=slice(-52, None)).mean("time")
    level = (unsafe * weights).sum("district") / weights.sum("district")
    differences = (level.sel(arm="safety_campaign") - level.sel(arm="baseline")).values
    half = trygg.student_t_quantile(0.975, 2) * differences.std(ddof=1) / np.sqrt(3)
    assert abs(row["difference"] - differences.mean()) < 1e-10
    assert abs(row["high"] - (differences.mean() + half)) < 1e-9, (row["high"], half)
    for bad in ((0, 3), (1, 3), (0.975, 0), (0.975, -2)):
        try:
            trygg.student_t_quantile(*bad)
        except ValueError:
            pass
        else:
            raise AssertionError(f"student_t_quantile{bad} accepted")


def test_files_written_before_the_labels_read_with_defaults():
    old = trygg.open(OLD_FILE)
    assert old.report_language == "en"
    assert list(old.arm_table["label_sv"]) == list(old.arm_table["name"]) == ["baseline", "est"]
    with h5py.File(OLD_FILE) as f:
        descriptions = f["arms/description"].asstr()[:].tolist()
    assert list(old.arm_table["description_en"]) == descriptions
    assert list(old.arm_table["description_sv"]) == descriptions
    assert old.arm_measures.empty and list(old.arm_measures.columns) == trygg.ARM_MEASURE_COLUMNS
    assert old.final_year_effects.empty
    assert list(old.final_year_effects.columns) == trygg.EFFECT_COLUMNS
    assert len(trygg.compare(old, period="final_year")) == len(old.effects)
    assert list(old.by_arm()["arm_label_en"].values) == ["baseline", "est"]
    # A new file with the new datasets taken out reads as an old one.
    path = WORK / "labels-removed.h5"
    shutil.copy(cli_result("labels", LABELS), path)
    with h5py.File(path, "r+") as f:
        for name in ("label_sv", "label_en", "description_sv", "description_en"):
            del f["arms"][name]
        del f["arm_measures"]
        del f["comparison/final_year_effects"]
        del f.attrs["report_language"]
    removed = trygg.open(path)
    assert list(removed.arm_table["label_sv"]) == ["baseline", "campaign"]
    assert list(removed.arm_table["description_sv"]) == ["Current practice.",
                                                         "Residents feel safer."]
    assert removed.report_language == "en" and removed.arm_measures.empty
    assert removed.final_year_effects.empty
    assert "labels (sv)  baseline; campaign" in cli("info", path)
    assert "Effects in the horizon's last year" in cli("compare", path)  # computed again


# ----- Errors -----

def test_errors_are_python_exceptions():
    try:
        trygg.run(CHILD, arms=["nope"])
    except ValueError as error:
        assert "got 'nope'" in str(error)
        assert not isinstance(error, trygg.ScenarioError)
    else:
        raise AssertionError("an unknown arm ran")
    try:
        trygg.Scenario.load(WORK / "nothing.yaml")
    except FileNotFoundError as error:
        assert error.filename == str(WORK / "nothing.yaml")
    else:
        raise AssertionError("no FileNotFoundError")
    try:
        trygg.Scenario.load(CHILD).set("population", object())
    except TypeError:
        pass
    else:
        raise AssertionError("an object was accepted as a setting")
    assert issubclass(trygg.ScenarioError, ValueError)


if __name__ == "__main__":
    try:
        run_tests(dict(globals()))
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
