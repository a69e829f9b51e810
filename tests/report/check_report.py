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
5. every table's and figure's data as CSV and in one .xlsx workbook, equal to the page: every
   number the page shows, the bounds of its 95% intervals included, and every text, which comes
   from the catalogue of the page's language;
6. captions, alt texts that state a finding, labels of every switch, a print stylesheet; on a
   Swedish page, the parameter table's units and evidence from the catalogue, and no English
   but quoted sources (lang="en" with class "quoted");
7. (with Chromium, chromedriver and axe-core) the page in a real browser: tests/report/
   browser_check.py, both languages and the Swedish page of runs over parameter sets,
   screenshots and PDFs kept as artefacts; without them that step is skipped, and says why;
8. the package layout; runs over parameter sets (trygg run --parameter-sets: the probability
   that each alternative is best and the acceptability curve, in both languages); and, as
   before, calibration stores, small cells, sweeps with sensitivity indices, and bad input
   that never replaces a folder that is not a report.

    check_report.py TRYGG SOURCE_DIR [ARTEFACT_DIR]
"""
import csv
import html.parser
import json
import math
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
decision_tiny = source / "tests" / "data" / "good" / "decision-tiny.yaml"
decision_sets = source / "tests" / "data" / "good" / "decision-tiny.sets.tsv"
catalogues = {lang: json.loads((source / "share" / "text" / f"{lang}.json").read_text("utf-8"))
              for lang in ("sv", "en")}
sys.path.insert(0, str(source / "tools"))
python_dir = os.environ.get("TRYGG_PYTHONPATH")
if python_dir:
    sys.path.insert(0, python_dir)
import trygg as trygg_module  # noqa: E402  (the package this build made)

NARROW = "\u202f"
MINUS = "\u2212"
# A Swedish report, and the baseline's labels, shared by the test scenarios below.
SWEDISH_BASELINE = """report:
  language: sv
arms:
  baseline:
    label: {sv: Nuläge, en: Current practice}
    description: {sv: Som i dag., en: As today.}
"""
SCENARIO = f"""extends: {child}
name: child-est
""" + SWEDISH_BASELINE + f"""  safety_campaign:
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
# The two-district test town with measures to choose between (tests/integration/decision_cli.py),
# with labels in both languages, run over parameter sets (trygg run --parameter-sets).
ENSEMBLE_SCENARIO = f"""extends: {decision_tiny}
name: decision-labels
""" + SWEDISH_BASELINE + f"""  est:
    label: {{sv: EST i North, en: EST in North}}
    description: {{sv: EST i North., en: EST in North.}}
    measures:
      est: {{districts: [North], capacity: 4}}
  outreach:
    label: {{sv: Fältarbete i South, en: Outreach in South}}
    description: {{sv: Fältassistenter i South., en: Field workers in South.}}
    measures:
      outreach: {{districts: [South], capacity: 1}}
  both:
    label: {{sv: Båda insatserna, en: Both measures}}
    description: {{sv: EST i North och fältassistenter i South.,
                   en: EST in North and field workers in South.}}
    measures:
      est: {{districts: [North], capacity: 4}}
      outreach: {{districts: [South], capacity: 1}}
"""
ENSEMBLE_DRAWS = 4


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
        self.marked = []              # (tag, class) of the elements with a lang attribute
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
        elif "lang" in attrs:
            self.marked.append((tag, attrs.get("class", ""), attrs["lang"]))
        if tag == "html":
            pass
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


# Numbers as the page writes them: grouping, decimal mark, typographic minus, an exponent.
# A number stands alone: not part of a word, a hash or a date.
NUMBER = {"sv": re.compile(r"(?<![\w.,\u2212+-])[\u2212+-]?\d+(?:\u202f\d{3})*(?:,\d+)?"
                           r"(?:e[\u2212+-]?\d+)?(?![\w-])"),
          "en": re.compile(r"(?<![\w.,\u2212+-])[\u2212+-]?\d+(?:,\d{3})*(?:\.\d+)?"
                           r"(?:e[\u2212+-]?\d+)?(?![\w-])")}
# Units after a number, and what the data files hold instead: fractions for per cent and
# percentage points, kronor for millions.
UNITS = [("miljoner kr", 1e6), ("million SEK", 1e6), ("procentenheter", 0.01),
         ("percentage points", 0.01), ("%", 0.01), ("kr", 1.0), ("SEK", 1.0)]
SPACES = " \u00a0\u202f"


def shown_number(match, text, lang, default_scale=None):
    """The value of a number the page shows (in the data files' unit) and how far the data
    files' value may be from it (half the last digit shown); the scale of its unit, else
    default_scale, else 1."""
    token = match.group(0).replace(MINUS, "-")
    token = token.replace(NARROW, "").replace(",", ".") if lang == "sv" else \
        token.replace(",", "")
    mantissa, _, exponent = token.partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    value = float(token)
    step = 0.5 * 10.0 ** (-decimals) * (10.0 ** int(exponent) if exponent else 1.0)
    rest = re.sub(f"[{SPACES}]+", " ", text[match.end():]).lstrip()
    scale = next((f for unit, f in UNITS if rest.startswith(unit)), None)
    scale = scale or default_scale or 1.0
    return value * scale, step * scale, scale


def shown_numbers(cell, lang):
    """The number a cell shows before any bracket and the numbers in its brackets (an
    interval), each (value, tolerance) in the data files' unit; the bounds take the main
    number's unit where they carry none (share changes say it once)."""
    main, _, bracket = cell.partition("[")
    bracket = bracket.split("]")[0]
    first = NUMBER[lang].search(main)
    if first is None:
        return None, []
    value, tolerance, scale = shown_number(first, main, lang)
    bounds = [shown_number(m, bracket, lang, scale)[:2] for m in NUMBER[lang].finditer(bracket)]
    return (value, tolerance), bounds


def near(value, shown, what):
    target, tolerance = shown
    assert abs(value - target) <= tolerance * 1.000001 + 1e-12, \
        f"{what}: the data files hold {value}, the page shows {target} (within {tolerance})"


def as_number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def same_value(value, cell, lang, what):
    """A value of the data files (CSV text) against the page's cell text: a number against the
    number it shows, a text against the text (a list of numbers number by number)."""
    if value == "":
        assert not NUMBER[lang].search(cell.split("[")[0]) or cell.startswith("<"), \
            f"{what}: no value in the data files, the page shows {cell!r}"
        return
    number_value = as_number(value)
    if number_value is not None:
        main, _ = shown_numbers(cell, lang)
        assert main is not None, f"{what}: the data files hold {value}, the page shows {cell!r}"
        near(number_value, main, what)
        return
    if value in cell:
        return
    parts, shown = value.split(", "), cell.split(", ")
    assert len(parts) == len(shown) > 1 and all(
        as_number(p) is not None for p in parts), \
        f"{what}: the data files hold {value!r}, the page shows {cell!r}"
    for part, piece in zip(parts, shown):
        same_value(part, piece, lang, what)


def check_data(page, folder, lang, texts):
    """Every table has its CSV and a sheet of the workbook, and they hold what the page shows:
    the same header (each column a page column or the bounds, place on the frontier or
    alternative compared with that a page column shows in one cell), as many rows, every
    number equal to the number shown (within its last digit) and every text the page's."""
    from openpyxl import load_workbook
    book = load_workbook(folder / "data" / "report.xlsx", read_only=True)
    assert "data/report.xlsx" in page.links
    statuses = {texts[k] for k in texts if k.startswith("frontier_status.")}
    values_checked = 0
    for table_id, table in page.tables.items():
        link = f"data/{table_id}.csv"
        assert link in page.links, f"no CSV link for {table_id}"
        with open(folder / link, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        header, shown = table["rows"][0], table["rows"][1:]
        # Which CSV columns belong to which page column.
        columns, position = [], 0
        for column in header:
            assert position < len(rows[0]) and rows[0][position] == column, \
                (table_id, rows[0], header)
            extras = {}
            position += 1
            for key in ("low", "high", "status", "compared_with"):
                name = texts[f"export.column_{key}"].format(column=column)
                if position < len(rows[0]) and rows[0][position] == name:
                    extras[key] = position
                    position += 1
            columns.append((position - 1 - len(extras), extras))
        assert position == len(rows[0]), (table_id, rows[0], header)
        assert len(rows) == len(table["rows"]), (table_id, len(rows), len(table["rows"]))
        for r, (values, cells) in enumerate(zip(rows[1:], shown)):
            assert len(cells) == len(header), (table_id, cells)
            for (index, extras), cell, column in zip(columns, cells, header):
                what = f"{table_id} row {r + 1} '{column}'"
                same_value(values[index], cell, lang, what)
                values_checked += 1
                _, bounds = shown_numbers(cell, lang)
                assert not bounds or "low" in extras, \
                    f"{what}: the page shows an interval {cell!r}, the data files not its bounds"
                if "low" in extras:
                    low, high = values[extras["low"]], values[extras["high"]]
                    if not bounds:
                        assert low == high == "", f"{what}: bounds {low}, {high}, none shown"
                    else:
                        near(float(low), bounds[0], f"{what}, lower bound")
                        if len(bounds) > 1:
                            near(float(high), bounds[1], f"{what}, upper bound")
                        else:  # open above: "at least LOW; no upper bound"
                            assert high == "", f"{what}: upper bound {high}, none shown"
                    values_checked += 2
                if "status" in extras:
                    status = values[extras["status"]]
                    assert status in statuses or (status == "" and cell == "\u2013"), \
                        f"{what}: place on the frontier {status!r} is no catalogue text"
                    other = values[extras["compared_with"]]
                    assert other in cell, f"{what}: compared with {other!r}, shown {cell!r}"
        sheet = book[table_id[:31]]
        sheet_rows = list(sheet.iter_rows(values_only=True))
        assert len(sheet_rows) == len(rows) + 1 and list(sheet_rows[1]) == rows[0], table_id
        assert sheet_rows[0][0] == table["caption"], (table_id, sheet_rows[0][0])
        for values, cells in zip(rows[1:], sheet_rows[2:]):
            for value, cell in zip(values, cells):
                if value == "":
                    assert cell is None, (table_id, values, cells)
                elif as_number(value) is not None and not isinstance(cell, str):
                    # the workbook keeps the 15 to 17 significant digits a spreadsheet does
                    assert math.isclose(float(value), float(cell), rel_tol=1e-14,
                                        abs_tol=1e-300), (table_id, values, cells)
                else:
                    assert value == cell, (table_id, values, cells)
    return len(page.tables), values_checked


def check_plain_text(folder, lang, texts):
    """Every text of the data files is the catalogue's (of the page's language) or a name: no
    trygg codes (dominated, extended_dominance, true, false) and, in Swedish, no English."""
    english = {"dominated", "extended_dominance", "frontier", "true", "false"} - set(
        texts.values())
    if lang == "sv":
        english |= {catalogues["en"][k] for k in catalogues["en"]
                    if k.startswith(("frontier_status.", "word.", "flag.", "parameter_unit."))
                    and catalogues["en"][k] != texts[k]}
    for path in sorted((folder / "data").glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        source_column = None
        if path.name in ("parameters.csv", "calibration-targets.csv"):
            source_column = len(rows[0]) - 1  # quoted in English, and said so in its header
            assert lang == "en" or rows[0][-1] == texts["column.source_quoted"], rows[0]
        for row in rows[1:]:
            for j, value in enumerate(row):
                if j != source_column:
                    assert value not in english, f"{path.name}: {value!r} in {row}"


def units_shown():
    """Every unit the report may show: those of the parameter table (docs/parameters.md, made
    from trygg's parameter descriptions) and of the targets of the calibrations shipped and
    tested."""
    import yaml
    units = set()
    for line in (source / "docs" / "parameters.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 6 and cells[2]:
            units.add(cells[2])
    files = list((source / "scenarios").rglob("*.yaml")) + list(
        (source / "tests" / "data" / "good").rglob("*.yaml"))
    for path in files:
        try:
            tree = yaml.safe_load(path.read_text("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        targets = tree.get("targets") if isinstance(tree, dict) else None
        for target in (targets or {}).values() if isinstance(targets, dict) else ():
            if isinstance(target, dict) and target.get("unit"):
                units.add(str(target["unit"]))
    assert len(units) > 30, sorted(units)
    return units


def check_units_and_statistics():
    """Every unit and every calibration statistic the report may show has its text in both
    catalogues (built at run time, so check_catalogues's search of the code cannot see them)."""
    from trygg_report.page import unit_key
    missing = sorted(f"{unit!r} ({unit_key(unit)})" for unit in units_shown()
                     if unit_key(unit) not in catalogues["sv"])
    assert not missing, f"units with no text in share/text: {missing}"
    schema = json.loads((source / "scenarios" / "calibration.schema.json").read_text("utf-8"))
    found = []

    def walk(tree):
        if isinstance(tree, dict):
            if isinstance(tree.get("statistic"), dict) and "enum" in tree["statistic"]:
                found.extend(tree["statistic"]["enum"])
            for value in tree.values():
                walk(value)
        elif isinstance(tree, list):
            for value in tree:
                walk(value)
    walk(schema)
    assert "crime_ratio" in found, found
    missing = sorted(s for s in set(found) if f"statistic.{s}" not in catalogues["sv"])
    assert not missing, f"calibration statistics with no text in share/text: {missing}"
    return len(units_shown())


def check_quoted(page, lang, texts):
    """The one kind of text in another language on a page is quoted English (class "quoted");
    on a Swedish page the parameter table's units and evidence are the catalogue's and its
    sources are quoted under a header that says so."""
    other = [m for m in page.marked if m[2].split("-")[0] != lang and
             "quoted" not in m[1].split()]
    assert not other, f"{lang}: marked as another language but not quoted: {other[:5]}"
    table = page.tables["parameters"]
    header, rows = table["rows"][0], table["rows"][1:]
    assert len(rows) > 200, len(rows)
    units = {texts[k] for k in texts if k.startswith("parameter_unit.")}
    meanings = [texts[f"flag.{f}"] for f in ("S", "E", "U")]
    assert header[5] == texts["column.source" if lang == "en" else "column.source_quoted"], header
    for row in rows:
        assert row[3] in units or row[3] == "", f"{lang}: unit {row[3]!r} is no catalogue text"
        assert any(row[4].endswith(" " + m) for m in meanings), f"{lang}: evidence {row[4]!r}"
    html_rows = page.html.split('id="parameters"')[1].split("</table>")[0].split("<tr>")[2:]
    quoted = [r for r in html_rows if '<td class="source"><span class="quoted" lang="en">' in r]
    if lang == "en":
        assert 'lang="en"' not in page.html.split('id="parameters"')[1].split("</table>")[0]
    else:
        assert len(quoted) == len(rows), (len(quoted), len(rows))
        assert texts["assumptions.sources_in_english"] in page.body
    return len(rows)


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


def read_csv(folder, name):
    with open(folder / "data" / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def check_ranking_bounds(folder, results, texts, labels, lang):
    """ranking.csv holds the file's own 95% interval of each change, not only the change."""
    effects = results.effects
    final = results.final_year_effects
    whole = texts["column.offences_whole"]
    last = texts["column.offences_final_year"]
    for row in read_csv(folder, "ranking"):
        arm = next(a for a in labels if labels[a][lang] == row[texts["column.arm"]])
        for column, table in ((whole, effects), (last, final)):
            chosen = table[(table["arm"] == arm) & (table["area"] == "Municipality") &
                           (table["outcome"] == "offences")].iloc[0]
            for key, name in (("relative_change", column),
                              ("relative_low", texts["export.column_low"].format(column=column)),
                              ("relative_high",
                               texts["export.column_high"].format(column=column))):
                assert abs(float(row[name]) - float(chosen[key])) < 1e-9, (arm, name, row)


def check_ensemble(page, folder, results, lang, texts, labels):
    """A result over parameter sets: the header and the intervals say what they cover, the
    decision gives the probability that each alternative is best (the file's /decision/best)
    and the acceptability curve (/decision/acceptability), the frontier is the file's
    /decision/frontier; and the sentence that only chance is covered is gone."""
    decision = results.decision
    sets = int(results.effects["parameter_sets"].max())
    assert sets == ENSEMBLE_DRAWS, sets
    assert texts["header.kind_parameter_sets"].format(sets=sets) in page.body
    covers = texts["header.covers_parameters"]
    assert squeeze(re.sub(r"<[^>]+>", "", covers)) in page.body, covers
    assert 'id="chance-only"' not in page.html
    assert texts["decision.chance_only"].split("<b>")[1].split("</b>")[0] not in page.body
    per_set = texts["header.meta_parameter_sets"].split("{replicates}")[1].split("{runs}")[0]
    assert f"2{per_set}8" in page.body, per_set  # 2 replicates of each of 4 sets: 8 runs
    reading = re.sub(r"<[^>]+>", "", texts["reading.intervals_parameter_sets"])
    assert squeeze(reading) in page.body, "the reading section says what ensembles cover"
    decision_html = page.html.split('id="decision"')[1].split("<section")[0]
    assert f">{texts['decision.uncertainty_title']}</h3>" in decision_html
    assert texts["decision.parameter_sets"].format(sets=sets) in page.body
    assert texts["decision.frontier_discounted"] in page.body

    # The probability that each alternative is best, for each area shown, as the file has it.
    areas = {texts["area.municipality"]: "Municipality", "North": "North", "South": "South"}
    best = decision["best"]
    best = best[best["outcome"] == "offences"]
    rows = page.rows("probability-best")
    assert len(rows) == len(best) == 3 * 4, (len(rows), len(best))
    for row in rows:
        area = areas[row[0]]
        arm = next(a for a in labels if labels[a][lang] == row[1])
        chosen = best[(best["area"] == area) & (best["arm"] == arm)].iloc[0]
        close(row[2], 100 * chosen["probability_best"], lang, f"{arm} best in {area}")
        close(row[3], 100 * chosen["probability_reduction"], lang, f"{arm} fewer in {area}")
    for area in areas.values():
        shown = best[best["area"] == area]["probability_best"]
        assert abs(shown.sum() - 1.0) < 1e-9, (area, list(shown))

    # The acceptability curve: a figure with switches for alternatives and areas, its finding
    # the alternative most likely best at the highest willingness to pay, its data the file's.
    figure = page.figures["fig-acceptability"]
    assert figure["inputs"] == 4 + 3, figure
    curve = decision["acceptability"]
    municipal = curve[curve["area"] == "Municipality"]
    top = municipal["willingness_to_pay_sek"].max()
    leader = municipal[municipal["willingness_to_pay_sek"] == top].sort_values(
        "probability").iloc[-1]
    assert labels[str(leader["arm"])][lang] in figure["label"], figure["label"]
    data = read_csv(folder, "acceptability-data")
    assert len(data) == len(curve), (len(data), len(curve))
    wtp, probability = texts["column.willingness_to_pay"], texts["column.probability_best"]
    for row in data:
        arm = next(a for a in labels if labels[a][lang] == row[texts["column.arm"]])
        chosen = curve[(curve["area"] == areas[row[texts["column.area"]]]) &
                       (curve["arm"] == arm) &
                       (curve["willingness_to_pay_sek"] == float(row[wtp]))]
        assert len(chosen) == 1 and abs(float(chosen["probability"].iloc[0]) -
                                        float(row[probability])) < 1e-12, row
    spec = json.loads(page.html.split('id="figure-specs">')[1].split("</script>")[0])
    drawn = next(f for f in spec["figures"] if f["id"] == "acceptability")
    assert len(drawn["data"]) == 3 * 4 and all(0 <= y <= 100 for trace in drawn["data"]
                                               for y in trace["y"])

    # The frontier in the ranking is the file's /decision/frontier (discounted means).
    frontier = decision["frontier"]
    frontier = frontier[frontier["area"] == "Municipality"].set_index("arm")
    column = texts["column.frontier_step"]
    status = texts["export.column_status"].format(column=column)
    for row in read_csv(folder, "ranking"):
        arm = next(a for a in labels if labels[a][lang] == row[texts["column.arm"]])
        place = frontier.loc[arm]
        icer = float(place["incremental_cost_per_offence_averted"])
        if place["status"] == "frontier" and math.isfinite(icer):
            assert abs(float(row[column]) - icer) <= 1e-6 * icer, (arm, row[column], icer)
            assert row[status] == texts["frontier_status.frontier"], row
        else:
            assert row[column] == "", row
            assert row[status] == texts[f"frontier_status.{place['status']}" if
                                        place["status"] != "frontier" else
                                        "frontier_status.first"], row


def check_browser(pages, artefact_dir):
    """The pages in one headless Chromium (tests/report/browser_check.py). Returns None when
    they were checked, or why they could not be (Chromium, chromedriver, Selenium or axe-core
    missing): the rest of the report's checks do not need a browser, so that step alone is
    skipped, and the reason printed."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        import browser_check
    except ImportError as error:
        return f"tests/report/browser_check.py cannot be imported: {error}"
    missing = browser_check.missing_tools()
    if missing:
        return "; ".join(missing)
    try:
        with browser_check.Browser() as browser:
            for folder, lang, where in pages:
                # The scenario's name (child-est) is a name, not English.
                failures = browser.check_page(folder / "index.html", lang, artefact_dir / where,
                                              source / "share" / "text" / "en.json",
                                              allowed_words=("child",))
                assert not failures, f"{folder.name} ({lang}): " + "\n".join(
                    map(str, failures))
    except browser_check.BrowserUnavailable as error:
        return str(error)
    return None


def check_page(page, folder, lang, texts, figures=()):
    """What every report page keeps: its language, offline, figures and tables, quoted English
    only, data files equal to the page."""
    check_language(page, lang, texts)
    check_offline(page, folder)
    check_figures(page, set(figures))
    check_quoted(page, lang, texts)
    check_plain_text(folder, lang, texts)
    return check_data(page, folder, lang, texts)


def main():
    keys = check_catalogues()
    units = check_units_and_statistics()
    browse = []  # (folder, language, artefact subfolder) for the browser, at the end
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
        values = 0
        for lang, options in (("sv", ()), ("en", ("--lang", "en"))):
            folder = work / f"report-{lang}"
            page = build_report(results_path, folder, *options)  # sv: the scenario's default
            texts = catalogues[lang]
            check_formats(page, lang)
            tables, checked = check_page(page, folder, lang, texts,
                                         {"fig-time-offences", "fig-effects", "fig-costs",
                                          "fig-districts"})
            values += checked
            check_decision(page, results, lang, texts, labels)
            check_ranking_bounds(folder, results, texts, labels, lang)
            check_bands(folder)
            # Plain names: no arm key left in the tables a planner reads first.
            decision = page.html.split('id="decision"')[1].split("<section")[0]
            for key in ("safety_campaign", "est_more"):
                assert key not in decision, key
            pages[lang] = page
            browse.append((folder, lang, "."))
        en = pages["en"]
        assert "These are projections, not forecasts." in en.body
        assert "Det här är scenarier, inte prognoser." in pages["sv"].body
        with_en = en

        # Runs over parameter sets: the probability that each alternative is best and the
        # acceptability curve, in both languages, each district on its own.
        ensemble_scenario = work / "decision-labels.yaml"
        ensemble_scenario.write_text(ENSEMBLE_SCENARIO, encoding="utf-8")
        ensemble_path = work / "ensemble.h5"
        run(trygg, "run", ensemble_scenario, "--parameter-sets", decision_sets, "--draws",
            ENSEMBLE_DRAWS, "--replicates", 2, "-q", "-o", ensemble_path)
        ensemble = trygg_module.open(str(ensemble_path))
        ensemble_labels = {row["name"]: {"sv": row["label_sv"], "en": row["label_en"]}
                           for _, row in ensemble.arm_table.iterrows()}
        for lang in ("sv", "en"):
            folder = work / f"ensemble-{lang}"
            page = build_report(ensemble_path, folder, "--lang", lang, "--districts",
                                "North,South")
            texts = catalogues[lang]
            _, checked = check_page(page, folder, lang, texts,
                                    {"fig-acceptability", "fig-time-offences", "fig-effects",
                                     "fig-costs", "fig-districts"})
            values += checked
            check_ensemble(page, folder, ensemble, lang, texts, ensemble_labels)
            check_ranking_bounds(folder, ensemble, texts, ensemble_labels, lang)
        browse.append((work / "ensemble-sv", "sv", "ensemble"))
        print(f"catalogues of {keys} texts, {units} units; {tables} tables with CSV; "
              f"{values} values of the data files checked against the pages")

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
        check_page(cal, work / "cal-report", "en", catalogues["en"], {"fig-calibration"})
        # In Swedish: the targets' statistics and units from the catalogue, their sources and
        # why the waves stopped (trygg's own words) quoted in English, and said to be.
        sv = catalogues["sv"]
        cal_sv = build_report(results_path, work / "cal-report-sv", "--calibration",
                              calibration)
        check_page(cal_sv, work / "cal-report-sv", "sv", sv, {"fig-calibration"})
        units = {sv[k] for k in sv if k.startswith("parameter_unit.")}
        targets = cal_sv.tables["calibration-targets"]["rows"]
        assert targets[0][-1] == sv["column.source_quoted"], targets[0]
        measured = {row[0]: row[1] for row in targets[1:]}
        assert measured == {
            "reported": f"anmälda brott per 1{NARROW}000 invånare, modellår 1, hela kommunen",
            "north_crime": "brott per invånare i North jämfört med hela kommunen, modellår 1",
            "places": f"andel av brotten på de 5{NARROW}% mest brottsutsatta platserna, "
                      "modellår 1, hela kommunen"}, measured
        for row in targets[1:]:
            assert row[-2] in units, row
        assert sv["quote.in_english"] in cal_sv.body
        targets_html = cal_sv.html.split('id="calibration-targets"')[1].split("</table>")[0]
        assert targets_html.count('<span class="quoted" lang="en">') == len(targets) - 1
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
        # A designed sweep's points are chosen, not drawn: its ranges are said to be no
        # uncertainty, and it is not said to cover chance only (nor parameters and chance).
        assert "points of a designed sweep" in without.body, "the sweep's ranges are not explained"
        assert "Only chance variation is covered" not in without.body
        assert "plausible parameter sets of the calibration" not in without.body
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

        # The pages in a real browser, when this machine has one.
        skipped = check_browser(browse, artefacts or work / "artefacts")
        if skipped:
            print(f"browser check: SKIPPED, {skipped}")
        else:
            print("browser check: " + ", ".join(f"{folder.name} ({lang})"
                                                for folder, lang, _ in browse) + " pass")

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
