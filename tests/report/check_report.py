#!/usr/bin/python3
"""Builds planners' reports (tools/trygg-report) from a small run (tests/data/good/child.yaml
with an EST arm added, so that measures have costs) and from a small Morris sweep, and checks
them: every figure exists, is a PNG and is referenced by the HTML with a title and a caption;
the page says that results are projections; small district counts are suppressed; a sweep with
sensitivity indices gets a tornado chart; bad input fails with the right exit code and never
replaces a folder that is not a report.

    check_report.py TRYGG SOURCE_DIR
"""
import html.parser
import re
import struct
import os
import subprocess
import sys
import tempfile
from pathlib import Path

trygg, source = sys.argv[1], Path(sys.argv[2])
os.environ["TRYGG"] = trygg  # the report checks files with this build's reader
report_tool = source / "tools" / "trygg-report"
child = source / "tests" / "data" / "good" / "child.yaml"

# The figures of a report of arms with measures; a sweep of child.yaml has no measure costs,
# and adds the points and, with indices, the tornado chart.
RUN_FIGURES = {"time-offences.png", "time-reported-offences.png", "time-share-unsafe.png",
               "time-new-recruits.png", "effects-forest.png", "cost-per-offence.png",
               "districts.png", "district-effects.png"}
TORNADOES = {"sensitivity-tornado.png", "sensitivity-effects-tornado.png"}
SWEEP_FIGURES = (RUN_FIGURES - {"cost-per-offence.png"}) | {"sweep-points.png"} | TORNADOES
# child.yaml's arms and an EST arm: a file that lists arms replaces those it extends.
SCENARIO = f"""extends: {child}
name: child-est
arms:
  baseline:
  safety_campaign:
    description: Residents feel safer and take in news faster.
    set:
      safety.baseline: 0.9
      safety.adaptation_rate: 0.2
  est:
    description: EST in the two listed districts.
    measures:
      est: {{districts: [Navestad, Hageby], capacity: 4}}
"""


class Page(html.parser.HTMLParser):
    """What the checks need from index.html: images, captions and the district table's cells."""

    def __init__(self):
        super().__init__()
        self.images = []
        self.captions = []
        self.count_cells = []         # (classes, text) of td.count in the district table
        self.text = []
        self._caption = None
        self._cell = None
        self._in_districts = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        elif tag == "figcaption":
            self._caption = []
        elif tag == "table" and attrs.get("id") == "district-table":
            self._in_districts = True
        elif tag == "td" and self._in_districts and "count" in attrs.get("class", "").split():
            self._cell = (attrs["class"].split(), [])

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self.captions.append("".join(self._caption).strip())
            self._caption = None
        elif tag == "table":
            self._in_districts = False
        elif tag == "td" and self._cell is not None:
            self.count_cells.append((self._cell[0], "".join(self._cell[1]).strip()))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell[1].append(data)


def run(*command, expect=0):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if result.returncode != expect:
        sys.exit(f"{' '.join(map(str, command))}: exit {result.returncode}, expected {expect}\n"
                 f"{result.stdout}{result.stderr}")
    return result


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR", f"{path} has no PNG header chunk"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 200 and height > 100, f"{path} is {width}x{height} pixels"
    return width, height


def build_report(store, folder, *options):
    run(report_tool, store, "-o", folder, "-q", *options)
    page = Page()
    page.html = (folder / "index.html").read_text(encoding="utf-8")
    page.feed(page.html)
    page.body = " ".join("".join(page.text).split())
    return page


def check_figures(folder, page, expected):
    figures = {p.name for p in (folder / "figures").iterdir()}
    assert figures == expected, f"figures {sorted(figures)}, expected {sorted(expected)}"
    for name in figures:
        png_size(folder / "figures" / name)
    assert sorted(page.images) == sorted(f"figures/{n}" for n in figures), page.images
    assert len(page.captions) == len(figures), page.captions
    for caption in page.captions:
        # "Title. One sentence on what the figure shows."
        title, _, sentence = caption.partition(". ")
        assert title and len(sentence) > 30 and sentence.endswith("."), caption


def check_counts(page, threshold):
    """Every district count shown is at least the threshold; the rest say '<threshold'."""
    assert page.count_cells, "the district table has no count cells"
    shown = suppressed = 0
    for classes, text in page.count_cells:
        if "suppressed" in classes:
            assert text == f"<{threshold}", text
            suppressed += 1
        else:
            value = float(text.replace(",", "").replace("\u2212", "-"))
            assert threshold == 0 or value >= threshold, f"count {value} below {threshold}"
            shown += 1
    return shown, suppressed


with tempfile.TemporaryDirectory() as work:
    work = Path(work)
    scenario = work / "child-est.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    results = work / "child.h5"
    run(trygg, "run", scenario, "-q", "-o", results)

    # A run of two arms, with the default small-cell threshold.
    report = work / "child-report"
    page = build_report(results, report)
    check_figures(report, page, RUN_FIGURES)
    # The statement that results are projections comes near the top, before any figure.
    assert "These are projections, not forecasts." in page.body
    assert page.html.index("These are projections") < page.html.index("<img")
    assert "95% interval" in page.body
    for section in ("At a glance", "Effects against the baseline", "Cost per offence averted",
                    "The districts compared", "Assumptions", "Provenance"):
        assert section in page.body, section
    import h5py  # noqa: E402  (after the run: the test needs the file first)
    with h5py.File(results, "r") as f:
        for key in ("trygg_version", "git_commit", "scenario_name"):
            assert f.attrs[key] in page.body, key
        assert str(f.attrs["seed"]) in page.body
    assert "Not available." in page.body and "sensitivity-tornado.png" not in page.images
    # The assumptions: flags with their sources, and the scenario's measures or settings.
    assert re.search(r"\d+ are sourced, \d+ are estimates", page.body), "no flag summary"
    assert "safety.baseline" in page.body and "safety_campaign" in page.body
    assert "The measure est" in page.body and "report_probability" in page.body
    assert "SEK per offence averted" in page.body
    shown, suppressed = check_counts(page, 5)
    assert shown > 0, "with the default threshold some district counts should show"
    assert "District counts below 5" in page.body

    # A high threshold hides counts, and no count below it is left in the district table.
    high = build_report(results, work / "high-report", "--small-cell-threshold", "1000")
    shown, suppressed = check_counts(high, 1000)
    assert suppressed > 0, "a threshold of 1000 should suppress counts of a 0.05-scale city"
    assert "District counts below 1000" in high.body
    # Threshold 0 shows everything.
    none = build_report(results, work / "open-report", "--small-cell-threshold", "0")
    assert check_counts(none, 0)[1] == 0
    assert "Small-cell protection is off" in none.body

    # A chosen focus district, and an unknown one.
    focus = build_report(results, work / "focus-report", "--districts", "Ljura")
    assert "Focus districts (Ljura)" in focus.body
    bad = run(report_tool, results, "-o", work / "x", "--districts", "Nowhere", expect=2)
    assert "Nowhere" in bad.stderr and not (work / "x").exists()

    # A Morris sweep with sensitivity indices gets tornado charts: of the arms' effects against
    # the baseline and of the outcomes themselves.
    sweep = work / "morris.yaml"
    sweep.write_text(f"base: {child}\nname: child-morris\ndesign: morris\npoints: 2\n"
                     "replicates: 1\nparameters:\n"
                     "  offending.reporting.property: {range: [0.4, 0.6]}\n"
                     "  safety.baseline: {range: [0.8, 0.9]}\n", encoding="utf-8")
    store = work / "morris.h5"
    run(trygg, "sweep", sweep, "-q", "-o", store)
    without = build_report(store, work / "sweep-report")
    check_figures(work / "sweep-report", without, SWEEP_FIGURES - TORNADOES)
    assert "trygg sensitivity STORE" in without.body
    assert "no arm in this file has measures with costs" in without.body
    run(trygg, "sensitivity", store)
    page = build_report(store, work / "sweep-report")  # replaces the earlier report
    check_figures(work / "sweep-report", page, SWEEP_FIGURES)
    assert "Morris elementary effects" in page.body

    # Errors: a missing file, an HDF5 file of something else, a file that is not HDF5.
    missing = run(report_tool, work / "none.h5", "-o", work / "r1", expect=4)
    assert "no such file" in missing.stderr
    other = work / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["format"] = "something-else"
    wrong = run(report_tool, other, "-o", work / "r2", expect=2)
    assert "not a Trygg result file" in wrong.stderr
    text = work / "text.h5"
    text.write_text("not HDF5\n")
    run(report_tool, text, "-o", work / "r3", expect=2)
    assert not any((work / name).exists() for name in ("r1", "r2", "r3"))

    # A folder that is not a report is never replaced; nothing is left half-written.
    precious = work / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me\n")
    refused = run(report_tool, results, "-o", precious, expect=3)
    assert "not a Trygg report" in refused.stderr
    assert (precious / "notes.txt").read_text() == "keep me\n"
    leftovers = [p.name for p in work.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert not leftovers, leftovers

print("trygg-report built and checked the reports of a run and of a sweep")
