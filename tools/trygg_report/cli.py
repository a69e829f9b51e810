"""The command line: reads the file, builds the page and its data, and writes the report folder
whole or not at all."""
import argparse
import json
import os
import shutil
import signal
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import TOOL, TOOL_VERSION, export, reading
from .catalogue import LANGUAGES, Texts
from .errors import EXIT_EXISTS, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_IO, ReportError
from .page import Builder, SmallCells
from .statistics import choose_areas

TEMPLATES = Path(__file__).resolve().parent / "templates"
PLOTLY_FILE = Path("/usr/share/python3-plotly/plotly.js")


def plotly_js():
    """plotly.js from Debian's python3-plotly, embedded once in the page."""
    try:
        from plotly.offline import get_plotlyjs
        source = get_plotlyjs()
    except ImportError:
        try:
            source = PLOTLY_FILE.read_text(encoding="utf-8")
        except OSError as error:
            raise ReportError("plotly.js not found: install Debian's python3-plotly "
                              f"(tools/install-deps) ({error})", EXIT_IO) from error
    # Nothing in a script may close it early.
    return Markup(source.replace("</script", "<\\/script"))


def script_json(value):
    return Markup(json.dumps(value, ensure_ascii=False, allow_nan=False)
                  .replace("</", "<\\/"))


PLOTLY_WORDS = {"zoom": "Zoom", "pan": "Pan", "zoom_in": "Zoom in", "zoom_out": "Zoom out",
                "autoscale": "Autoscale", "reset_axes": "Reset axes",
                "double_click": "Double-click to zoom back out",
                "spikelines": "Toggle Spike Lines", "closest": "Show closest data on hover",
                "compare": "Compare data on hover", "reset": "Reset",
                "legend_tip": "Double-click on legend to isolate one trace"}


def locale(texts):
    """plotly.js's own locale (month names on date axes, decimal comma) for the page."""
    months = [texts(f"month.{m}") for m in range(1, 13)]
    short = [texts(f"month_short.{m}") for m in range(1, 13)]
    days = [texts(f"day.{d}") for d in range(7)]
    # The modebar's and the zoom's own words (plotly.js keys them by their English text).
    dictionary = {english: texts(f"plotly.{key}") for key, english in PLOTLY_WORDS.items()}
    return {"name": texts.language, "dictionary": dictionary, "format": {
        "days": days, "shortDays": [d[:3] for d in days], "months": months,
        "shortMonths": short, "date": "%Y-%m-%d",
        "decimal": "," if texts.language == "sv" else ".",
        "thousands": "\u202f" if texts.language == "sv" else ","}}


def sections_of(builder, store, calibration):
    sections = [builder.decision_section(), builder.arms_section(), builder.time_section(),
                builder.effects_section(), builder.costs_section(),
                builder.districts_section(), builder.sensitivity_section()]
    if store.is_sweep:
        sections.append(builder.sweep_section())
    if calibration is not None:
        sections.append(builder.calibration_section())
    sections += [builder.assumptions_section(), builder.provenance_section(),
                 builder.reading_section()]
    return sections


def prune_switches(figure):
    """A switch only for what the figure draws: an area whose counts are all suppressed, say,
    has no traces and so no switch."""
    drawn = {key for trace in figure.spec["data"] for key in trace.get("meta") or []}
    for switches in figure.switches:
        switches.options = [option for option in switches.options
                            if f"{switches.name}:{option[0]}" in drawn]
    figure.switches = [s for s in figure.switches if s.options]


def collect(sections):
    """Every table and every figure of the page, in order."""
    tables, figures = [], []
    for section in sections:
        for block in section.blocks:
            if block.kind == "table":
                tables.append(block.content)
            elif block.kind == "figure":
                prune_switches(block.content)
                figures.append(block.content)
                if block.content.table is not None:
                    tables.append(block.content.table)
    return tables, figures


def render(folder, store, texts, builder, sections):
    tables, figures = collect(sections)
    data = folder / "data"
    for table in tables:
        export.write_csv(data, table, texts)
    header = builder.header()
    workbook = export.write_workbook(folder / "data" / "report.xlsx", tables, header["title"],
                                     texts)
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                              autoescape=select_autoescape(["html", "j2"]),
                              undefined=StrictUndefined, trim_blocks=False)
    template = environment.get_template("report.html.j2")
    # plotly.js speaks English itself: a locale is registered for other languages only (one
    # named "en" would replace its own, and its formats with it).
    specs = {"locale": locale(texts) if texts.language != "en" else None,
             "figures": [{"id": f.id, **f.spec} for f in figures]}
    page = template.render(
        lang=texts.language, generator=f"{TOOL} {TOOL_VERSION}", t=texts, header=header,
        sections=sections, tables=tables,
        workbook="data/report.xlsx" if workbook else "",
        css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        page_js=Markup((TEMPLATES / "report.js").read_text(encoding="utf-8")),
        plotly_js=plotly_js(), specs=script_json(specs),
        footer=texts("footer", tool=f"tools/{TOOL}", file=store.path.name))
    (folder / "index.html").write_text(page, encoding="utf-8")


def is_report_folder(path):
    if not path.is_dir():
        return False
    if not any(path.iterdir()):
        return True
    index = path / "index.html"
    try:
        return f'name="generator" content="{TOOL}' in index.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False


def publish(staging, target):
    """Moves the finished `staging` folder to `target`, replacing an earlier report."""
    if target.exists() or target.is_symlink():
        if not is_report_folder(target) or target.is_symlink():
            raise ReportError(f"{target} exists and is not a Trygg report; not replacing it "
                              "(choose another -o or remove it)", EXIT_EXISTS)
        previous = target.with_name(f"{target.name}.old-{os.getpid()}")
        os.rename(target, previous)
        try:
            os.rename(staging, target)
        except OSError:
            os.rename(previous, target)
            raise
        shutil.rmtree(previous, ignore_errors=True)
    else:
        os.rename(staging, target)


def build(options):
    trygg = reading.import_trygg(options.python)
    store = reading.read_store(options.store, trygg)
    language = options.lang or (store.language if store.language in LANGUAGES else "en")
    texts = Texts(language)
    calibration = (reading.read_calibration(options.calibration,
                                            reading.find_trygg(options.trygg))
                   if options.calibration else None)
    unknown = [d for d in options.districts if d not in store.districts]
    if unknown:
        raise ReportError(f"--districts: unknown district(s) {', '.join(unknown)}; the file "
                          f"has: {', '.join(store.districts)}", EXIT_INPUT)
    areas, why = choose_areas(store, options.districts)
    target = options.output
    if (target.exists() or target.is_symlink()) and (not is_report_folder(target) or
                                                     target.is_symlink()):
        raise ReportError(f"{target} exists and is not a Trygg report; not replacing it "
                          "(choose another -o or remove it)", EXIT_EXISTS)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportError(f"{target.parent}: cannot create the folder: {error}", EXIT_IO) \
            from error
    staging = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        builder = Builder(store, texts, areas, why,
                          SmallCells(options.small_cell_threshold, store.years), options,
                          calibration)
        render(staging, store, texts, builder, sections_of(builder, store, calibration))
        publish(staging, target)
        for warning in builder.warnings:
            print(f"{TOOL}: warning: {warning}", file=sys.stderr)
    except OSError as error:
        raise ReportError(f"{target}: cannot write the report: {error}", EXIT_IO) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "index.html"


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog=TOOL, description="Builds the planners' report from a Trygg result file (trygg "
        "run) or sweep store (trygg sweep): one self-contained HTML page in Swedish or English "
        "with interactive figures, the decision first, and every table and figure's data as "
        "CSV and one .xlsx workbook.",
        epilog="Exit codes: 0 success, 1 internal error, 2 invalid input or usage, 3 the output "
        "folder exists and is not a Trygg report, 4 a file could not be read or written, "
        "130 interrupted. See docs/report.md.")
    parser.add_argument("store", type=Path, metavar="STORE",
                        help="result file of trygg run or store of trygg sweep (.h5)")
    parser.add_argument("-o", "--output", type=Path, metavar="DIR",
                        help="report folder (default: STORE without .h5, plus -report); an "
                        "earlier report there is replaced once the new one is complete")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="the report's language (default: the scenario's report.language, "
                        "else en)")
    parser.add_argument("--small-cell-threshold", type=int, default=5, metavar="N",
                        help="district counts below N are suppressed (default 5; 0 shows all)")
    parser.add_argument("--districts", metavar="A,B",
                        help="districts shown beside the municipality, each on its own "
                        "(default: those on the police list at the start, else the "
                        "scenario's focus districts)")
    parser.add_argument("--title", help="title of the report")
    parser.add_argument("--parameter-table", type=Path, metavar="FILE",
                        default=reading.REPO_ROOT / "docs" / "parameters.md",
                        help="the parameter table with flags and sources (default: "
                        "docs/parameters.md of this checkout)")
    parser.add_argument("--calibration", type=Path, metavar="STORE",
                        help="a calibration store of trygg calibrate: adds a section on what "
                        "the data pinned down")
    parser.add_argument("--python", metavar="DIR",
                        help="the folder that holds Trygg's Python package trygg (default: "
                        "$TRYGG_PYTHONPATH, this checkout's build/release/python, or "
                        "wherever Python finds it)")
    parser.add_argument("--trygg", metavar="PATH",
                        help="the trygg binary that checks a calibration store (default: "
                        "$TRYGG, this checkout's build/release/trygg, or trygg on the PATH)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    options = parser.parse_args(argv)
    if options.small_cell_threshold < 0:
        parser.error("--small-cell-threshold must be 0 or more")
    if options.output is None:
        options.output = options.store.with_name(options.store.stem + "-report")
    options.districts = ([d.strip() for d in options.districts.split(",") if d.strip()]
                         if options.districts else [])
    return options


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv):
    options = parse_arguments(argv)
    signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        index = build(options)
    except ReportError as error:
        print(f"{TOOL}: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        print(f"{TOOL}: interrupted; no report written", file=sys.stderr)
        return EXIT_INTERRUPTED
    if not options.quiet:
        print(f"Wrote {index}")
    return 0
