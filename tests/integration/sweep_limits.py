#!/usr/bin/env python3
"""Sweeps at and beyond their limits (issue 17, points 2 and 3): a grid of the allowed maximum
of 10 million points is planned within a generous time (a hang check, not a benchmark); a grid
one point above it, and one whose count wrapped round 64 bits to 0 (which crashed plan and
sweep), are refused with exit 2 naming the parameter; sweep keys that add a measure to an arm
or name no arm are refused with their position. Nothing is written.

Usage: sweep_limits.py TRYGG SOURCE_DIR
"""
import pathlib
import subprocess
import sys
import tempfile

TRYGG, SOURCE = sys.argv[1], pathlib.Path(sys.argv[2])
BASE = SOURCE / "tests/data/good/child-outreach.yaml"
BAD = SOURCE / "tests/data/bad-sweeps"


def trygg(*args, expect, timeout=300):
    try:
        done = subprocess.run([TRYGG, *map(str, args)], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        sys.exit(f"trygg {' '.join(map(str, args))}: no answer within {timeout} s")
    if done.returncode != expect:
        sys.exit(f"trygg {' '.join(map(str, args))}: exit {done.returncode}, expected {expect}\n"
                 f"{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def grid(path, first, second):
    """A grid over two parameters with `first` x `second` values."""
    low = [0.4 + 0.2 * i / first for i in range(first)]
    high = [0.010 + 0.010 * i / second for i in range(second)]
    path.write_text(f"base: {BASE}\nname: {path.stem}\ndesign: grid\nreplicates: 1\n"
                    "arms: [baseline]\nparameters:\n"
                    f"  offending.reporting.property: {{values: {low!r}}}\n"
                    f"  safety.incident_sensitivity: {{values: {high!r}}}\n")
    return path


with tempfile.TemporaryDirectory() as folder:
    work = pathlib.Path(folder)
    out = work / "out.h5"
    # The allowed maximum: plan answers without making every point.
    said = trygg("plan", grid(work / "ten-million.yaml", 1000, 10000), expect=0, timeout=30)
    assert "10000000 points x 1 arms x 1 replicates = 10000000 runs" in said, said
    assert "checked: " in said and "of the 10000000 points" in said, said
    # One point more is refused, naming the parameter that takes the grid over.
    above = grid(work / "above.yaml", 1000, 10001)
    for command in (["plan", above], ["sweep", above, "-o", out, "-q"]):
        said = trygg(*command, expect=2)
        assert (f"{above}:8:3: parameters.safety.incident_sensitivity: its 10001 values make "
                "the grid more than 10000000 points") in said, said
    # 16 parameters of 16 values: 2^64 points, which wrapped round to 0 and crashed.
    for command in (["plan", BAD / "grid-wraps.yaml"],
                    ["sweep", BAD / "grid-wraps.yaml", "-o", out, "-q"]):
        said = trygg(*command, expect=2)
        assert "parameters.p6: its 16 values make the grid more than 10000000 points" in said, said
    # Sweep keys that would add a measure to an arm, or name an arm that is not there.
    for name, message in [
            ("adds-measure.yaml", "adds-measure.yaml:7:3: parameters.arms.baseline.interventions."
             "sspf.relative_risk: arm 'baseline' has no sspf measure"),
            ("misspelt-baseline.yaml", "misspelt-baseline.yaml:5:3: parameters.arms.bseline."
             "measures.sspf.relative_risk: expected an arm of ../../../scenarios/norrkoping.yaml, "
             "got 'bseline'; did you mean 'baseline'?")]:
        for command in (["plan", BAD / name], ["sweep", BAD / name, "-o", out, "-q"]):
            said = trygg(*command, expect=2)
            assert message in said, said
    assert not out.exists(), "a refused sweep wrote its store"
print("sweep_limits: the 10-million-point grid planned; 2 grids and 2 sweep keys refused")
