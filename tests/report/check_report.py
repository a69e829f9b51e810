#!/usr/bin/python3
"""Builds planners' reports (tools/trygg-report) from a small run (tests/data/good/child.yaml
with an EST arm added, so that measures have costs) and from a small Morris sweep, and checks
them: every figure exists, is a PNG and is referenced by the HTML with a title and a caption;
the page says that results are projections; small district counts are suppressed; a sweep with
sensitivity indices gets a tornado chart; a report given a calibration store (trygg calibrate
of tests/data/good/calibration-tiny.yaml, and copies of it with a stability check filled in and
with an empty ensemble) says what the data pinned down, with the store's own numbers; bad input
fails with the right exit code and never replaces a folder that is not a report.

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
calibration_file = source / "tests" / "data" / "good" / "calibration-tiny.yaml"

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
        self.alts = []
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
            self.alts.append(attrs.get("alt") or "")
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


class Tables(html.parser.HTMLParser):
    """The text of every cell of the tables that have an id: {id: [[cell, ...], ...]}, the
    header row included."""

    def __init__(self, page_html):
        super().__init__()
        self.tables = {}
        self._rows = self._cell = None
        self.feed(page_html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._rows = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._rows = None
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def shown_number(cell):
    """A number as the report shows it (thousands commas, a typographic minus, maybe a %)."""
    return float(cell.replace(",", "").replace("\u2212", "-").removesuffix("%"))


def close(cell, value, what):
    """The report shows four significant digits (percentages one decimal)."""
    shown = shown_number(cell)
    tolerance = 0.051 if cell.endswith("%") else 5.1e-4 * max(abs(value), 1e-12)
    assert abs(shown - value) <= tolerance, f"{what}: shown {cell}, the store has {value}"


def check_alt_text(page):
    """Every image has alt text that names what it shows: its caption's title."""
    assert len(page.alts) == len(page.images) == len(page.captions)
    for alt, caption in zip(page.alts, page.captions):
        assert len(alt) > 15 and caption.startswith(alt + "."), (alt, caption)


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

    # A calibration store: the section on what the data pinned down, with the store's numbers.
    calibration = work / "calibration.h5"
    calibrated = subprocess.run([trygg, "calibrate", calibration_file, "-q", "--threads", "2",
                                 "-o", calibration], capture_output=True, text=True)
    assert calibrated.returncode in (0, 5), calibrated.stderr  # 5: fewer sets than asked for
    assert "figures/calibration-ranges.png" not in page.images
    assert 'id="calibration"' not in page.html and 'href="#calibration"' not in page.html
    assert "What the data pinned down" not in page.html
    check_alt_text(page)
    with_cal = build_report(results, work / "cal-report", "--calibration", calibration)
    check_figures(work / "cal-report", with_cal, RUN_FIGURES | {"calibration-ranges.png"})
    check_alt_text(with_cal)
    assert '<section id="calibration"><h2>What the data pinned down</h2>' in with_cal.html
    assert '<li><a href="#calibration">What the data pinned down</a></li>' in with_cal.html
    # The report is otherwise the same: one section more.
    assert with_cal.html.count("<section") == page.html.count("<section") + 1
    cal_tables = Tables(with_cal.html).tables
    with h5py.File(calibration, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["parameters/name"][:]]
        prior_low, prior_high = f["parameters/prior_low"][:], f["parameters/prior_high"][:]
        kept = f["ensemble/accepted_points"][:]
        accepted = f["ensemble/accepted"][:] == 1
        outputs = f["ensemble/outputs"][:][accepted]
        waves = len(f["waves"])
        stop_reason = f.attrs["stop_reason"]
        stop_reason = stop_reason.decode() if isinstance(stop_reason, bytes) else stop_reason
        targets = {key: [v.decode() if isinstance(v, bytes) else v
                         for v in f[f"targets/{key}"][:]]
                   for key in ("name", "flag", "observed", "observation_sd", "discrepancy_sd")}
    assert len(kept) == accepted.sum() > 0, "calibration-tiny.yaml should accept some sets"
    assert f"in {waves} waves" in with_cal.body and stop_reason in with_cal.body
    assert f"Of {len(accepted)} parameter sets then run in full, {len(kept)} met every " \
        "target" in with_cal.body
    rows = cal_tables["calibration-parameters"][1:]
    assert len(rows) == len(names), rows
    shares = []
    for row in rows:
        j = names.index(row[0])
        share = (kept[:, j].max() - kept[:, j].min()) / (prior_high[j] - prior_low[j])
        for cell, value, what in ((row[1], prior_low[j], "prior low"),
                                  (row[2], prior_high[j], "prior high"),
                                  (row[3], kept[:, j].min(), "kept low"),
                                  (row[4], kept[:, j].max(), "kept high"),
                                  (row[5], 100 * share, "share kept")):
            close(cell, value, f"{names[j]} {what}")
        verdict = "pinned down" if share < 0.5 else "not pinned down by these targets"
        assert row[6] == verdict, (row, share)
        shares.append(share)
    assert shares == sorted(shares), "parameters should be sorted by the share kept"
    assert "Pinned down" in with_cal.body or "Not pinned down by these targets" in with_cal.body
    rows = cal_tables["calibration-targets"][1:]
    assert [r[0] for r in rows] == targets["name"], rows
    for k, row in enumerate(rows):
        for cell, value, what in ((row[2], targets["observed"][k], "observed"),
                                  (row[3], targets["observation_sd"][k], "observation sd"),
                                  (row[4], targets["discrepancy_sd"][k], "discrepancy sd"),
                                  (row[6], outputs[:, k].min(), "lowest simulated"),
                                  (row[7], outputs[:, k].max(), "highest simulated")):
            close(cell, value, f"target {row[0]} {what}")
        assert row[5] == targets["flag"][k], row
    # The tiny town has no district on the police list: the stability check says so.
    assert "Not checked: the scenario lists no district on the police list" in with_cal.body

    # A store with a stability check: its table holds the store's numbers.
    stable = work / "calibration-stable.h5"
    stable.write_bytes(calibration.read_bytes())
    checked = {"district": ["North", "South"], "members_trend": [1.2, -4.5],
               "reported_trend": [-0.5, 2.0], "members_per_10k_first": [20.0, 30.0],
               "members_per_10k_last": [21.0, 25.0], "share_died_out": [0.0, 0.25],
               "share_saturated": [0.125, 0.0], "met": [1.0, 0.0]}
    with h5py.File(stable, "a") as f:
        for key, values in checked.items():
            del f[f"stability/{key}"]
            f.create_dataset(f"stability/{key}", data=values)
        f["stability"].attrs["from_year"], f["stability"].attrs["to_year"] = 3, 10
    stable_page = build_report(results, work / "stable-report", "--calibration", stable)
    rows = Tables(stable_page.html).tables["calibration-stability"]
    assert [r[0] for r in rows[1:]] == checked["district"], rows
    for row, k in zip(rows[1:], range(2)):
        close(row[1].removesuffix(" a year").removesuffix("%"), checked["members_trend"][k],
              "members' trend")
        close(row[2].removesuffix(" a year").removesuffix("%"), checked["reported_trend"][k],
              "reported crime's trend")
        close(row[3], 100 * checked["share_died_out"][k], "died out")
        close(row[4], 100 * checked["share_saturated"][k], "saturated")
        assert row[5] == ("yes" if checked["met"][k] else "no"), row
    assert "model years 3 to 10" in stable_page.body and "Not stable in South" in stable_page.body

    # A store whose ensemble is empty says so plainly, and draws no ranges.
    empty = work / "calibration-empty.h5"
    empty.write_bytes(calibration.read_bytes())
    with h5py.File(empty, "a") as f:
        f["ensemble/accepted"][...] = 0
        del f["ensemble/accepted_points"]
        f.create_dataset("ensemble/accepted_points", shape=(0, len(names)), dtype="f8")
    empty_page = build_report(results, work / "empty-report", "--calibration", empty)
    check_figures(work / "empty-report", empty_page, RUN_FIGURES)
    assert "No parameter set met every target, so the ensemble is empty." in empty_page.body
    assert all(r[3] == r[4] == r[5] == "–" and r[6] == "nothing kept"
               for r in Tables(empty_page.html).tables["calibration-parameters"][1:])

    # A result file is not a calibration store; a missing store is an I/O error.
    wrong = run(report_tool, results, "-o", work / "c1", "--calibration", results, expect=2)
    assert "not a Trygg calibration store" in wrong.stderr and not (work / "c1").exists()
    missing = run(report_tool, results, "-o", work / "c2", "--calibration", work / "no.h5",
                  expect=4)
    assert "no such file" in missing.stderr and not (work / "c2").exists()

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
