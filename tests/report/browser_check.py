#!/usr/bin/python3
"""Checks a planners' report page (index.html) in a real browser: headless Chromium driven by
Selenium (Debian's chromium, chromium-driver and python3-selenium), with axe-core's
accessibility rules (tests/browser, installed by tools/install-deps). It holds the page to the
report's page contract:

- opened from its file:// URL, it sets window.tryggReady once every chart is drawn, logs no
  console error and fetches nothing over http(s);
- plotly.js is embedded once, as <script id="plotly-js">;
- each fieldset.switches (data-plot = a Plotly graph div) is operable by the keyboard: SPACE on
  its first checkbox (checked when the page opens) hides that plot's traces whose meta is, or
  holds, the box's data-group, and SPACE
  again shows them;
- axe-core finds no WCAG 2.0/2.1 A or AA violation (contrast included);
- every figure has a text alternative and a data table with a caption beside it, every table a
  caption, every relative link a file in the report folder;
- <html lang> is the report's language, and a Swedish page has no English left in its text,
  the charts' and the closed <details>' included (a list of English words, and the English
  catalogue's phrases of three words or more). Let through are names (translate="no"), code
  (<code>), identifiers with an underscore (an arm's key), and quoted English: an element
  marked lang="en" with class "quoted", which the page introduces in its own language as quoted
  (a source that exists only in English). Any other element marked as another language fails
  (english-marked), and its text is read like the rest: marking a unit or a label lang="en"
  does not make it Swedish;
- a full-page screenshot (screenshot-LANG.png) and a PDF print (report-LANG.pdf) are saved in the
  artefact folder, and print media hides the switches.

As a module:

    failures = check_page(index_html, "sv", artefact_dir, english_catalogue=None,
                          allowed_words=())
    # [] when the page passes; otherwise every Failure(check, detail) found, not only the first

    with Browser() as browser:          # one Chromium for several pages
        failures = browser.check_page(...)

check_page raises BrowserUnavailable when Chromium, its driver or axe-core is not installed.
From the command line:

    browser_check.py INDEX_HTML --language sv|en --artefacts DIR [--english-catalogue FILE]
                     [--allow WORD]...

exits 0 when the page passes, 1 listing the failures, 2 on a usage error and 77 when the browser
or axe-core is not installed.
"""
import argparse
import base64
import json
import os
import re
import shutil
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = (Path(__file__).resolve().parent.parent / "browser" / "node_modules" / "axe-core"
       / "axe.min.js")
READY_TIMEOUT_S = 180  # a loaded 2-core machine parses the 8.6 MB plotly.js slowly
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Root in a container needs --no-sandbox; a small /dev/shm (Docker's 64 MB) crashes tabs
# without --disable-dev-shm-usage; a fixed size and scale make screenshots comparable.
CHROMIUM_ARGUMENTS = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                      "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1024",
                      "--force-device-scale-factor=1", "--no-first-run", "--disable-extensions",
                      "--disable-background-networking", "--disable-component-update",
                      "--disable-sync", "--lang=en-GB"]
SKIP = 77  # the exit status of "cannot check here", for ctest's SKIP_RETURN_CODE

# English words that no Swedish sentence, Swedish place name or district name needs: function
# words and the report's own vocabulary. Left out on purpose, because they are Swedish words
# too or are used as they are in Swedish reports: per (per 1 000 invånare), for (past tense of
# fara), arm (studiearm; also 'poor'), not ('Not:' is Swedish for 'Note:'), be (ask), is (ice),
# in, by (a village), man, all, a, under, data, scenario, total, median, legend, population,
# parameter, show, start, test, and place names such as Alby or Hageby. 'and' (a duck) and
# 'from' (pious) stay: a report on crime needs neither.
ENGLISH_WORDS = frozenset("""
    the an and of with from to at on into onto than then that this these those there their
    they them its it are was were been being has have had will would should could can
    which who whom whose what when where while why how no yes or if also only each every
    both either neither between within without about above below after before during through
    offence offences offense offenses crime crimes reported recorded victim victims
    arms baseline cost costs effect effects interval intervals confidence credible
    district districts resident residents inhabitants people share shares report reports
    result results measure measures outcome outcomes projection projections
    estimate estimates estimated uncertainty sensitivity mean average lower upper bound bounds
    range year years month months week weeks time day days chart charts figure figures table
    tables download hide shown hidden selected select click here see note notes
    value values number numbers rate rates difference change changes increase decrease
    safety unsafe safe feel feeling campaign recruits recruitment youth young children child
    run runs sweep sweeps model calibrated calibration parameters source sources
    under-reporting suppressed counts count prevented averted saved
    probability relative factor persons pupils friends metres contacts members steps units
    equivalents
""".split())
# Words that may appear in Swedish text as they are: abbreviations, names of programs and
# organisations, file formats. Matched case-sensitively, before the English list.
ALLOWED = frozenset("""EST SSPF SCB BRÅ Brå Plotly plotly CSV PDF PNG SVG HTML HDF5 JSON YAML
    Trygg trygg IT ID URL""".split())
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"<[^>]+>")
TOKEN = re.compile(r"[\w-]+")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class Failure:
    """One way the page breaks the contract: which check (ready, console, network, plotly-js,
    structure, switches, axe, english-words, english-catalogue, english-marked, screenshot,
    pdf, print, browser) and what it found."""
    check: str
    detail: str

    def __str__(self):
        return f"{self.check}: {self.detail}"


class BrowserUnavailable(RuntimeError):
    """Chromium, chromedriver, Selenium or axe-core is not installed."""


def missing_tools(axe_path=AXE):
    """What this machine lacks for the check, as a list of sentences (empty when nothing)."""
    missing = []
    try:
        import selenium  # noqa: F401 (only whether it imports)
    except ImportError:
        missing.append("python3-selenium (Debian) is not installed")
    if not os.access(CHROMEDRIVER, os.X_OK):
        missing.append(f"{CHROMEDRIVER} (Debian's chromium-driver) is not installed")
    if not (shutil.which("chromium") or os.access("/usr/bin/chromium", os.X_OK)):
        missing.append("chromium (Debian) is not installed")
    if not Path(axe_path).is_file():
        missing.append(f"{axe_path} is missing (tools/install-deps runs npm ci in tests/browser)")
    return missing


def english_phrases(catalogue):
    """The catalogue's texts as phrases of three words or more: each text split at its
    {placeholders} and markup, whitespace made single, lower case."""
    phrases = set()
    for text in catalogue.values():
        if not isinstance(text, str):
            continue
        for piece in PLACEHOLDER.split(TAG.sub(" ", text)):
            piece = " ".join(piece.split()).strip(" .,:;!?()[]\"'")
            if len(WORD.findall(piece)) >= 3:
                phrases.add(piece.lower())
    return sorted(phrases)


def groups_of(trace):
    """The switch keys a trace belongs to: its meta, a key or a list of keys (a trace of one arm
    in one area belongs to both switches, and shows while both are on)."""
    meta = trace["meta"]
    if meta is None:
        return []
    return [str(key) for key in meta] if isinstance(meta, list) else [str(meta)]


def english_left(text, catalogue_phrases=(), allowed_words=()):
    """Failures for the English in a Swedish page's text: words of ENGLISH_WORDS (not ALLOWED
    or allowed_words, case-sensitive), and catalogue phrases found verbatim (case and spacing
    aside). Identifiers with an underscore (safety_campaign, an arm's key) are not words."""
    failures = []
    found = {}
    allowed = ALLOWED | set(allowed_words)
    for token in TOKEN.findall(text):
        if "_" in token:
            continue
        for word in WORD.findall(token):
            if word not in allowed and word.lower() in ENGLISH_WORDS:
                found[word.lower()] = found.get(word.lower(), 0) + 1
    if found:
        words = ", ".join(f"{w} (x{n})" if n > 1 else w for w, n in sorted(found.items()))
        failures.append(Failure("english-words", f"English words in the Swedish text: {words}"))
    flat = " ".join(text.split()).lower()
    for phrase in catalogue_phrases:
        if re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", flat):
            failures.append(Failure("english-catalogue",
                                    f"the English catalogue's text '{phrase}' is in the page"))
    return failures


def marked_not_quoted(elements):
    """Failures for elements marked as another language that are not quoted text (JS_MARKED's
    list of {tag, lang, text})."""
    if not elements:
        return []
    shown = "; ".join(f"<{e['tag']} lang=\"{e['lang']}\">{e['text']}" for e in elements[:10])
    more = f" and {len(elements) - 10} more" if len(elements) > 10 else ""
    return [Failure("english-marked", f"{len(elements)} element(s) marked as another language "
                                      f"but not quoted (class \"quoted\"): {shown}{more}")]


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", data[16:24])


def pdf_pages(data):
    """The page count of a PDF from Chromium (its page tree's /Count, else /Type /Page)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    if counts:
        return max(counts)
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


# The page-side halves of the checks, run in the page with execute_script.
JS_PLOTLY = """
const scripts = [...document.scripts];
return {
  tagged: document.querySelectorAll('script#plotly-js').length,
  copies: scripts.filter(s => !s.src && s.text.slice(0, 400).includes('plotly.js v')).length,
  external: scripts.filter(s => /plotly/i.test(s.src || '')).map(s => s.src),
  loaded: typeof window.Plotly === 'object' && typeof window.Plotly.restyle === 'function',
};
"""

JS_VISIBLE = """
const gd = document.getElementById(arguments[0]);
if (!gd || !Array.isArray(gd.data)) return null;
return gd.data.map(t => ({meta: t.meta === undefined ? null : t.meta,
                         visible: t.visible !== false && t.visible !== 'legendonly'}));
"""

JS_SWITCHES = """
return [...document.querySelectorAll('fieldset.switches')].map((fs, i) => {
  const boxes = [...fs.querySelectorAll('input[type=checkbox]')];
  const legend = fs.querySelector('legend');
  return {
    index: i, plot: fs.dataset.plot || null,
    legend: legend ? legend.textContent.trim() : '',
    boxes: boxes.map(b => ({
      id: b.id, group: b.dataset.group === undefined ? null : b.dataset.group,
      checked: b.checked,
      label: b.id && document.querySelector('label[for="' + CSS.escape(b.id) + '"]')
             ? document.querySelector('label[for="' + CSS.escape(b.id) + '"]').textContent.trim()
             : '',
    })),
  };
});
"""

JS_FOCUS = """
const fs = document.querySelectorAll('fieldset.switches')[arguments[0]];
const box = fs.querySelector('input[type=checkbox]');
box.scrollIntoView({block: 'center'});
box.focus();
return document.activeElement === box;
"""

JS_CHECKED = """
return document.querySelectorAll('fieldset.switches')[arguments[0]]
               .querySelector('input[type=checkbox]').checked;
"""

JS_STRUCTURE = """
const out = {lang: document.documentElement.getAttribute('lang'), title: document.title.trim(),
             figures: [], tables: [], links: []};
const text = e => (e ? e.textContent.replace(/\\s+/g, ' ').trim() : '');
const name = e => e.id ? '#' + e.id
    : e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '');
const figures = [...document.querySelectorAll('figure')];
const tableNear = fig => {
  if (fig.querySelector('table.data')) return fig.querySelector('table.data');
  // the siblings after the figure, up to the next figure
  for (let e = fig.nextElementSibling; e; e = e.nextElementSibling) {
    if (e.matches('figure') || e.querySelector('figure')) break;
    const t = e.matches('table.data') ? e : e.querySelector('table.data');
    if (t) return t;
  }
  // the largest ancestor below body that holds this figure and no other
  let box = null;
  for (let e = fig.parentElement; e && e !== document.body; e = e.parentElement) {
    if (e.querySelectorAll('figure').length !== 1) break;
    box = e;
  }
  return box ? box.querySelector('table.data') : null;
};
for (const fig of figures) {
  const plot = fig.querySelector('.plot');
  const img = fig.querySelector('img');
  let alt = '';
  if (plot) alt = (plot.getAttribute('aria-label') || '').trim();
  else if (img) alt = (img.getAttribute('alt') || '').trim();
  const table = tableNear(fig);
  out.figures.push({name: name(fig), chart: fig.classList.contains('chart'),
                    plot: plot ? {id: plot.id, role: plot.getAttribute('role'),
                                  graph: Array.isArray(plot.data)} : null,
                    alt: alt, caption: text(fig.querySelector('figcaption')),
                    table: table ? {name: name(table),
                                    caption: text(table.querySelector('caption'))} : null});
}
for (const t of document.querySelectorAll('table')) {
  const c = t.querySelector(':scope > caption');
  out.tables.push({name: name(t), caption: text(c)});
}
for (const a of document.querySelectorAll('a[href]')) {
  out.links.push({href: a.getAttribute('href'), url: a.href});
}
return out;
"""

JS_PRINT_HIDDEN = """
return [...document.querySelectorAll('fieldset.switches')].map(fs => ({
  plot: fs.dataset.plot || null, display: getComputedStyle(fs).display,
  hidden: getComputedStyle(fs).display === 'none' || fs.getClientRects().length === 0,
}));
"""

# The text a reader of the page gets, with every <details> opened: what is rendered (the
# charts' SVG text included), the title and the aria-label, alt and title attributes. Left out:
# quoted text in another language (class "quoted" with a lang of another language), names
# (translate="no": a scenario's name, a file's) and code.
JS_TEXT = """
for (const d of document.querySelectorAll('details')) d.open = true;
const skip = '[translate="no"], .quoted[lang]:not([lang|="' + arguments[0] + '"]), code, kbd, '
           + 'samp';
const style = document.createElement('style');
style.textContent = skip + ' { display: none !important; }';
document.head.appendChild(style);
const extra = [document.title];
for (const e of document.querySelectorAll('[aria-label], [alt], [title]')) {
  if (e.closest(skip)) continue;
  for (const a of ['aria-label', 'alt', 'title']) {
    if (e.hasAttribute(a)) extra.push(e.getAttribute(a));
  }
}
const text = document.body.innerText;
style.remove();
return text + '\\n' + extra.join('\\n');
"""

# Elements marked as another language than the page's that are not quoted text.
JS_MARKED = """
const marked = document.querySelectorAll('body [lang]:not([lang|="' + arguments[0] + '"])');
return [...marked].filter(e => !e.classList.contains('quoted')).map(e => ({
  tag: e.tagName.toLowerCase(), lang: e.getAttribute('lang'),
  text: e.textContent.replace(/\\s+/g, ' ').trim().slice(0, 80)}));
"""

JS_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done({violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t),
                                summary: n.failureSummary || ''}))}))}))
  .catch(e => done({error: String(e)}));
"""


def start_chromium(logging_prefs):
    """Headless Chromium under Selenium (TRYGG_CHROMIUM: another binary), driven by Debian's
    chromedriver named explicitly, so that Selenium Manager never looks for one on the network;
    `logging_prefs` is the goog:loggingPrefs capability. The web app's test starts it too."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    binary = os.environ.get("TRYGG_CHROMIUM")
    if binary:
        options.binary_location = binary
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", logging_prefs)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class Browser:
    """One headless Chromium session, reused for several pages."""

    def __init__(self, axe_path=AXE):
        missing = missing_tools(axe_path)
        if missing:
            raise BrowserUnavailable("; ".join(missing))
        self.axe_source = Path(axe_path).read_text(encoding="utf-8")
        self.axe_version = re.search(r"axe v([\d.]+)", self.axe_source[:500])
        self.axe_version = self.axe_version.group(1) if self.axe_version else "unknown"
        self.driver = start_chromium({"browser": "ALL", "performance": "ALL"})
        try:
            self.driver.set_page_load_timeout(READY_TIMEOUT_S)
            self.driver.set_script_timeout(READY_TIMEOUT_S)
            # Requests to the network are logged (performance log) and then blocked, so that a
            # page that breaks the rule fails at once instead of waiting for a network that a
            # test machine may not have.
            self.driver.execute_cdp_cmd("Network.enable", {})
            self.driver.execute_cdp_cmd("Network.setBlockedURLs",
                                        {"urls": ["http://*", "https://*", "ws://*", "wss://*"]})
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.driver is not None:
            self.driver.quit()
            self.driver = None

    # -- the steps ------------------------------------------------------------------------

    def _drain_logs(self):
        self.driver.get_log("browser")
        self.driver.get_log("performance")

    def _load(self, url, failures):
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        self.driver.set_window_size(1280, 1024)
        self.driver.get("about:blank")
        self._drain_logs()
        began = time.monotonic()
        try:
            self.driver.get(url)
        except TimeoutException:
            failures.append(Failure("ready", f"the page did not load within {READY_TIMEOUT_S} s"))
            return False
        left = max(1.0, READY_TIMEOUT_S - (time.monotonic() - began))
        try:
            WebDriverWait(self.driver, left, poll_frequency=0.1).until(
                lambda d: d.execute_script("return window.tryggReady === true"))
        except TimeoutException:
            failures.append(Failure("ready", f"window.tryggReady was not true within "
                                             f"{READY_TIMEOUT_S} s of loading"))
            return False
        return True

    def _check_plotly(self, failures):
        found = self.driver.execute_script(JS_PLOTLY)
        if found["external"]:
            failures.append(Failure("plotly-js", "plotly.js is loaded from "
                                    + ", ".join(found["external"]) + ", not embedded"))
        if found["tagged"] != 1 or found["copies"] != 1:
            failures.append(Failure("plotly-js", f"plotly.js must be embedded once, as "
                                    f"<script id=\"plotly-js\">: {found['tagged']} such script(s), "
                                    f"{found['copies']} inline copies of plotly.js"))
        if not found["loaded"]:
            failures.append(Failure("plotly-js", "window.Plotly is not defined"))

    def _check_structure(self, language, page_dir, failures):
        s = self.driver.execute_script(JS_STRUCTURE)
        if s["lang"] != language:
            failures.append(Failure("structure", f"<html lang=\"{s['lang']}\">, expected "
                                                 f"lang=\"{language}\""))
        if not s["title"]:
            failures.append(Failure("structure", "the page has no <title>"))
        if not any(f["chart"] for f in s["figures"]):
            failures.append(Failure("structure", "the page has no figure.chart"))
        for f in s["figures"]:
            if not f["alt"]:
                failures.append(Failure("structure", f"figure {f['name']} has no text alternative"
                                        " (aria-label of its .plot, or alt of its img)"))
            if f["chart"]:
                plot = f["plot"]
                if plot is None:
                    failures.append(Failure("structure", f"figure {f['name']} has no div.plot"))
                else:
                    if plot["role"] != "img":
                        failures.append(Failure("structure", f"plot #{plot['id']} has role="
                                                f"{plot['role']!r}, not 'img'"))
                    if not plot["graph"]:
                        failures.append(Failure("structure", f"plot #{plot['id']} is not a drawn"
                                                " Plotly graph"))
            if not f["caption"]:
                failures.append(Failure("structure", f"figure {f['name']} has no figcaption"))
            if f["table"] is None:
                failures.append(Failure("structure", f"figure {f['name']} has no table.data "
                                        "beside it"))
            elif not f["table"]["caption"]:
                failures.append(Failure("structure", f"the table beside figure {f['name']} has "
                                        "no caption"))
        for t in s["tables"]:
            if not t["caption"]:
                failures.append(Failure("structure", f"table {t['name']} has no caption"))
        for link in s["links"]:
            href = link["href"]
            if href.startswith("#") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
                continue
            target = (page_dir / href.split("#")[0].split("?")[0]).resolve()
            if not target.is_file():
                failures.append(Failure("structure", f"link {href}: no such file in the report"))
            elif page_dir.resolve() not in target.parents:
                failures.append(Failure("structure", f"link {href}: outside the report folder"))

    def _check_switches(self, failures):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        fieldsets = self.driver.execute_script(JS_SWITCHES)
        for fs in fieldsets:
            where = f"fieldset.switches #{fs['index'] + 1} (data-plot={fs['plot']})"
            if not fs["legend"]:
                failures.append(Failure("switches", f"{where} has no legend"))
            if not fs["boxes"]:
                failures.append(Failure("switches", f"{where} has no checkbox"))
                continue
            before = self.driver.execute_script(JS_VISIBLE, fs["plot"]) if fs["plot"] else None
            if before is None:
                failures.append(Failure("switches", f"{where}: data-plot names no Plotly graph"))
                continue
            metas = {key for t in before for key in groups_of(t)}
            for box in fs["boxes"]:
                if not box["label"]:
                    failures.append(Failure("switches", f"{where}: checkbox #{box['id']} has no "
                                            "label[for]"))
                if box["group"] is None or box["group"] not in metas:
                    failures.append(Failure("switches", f"{where}: checkbox #{box['id']}'s "
                                            f"data-group {box['group']!r} is the meta of no trace"))
            first = fs["boxes"][0]
            if not first["checked"]:
                failures.append(Failure("switches", f"{where}: its first checkbox #{first['id']} "
                                        "is not checked when the page opens"))
                continue
            if not self.driver.execute_script(JS_FOCUS, fs["index"]):
                failures.append(Failure("switches", f"{where}: checkbox #{first['id']} does not "
                                        "take the keyboard focus"))
                continue
            shown = sum(t["visible"] for t in before)
            ActionChains(self.driver).send_keys(Keys.SPACE).perform()
            after = self._settled(fs["plot"], lambda t: sum(v["visible"] for v in t) < shown)
            if self.driver.execute_script(JS_CHECKED, fs["index"]):
                failures.append(Failure("switches", f"{where}: SPACE did not uncheck "
                                        f"#{first['id']}"))
            hidden_now = sum(t["visible"] for t in after)
            if hidden_now >= shown:
                failures.append(Failure("switches", f"{where}: unchecking #{first['id']} "
                                        f"(group {first['group']!r}) left {hidden_now} of "
                                        f"{len(after)} traces visible, as many as before"))
            else:
                still = [i for i, t in enumerate(after)
                         if first["group"] in groups_of(t) and t["visible"]]
                if still:
                    failures.append(Failure("switches", f"{where}: unchecking #{first['id']} "
                                            f"left traces {still} of group {first['group']!r} "
                                            "visible"))
                other = [i for i, (a, b) in enumerate(zip(before, after))
                         if first["group"] not in groups_of(a) and a["visible"] != b["visible"]]
                if other:
                    failures.append(Failure("switches", f"{where}: unchecking #{first['id']} "
                                            f"changed traces {other} of other groups"))
            ActionChains(self.driver).send_keys(Keys.SPACE).perform()
            again = self._settled(fs["plot"], lambda t: t == before)
            if not self.driver.execute_script(JS_CHECKED, fs["index"]):
                failures.append(Failure("switches", f"{where}: SPACE again did not check "
                                        f"#{first['id']}"))
            if again != before:
                failures.append(Failure("switches", f"{where}: checking #{first['id']} again "
                                        f"left {sum(t['visible'] for t in again)} traces visible,"
                                        f" not the {shown} of before"))

    def _settled(self, plot, done, within_s=2.0):
        """The plot's traces once done(traces) holds, or as they are after within_s."""
        end = time.monotonic() + within_s
        while True:
            traces = self.driver.execute_script(JS_VISIBLE, plot) or []
            if done(traces) or time.monotonic() > end:
                return traces
            time.sleep(0.05)

    def _check_axe(self, failures):
        self.driver.execute_script(self.axe_source)
        result = self.driver.execute_async_script(JS_AXE, AXE_TAGS)
        if "error" in result:
            failures.append(Failure("axe", f"axe-core did not run: {result['error']}"))
            return
        for v in result["violations"]:
            targets = "; ".join(", ".join(n["target"]) for n in v["nodes"][:10])
            more = f" and {len(v['nodes']) - 10} more" if len(v["nodes"]) > 10 else ""
            failures.append(Failure("axe", f"{v['id']} ({v['impact']}): {v['help']}: "
                                           f"{targets}{more}"))

    def _screenshot(self, path, failures):
        # the page as it opens: no focus ring left on a switch, scrolled to the top
        self.driver.execute_script("if (document.activeElement) document.activeElement.blur();"
                                   " window.scrollTo(0, 0);")
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width, height = int(size["width"]), int(size["height"])
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "fromSurface": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        data = base64.b64decode(shot["data"])
        path.write_bytes(data)
        got = png_size(data)
        if got is None or got[1] < min(height, 16000) - 1:
            failures.append(Failure("screenshot", f"{path.name} is {got}, not the page's full "
                                                  f"{width}x{height}"))

    def _print(self, path, failures):
        from selenium.webdriver.common.print_page_options import PrintOptions
        options = PrintOptions()
        options.background = True
        options.page_width = 21.0   # A4, in cm
        options.page_height = 29.7
        data = base64.b64decode(self.driver.print_page(options))
        path.write_bytes(data)
        if not data.startswith(b"%PDF"):
            failures.append(Failure("pdf", f"{path.name} does not start with %PDF"))
        elif pdf_pages(data) < 1:
            failures.append(Failure("pdf", f"{path.name} has no page"))
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            for fs in self.driver.execute_script(JS_PRINT_HIDDEN):
                if not fs["hidden"]:
                    failures.append(Failure("print", f"fieldset.switches (data-plot="
                                            f"{fs['plot']}) is shown in print media "
                                            f"(display: {fs['display']})"))
        finally:
            self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    def _check_logs(self, failures):
        for entry in self.driver.get_log("browser"):
            if entry.get("level") == "SEVERE":
                failures.append(Failure("console", entry.get("message", "").strip()))
        requested = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            url = None
            if message["method"] == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
            elif message["method"] == "Network.webSocketCreated":
                url = message["params"]["url"]
            if url and re.match(r"^(https?|wss?):", url, re.I) and url not in requested:
                requested.append(url)
        for url in requested:
            failures.append(Failure("network", f"the page requested {url}"))

    # -- the whole check ------------------------------------------------------------------

    def check_page(self, index_html, language, artefact_dir, english_catalogue=None,
                   allowed_words=()):
        """Every Failure of the page index_html (a path) in language "sv" or "en"; saves
        screenshot-LANG.png and report-LANG.pdf in artefact_dir. english_catalogue: a dict
        {key: English text}, or a path to such a JSON file. allowed_words: words a Swedish
        page may use although ENGLISH_WORDS lists them (besides ALLOWED)."""
        index_html = Path(index_html).resolve()
        artefact_dir = Path(artefact_dir)
        artefact_dir.mkdir(parents=True, exist_ok=True)
        if isinstance(english_catalogue, (str, os.PathLike)):
            english_catalogue = json.loads(Path(english_catalogue).read_text(encoding="utf-8"))
        failures = []
        if not index_html.is_file():
            return [Failure("ready", f"{index_html}: no such file")]
        steps = []
        ready = self._load(index_html.as_uri(), failures)
        steps.append(("plotly-js", lambda: self._check_plotly(failures)))
        steps.append(("structure", lambda: self._check_structure(language, index_html.parent,
                                                                 failures)))
        if ready:
            steps.append(("switches", lambda: self._check_switches(failures)))
        steps.append(("screenshot", lambda: self._screenshot(
            artefact_dir / f"screenshot-{language}.png", failures)))
        steps.append(("pdf", lambda: self._print(artefact_dir / f"report-{language}.pdf",
                                                 failures)))
        # With every <details> opened: axe checks, and the text read, of the tables too.
        steps.append(("structure", lambda: self.driver.execute_script(
            "for (const d of document.querySelectorAll('details')) d.open = true;")))
        if language == "sv":
            phrases = english_phrases(english_catalogue or {})
            steps.append(("english-words", lambda: failures.extend(english_left(
                self.driver.execute_script(JS_TEXT, language), phrases, allowed_words))))
            steps.append(("english-marked", lambda: failures.extend(marked_not_quoted(
                self.driver.execute_script(JS_MARKED, language)))))
        steps.append(("axe", lambda: self._check_axe(failures)))
        steps.append(("console", lambda: self._check_logs(failures)))
        for check, step in steps:
            try:
                step()
            except Exception as error:  # a check that cannot run is a failure, the rest go on
                failures.append(Failure(check, f"the check could not run: "
                                               f"{type(error).__name__}: {error}".strip()))
        return failures


def check_page(index_html, language, artefact_dir, english_catalogue=None, allowed_words=()):
    """Every Failure of one page, in a browser of its own (see Browser.check_page)."""
    with Browser() as browser:
        return browser.check_page(index_html, language, artefact_dir, english_catalogue,
                                  allowed_words)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Checks a planners' report page in headless Chromium (see the module's "
                    "docstring); exits 0 when it passes, 1 listing its failures, 77 when "
                    "Chromium, chromedriver, Selenium or axe-core is not installed.")
    parser.add_argument("index_html", type=Path)
    parser.add_argument("--language", "-l", required=True, choices=["sv", "en"])
    parser.add_argument("--artefacts", "-o", type=Path, required=True,
                        help="where screenshot-LANG.png and report-LANG.pdf are saved")
    parser.add_argument("--english-catalogue", type=Path,
                        help="a flat JSON object {key: English text}: a Swedish page may "
                             "contain none of its phrases of three words or more")
    parser.add_argument("--allow", action="append", default=[], metavar="WORD",
                        help="a word a Swedish page may use although it is on the list of "
                             "English words (case-sensitive; repeatable)")
    args = parser.parse_args(argv)
    try:
        failures = check_page(args.index_html, args.language, args.artefacts,
                              args.english_catalogue, args.allow)
    except BrowserUnavailable as error:
        print(f"browser_check: cannot check here: {error}", file=sys.stderr)
        return SKIP
    if failures:
        print(f"browser_check: {args.index_html}: {len(failures)} failure(s)", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print(f"browser_check: {args.index_html} ({args.language}) passes; "
          f"{args.artefacts}/screenshot-{args.language}.png, report-{args.language}.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
