#!/usr/bin/python3
"""docs/python.md stays true: every ```python block of it runs, in order, in one namespace, as
a notebook would run its cells, from a folder that looks like the repository root (tests/,
scenarios/ and build/release/trygg linked in; results/ written there). A top-level statement
followed by lines of comments must print (or, as an expression, show) what they say, up to
spacing, as a notebook shows it (pandas tables unwrapped).

Usage: test_docs.py TRYGG SOURCE_DIR, with PYTHONPATH=<build>/python."""
import ast
import contextlib
import io
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from harness import SOURCE, TRYGG, run_tests

DOC = SOURCE / "docs" / "python.md"


def python_blocks(text):
    """(first line number, code) of each ```python block, in order."""
    blocks = []
    for match in re.finditer(r"^```python\n(.*?)^```", text, flags=re.M | re.S):
        blocks.append((text.count("\n", 0, match.start(1)) + 1, match.group(1)))
    return blocks


def expected_after(lines, statement):
    """The comment lines right after a statement: what it prints or shows."""
    expected = []
    for line in lines[statement.end_lineno:]:
        if not line.startswith("#"):
            break
        expected.append(line[1:])
    return expected


def normalised(lines):
    return [" ".join(line.split()) for line in lines if line.strip()]


def run_block(first_line, code, namespace, doc_lines):
    # Blank lines in front keep the doc's line numbers in tracebacks and statements.
    tree = ast.parse("\n" * (first_line - 1) + code, filename=str(DOC))
    for statement in tree.body:
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            if isinstance(statement, ast.Expr):
                value = eval(compile(ast.Expression(statement.value), str(DOC), "eval"), namespace)
                if value is not None:
                    print(repr(value))
            else:
                exec(compile(ast.Module([statement], type_ignores=[]), str(DOC), "exec"),
                     namespace)
        expected = expected_after(doc_lines, statement)
        if expected and normalised(expected) != normalised(shown.getvalue().splitlines()):
            raise AssertionError(
                f"{DOC}:{statement.lineno}: the comments say\n" + "\n".join(expected) +
                "\nbut it shows\n" + shown.getvalue())


def test_the_worked_example_runs_and_shows_what_it_says():
    text = DOC.read_text(encoding="utf-8")
    blocks = python_blocks(text)
    assert len(blocks) >= 5, f"{DOC}: only {len(blocks)} python blocks"
    pd.set_option("display.width", 1000)
    pd.set_option("display.max_columns", None)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("tests", "scenarios"):
            (root / name).symlink_to(SOURCE / name)
        (root / "build" / "release").mkdir(parents=True)
        (root / "build" / "release" / "trygg").symlink_to(TRYGG)
        before = Path.cwd()
        os.chdir(root)
        try:
            namespace = {"__name__": "__main__"}
            for first_line, code in blocks:
                run_block(first_line, code, namespace, text.splitlines())
            figure = root / "results" / "share-unsafe.png"
            assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "no figure was drawn"
        finally:
            os.chdir(before)


def test_the_doc_says_which_scenario_to_use():
    text = DOC.read_text(encoding="utf-8")
    assert "tests/data/good/child.yaml" in text.split("```python")[0]


if __name__ == "__main__":
    run_tests(dict(globals()))
