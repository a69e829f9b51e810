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

    # Paths that cannot be made at all: refused with exit 2 and their reason before any work
    # (they were "internal error: filesystem error", exit 1, or with --force ran the whole job
    # and failed at the final write, exit 4), by every command that writes, export --csv too.
    os.symlink(work / "loop-b", work / "loop-a")
    os.symlink(work / "loop-a", work / "loop-b")
    unmakeable = {
        "a loop of links": (work / "loop-a", "a loop of symbolic links"),
        "a path through a loop": (work / "loop-a" / "out.h5", "a loop of symbolic links"),
        "a name over NAME_MAX": (work / ("n" * 300 + ".h5"), "is too long"),
        "a folder name over NAME_MAX": (work / ("n" * 300) / "out.h5", "is too long"),
        # Fits NAME_MAX, but not with the .tmp-PID-N of the file being written.
        "a name at NAME_MAX": (work / ("n" * 250 + ".h5"), "Trygg adds up to"),
        "a path over PATH_MAX": (work / "/".join(["d" * 200] * 21) / "out.h5", "too long"),
    }
    export = ["export", shard]  # its folder is given with --csv
    unmakeable_cases = 0
    for what, (path, reason) in unmakeable.items():
        # A folder's name gets no .tmp-PID-N: export --csv takes a name at NAME_MAX.
        exporting = [("export --csv", export)] if what != "a name at NAME_MAX" else []
        for name, arguments in [*commands.items(), *exporting]:
            for force in ([], ["--force"]):
                out = ["--csv" if name == "export --csv" else "-o", path]
                said = trygg_cli.run(TRYGG, *arguments, *out, *force, expect=2)
                if reason not in said.stderr or "internal error" in said.stderr:
                    sys.exit(f"{name} -o {what} {force}: expected '{reason}' in: {said.stderr}")
                if "Wrote" in said.stdout:
                    sys.exit(f"{name} -o {what} {force}: the job ran: {said.stdout}")
                unmakeable_cases += 1
    made = sorted(p.name for p in work.iterdir()
                  if p.name.startswith(("n", "d")) or ".tmp-" in p.name or p.suffix == ".runs")
    if made:
        sys.exit(f"a path that cannot be made still made {made}")

    # trygg validation reads a result file: what is there instead is named, with exit 2.
    for what, (path, reason) in {
            "a loop of links": (work / "loop-a", "a loop of symbolic links"),
            "a folder": (targets["folder"], "a folder"),
            "a FIFO": (targets["fifo"], "a FIFO"),
            "a device": (pathlib.Path("/dev/null"), "a character device"),
    }.items():
        said = trygg_cli.run(TRYGG, "validation", path, expect=2)
        if reason not in said.stderr or "no such result file" in said.stderr:
            sys.exit(f"validation {what}: expected '{reason}' in: {said.stderr}")

print(f"special_outputs: {len(targets)} kinds of special file x {len(commands)} commands "
      f"refused with exit 2 and left as they were; {unmakeable_cases} paths that cannot be made "
      "refused before any work; validation of 4 kinds of special file")
