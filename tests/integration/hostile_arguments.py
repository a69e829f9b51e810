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

# A table of parameter sets that the scenario refuses: exit 2 naming the table's line and column
# (not the sweep file made from it), nothing left behind, and the corrected table then runs (a
# left-over OUT.sweep.yaml made it fail with exit 3, "a different sweep file is there").
DECISION = SOURCE / "tests/data/good/decision-tiny.yaml"
SETS = SOURCE / "tests/data/good/decision-tiny.sets.tsv"
table = SETS.read_text().splitlines()  # a comment, the header, then sets from line 3
header = table[1].split("\t")
bad_tables = {
    # Line 5 (the third set): offending.youth_level is within 0 to 10.
    "a value out of range": (table[:4] + ["50\t" + table[4].split("\t")[1]] + table[5:],
                             "bad.tsv:5:1: offending.youth_level"),
    "a column given twice": ([table[0], "\t".join(header + header[:1])]
                             + [line + "\t" + line.split("\t")[0] for line in table[2:]],
                             "bad.tsv:2:" + str(len(table[1]) + 2) + ": parameter '"
                             + header[0] + "' is given twice"),
}
refused_tables = 0
for what, (lines, said) in bad_tables.items():
    with tempfile.TemporaryDirectory() as folder:
        work = pathlib.Path(folder)
        bad = work / "bad.tsv"
        bad.write_text("\n".join(lines) + "\n")
        out = work / "out.h5"
        done = trygg_cli.run(TRYGG, "run", DECISION, "-o", out, "--parameter-sets", bad,
                             "--prepare-only", expect=2)
        if said not in done.stderr or ".sweep.yaml" in done.stderr:
            sys.exit(f"--parameter-sets with {what}: expected '{said}' in: {done.stderr}")
        left = [p.name for p in work.iterdir() if p.name != "bad.tsv"]
        if left:
            sys.exit(f"--parameter-sets with {what}: a refused run left {left}")
        bad.write_text(SETS.read_text())  # corrected: the same command now goes on
        trygg_cli.run(TRYGG, "run", DECISION, "-o", out, "--parameter-sets", bad,
                      "--prepare-only")
        refused_tables += 1

print(f"hostile_arguments: {len(CASES)} arguments and {refused_tables} tables of parameter sets "
      "refused with exit 2, nothing written")
