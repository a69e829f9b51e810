"""What the command-line tests share: running trygg and comparing the datasets of two files."""
import subprocess
import sys

import h5py
import numpy as np


def run(trygg, *args, expect=0):
    """trygg with the arguments; exits the test with its output unless it exits with `expect`."""
    done = subprocess.run([trygg, *map(str, args)], capture_output=True, text=True, timeout=600)
    if done.returncode != expect:
        sys.exit(f"trygg {' '.join(map(str, args))}: exit {done.returncode}, expected {expect}\n"
                 f"{done.stdout}\n{done.stderr}")
    return done


def run_any(trygg, *args):
    """trygg with the arguments, whatever its exit code (the caller checks it)."""
    return subprocess.run([trygg, *map(str, args)], capture_output=True, text=True, timeout=600)


def datasets(path, ignore=()):
    """Every dataset of a file by name, but those in `ignore` (attributes hold times, threads
    and file names, and are not compared)."""
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, item: found.__setitem__(name, item[()])
                     if isinstance(item, h5py.Dataset) and name not in ignore else None)
    return found


def same(a, b, what, ignore=()):
    """Exits the test unless the two files hold the same datasets, bit for bit."""
    left, right = datasets(a, ignore), datasets(b, ignore)
    if left.keys() != right.keys():
        sys.exit(f"{what}: the files hold different datasets: {sorted(left.keys() ^ right.keys())}")
    for name in left:
        x, y = np.asarray(left[name]), np.asarray(right[name])
        if x.dtype.kind == "f":
            equal = x.shape == y.shape and x.tobytes() == y.tobytes()
        else:
            equal = x.shape == y.shape and (x == y).all()
        if not equal:
            sys.exit(f"{what}: dataset {name} differs")
