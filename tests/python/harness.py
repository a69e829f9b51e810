"""A small runner for the Python module's tests: each test_* function of the calling script
runs in file order with its time printed; the script exits 1 naming the tests that failed.

Usage of every test script: SCRIPT TRYGG SOURCE_DIR (the trygg binary and the repository), with
PYTHONPATH set to the build's python folder (ctest sets it)."""
import sys
import time
import traceback
from pathlib import Path

TRYGG = Path(sys.argv[1]) if len(sys.argv) > 1 else None
SOURCE = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[2]


def run_tests(namespace):
    tests = [(name, function) for name, function in namespace.items()
             if name.startswith("test_") and callable(function)]
    failed = []
    started = time.monotonic()
    for name, function in tests:
        began = time.monotonic()
        try:
            function()
            print(f"ok    {name} ({time.monotonic() - began:.2f} s)", flush=True)
        except Exception:  # noqa: BLE001 (every failure is reported, then the next test runs)
            failed.append(name)
            print(f"FAIL  {name} ({time.monotonic() - began:.2f} s)", flush=True)
            traceback.print_exc()
    print(f"{len(tests) - len(failed)} of {len(tests)} passed in "
          f"{time.monotonic() - started:.2f} s")
    if failed:
        sys.exit("failed: " + ", ".join(failed))
