#!/usr/bin/env python3
"""Finished runs go to disk, not memory: while `trygg run` and `trygg sweep` wait to write their
file, their finished runs' series are kept in an unnamed file beside the output, so the memory
the process holds on its own (its anonymous memory, which the system can only swap) does not
grow with the runs. Measured at the start of the final write (the test hook), when every run is
finished and the arms have been compared, for a job of many runs against one of few; the file
written is the same as from a job that kept its runs in memory (the golden files and the
determinism tests check that), and nothing is left beside the output.

Usage: runs_on_disk.py TRYGG SOURCE_DIR
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

TRYGG, SOURCE = sys.argv[1], pathlib.Path(sys.argv[2])
NORRKOPING = SOURCE / "scenarios/norrkoping.yaml"
MiB = 1 << 20


def fail(message):
    sys.exit(f"runs_on_disk: {message}")


def memory_at_final_write(arguments):
    """The process's anonymous and file-backed resident memory (MiB) when it reaches the final
    write, and its exit code once it has written the file."""
    environment = dict(os.environ, TRYGG_TEST_PAUSE_BEFORE="final-write",
                       TRYGG_TEST_PAUSE_SECONDS="3")
    process = subprocess.Popen([TRYGG, *arguments], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env=environment)
    said = ""
    deadline = time.monotonic() + 600
    while "paused at final-write" not in said:
        line = process.stderr.readline()
        if not line or time.monotonic() > deadline:
            process.kill()
            fail(f"{arguments[0]} never reached its final write: {said}")
        said += line
    status = pathlib.Path(f"/proc/{process.pid}/status").read_text()
    fields = {line.split(":")[0]: line.split()[1] for line in status.splitlines()
              if line.startswith(("RssAnon", "RssFile"))}
    rest = process.stderr.read()
    if process.wait(timeout=600) != 0:
        fail(f"{arguments[0]} failed: {said}{rest}")
    return int(fields["RssAnon"]) / 1024, int(fields["RssFile"]) / 1024


with tempfile.TemporaryDirectory() as folder:
    work = pathlib.Path(folder)
    # A small city over the whole horizon: each run's series (about 3.4 MB) is large against
    # its city, so that holding the runs would show at once.
    scenario = work / "small.yaml"
    scenario.write_text(f"extends: {NORRKOPING}\nname: small\npopulation: {{scale: 0.01}}\n"
                        "output: {micro: false}\n")
    series_per_run_mib = None
    anonymous = {}
    for replicates in (5, 60):
        out = work / f"run-{replicates}.h5"
        anon, cached = memory_at_final_write(
            ["run", scenario, "--arms", "baseline,est", "--replicates", str(replicates),
             "-q", "-o", out])
        anonymous[replicates] = anon
        print(f"runs_on_disk: trygg run, {2 * replicates} runs: {anon:.0f} MiB anonymous, "
              f"{cached:.0f} MiB of file pages at the final write")
    # The series of 110 more runs: what memory would have grown by had they been held there.
    import h5py
    with h5py.File(work / "run-60.h5", "r") as f:
        values = sum(f["metrics"][name].size for name in f["metrics"]
                     if f["metrics"][name].ndim == 3)
    series_per_run_mib = values * 8 / 120 / MiB
    grown = anonymous[60] - anonymous[5]
    held = 110 * series_per_run_mib
    if grown > 0.1 * held:
        fail(f"anonymous memory grew by {grown:.0f} MiB over 110 more runs, whose series take "
             f"{held:.0f} MiB: the finished runs are held in memory")
    # A sweep keeps its runs the same way.
    sweep = work / "sweep.yaml"
    sweep.write_text(f"base: {scenario}\nname: points\narms: [baseline]\nreplicates: 30\n"
                     "design: grid\nparameters:\n"
                     "  offending.reporting.property: {values: [0.4, 0.6]}\n")
    anon, cached = memory_at_final_write(["sweep", sweep, "-q", "-o", work / "sweep.h5"])
    print(f"runs_on_disk: trygg sweep, 60 runs: {anon:.0f} MiB anonymous, {cached:.0f} MiB of "
          "file pages at the final write")
    if anon - anonymous[5] > 0.1 * 50 * series_per_run_mib:
        fail(f"the sweep holds {anon:.0f} MiB at its final write, against {anonymous[5]:.0f} "
             "MiB for 10 runs: its finished runs are held in memory")
    # The output's folder is made when missing (the series wait there first), and a job whose
    # folder is missing and that fails leaves no folder behind.
    tiny = SOURCE / "tests/data/good/tiny.yaml"
    made = work / "made" / "here" / "tiny.h5"
    said = subprocess.run([TRYGG, "run", tiny, "-q", "-o", made], capture_output=True, text=True,
                          timeout=600)
    if said.returncode != 0 or not made.is_file():
        fail(f"trygg run into a missing folder: {said.returncode} {said.stderr}")
    shutil.rmtree(work / "made")
    left = sorted(p.name for p in work.iterdir()
                  if p.name not in {"small.yaml", "sweep.yaml", "run-5.h5", "run-60.h5",
                                    "sweep.h5"})
    if left:
        fail(f"left beside the output: {left}")
print(f"runs_on_disk: memory does not grow with finished runs ({held:.0f} MiB of series for 110 "
      f"more runs; anonymous memory grew {grown:.0f} MiB)")
