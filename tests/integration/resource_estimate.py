#!/usr/bin/env python3
"""Before any work, a job's time and memory are estimated on this machine (from a probe of its
own city, as many runs at once as the job runs), and a job whose memory cannot fit is refused,
naming the setting that makes it so. The estimate is within 25% of the measured peak memory
and wall time of the job.

Usage: resource_estimate.py TRYGG SOURCE_DIR
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import trygg_cli

TRYGG, SOURCE = sys.argv[1], pathlib.Path(sys.argv[2])
NORRKOPING = SOURCE / "scenarios/norrkoping.yaml"
TOLERANCE = 0.25

with tempfile.TemporaryDirectory() as folder:
    work = pathlib.Path(folder)
    # 8 arms x 100,000 replicates of the whole city: terabytes of series, on any machine.
    out = work / "huge.h5"
    said = trygg_cli.run(TRYGG, "run", NORRKOPING, "--replicates", "100000", "-o", out, expect=2)
    for part in ("of memory", "is available", "set by replicates", "--ignore-memory-estimate"):
        if part not in said.stderr:
            sys.exit(f"refusal: expected '{part}' in: {said.stderr}")
    if out.exists() or (work / "huge.h5.runs").exists():
        sys.exit("a refused job wrote something")

    # A job of a quarter of the city whose runs take most of its time and memory.
    scenario = work / "quarter.yaml"
    scenario.write_text(f"extends: {NORRKOPING}\nname: quarter\nreplicates: 4\n"
                        "population: {scale: 0.25}\ntime: {horizon_years: 3, warm_up_years: 1}\n")
    # The job's own peak resident memory, from the kernel (wait4 gives a child's usage). The
    # kernel counts the memory a process had before it ran trygg (exec), so the job is started
    # by a small Python of its own, not by this one, which holds h5py and numpy.
    arguments = [TRYGG, "run", str(scenario), "--arms", "baseline,est", "-o",
                 str(work / "quarter.h5")]
    launcher = ("import os, sys\n"
                "pid = os.fork()\n"
                "if pid == 0:\n"
                "    out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o644)\n"
                "    err = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT, 0o644)\n"
                "    os.dup2(out, 1); os.dup2(err, 2)\n"
                "    os.execv(sys.argv[3], sys.argv[3:])\n"
                "_, status, usage = os.wait4(pid, 0)\n"
                "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n")
    launched = subprocess.run([sys.executable, "-S", "-c", launcher, work / "out.txt",
                               work / "err.txt", *arguments], capture_output=True, text=True,
                              timeout=600, check=True)
    code, peak_kib = map(int, launched.stdout.split())
    stdout, stderr = (work / "out.txt").read_text(), (work / "err.txt").read_text()
    if code != 0:
        sys.exit(f"the job failed: {stdout}\n{stderr}")
    estimate = re.search(r"Estimate: .* about ([0-9.]+) s; memory at most about ([0-9.]+) MiB.*"
                         r"the finished runs' series, ([0-9.]+) MiB, on disk", stderr)
    measured_seconds = re.search(r"threads \([a-z]+\), ([0-9.]+) s", stdout)
    if not estimate or not measured_seconds:
        sys.exit(f"no estimate or no time in: {stdout}\n{stderr}")
    # The kernel counts the finished runs' series as resident while the arms are compared and
    # the file written (their pages, read back from disk, stay while memory allows): the peak
    # it measures is the memory the job needs and those pages.
    estimated_seconds = float(estimate.group(1))
    estimated_mib = float(estimate.group(2)) + float(estimate.group(3))
    seconds = float(measured_seconds.group(1))
    peak_mib = peak_kib / 1024.0  # ru_maxrss is in KiB on Linux
    print(f"resource_estimate: time {estimated_seconds:.2f} s estimated, {seconds:.2f} s "
          f"measured; memory {estimated_mib:.0f} MiB estimated, {peak_mib:.0f} MiB measured")
    for what, guess, truth in (("time", estimated_seconds, seconds),
                               ("memory", estimated_mib, peak_mib)):
        if abs(guess / truth - 1) > TOLERANCE:
            sys.exit(f"{what}: the estimate {guess:.2f} is more than {TOLERANCE:.0%} from the "
                     f"measured {truth:.2f}")
print("resource_estimate: a job too big for memory refused before any work; estimate within 25%")
