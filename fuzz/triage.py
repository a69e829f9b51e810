#!/usr/bin/python3
"""Tells a crash inside libhdf5 itself from a crash in Trygg's own code.

Usage: fuzz/triage.py TARGET ARTIFACT...   (tools/run-fuzzers calls it)

Each artifact (crash-*, leak-*, timeout-*, oom-* written by libFuzzer) is run again through the
target, and its report read. An artifact is "libhdf5" only when the report proves the fault is
the library's: the first frame outside the sanitizer and libFuzzer runtimes and libc is in
libhdf5, and so is every allocation the report names (the buffer overrun, the memory freed, the
leaked block). Whatever Trygg allocated, everything UndefinedBehaviorSanitizer reports (libhdf5
is not instrumented), uncaught exceptions and unattributable memory growth count as Trygg's.
Prints one line per artifact and exits 1 if any is Trygg's, 0 when all are libhdf5's.
"""
import os
import re
import subprocess
import sys

FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+\s+(?:in (?P<function>.*?) )?(?P<where>[(/].*)$")
RUNTIME = ("compiler-rt/", "/libc.so", "libc.so.6", "sysdeps/", "/libgcc_s", "fuzzer::",
           "__sanitizer", "__asan", "__lsan", "__interceptor", "__libc_", "libFuzzer")
# What a report says next: the block of frames after each of these lines is an allocation.
ALLOCATION = re.compile(r"(allocated by thread|freed by thread|leak of \d+ byte)")


def frames(lines, start):
    """The frames of the stack that begins at or after lines[start]."""
    out = []
    for line in lines[start:]:
        match = FRAME.match(line)
        if match:
            out.append(line.strip())
        elif out:
            break
    return out


# The allocator and the string and memory functions that ASan intercepts, by name (the runtime
# of Debian's clang has no source lines to tell them by).
INTERCEPTED = re.compile(r" in (malloc|calloc|realloc|free|aligned_alloc|posix_memalign|strdup|"
                         r"strndup|operator new|operator delete|mem(cpy|move|set|cmp|chr)|"
                         r"str(len|nlen|cmp|ncmp|cpy|ncpy|cat|ncat|chr|rchr|str))\b|"
                         r" in __(mem|str)\w*")


def first_own_frame(stack):
    for frame in stack:
        if not any(marker in frame for marker in RUNTIME) and not INTERCEPTED.search(frame):
            return frame
    return None


def in_hdf5(frame):
    return frame is not None and ("libhdf5" in frame or re.search(r" in H5[A-Za-z_]", frame))


def classify(output):
    lines = output.splitlines()
    error = next((i for i, line in enumerate(lines)
                  if "ERROR: AddressSanitizer" in line or "ERROR: LeakSanitizer" in line
                  or "ERROR: libFuzzer" in line or "runtime error:" in line), None)
    if error is None:
        return "trygg", "no sanitizer report (the input did not reproduce, or the target aborted)"
    headline = lines[error].split("ERROR: ")[-1].strip()
    if "runtime error:" in lines[error]:
        return "trygg", headline
    if "out-of-memory (used:" in headline:
        return "trygg", headline + " (memory growth, not one allocation)"
    crash_stack = frames(lines, error + 1)
    allocations = [frames(lines, i + 1) for i, line in enumerate(lines) if ALLOCATION.search(line)]
    if "LeakSanitizer" in headline:
        crash_stack = []  # a leak report is only its allocations
    elif not in_hdf5(first_own_frame(crash_stack)):
        return "trygg", headline + " at " + str(first_own_frame(crash_stack))
    for stack in allocations:
        if not in_hdf5(first_own_frame(stack)):
            return "trygg", headline + ", memory of " + str(first_own_frame(stack))
    where = first_own_frame(crash_stack if crash_stack else allocations[0] if allocations else [])
    return "libhdf5", headline + " at " + str(where)


def reproduce(target, artifact, env):
    try:
        # The result store's limits (tools/run-fuzzers): one allocation over 512 MB is reported
        # with its stack, so that it can be told whose it is.
        run = subprocess.run([target, "-timeout=10", "-rss_limit_mb=2048", "-malloc_limit_mb=512",
                              artifact], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, errors="replace", timeout=120)
        return run.stdout
    except subprocess.TimeoutExpired:
        return "ERROR: libFuzzer: the input hangs past its timeout (killed after 120 s)"


def main():
    # --unreproduced-ok: an input that crashed in a fork-mode job but runs clean on its own, three
    # times, depended on state that an earlier input left in the library; it is listed, not failed.
    unreproduced_ok = "--unreproduced-ok" in sys.argv
    args = [arg for arg in sys.argv[1:] if arg != "--unreproduced-ok"]
    target, artifacts = args[0], args[1:]
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:symbolize=1",
               UBSAN_OPTIONS="print_stacktrace=1")
    trygg = 0
    for artifact in artifacts:
        for _ in range(3):
            output = reproduce(target, artifact, env)
            owner, what = classify(output)
            if not what.startswith("no sanitizer report"):
                break
        if owner == "trygg" and what.startswith("no sanitizer report") and unreproduced_ok:
            owner = "unreproduced"
        print(f"{owner}: {os.path.basename(artifact)}: {what}")
        if owner == "trygg":
            trygg += 1
            sys.stdout.write("\n".join(output.splitlines()[-60:]) + "\n")
    return 1 if trygg else 0


if __name__ == "__main__":
    sys.exit(main())
