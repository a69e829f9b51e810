"""The planners' report of Trygg (tools/trygg-report): one module per concern.

    reading     the result file through Trygg's one validating reader (the Python package
                trygg, trygg.open), and a calibration store checked by trygg info
    catalogue   the texts of the page, one catalogue per language (share/text/LANG.json), and
                numbers, money and dates written as each language writes them
    statistics  what the figures draw that the file does not hold: the outcomes over time per
                arm and area, with intervals kept within what is possible
    figures     plotly.js figure specifications (JSON), with the data behind each
    export      every table and figure's data as CSV, and one .xlsx workbook
    page        the page: a Jinja2 template filled from the catalogue
    cli         the command line, and the folder written whole or not at all

docs/report.md describes what the report shows and why.
"""
TOOL = "trygg-report"
TOOL_VERSION = "2"
