#!/usr/bin/python3
"""Hand-made report pages for the self-test of browser_check.py: one page that keeps the page
contract (browser_check.py's docstring: a Swedish page with one Plotly chart of two arms, each
a mean line and its interval band, switches for the arms, a data table with a caption and a CSV
link, a source quoted in English), and pages that each break it in one way. They are written without tools/trygg-report,
so that the checker can be tested while the report is rewritten.

    browser_fixtures.py DIR        # writes DIR/VARIANT/index.html (and data/) for each variant

As a module: write_fixtures(folder) -> {variant: index.html}, CATALOGUE (an English catalogue
of the kind the report translates from) and EXPECTED ({variant: {check it must fail: a piece
of the failure's text}}).
"""
import sys
from pathlib import Path

PLOTLY_JS = Path("/usr/share/python3-plotly/plotly.js")

# An English catalogue like the report's: {key: English text with {placeholders}}.
CATALOGUE = {
    "title": "Trygg report: {scenario}",
    "caveat": "The results are projections under stated assumptions, not forecasts.",
    "fig.offences.caption": "Offences per {per} residents and year, by arm, with the 95% interval.",
    "fig.offences.legend": "Show arms",
    "table.download": "Download the table as CSV",
    "arm.baseline": "Baseline",
    "short": "EST",  # too short to be looked for
}

# The checks each variant must fail, and no other, each with a piece of what its failure says.
EXPECTED = {
    "good": {},
    "console-error": {"console": "Uncaught ReferenceError: tryggFormatTable is not defined"},
    "low-contrast": {"axe": "color-contrast (serious)"},
    "english-left": {"english-words": "offences",
                     "english-catalogue": "residents and year, by arm"},
    "marked-english": {"english-marked": "probability per week",
                       "english-words": "probability"},
    "dead-switch": {"switches": "left 6 of 6 traces visible"},
    "network": {"network": "https://cdn.example.org/trygg-extra.js"},
}

PAGE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trygg-rapport: testsida</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; color: #1a1a1a; background: #ffffff;
       max-width: 60rem; margin: 1rem auto; padding: 0 1rem; line-height: 1.5; }}
.plot {{ width: 100%; height: 360px; }}
fieldset.switches {{ border: 1px solid #767676; margin: 0.5rem 0; }}
fieldset.switches label {{ margin-right: 1rem; }}
table.data {{ border-collapse: collapse; }}
table.data th, table.data td {{ border: 1px solid #767676; padding: 0.2rem 0.5rem;
                               text-align: right; }}
.note {{ color: {note_colour}; }}
@media print {{ fieldset.switches {{ display: none; }} }}
</style>
{head_extra}<script id="plotly-js">{plotly}</script>
</head>
<body>
<header>
<h1>Trygg-rapport: testsida</h1>
</header>
<main>
<p>Resultaten är projektioner under angivna antaganden, inte prognoser.</p>
<p class="note">Alla tal avser Navestad och Hageby i Norrköping, per 1 000 invånare och år.</p>
<p>Scenariot <span translate="no">child-est</span> jämför alternativet
Trygghetskampanj (<code>safety_campaign</code>) med EST.</p>
<p>Källa, citerad på engelska: <span class="quoted" lang="en">Brå's Swedish Crime Survey:
exposure to crimes against the person is highest at 16-24</span>.</p>
{main_extra}
<section aria-labelledby="h-brott">
<h2 id="h-brott">Brott över tid</h2>
<figure class="chart" id="fig-brott">
<div class="plot" id="plot-brott" role="img"
     aria-label="Med EST sjunker brotten till 41 per 1 000 invånare år 2030, mot 46 i jämförelsen."></div>
<figcaption>{caption}</figcaption>
<fieldset class="switches" data-plot="plot-brott">
<legend>Visa alternativ</legend>
<input type="checkbox" id="sw-brott-jamforelse" data-group="baseline" checked>
<label for="sw-brott-jamforelse">Jämförelse</label>
<input type="checkbox" id="sw-brott-est" data-group="est" checked>
<label for="sw-brott-est">EST i Navestad och Hageby</label>
</fieldset>
</figure>
<details>
<summary>Tabellen bakom figuren</summary>
<table class="data" id="tab-brott">
<caption>Brott per 1 000 invånare och år, efter alternativ</caption>
<thead><tr><th scope="col">År</th><th scope="col">Jämförelse</th><th scope="col">EST</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</details>
<p><a href="data/brott.csv">Tabellen som CSV-fil</a></p>
</section>
</main>
<script>
(function () {{
  const years = {years};
  const arms = [
    {{key: 'baseline', name: 'Jämförelse', colour: '#1f4e79', fill: 'rgba(31, 78, 121, 0.2)',
      mean: {baseline}}},
    {{key: 'est', name: 'EST', colour: '#a23b00', fill: 'rgba(162, 59, 0, 0.2)', mean: {est}}},
  ];
  const data = [];
  for (const arm of arms) {{
    data.push({{x: years, y: arm.mean.map(v => v - 2), meta: arm.key,
               name: arm.name + ', nedre gräns', mode: 'lines', line: {{width: 0}},
               showlegend: false, hoverinfo: 'skip'}});
    data.push({{x: years, y: arm.mean.map(v => v + 2), meta: arm.key,
               name: arm.name + ', 95 % intervall', mode: 'lines', line: {{width: 0}},
               fill: 'tonexty', fillcolor: arm.fill, showlegend: false, hoverinfo: 'skip'}});
    data.push({{x: years, y: arm.mean, meta: arm.key, name: arm.name, mode: 'lines+markers',
               line: {{color: arm.colour, width: 2}}}});
  }}
  const layout = {{separators: ', ', margin: {{t: 20, r: 20, b: 50, l: 60}},
                  font: {{family: 'DejaVu Sans, sans-serif', color: '#1a1a1a'}},
                  xaxis: {{title: {{text: 'År'}}, dtick: 1}},
                  yaxis: {{title: {{text: 'Brott per 1 000 invånare'}}, rangemode: 'tozero'}},
                  legend: {{orientation: 'h', y: -0.25}}}};
  const config = {{displaylogo: false, responsive: true}};
  Plotly.newPlot('plot-brott', data, layout, config).then(function () {{
    {wire_switches}
    window.tryggReady = true;
  }});
}})();
</script>
{body_extra}</body>
</html>
"""

WIRE_SWITCHES = """for (const fieldset of document.querySelectorAll('fieldset.switches')) {
      const plot = document.getElementById(fieldset.dataset.plot);
      fieldset.addEventListener('change', function (event) {
        const box = event.target;
        const traces = [];
        plot.data.forEach((trace, i) => { if (trace.meta === box.dataset.group) traces.push(i); });
        Plotly.restyle(plot, {visible: box.checked}, traces);
      });
    }"""

YEARS = [2025, 2026, 2027, 2028, 2029, 2030]
BASELINE = [46.0, 46.2, 45.9, 46.1, 46.0, 46.0]
EST = [46.0, 44.8, 43.5, 42.6, 41.7, 41.0]


def page(variant, plotly):
    settings = dict(
        plotly=plotly, note_colour="#1a1a1a", head_extra="", body_extra="", main_extra="",
        wire_switches=WIRE_SWITCHES, years=YEARS, baseline=BASELINE, est=EST,
        caption="Brott per 1 000 invånare och år, efter alternativ, med 95-procentigt intervall.",
        rows="\n".join(f"<tr><th scope=\"row\">{y}</th><td>{b:.1f}</td><td>{e:.1f}</td></tr>"
                       .replace(".", ",") for y, b, e in zip(YEARS, BASELINE, EST)))
    if variant == "console-error":
        # a helper the page calls but never defines: an uncaught ReferenceError
        settings["body_extra"] = ("<script>window.addEventListener('load', function () "
                                  "{ tryggFormatTable(); });</script>\n")
    elif variant == "low-contrast":
        settings["note_colour"] = "#b0b0b0"  # 2.1:1 on white; WCAG AA asks 4.5:1
    elif variant == "english-left":
        settings["caption"] = ("Offences per 1 000 residents and year, by arm, with the 95% "
                               "interval.")
    elif variant == "marked-english":
        # English marked as English but not quoted: a unit left untranslated
        settings["main_extra"] = ('<p>Sannolikheten anges som <span lang="en">probability per '
                                  'week</span>.</p>\n')
    elif variant == "dead-switch":
        settings["wire_switches"] = "/* the switches were never wired */"
    elif variant == "network":
        settings["head_extra"] = ('<script src="https://cdn.example.org/trygg-extra.js">'
                                  '</script>\n')
    elif variant != "good":
        raise ValueError(f"no fixture variant {variant}")
    return PAGE.format(**settings)


def write_fixtures(folder, variants=None):
    """Writes folder/VARIANT/index.html and folder/VARIANT/data/brott.csv for each variant (all
    of EXPECTED by default); returns {variant: index.html}."""
    plotly = PLOTLY_JS.read_text(encoding="utf-8")
    pages = {}
    for variant in variants or EXPECTED:
        where = Path(folder) / variant
        (where / "data").mkdir(parents=True, exist_ok=True)
        (where / "data" / "brott.csv").write_text(
            "år,alternativ,brott_per_1000\n" + "".join(
                f"{y},{arm},{v}\n" for arm, series in (("jämförelse", BASELINE), ("est", EST))
                for y, v in zip(YEARS, series)), encoding="utf-8")
        (where / "index.html").write_text(page(variant, plotly), encoding="utf-8")
        pages[variant] = where / "index.html"
    return pages


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} DIR")
    for name, index in write_fixtures(sys.argv[1]).items():
        print(f"{name}: {index}")
