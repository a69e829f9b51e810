#!/usr/bin/env python3
"""Outputs are only ever regular files: a folder, a FIFO, a character device (a copy of
/dev/null's node, made in a temporary folder) or a link to one at -o is refused with exit 2
before any work, by every command that writes, with or without --force, and is left as it was.

Usage: special_outputs.py TRYGG SOURCE_DIR
"""
import os
import pathlib
import stat
import sys
import tempfile

import trygg_cli

TRYGG, SOURCE = sys.argv[1], pathlib.Path(sys.argv[2])
GOOD = SOURCE / "tests/data/good"


def kind(path):
    mode = os.lstat(path).st_mode
    return stat.S_IFMT(mode)


with tempfile.TemporaryDirectory() as folder:
    work = pathlib.Path(folder)
    targets = {"folder": work / "a-folder", "fifo": work / "a-fifo"}
    targets["folder"].mkdir()
    os.mkfifo(targets["fifo"])
    try:  # a character device like /dev/null: needs root, as CI runs
        os.mknod(work / "a-device", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets["device"] = work / "a-device"
        os.symlink(work / "a-device", work / "a-link")
        targets["link to a device"] = work / "a-link"
    except PermissionError:
        print("special_outputs: not root, no device node: folders and FIFOs only")
    shard = work / "shard.h5"
    trygg_cli.run(TRYGG, "sweep", GOOD / "sweep-small.yaml", "-o", shard, "--shard", "1/1", "-q")
    commands = {
        "run": ["run", GOOD / "tiny.yaml"],
        "run over parameter sets": ["run", GOOD / "decision-tiny.yaml", "--parameter-sets",
                                    GOOD / "decision-tiny.sets.tsv"],
        "sweep": ["sweep", GOOD / "sweep-small.yaml"],
        "merge": ["merge", shard],
        "import-scb": ["import-scb", SOURCE / "tests/data/scb/population-region-age-sex.csv"],
        "calibrate": ["calibrate", GOOD / "calibration-tiny.yaml"],
    }
    for what, path in targets.items():
        before = kind(path)
        for name, arguments in commands.items():
            for force in ([], ["--force"]):
                said = trygg_cli.run(TRYGG, *arguments, "-o", path, *force, expect=2)
                if "expected the path of a file to write" not in said.stderr:
                    sys.exit(f"{name} -o {what} {force}: unclear: {said.stderr}")
                if kind(path) != before:
                    sys.exit(f"{name} -o {what} {force}: the {what} was replaced")
        leftovers = [p.name for p in work.iterdir() if ".tmp-" in p.name or p.suffix == ".runs"]
        if leftovers:
            sys.exit(f"-o {what}: left behind {leftovers}")

print(f"special_outputs: {len(targets)} kinds of special file x {len(commands)} commands "
      "refused with exit 2 and left as they were")
