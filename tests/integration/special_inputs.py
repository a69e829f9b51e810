#!/usr/bin/env python3
"""Inputs are only ever regular files of a bounded size: a folder, a FIFO (which would block), a
character device (/dev/zero never ends), a loop of symbolic links, a missing file or a file
above its size limit, given to any command that reads one (or named by `extends:`), is refused
with exit 2 and a message that says which, promptly and without writing anything.

Usage: special_inputs.py TRYGG SOURCE_DIR
"""
import os
import pathlib
import resource
import subprocess
import sys
import tempfile

import trygg_cli

TRYGG, SOURCE = sys.argv[1], pathlib.Path(sys.argv[2])
GOOD = SOURCE / "tests/data/good"
MiB = 1 << 20

with tempfile.TemporaryDirectory() as folder:
    work = pathlib.Path(folder)
    (work / "a-folder").mkdir()
    os.mkfifo(work / "a-fifo")
    os.symlink(work / "loop-b", work / "loop-a")
    os.symlink(work / "loop-a", work / "loop-b")
    os.symlink(work / "a-fifo", work / "link-to-fifo")
    for name, size in (("huge.yaml", 17 * MiB), ("huge.csv", 257 * MiB)):
        with open(work / name, "wb") as f:  # sparse: no disk is used
            f.truncate(size)
    inputs = {
        "a folder": (work / "a-folder", "a folder"),
        "a FIFO": (work / "a-fifo", "a FIFO (named pipe)"),
        "a link to a FIFO": (work / "link-to-fifo", "a FIFO (named pipe)"),
        "/dev/zero": (pathlib.Path("/dev/zero"), "a character device"),
        "a loop of links": (work / "loop-a", "a loop of symbolic links"),
        "a missing file": (work / "missing.yaml", "no such file"),
    }
    out = work / "out.h5"
    commands = {
        "run": lambda p: ["run", p, "-o", out],
        "validate": lambda p: ["validate", p],
        "sweep": lambda p: ["sweep", p, "-o", out],
        "plan": lambda p: ["plan", p],
        "calibrate": lambda p: ["calibrate", p, "-o", out],
        "import-scb": lambda p: ["import-scb", p, "-o", work / "out.yaml"],
        "info": lambda p: ["info", p],
        "compare": lambda p: ["compare", p],
        "export": lambda p: ["export", p, "--csv", work / "csv"],
        "check-targets": lambda p: ["check-targets", p],
        "run --parameter-sets": lambda p: ["run", GOOD / "decision-tiny.yaml", "-o", out,
                                           "--parameter-sets", p],
    }
    tried = 0
    for what, (path, reason) in inputs.items():
        # extends: names the special file from inside a scenario.
        extending = work / "extends.yaml"
        extending.write_text(f"extends: {path}\n")
        cases = [(name, make(path)) for name, make in commands.items()]
        cases.append(("run (extends:)", ["run", extending, "-o", out]))
        for name, arguments in cases:
            said = trygg_cli.run(TRYGG, *arguments, expect=2)  # a hang fails by the timeout
            if reason not in said.stderr:
                sys.exit(f"{name} on {what}: expected '{reason}' in: {said.stderr}")
            tried += 1
    for name, arguments, said_part in (
            ("run", ["run", work / "huge.yaml", "-o", out], "above the limit of 16.0 MiB"),
            ("validate", ["validate", work / "huge.yaml"], "above the limit of 16.0 MiB"),
            ("import-scb", ["import-scb", work / "huge.csv", "-o", work / "out.yaml"],
             "above the limit of 256.0 MiB"),
            ("check-targets --years -1", ["check-targets", GOOD / "tiny.yaml", "--years", "-1"],
             "--years: expected model years from 1"),
            # tiny.yaml's horizon is one year: year 50 is past it (a date past the horizon was
            # clamped to its last step, and year 50 was "checked" there).
            ("check-targets --years 50", ["check-targets", GOOD / "tiny.yaml", "--years", "50"],
             "--years: expected model years from 1 to the horizon's 1, got 50"),
            ("check-targets --years 1,2", ["check-targets", GOOD / "tiny.yaml", "--years", "1,2"],
             "--years: expected model years from 1 to the horizon's 1, got 2"),
    ):
        said = trygg_cli.run(TRYGG, *arguments, expect=2)
        if said_part not in said.stderr:
            sys.exit(f"{name}: expected '{said_part}' in: {said.stderr}")
        tried += 1
    # Under the size limit but millions of values: refused by a first pass that builds nothing,
    # before yaml-cpp's tree of it would take gigabytes (it took 3.6 GB and 38 s to refuse).
    many = work / "many-values.yaml"
    many.write_text("population: [" + ",".join(["0"] * 7_000_000) + "]\n")
    process = subprocess.Popen([TRYGG, "validate", many], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        sys.exit("validate on 7 million values: no answer in 120 s")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    expected = f"{many}:1:2000008: more than 1000000 values in one document"
    if process.returncode != 2 or expected not in stderr:
        sys.exit(f"validate on 7 million values: expected exit 2 and '{expected}', got "
                 f"{process.returncode}: {stderr}")
    # 45 MiB in a release build; a sanitizer's allocator and shadow take several times that.
    if peak_mib > 1024:
        sys.exit(f"validate on 7 million values took {peak_mib:.0f} MiB to refuse them")
    tried += 1
    written = [p.name for p in work.iterdir() if p.name.startswith("out") or ".tmp-" in p.name]
    if written:
        sys.exit(f"a refused input still wrote {written}")
print(f"special_inputs: {tried} special or oversized inputs refused with exit 2, nothing written")
