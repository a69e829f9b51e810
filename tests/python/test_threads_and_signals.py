#!/usr/bin/python3
"""The engine runs without the GIL (other Python threads go on while it runs) and stops cleanly
on Ctrl-C: SIGINT during a long run or sweep raises KeyboardInterrupt within moments, with no
hang and no crash, and the module works again afterwards.

Usage: test_threads_and_signals.py TRYGG SOURCE_DIR, with PYTHONPATH=<build>/python."""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import trygg
from harness import SOURCE, run_tests

CHILD = SOURCE / "tests" / "data" / "good" / "child.yaml"


def count_during(work):
    """How often a Python thread that sleeps 1 ms a time counted while work() ran, and how long
    work() took."""
    state = {"count": 0, "running": True}

    def counter():
        while state["running"]:
            state["count"] += 1
            time.sleep(0.001)

    thread = threading.Thread(target=counter)
    thread.start()
    time.sleep(0.05)
    before = state["count"]
    started = time.monotonic()
    work()
    elapsed = time.monotonic() - started
    during = state["count"] - before
    state["running"] = False
    thread.join()
    return during, elapsed


def test_a_python_thread_keeps_counting_while_a_run_executes():
    during, elapsed = count_during(
        lambda: trygg.run(CHILD, arms="baseline", replicates=8, threads=1))
    print(f"      counted {during} times in {elapsed:.2f} s of run")
    assert elapsed > 0.2, f"the run took only {elapsed:.2f} s: too short to tell"
    # About one count a millisecond when the GIL is free; none while a call holds it.
    assert during > 100 * elapsed, f"{during} counts in {elapsed:.2f} s: the GIL was held"


def test_a_python_thread_keeps_counting_while_a_sweep_executes():
    sweep = SOURCE / "tests" / "data" / "good" / "sweep-small.yaml"
    during, elapsed = count_during(lambda: trygg.sweep(sweep, threads=1))
    print(f"      counted {during} times in {elapsed:.2f} s of sweep")
    assert elapsed > 0.2, f"the sweep took only {elapsed:.2f} s: too short to tell"
    assert during > 100 * elapsed, f"{during} counts in {elapsed:.2f} s: the GIL was held"


# A child process starts a run that would take a minute, says so, and is sent SIGINT.
CHILD_SCRIPT = """
import sys, time
import trygg
scenario = trygg.Scenario.load(sys.argv[1])
work = {
    "run": lambda: trygg.run(scenario, replicates=1000, threads=1),
    "sweep": lambda: trygg.sweep(sys.argv[2], threads=1),
}[sys.argv[3]]
print("running", flush=True)
started = time.monotonic()
if sys.argv[4] == "uncaught":
    work()
try:
    work()
except KeyboardInterrupt:
    print(f"interrupted after {time.monotonic() - started:.2f} s", flush=True)
    ds = trygg.run(scenario, arms="baseline", replicates=1)
    print("ran again:", dict(ds.sizes), flush=True)
    sys.exit(0)
print("finished without an interruption", flush=True)
sys.exit(3)
"""


def interrupt(kind, catch):
    with tempfile.TemporaryDirectory() as folder:
        sweep = Path(folder) / "long-sweep.yaml"
        sweep.write_text(f"base: {CHILD}\nname: long\nreplicates: 500\n"
                         "parameters:\n  offending.reporting.property: {values: [0.4, 0.6]}\n")
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD_SCRIPT, str(CHILD), str(sweep), kind,
             "caught" if catch else "uncaught"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "running"
        time.sleep(0.7)  # inside the engine by now
        assert child.poll() is None, "the run ended before the signal"
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        try:
            out, err = child.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
            raise AssertionError(f"no exit 30 s after SIGINT (a hang)\n{out}{err}")
        took = time.monotonic() - sent
        print(f"      {kind}, {'caught' if catch else 'uncaught'}: exit {child.returncode} "
              f"{took:.2f} s after SIGINT")
        return child.returncode, out, err, took


def test_ctrl_c_stops_a_run_with_keyboard_interrupt():
    code, out, err, took = interrupt("run", catch=True)
    assert code == 0, f"exit {code}\n{out}{err}"
    assert "interrupted after" in out and "ran again: {'arm': 1" in out, out + err
    assert took < 5, f"{took:.2f} s from SIGINT to exit"


def test_ctrl_c_stops_a_sweep_with_keyboard_interrupt():
    code, out, err, took = interrupt("sweep", catch=True)
    assert code == 0, f"exit {code}\n{out}{err}"
    assert "interrupted after" in out and "ran again" in out, out + err
    assert took < 5, f"{took:.2f} s from SIGINT to exit"


def test_an_uncaught_ctrl_c_ends_python_as_ctrl_c_does():
    code, out, err, took = interrupt("run", catch=False)
    # Python ends an uncaught KeyboardInterrupt by dying of SIGINT itself, after the traceback.
    assert code in (-signal.SIGINT, 130, 1), f"exit {code}\n{out}{err}"
    assert "KeyboardInterrupt" in err, err
    assert "Segmentation" not in err and "terminate called" not in err, err
    assert took < 5, f"{took:.2f} s from SIGINT to exit"


if __name__ == "__main__":
    os.environ.pop("TRYGG_BACKEND", None)
    run_tests(dict(globals()))
