#!/usr/bin/env python3
"""Command-line arguments that would give a silently wrong answer are refused with exit 2 and a
message that names the option, and nothing is written.

Usage: hostile_arguments.py TRYGG SOURCE_DIR
"""
import pathlib
import sys
import tempfile

import trygg_cli

TRYGG, SOURCE = sys.argv[1], pathlib.Path(sys.argv[2])
TINY = SOURCE / "tests/data/good/tiny.yaml"
CASES = [
    (["--arms", "baseline,baseline"], "--arms: 'baseline' is given twice"),
    (["--seed", "-1"], "--seed"),
    (["--seed", "9007199254740993"], "--seed"),
    (["--until-precise", "offences=nan"], "--until-precise"),
    (["--until-precise", "offences=-1"], "--until-precise"),
    (["--draws", "3"], "expected with --parameter-sets"),
    # CLI::Range let "nan" through: every comparison with it is false.
    (["--progress-every", "nan"], "--progress-every"),
    (["--progress-every", "inf"], "--progress-every"),
    (["--progress-every", "-1"], "--progress-every"),
    (["--progress-every", "0"], "--progress-every"),
]

with tempfile.TemporaryDirectory() as folder:
    out = pathlib.Path(folder) / "out.h5"
    for arguments, said in CASES:
        done = trygg_cli.run(TRYGG, "run", TINY, "-o", out, *arguments, expect=2)
        if said not in done.stderr:
            sys.exit(f"trygg run {' '.join(arguments)}: expected '{said}' in: {done.stderr}")
        if out.exists():
            sys.exit(f"trygg run {' '.join(arguments)}: wrote {out}")
print(f"hostile_arguments: {len(CASES)} arguments refused with exit 2, nothing written")
