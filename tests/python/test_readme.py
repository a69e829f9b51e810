#!/usr/bin/python3
"""The README's promise for Python: after its first command (tools/run-main: install-deps, then
the release preset, which builds the module), the one `export PYTHONPATH=...` line it gives
makes `import trygg` work in Debian's python3 with no pip, and its Python quick start runs.

Usage: test_readme.py TRYGG SOURCE_DIR, with PYTHONPATH=<build>/python."""
import json
import os
import re
import subprocess
from pathlib import Path

from harness import SOURCE, run_tests

README = (SOURCE / "README.md").read_text(encoding="utf-8")


def test_install_deps_installs_what_the_module_needs():
    script = (SOURCE / "tools" / "install-deps").read_text(encoding="utf-8")
    listed = re.search(r"^packages=\((.*?)^\)", script, flags=re.M | re.S).group(1)
    packages = {word for line in listed.splitlines()
                for word in line.split("#")[0].split()}
    needed = {"python3-dev", "pybind11-dev", "python3-xarray", "python3-h5netcdf",
              "python3-pandas", "python3-numpy", "python3-matplotlib", "python3-h5py"}
    assert needed <= packages, f"tools/install-deps lacks {sorted(needed - packages)}"


def test_run_main_builds_the_release_preset_which_builds_the_module():
    assert "cmake --preset release" in (SOURCE / "tools" / "run-main").read_text()
    presets = {p["name"]: p for p in json.loads(
        (SOURCE / "CMakePresets.json").read_text())["configurePresets"]}
    assert presets["release"]["cacheVariables"].get("TRYGG_PYTHON") == "ON"
    # The other presets must not need pybind11.
    for name in ("debug", "asan", "tsan", "tidy"):
        assert presets[name].get("cacheVariables", {}).get("TRYGG_PYTHON", "OFF") == "OFF", name


def readme_pythonpath():
    lines = re.findall(r"^export PYTHONPATH=(\S+)", README, flags=re.M)
    assert len(lines) == 1, f"README.md: expected one export PYTHONPATH line, got {lines}"
    return Path(lines[0].replace("$PWD", str(SOURCE)))


def test_the_readme_line_names_the_folder_the_build_fills():
    named = readme_pythonpath()
    assert named == SOURCE / "build" / "release" / "python", named
    built = Path(os.environ["PYTHONPATH"]).resolve()
    if built.parent.name == "release":  # the release preset's build: the README's folder
        assert named.resolve() == built, (named, built)
    assert (built / "trygg" / "__init__.py").is_file()
    assert list((built / "trygg").glob("_trygg*.so")), f"no extension in {built / 'trygg'}"


def test_the_readme_quick_start_runs_with_that_path():
    blocks = re.findall(r"^```python\n(.*?)^```", README, flags=re.M | re.S)
    assert len(blocks) == 1, "README.md: expected one python block, the quick start"
    quick_start = blocks[0]
    assert len(quick_start.strip().splitlines()) <= 5, "the quick start is five lines"
    named = readme_pythonpath()
    path = named if named.is_dir() else Path(os.environ["PYTHONPATH"])
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environment["PYTHONPATH"] = str(path)
    done = subprocess.run(["/usr/bin/python3", "-c", quick_start], cwd=SOURCE, env=environment,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for arm in ("est", "sspf", "all_three"):
        assert re.search(rf"^\d+\s+{arm}\s", done.stdout, flags=re.M), done.stdout
    print("      " + "\n      ".join(done.stdout.splitlines()))


if __name__ == "__main__":
    run_tests(dict(globals()))
