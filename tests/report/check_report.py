#!/usr/bin/python3
"""Builds planners' reports (tools/trygg-report) and checks each point of the report's contract
(docs/report.md, issue 18):

1. Swedish and English from one catalogue each (share/text/LANG.json), the default language
   from the scenario's report.language, each language's number formats;
2. the arms' labels from the scenario, never their keys, in the decision tables;
3. the decision first: the arms ranked by the file's own /comparison, each focus district on its
   own, the effect over the whole period and in its last year, costs, cost per offence averted
   and the steps of the efficient frontier (trygg.efficient_frontier), and the sentence that only
   chance is covered;
4. one self-contained page: plotly.js embedded once, nothing from the network, native switches;
5. every table's and figure's data as CSV and in one .xlsx workbook, equal to the page;
6. captions, alt texts that state a finding, labels of every switch, a print stylesheet;
7. (with Chromium, chromedriver and axe-core) the page in a real browser: tests/report/
   browser_check.py, both languages, screenshots and PDFs kept as artefacts;
8. the package layout; and, as before, calibration stores, small cells, sweeps with
   sensitivity indices, and bad input that never replaces a folder that is not a report.

    check_report.py TRYGG SOURCE_DIR [ARTEFACT_DIR]
"""
import csv
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

trygg, source = sys.argv[1], Path(sys.argv[2])
artefacts = Path(sys.argv[3]) if len(sys.argv) > 3 else None
report_tool = source / "tools" / "trygg-report"
child = source / "tests" / "data" / "good" / "child.yaml"
calibration_file = source / "tests" / "data" / "good" / "calibration-tiny.yaml"
catalogues = {lang: json.loads((source / "share" / "text" / f"{lang}.json").read_text("utf-8"))
              for lang in ("sv", "en")}
sys.path.insert(0, str(source / "tools"))
python_dir = os.environ.get("TRYGG_PYTHONPATH")
if python_dir:
    sys.path.insert(0, python_dir)
import trygg as trygg_module  # noqa: E402  (the package this build made)

NARROW = "\u202f"
MINUS = "\u2212"
SCENARIO = f"""extends: {child}
name: child-est
report:
  language: sv
arms:
  baseline:
    label: {{sv: Nuläge, en: Current practice}}
    description: {{sv: Som i dag., en: As today.}}
  safety_campaign:
    label: {{sv: Trygghetskampanj, en: Safety campaign}}
    description: {{sv: Invånarna känner sig tryggare., en: Residents feel safer.}}
    set:
      safety.baseline: 0.9
      safety.adaptation_rate: 0.2
  est:
    label: {{sv: EST i två områden, en: EST in two districts}}
    description: {{sv: EST i Navestad och Hageby., en: EST in Navestad and Hageby.}}
    measures:
      est: {{districts: [Navestad, Hageby], capacity: 4}}
  est_more:
    label: {{sv: Mer EST, en: More EST}}
    description: {{sv: EST med dubbel kapacitet., en: EST with twice the capacity.}}
    measures:
      est: {{districts: [Navestad, Hageby], capacity: 8}}
"""


def squeeze(text):
    """Runs of ASCII white space as one space: the narrow no-break spaces of Swedish numbers
    (which str.split would take for white space) stay."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


class Page(html.parser.HTMLParser):
    """What the checks need from index.html."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.html = text
        self.lang = None
        self.sections = []            # ids of the sections, in order
        self.tables = {}              # id -> {"caption": str, "rows": [[cell text]]}
        self.scripts = []             # (attrs, length of text)
        self.figures = {}             # id -> {"label": aria-label, "caption": str, "inputs": n}
        self.inputs = []              # ids of checkboxes
        self.labels_for = set()
        self.links = []
        self.sources = []             # src and href attributes
        self.text = []
        self._table = self._cell = self._caption = None
        self._script = None
        self._figure = None
        self._figcaption = None
        self._skip = 0                # inside <pre>, <script>, <style>
        self.feed(text)
        self.body = squeeze("".join(self.text))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("src", "href"):
            if key in attrs:
                self.sources.append(attrs[key])
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "section":
            self.sections.append(attrs.get("id"))
        elif tag == "table":
            self._table = self.tables.setdefault(attrs.get("id", f"t{len(self.tables)}"),
                                                 {"caption": "", "rows": [],
                                                  "class": attrs.get("class", "")})
        elif tag == "caption" and self._table is not None:
            self._caption = []
        elif tag == "tr" and self._table is not None:
            self._table["rows"].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "script":
            self._script = [attrs, 0]
            self._skip += 1
        elif tag in ("style", "pre"):
            self._skip += 1
        elif tag == "figure":
            self._figure = self.figures.setdefault(attrs.get("id"), {"label": None,
                                                                     "caption": "", "inputs": 0,
                                                                     "tables": 0})
        elif tag == "figcaption":
            self._figcaption = []
        elif tag == "div" and "plot" in attrs.get("class", "").split() and self._figure:
            self._figure["label"] = attrs.get("aria-label")
            self._figure["role"] = attrs.get("role")
        elif tag == "input":
            self.inputs.append(attrs.get("id"))
            if self._figure is not None:
                self._figure["inputs"] += 1
        elif tag == "label" and "for" in attrs:
            self.labels_for.add(attrs["for"])
        elif tag == "a":
            self.links.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "table":
            if self._figure is not None:
                self._figure["tables"] += 1
            self._table = None
        elif tag == "caption" and self._caption is not None:
            self._table["caption"] = squeeze("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._table["rows"][-1].append(squeeze("".join(self._cell)))
            self._cell = None
        elif tag == "script":
            self.scripts.append(tuple(self._script))
            self._script = None
            self._skip -= 1
        elif tag in ("style", "pre"):
            self._skip -= 1
        elif tag == "figure":
            self._figure = None
        elif tag == "figcaption" and self._figcaption is not None:
            self._figure["caption"] = squeeze("".join(self._figcaption))
            self._figcaption = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += len(data)
        if self._skip == 0:
            self.text.append(data)
        for part in (self._cell, self._caption, self._figcaption):
            if part is not None:
                part.append(data)

    def rows(self, table_id):
        return self.tables[table_id]["rows"][1:]


def run(*command, expect=0):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    if result.returncode != expect:
        sys.exit(f"{' '.join(map(str, command))}: exit {result.returncode}, expected {expect}\n"
                 f"{result.stdout}{result.stderr}")
    return result


def build_report(store, folder, *options):
    run(report_tool, store, "-o", folder, "-q", *options)
    return Page((folder / "index.html").read_text(encoding="utf-8"))


def number(cell, lang):
    """A number as the page shows it (grouping, decimal mark, typographic minus, a % or unit)."""
    text = cell.split("[")[0].replace("\u00a0", " ").strip()
    text = re.sub(r"\s*(%|kr|SEK|miljoner kr|million SEK|procentenheter|percentage points|points)$", "", text)
    text = text.replace(MINUS, "-")
    if lang == "sv":
        text = text.replace(NARROW, "").replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(text)


def close(cell, value, lang, what, relative=5.1e-3, absolute=0.051):
    shown = number(cell, lang)
    assert abs(shown - value) <= max(absolute, relative * abs(value)), \
        f"{what}: shown {cell!r}, the file has {value}"


def check_catalogues():
    """Both catalogues hold the same keys with the same placeholders, and every key the
    package's code and template name exists (keys built at run time are checked by the
    reports built below: a missing one fails the build)."""
    from trygg_report.catalogue import placeholders
    sv, en = catalogues["sv"], catalogues["en"]
    assert set(sv) == set(en), f"only in one catalogue: {sorted(set(sv) ^ set(en))}"
    for key in sv:
        assert placeholders(sv[key]) == placeholders(en[key]), key
        assert sv[key].strip() and en[key].strip(), key
    package = source / "tools" / "trygg_report"
    code = "\n".join(p.read_text("utf-8") for p in sorted(package.rglob("*.py")))
    template = (package / "templates" / "report.html.j2").read_text("utf-8")
    used = set(re.findall(r"\bt(?:exts)?(?:\.markup)?\(\s*\"([a-z_0-9]+(?:\.[a-z_0-9]+)+)\"",
                          code))
    used |= set(re.findall(r"t\('([a-z_0-9.]+)'", template))
    missing = sorted(key for key in used if key not in sv)
    assert not missing, f"keys used but in no catalogue: {missing}"
    assert len(used) > 150, f"only {len(used)} catalogue keys found in the code"
    return len(sv)


def check_language(page, lang, texts):
    assert page.lang == lang, page.lang
    titles = [texts[k] for k in ("decision.title", "arms.title", "time.title", "effects.title",
                                 "costs.title", "districts.title", "assumptions.title",
                                 "provenance.title", "reading.title")]
    for title in titles:
        assert f">{title}</h2>" in page.html.replace("&#39;", "'"), (lang, title)
    assert page.sections[0] == "decision", page.sections
    other = catalogues["en" if lang == "sv" else "sv"]
    for key in ("decision.title", "effects.title", "costs.title", "reading.title"):
        assert other[key] not in page.body, (lang, key)


def check_offline(page, folder):
    plotly = [s for s in page.scripts if s[0].get("id") == "plotly-js"]
    assert len(plotly) == 1 and plotly[0][1] > 1_000_000, "plotly.js embedded once"
    assert page.html.count("plotly.js v2") == 1, "plotly.js is embedded more than once"
    assert not any(s.startswith(("http:", "https:", "//")) for s in page.sources), \
        [s for s in page.sources if s.startswith(("http", "//"))]
    assert not any("src" in attrs for attrs, _ in page.scripts), "a script is loaded from a file"
    assert "@media print" in page.html and "fieldset.switches" in page.html.split(
        "@media print")[1].split("}")[0] + page.html.split("@media print")[1][:400]


def check_figures(page, expected):
    assert set(page.figures) >= expected, f"figures {sorted(page.figures)}"
    for name, figure in page.figures.items():
        assert figure["role"] == "img" and figure["label"], name
        title = figure["caption"].split(".")[0]
        assert figure["label"] != title and re.search(r"\d", figure["label"]), \
            f"{name}: the alt text should state a finding, not repeat the title: {figure}"
        assert figure["tables"] == 1, f"{name} has no data table beside it"
    for input_id in page.inputs:
        assert input_id in page.labels_for, f"the switch {input_id} has no label"
    for table_id, table in page.tables.items():
        assert table["caption"], f"the table {table_id} has no caption"


def check_data(page, folder):
    """Every table has its CSV, equal to the table; the workbook holds them all."""
    from openpyxl import load_workbook
    book = load_workbook(folder / "data" / "report.xlsx", read_only=True)
    assert "data/report.xlsx" in page.links
    for table_id, table in page.tables.items():
        link = f"data/{table_id}.csv"
        assert link in page.links, f"no CSV link for {table_id}"
        with open(folder / link, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == table["rows"][0], (table_id, rows[0], table["rows"][0])
        assert len(rows) == len(table["rows"]), (table_id, len(rows), len(table["rows"]))
        sheet = book[table_id[:31]]
        sheet_rows = list(sheet.iter_rows(values_only=True))
        assert len(sheet_rows) == len(rows) + 1 and list(sheet_rows[1]) == rows[0], table_id
    return len(page.tables)


def ranking_of(results):
    effects = results.effects
    rows = effects[(effects["area"] == "Municipality") & (effects["outcome"] == "offences")]
    return rows.sort_values("difference")


def check_decision(page, results, lang, texts, labels):
    """The ranking and the area tables hold the file's own numbers."""
    ranking = ranking_of(results)
    rows = page.rows("ranking")
    assert [r[1] for r in rows] == [labels[a][lang] for a in ranking["arm"]], rows
    final = results.final_year_effects
    costs = results.costs
    arms = ["baseline"] + list(ranking["arm"])
    municipal = costs[costs["area"] == "Municipality"].set_index("arm")
    frontier = trygg_module.efficient_frontier(
        [0.0] + [float(municipal.loc[a, "cost_sek"]) for a in arms[1:]],
        [0.0] + [float(municipal.loc[a, "offences_averted"]) for a in arms[1:]])
    for row, (_, effect) in zip(rows, ranking.iterrows()):
        arm = effect["arm"]
        close(row[2], 100 * effect["relative_change"], lang, f"{arm} whole period")
        low, high = re.findall(r"\[(.*) (?:till|to) (.*)\]", row[2])[0]
        assert number(low, lang) >= -100 and number(low, lang) <= number(high, lang), row[2]
        last = final[(final["arm"] == arm) & (final["area"] == "Municipality") &
                     (final["outcome"] == "offences")].iloc[0]
        close(row[3], 100 * last["relative_change"], lang, f"{arm} last year")
        close(row[4], municipal.loc[arm, "offences_averted"], lang, f"{arm} averted",
              absolute=0.51)
        place = frontier[frontier["option"] == arms.index(arm)].iloc[0]
        if place["status"] == "dominated":
            assert row[7].startswith(texts["frontier.dominated"].split("{")[0]), row[7]
        elif place["status"] == "frontier" and place["incremental_cost_per_offence_averted"] \
                == place["incremental_cost_per_offence_averted"]:
            close(re.match(r"[\u2212+\d\u202f,.]+", row[7]).group(0),
                  place["incremental_cost_per_offence_averted"], lang, f"{arm} frontier step",
                  relative=0.0051, absolute=1.0)
    # Each focus district on its own, with the file's district effects and costs.
    for area, table_id in (("Navestad", "area-navestad"), ("Hageby", "area-hageby"),
                           ("Municipality", "area-municipality")):
        shown = {r[0]: r for r in page.rows(table_id)}
        for arm in ranking["arm"]:
            row = shown[labels[arm][lang]]
            cost = costs[(costs["arm"] == arm) & (costs["area"] == area)].iloc[0]
            if cost["cost_sek"] > 0:
                close(row[5], cost["cost_sek"] / (1e6 if "milj" in row[5] or "million"
                                                  in row[5] else 1), lang, f"{arm} cost {area}")
    assert "chance-only" in page.html and texts["decision.chance_only"].split("<b>")[1].split(
        "</b>")[0] in page.body


def check_formats(page, lang):
    cells = " ".join(c for r in page.rows("ranking") for c in r)
    if lang == "sv":
        assert re.search(r"\d,\d+\u202f%", cells), cells
        assert "\u00a0kr" in cells and "SEK" not in cells, cells
    else:
        assert re.search(r"\d\.\d+%", cells) and "\u00a0SEK" in cells, cells


def check_bands(folder):
    for name in ("time-offences-data", "time-share-unsafe-data", "time-new-recruits-data"):
        with open(folder / "data" / f"{name}.csv", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))[1:]
        assert rows, name
        for row in rows:
            mean, low, high = (float(v) for v in row[3:6])
            assert 0 <= low <= mean <= high, (name, row)
            if "unsafe" in name:
                assert high <= 1.0, (name, row)


def check_browser(folder, lang, artefact_dir):
    """The page in headless Chromium (tests/report/browser_check.py), when it can run here."""
    try:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import browser_check
    except ImportError:
        print("browser check: tests/report/browser_check.py not importable; skipped")
        return False
    # The scenario's name (child-est) is a name, not English.
    failures = browser_check.check_page(folder / "index.html", lang, artefact_dir,
                                        source / "share" / "text" / "en.json",
                                        allowed_words=("child",))
    assert not failures, f"{lang}: " + "\n".join(failures)
    return True


def main():
    keys = check_catalogues()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        scenario = work / "child-est.yaml"
        scenario.write_text(SCENARIO, encoding="utf-8")
        results_path = work / "child.h5"
        run(trygg, "run", scenario, "-q", "-o", results_path)
        results = trygg_module.open(str(results_path))
        labels = {row["name"]: {"sv": row["label_sv"], "en": row["label_en"]}
                  for _, row in results.arm_table.iterrows()}
        pages = {}
        for lang, options in (("sv", ()), ("en", ("--lang", "en"))):
            folder = work / f"report-{lang}"
            page = build_report(results_path, folder, *options)  # sv: the scenario's default
            texts = catalogues[lang]
            check_language(page, lang, texts)
            check_formats(page, lang)
            check_offline(page, folder)
            check_figures(page, {"fig-time-offences", "fig-effects", "fig-costs",
                                 "fig-districts"})
            tables = check_data(page, folder)
            check_decision(page, results, lang, texts, labels)
            check_bands(folder)
            # Plain names: no arm key left in the tables a planner reads first.
            decision = page.html.split('id="decision"')[1].split("<section")[0]
            for key in ("safety_campaign", "est_more"):
                assert key not in decision, key
            pages[lang] = page
            browsed = check_browser(folder, lang, artefacts or work / "artefacts")
        print(f"catalogues of {keys} texts; {tables} tables with CSV; browser check "
              f"{'run' if browsed else 'skipped'}")
        en = pages["en"]
        assert "These are projections, not forecasts." in en.body
        assert "Det här är scenarier, inte prognoser." in pages["sv"].body
        with_en = en

        # A calibration store: what the data pinned down, with the store's numbers.
        calibration = work / "calibration.h5"
        calibrated = subprocess.run([trygg, "calibrate", calibration_file, "-q", "--threads",
                                     "2", "-o", calibration], capture_output=True, text=True)
        assert calibrated.returncode in (0, 5), calibrated.stderr
        assert 'id="calibration"' not in with_en.html
        cal = build_report(results_path, work / "cal-report", "--lang", "en", "--calibration",
                           calibration)
        assert cal.sections.count("calibration") == 1 and "fig-calibration" in cal.figures
        import h5py
        with h5py.File(calibration, "r") as f:
            names = [n.decode() if isinstance(n, bytes) else n for n in f["parameters/name"][:]]
            prior_low, prior_high = f["parameters/prior_low"][:], f["parameters/prior_high"][:]
            kept = f["ensemble/accepted_points"][:]
            accepted = f["ensemble/accepted"][:] == 1
        assert len(kept) == accepted.sum() > 0
        shares = []
        for row in cal.rows("calibration-parameters"):
            j = names.index(row[0])
            share = (kept[:, j].max() - kept[:, j].min()) / (prior_high[j] - prior_low[j])
            close(row[1], prior_low[j], "en", "prior low", absolute=0.0051)
            close(row[3], kept[:, j].min(), "en", "kept low", absolute=0.0051)
            close(row[5], 100 * share, "en", "share kept")
            assert row[6] == ("pinned down" if share < 0.5 else
                              "not pinned down by these targets"), row
            shares.append(share)
        assert shares == sorted(shares)
        assert "Not checked: the scenario lists no district on the police list" in cal.body
        empty = work / "calibration-empty.h5"
        empty.write_bytes(calibration.read_bytes())
        with h5py.File(empty, "a") as f:
            f["ensemble/accepted"][...] = 0
            del f["ensemble/accepted_points"]
            f.create_dataset("ensemble/accepted_points", shape=(0, len(names)), dtype="f8")
        empty_page = build_report(results_path, work / "empty-report", "--lang", "en",
                                  "--calibration", empty)
        assert "No parameter set met every target, so the ensemble is empty." in empty_page.body
        assert "fig-calibration" not in empty_page.figures
        wrong = run(report_tool, results_path, "-o", work / "c1", "--calibration", results_path,
                    expect=2)
        assert "not a Trygg calibration store" in wrong.stderr and not (work / "c1").exists()

        # Small cells: a high threshold hides counts; 0 shows them all.
        high = build_report(results_path, work / "high", "--lang", "en",
                            "--small-cell-threshold", "1000")
        counts = [c for r in high.rows("district-table") for c in r[2:4]]
        assert "<1000" in counts and all(c == "<1000" or number(c, "en") >= 1000 for c in counts)
        assert "District counts below 1000" in high.body
        none = build_report(results_path, work / "open", "--lang", "en",
                            "--small-cell-threshold", "0")
        assert "Small-cell protection is off" in none.body
        assert not any(c.startswith("<") for r in none.rows("district-table") for c in r[2:4])

        # A chosen focus district, and an unknown one.
        focus = build_report(results_path, work / "focus", "--lang", "en", "--districts", "Ljura")
        assert "area-ljura" in focus.tables and "area-navestad" not in focus.tables
        bad = run(report_tool, results_path, "-o", work / "x", "--districts", "Nowhere", expect=2)
        assert "Nowhere" in bad.stderr and not (work / "x").exists()

        # A Morris sweep: with indices, the sensitivity figure.
        sweep = work / "morris.yaml"
        sweep.write_text(f"base: {child}\nname: child-morris\ndesign: morris\npoints: 2\n"
                         "replicates: 1\nparameters:\n"
                         "  offending.reporting.property: {range: [0.4, 0.6]}\n"
                         "  safety.baseline: {range: [0.8, 0.9]}\n", encoding="utf-8")
        store = work / "morris.h5"
        run(trygg, "sweep", sweep, "-q", "-o", store)
        without = build_report(store, work / "sweep-report", "--lang", "en")
        assert "trygg sensitivity STORE" in without.body and "sweep-parameters" in without.tables
        run(trygg, "sensitivity", store)
        swept = build_report(store, work / "sweep-report", "--lang", "en")
        assert "fig-sensitivity" in swept.figures and "Morris elementary effects" in swept.body

        # Errors: a missing file, an HDF5 file of something else, a file that is not HDF5.
        missing = run(report_tool, work / "none.h5", "-o", work / "r1", expect=4)
        assert "no such file" in missing.stderr
        other = work / "other.h5"
        with h5py.File(other, "w") as f:
            f.attrs["format"] = "something-else"
        run(report_tool, other, "-o", work / "r2", expect=2)
        text = work / "text.h5"
        text.write_text("not HDF5\n")
        # Not HDF5 at all: trygg's reader cannot open it, and says so with trygg's exit code 4.
        said = run(report_tool, text, "-o", work / "r3", expect=4)
        assert "is it an HDF5 file?" in said.stderr, said.stderr
        assert not any((work / name).exists() for name in ("r1", "r2", "r3"))
        precious = work / "precious"
        precious.mkdir()
        (precious / "notes.txt").write_text("keep me\n")
        refused = run(report_tool, results_path, "-o", precious, expect=3)
        assert "not a Trygg report" in refused.stderr
        assert (precious / "notes.txt").read_text() == "keep me\n"
        leftovers = [p.name for p in work.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
        assert not leftovers, leftovers

    # The package: one module per concern, a thin launcher, no t table of its own.
    package = source / "tools" / "trygg_report"
    for module in ("reading", "statistics", "figures", "page", "export", "catalogue", "cli"):
        assert (package / f"{module}.py").is_file(), module
    assert (package / "templates" / "report.html.j2").is_file()
    assert len((source / "tools" / "trygg-report").read_text().splitlines()) < 40
    assert not any("12.706" in p.read_text("utf-8") for p in package.rglob("*.py")), \
        "the report keeps a t table of its own"
    print("trygg-report built and checked the reports in Swedish and English, of a calibration, "
          "of small cells and of a sweep")


main()
