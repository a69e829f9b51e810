#!/usr/bin/env python3
"""Failures injected into the commands that write result files: what docs/reliability.md
promises holds after each.

  signals: SIGTERM and SIGKILL at startup, in the middle of the runs and during the final write
           of `trygg run`, `trygg sweep` and `trygg merge` (runs and the write held still by the
           documented test hook TRYGG_TEST_PAUSE_BEFORE, include/trygg/core/test_hook.hpp).
           Each time: the exit code (130 for SIGTERM once the command handles signals), no
           partial file at the target, the old file there byte for byte, and the same command
           run again leaves no temporary file or checkpoint folder and writes the same datasets
           as an uninterrupted run. A city whose build takes seconds stops within moments of a
           SIGTERM and claims no checkpoint it did not write.
  disks:   a full disk (a small tmpfs) and a read-only one (a tmpfs remounted read-only; as root
           chmod does not stop writes): exit 4 with the reason, no crash, the old file there,
           no temporary file. Skipped (exit 77) only when tmpfs cannot be mounted here.

Usage: failure_injection.py TRYGG SOURCE_DIR signals|disks
"""
import os
import pathlib
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import trygg_cli

TRYGG, SOURCE, PART = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
GOOD = SOURCE / "tests/data/good"
TINY = GOOD / "tiny.yaml"
SKIP = 77
INTERRUPTED = 130
IO_ERROR = 4
# Each run's wall-clock time is the one dataset that differs between two runs of a command.
VARYING = ("runs/wall_seconds",)
OLD = b"the old file: any regular file that --force may replace\n"


def fail(message):
    sys.exit(f"failure_injection: {message}")


def start(arguments, pause=None):
    environment = dict(os.environ)
    environment.pop("TRYGG_TEST_PAUSE_BEFORE", None)
    if pause:
        environment["TRYGG_TEST_PAUSE_BEFORE"] = pause
    return subprocess.Popen([TRYGG, *map(str, arguments)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=environment)


def wait_for_pause(process, phase, what):
    """Reads stderr until the test hook says it paused at `phase`."""
    said = b""
    deadline = time.monotonic() + 60
    while b"test hook: paused at " + phase.encode() not in said:
        left = deadline - time.monotonic()
        if left <= 0 or process.poll() is not None:
            process.kill()
            out, err = process.communicate()
            fail(f"{what}: never paused at {phase} (exit {process.returncode})\n"
                 f"{(said + err).decode()}")
        ready, _, _ = select.select([process.stderr], [], [], left)
        if ready:
            said += os.read(process.stderr.fileno(), 4096)
    return said


def read_until(process, said, words, seconds=60):
    """Reads stderr until it holds `words` or the process has ended, at most `seconds`."""
    deadline = time.monotonic() + seconds
    while words not in said:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([process.stderr], [], [], min(left, 0.05))
        if ready:
            chunk = os.read(process.stderr.fileno(), 4096)
            if not chunk:
                break  # the process closed stderr: it has ended
            said += chunk
    return said


def finish(process, said=b""):
    out, err = process.communicate(timeout=120)
    return process.returncode, (said + err).decode()


def leftovers(target):
    """Temporary files of the target, and its checkpoint folder."""
    folder = target.parent
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(target.name + ".tmp-") or p.name == target.name + ".runs")


def temporaries(target):
    return [name for name in leftovers(target) if ".tmp-" in name]


def check_intact(target, what):
    if target.read_bytes() != OLD:
        fail(f"{what}: the old file at {target.name} was changed")


def interrupt(arguments, target, phase, signum, what):
    """Runs the command with the old file at `target`, signals it at `phase` and checks what it
    left: returns the exit code and what it said."""
    target.write_bytes(OLD)
    if phase == "startup":
        process = start(arguments)
        time.sleep(0.02)
        said = b""
    else:
        process = start(arguments, pause=phase)
        said = wait_for_pause(process, phase, what)
        if phase == "final-write" and not temporaries(target):
            fail(f"{what}: paused in the final write, but no temporary file is there")
    process.send_signal(signum)
    code, text = finish(process, said)
    if signum == signal.SIGKILL:
        expected = {-signal.SIGKILL}
    elif phase == "startup":  # before its handler is installed SIGTERM ends it outright
        expected = {INTERRUPTED, -signal.SIGTERM}
    else:
        expected = {INTERRUPTED}
    if code not in expected:
        fail(f"{what}: exit {code}, expected one of {sorted(expected)}\n{text}")
    check_intact(target, what)
    if signum == signal.SIGTERM and temporaries(target):
        fail(f"{what}: left {temporaries(target)} after SIGTERM")
    if signum == signal.SIGKILL and phase == "final-write" and not temporaries(target):
        fail(f"{what}: SIGKILL in the write left no temporary file: the test missed its phase")
    if "checkpoints are in" in text or ("kept their state in" in text and
                                        not (target.parent / (target.name + ".runs")).exists()):
        fail(f"{what}: claims checkpoints that are not there\n{text}")
    return code, text


def again(arguments, target, reference, what):
    """The same command again: it completes, leaves nothing behind and matches the reference."""
    said = trygg_cli.run(TRYGG, *arguments)
    if leftovers(target):
        fail(f"{what}, run again: left {leftovers(target)}")
    trygg_cli.same(target, reference, f"{what}, run again", ignore=VARYING)
    return said


def small_sweep(work):
    """A sweep small enough for the time limit: one parameter over the tiny town."""
    sweep = work / "sweep.yaml"
    sweep.write_text(f"base: {TINY}\nname: failure-sweep\ndesign: grid\nreplicates: 1\n"
                     "parameters:\n  offending.reporting.property: {values: [0.4, 0.6]}\n")
    return sweep


def signals(work):
    started = time.monotonic()
    sweep = small_sweep(work)
    references = {
        "run": work / "reference-run.h5",
        "sweep": work / "reference-sweep.h5",
        "merge": work / "reference-merge.h5",
    }
    trygg_cli.run(TRYGG, "run", TINY, "-o", references["run"], "-q")
    trygg_cli.run(TRYGG, "sweep", sweep, "-o", references["sweep"], "-q")
    shards = [work / "shard-1.h5", work / "shard-2.h5"]
    for i, shard in enumerate(shards, 1):
        trygg_cli.run(TRYGG, "sweep", sweep, "-o", shard, "--shard", f"{i}/2", "-q")
    trygg_cli.run(TRYGG, "merge", "-o", references["merge"], *shards)
    trygg_cli.same(references["merge"], references["sweep"], "merged shards against the sweep",
                   ignore=VARYING + ("sweep/shard", "sweep/shards"))
    shard_bytes = [s.read_bytes() for s in shards]

    target = work / "target.h5"
    commands = {
        "run": ["run", TINY, "-o", target, "--force", "-q"],
        "sweep": ["sweep", sweep, "-o", target, "--force", "-q"],
        "merge": ["merge", "-o", target, "--force", *shards],
    }
    phases = {"run": ["startup", "running", "final-write"],
              "sweep": ["startup", "running", "final-write"],
              "merge": ["startup", "final-write"]}
    cases = 0
    for command, arguments in commands.items():
        for phase in phases[command]:
            for signum in (signal.SIGTERM, signal.SIGKILL):
                what = f"trygg {command}, {signal.Signals(signum).name} at {phase}"
                code, text = interrupt(arguments, target, phase, signum, what)
                if code == INTERRUPTED and phase == "final-write" and \
                        "left as it was" not in text:
                    fail(f"{what}: does not say that the old file is left\n{text}")
                again(arguments, target, references[command], what)
                cases += 1
    if [s.read_bytes() for s in shards] != shard_bytes:
        fail("a merge changed its shards")
    print(f"signals: {cases} cases in {time.monotonic() - started:.1f} s")
    big_city(work)


def big_city(work):
    """A city of many small districts in a chain, with one school at its end, whose build takes
    time that grows with the square of its districts (the search for each district's nearest
    school; 65,535 districts took 47 s). Held half-way through that search by the test hook, it
    stops within moments of a SIGTERM, and claims no checkpoint it did not write."""
    districts = 6000
    data = work / "chain-districts.yaml"
    lines = ["municipality:", "  name: Chain",
             f"  population: {{value: {districts * 10}, flag: E, source: test}}",
             "  male_share: {value: 0.5, flag: E, source: test}",
             "  age_bands:",
             f"    - {{from: 0, to: 99, count: {districts * 10}, flag: E, source: test}}",
             "  household_sizes:",
             "    - {size: 1, share: 0.5, flag: E, source: test}",
             "    - {size: 2, share: 0.5, flag: E, source: test}",
             "  mean_household_size: {value: 1.5, flag: E, source: test}",
             f"  households: {{value: {districts * 7}, flag: E, source: test}}",
             "  compulsory_pupils: {value: 1, flag: E, source: test}",
             "  upper_secondary_schools: {value: 0, flag: E, source: test}",
             "  upper_secondary_district: d0",
             "districts:"]
    for d in range(districts):
        neighbours = [f"d{n}" for n in (d - 1, d + 1) if 0 <= n < districts]
        lines += [f"  - name: d{d}",
                  "    population: {value: 10, flag: E, source: test}",
                  "    employment_rate: {value: 0.7, flag: E, source: test}",
                  "    criminal_influence: {value: 0.1, flag: E, source: test}",
                  "    police_lists: []",
                  f"    compulsory_schools: {{value: {1 if d == districts - 1 else 0}, flag: E, "
                  "source: test}",
                  f"    neighbours: {{value: [{', '.join(neighbours)}], flag: E, source: test}}"]
    data.write_text("\n".join(lines) + "\n")
    scenario = work / "chain.yaml"
    scenario.write_text(TINY.read_text().replace("tiny-districts.yaml", str(data))
                        .replace("extends: ../../../", f"extends: {SOURCE}/")
                        .replace("focus_districts: [North]", "focus_districts: [d0]"))
    target = work / "chain.h5"
    process = start(["run", scenario, "-o", target, "--replicates", "1", "--threads", "1"],
                    pause="building")
    said = wait_for_pause(process, "building", "a city being built")
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    # Timed to trygg's own word that it stopped, not to the end of the process: a sanitizer
    # build's teardown (LeakSanitizer scans the heap at exit) is not the build's reaction.
    said = read_until(process, said, b"interrupted while the city was built")
    took = time.monotonic() - signalled
    code, text = finish(process, said)
    if code != INTERRUPTED:
        fail(f"a city being built, SIGTERM: exit {code}, expected {INTERRUPTED}\n{text}")
    runs = target.parent / (target.name + ".runs")
    states = list(runs.glob("*.state")) if runs.exists() else []
    if states or "kept their state" in text or "checkpoints are in" in text:
        fail(f"a city being built, SIGTERM: went on to a checkpoint ({len(states)} there), "
             f"saying: {text.strip()}")
    if "nothing was written" not in text:
        fail(f"a city being built, SIGTERM: does not say that nothing was written: {text}")
    if took > 1.0:
        fail(f"a city being built took {took:.1f} s to stop after SIGTERM\n{text}")
    if target.exists() or temporaries(target):
        fail("a city being built, SIGTERM: wrote a file")
    print(f"signals: a city of {districts} districts stopped {took:.2f} s after SIGTERM in its "
          "build, and said that nothing was written")


def mount_tmpfs(folder, size):
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    return done.returncode == 0, done.stderr.strip()


def unmount(folder):
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def refused(arguments, target, what, reason):
    """The command fails with exit 4 and `reason`, without a crash, and leaves the old file
    and no temporary file."""
    done = subprocess.run([TRYGG, *map(str, arguments)], capture_output=True, text=True,
                          timeout=300)
    if done.returncode != IO_ERROR:
        fail(f"{what}: exit {done.returncode}, expected {IO_ERROR}\n{done.stdout}{done.stderr}")
    if reason not in done.stderr:
        fail(f"{what}: the message does not say '{reason}':\n{done.stderr}")
    check_intact(target, what)
    if temporaries(target):
        fail(f"{what}: left {temporaries(target)}")


def disks(work):
    full, read_only = work / "full", work / "read-only"
    full.mkdir()
    read_only.mkdir()
    mounted = []
    try:
        for folder, size in ((full, "1m"), (read_only, "1m")):
            ok, why = mount_tmpfs(folder, size)
            if not ok:
                print(f"failure_injection: SKIP: cannot mount a tmpfs here ({why}); the full and "
                      "read-only disk tests need root and a mount namespace that allows it")
                return SKIP
            mounted.append(folder)
        sweep = small_sweep(work)
        shard = work / "shard.h5"
        trygg_cli.run(TRYGG, "sweep", sweep, "-o", shard, "--shard", "1/1", "-q")
        # The full disk: the old file, and a filler that leaves less room than a result needs.
        target = full / "out.h5"
        target.write_bytes(OLD)
        filler = os.open(full / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(filler, b"\0" * 4096)
        except OSError:
            pass
        os.close(filler)
        os.truncate(full / "filler", os.path.getsize(full / "filler") - 64 * 1024)
        runs = full / (target.name + ".runs")
        for name, arguments in {
            "run": ["run", TINY, "-o", target, "--force", "-q"],
            "sweep": ["sweep", sweep, "-o", target, "--force", "-q"],
            "merge": ["merge", "-o", target, "--force", shard],
        }.items():
            refused(arguments, target, f"trygg {name} on a full disk", "No space left on device")
            # The sweep's finished runs fit and wait in their checkpoint files for the same
            # command to write the store once there is room; nothing else is left.
            if name == "sweep" and runs.is_dir() and any(runs.iterdir()):
                shutil.rmtree(runs)
            if leftovers(target):
                fail(f"trygg {name} on a full disk left {leftovers(target)}")
        # No room even for a run's checkpoint: the runs fail as the disk made them (exit 4, not
        # a broken invariant's 1), and the job leaves no empty checkpoint folder.
        try:
            with open(full / "filler", "ab") as more:
                while True:
                    more.write(b"\0" * 4096)
                    more.flush()
        except OSError:
            pass
        refused(["sweep", sweep, "-o", target, "--force", "-q"], target,
                "trygg sweep on a disk without room for a checkpoint", "No space left on device")
        if leftovers(target):
            fail(f"trygg sweep on a disk without room for a checkpoint left {leftovers(target)}")
        # The read-only disk.
        target = read_only / "out.h5"
        target.write_bytes(OLD)
        subprocess.run(["mount", "-o", "remount,ro", str(read_only)], check=True)
        for name, arguments in {
            "run": ["run", TINY, "-o", target, "--force", "-q"],
            "sweep": ["sweep", sweep, "-o", target, "--force", "-q"],
            "merge": ["merge", "-o", target, "--force", shard],
        }.items():
            refused(arguments, target, f"trygg {name} on a read-only disk",
                    "Read-only file system")
        print("disks: run, sweep and merge on a full disk and on a read-only one: "
              "exit 4, the old file kept, no temporary file")
        return 0
    finally:
        for folder in mounted:
            unmount(folder)


with tempfile.TemporaryDirectory() as folder:
    work = pathlib.Path(folder)
    if PART == "signals":
        signals(work)
    elif PART == "disks":
        sys.exit(disks(work))
    else:
        fail(f"expected signals or disks, got {PART}")
