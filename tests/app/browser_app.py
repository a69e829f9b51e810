#!/usr/bin/python3
"""Checks Trygg's web app (trygg serve, docs/app.md) end to end in a real browser: headless
Chromium driven by Selenium (Debian's chromium, chromium-driver and python3-selenium), with
axe-core's accessibility rules (tests/browser, installed by tools/install-deps), as
tests/report/browser_check.py checks the report.

    browser_app.py --trygg PATH/TO/trygg --workdir DIR [--share DIR]

It starts `trygg serve` on a free port with a token (so that the page's token handling is
exercised: the page's own files, every fetch, the links), results in DIR/results, and as a
planner would:

1. opens the page, in Swedish: <html lang="sv">, and no text (nor aria-label, title or
   placeholder) that is a key of the catalogue (an "app." key shown as it is);
2. picks the Norrköping scenario, sets the population scale to 0.02 and the runs per arm to 2,
   adds an arm with EST in Navestad, chosen by clicking Navestad's node on the map;
3. plans (POST /api/plan) and sees the plan; runs, sees the progress move (a status answer
   "running" or "writing", or a fraction between 0 and 1 shown) and the comparison table of the
   EST arm (the municipality and Navestad among its rows);
4. downloads the scenario as YAML and the HDF5 result through the page's links, runs the YAML
   with `trygg run -o DIR/cli.h5 --threads 1 -q` and checks with h5py that every dataset and
   attribute of the two files is the same, bit for bit, but for what records when, where and
   how the file was made (see PROVENANCE below);
5. runs axe-core (WCAG 2.0/2.1 A and AA) on the page with the results shown, the report's
   iframe left out (the report has its own check);
6. switches to English: <html lang="en">, the texts change, and again no key is shown;
7. loads district data files through the file input: a broken one (the server's 422 text is
   shown verbatim in #error), then the shipped one, and plans with it;
8. chooses a parameter ensemble of 3 sets and sees the plan count 3 x arms x 2 runs;
9. starts a long run and cancels it from the page: it ends cancelled, with no result.

It always stops the server (SIGTERM, then SIGKILL). Exit status: 0 when everything passes, 1
with a message for each failure, 2 on a usage error, 77 when Chromium, chromedriver, Selenium,
h5py or axe-core is not installed.
"""
import argparse
import importlib.util
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# The report's browser check starts Chromium the same way, with the same arguments.
sys.path.insert(0, str(ROOT / "tests" / "report"))
from browser_check import AXE_TAGS, CHROMEDRIVER, start_chromium  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# TRYGG_AXE: axe.min.js from elsewhere (a git worktree without its own node_modules)
AXE = Path(os.environ.get("TRYGG_AXE", ROOT / "tests" / "browser" / "node_modules" / "axe-core"
                          / "axe.min.js"))
SKIP = 77
SERVER_START_S = 60
RUN_TIMEOUT_S = 150
SCENARIO = "norrkoping"
SCALE = "0.02"
REPLICATES = "2"
ARM_KEY = "est_navestad"
ARM_LABEL = "EST i Navestad"
DISTRICT = "Navestad"

# What the two result files may differ in: the record of when, where and how each was made,
# not what was computed. The file has no /provenance group; its provenance is in root
# attributes and one dataset:
# - start_utc, end_utc: when the runs started and ended;
# - host: the machine's name (the same machine here, but it says where, not what);
# - threads: the server runs on all cores, the CLI with --threads 1 (results do not depend on
#   it: the runs are deterministic whatever the thread count, which this check shows);
# - scenario_file: the path of the scenario as given (the server's job file, the CLI's DIR/...);
# - /runs/wall_seconds: each run's wall time.
# scenario_yaml (the resolved scenario as text) is compared too: it is what was run.
PROVENANCE_ATTRIBUTES = {"start_utc", "end_utc", "host", "threads", "scenario_file"}
PROVENANCE_DATASETS = {"/runs/wall_seconds"}
# HDF5 dimension-scale bookkeeping holds object references (addresses in the file): compared
# as to which attributes are there, not by value.
REFERENCE_ATTRIBUTES = {"DIMENSION_LIST", "REFERENCE_LIST"}


class Failed(Exception):
    """A check that did not pass: its message says what was expected and what was found."""


def log(message):
    print(f"browser_app: {message}", flush=True)


def missing_tools():
    missing = []
    for module, package in (("selenium", "python3-selenium"), ("h5py", "python3-h5py"),
                            ("numpy", "python3-numpy")):
        if importlib.util.find_spec(module) is None:
            missing.append(f"{package} is not installed")
    if not os.access(CHROMEDRIVER, os.X_OK):
        missing.append(f"{CHROMEDRIVER} (chromium-driver) is not installed")
    if not os.access(os.environ.get("TRYGG_CHROMIUM", CHROMIUM), os.X_OK):
        missing.append("chromium is not installed")
    if not AXE.is_file():
        missing.append(f"{AXE} is missing (tools/install-deps runs npm ci in tests/browser)")
    return missing


# ---- the server ----------------------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, trygg, workdir, share, token):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = token
        self.log_path = workdir / "serve.log"
        command = [str(trygg), "serve", "--port", str(self.port), "--token", token,
                   "--results", str(workdir / "results")]
        if share:
            command += ["--share", str(share)]
        log("starting " + " ".join(command).replace(token, "TOKEN"))
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        cwd=str(ROOT))

    def url(self, path):
        return self.base + path

    def get(self, path, timeout=30):
        request = urllib.request.Request(self.url(path),
                                         headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.read()

    def wait(self):
        end = time.monotonic() + SERVER_START_S
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise Failed(f"trygg serve exited with status {self.process.returncode} before "
                             f"answering: {self.log_text()}")
            try:
                machine = json.loads(self.get("/api/machine", timeout=2))
                log(f"server up: trygg {machine.get('version')}, {machine.get('threads')} "
                    "threads")
                return machine
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                time.sleep(0.2)
        raise Failed(f"GET /api/machine did not answer within {SERVER_START_S} s")

    def log_text(self):
        self.log_file.flush()
        try:
            return self.log_path.read_text("utf-8", "replace")[-2000:]
        except OSError:
            return ""

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                log("trygg serve did not stop within 15 s of SIGTERM: killed")
                self.process.kill()
                self.process.wait(timeout=15)
        self.log_file.close()


# ---- the browser ---------------------------------------------------------------------------

def start_browser():
    driver = start_chromium({"browser": "ALL"})
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(120)
    return driver


def wait_for(driver, what, condition, timeout):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)
    except TimeoutException:
        error = driver.execute_script(
            "const e = document.getElementById('error'); return e ? e.innerText : '';")
        raise Failed(f"{what} within {timeout} s" + (f"; the page's error region says: {error}"
                                                     if error else "")) from None


# Every text a reader gets: the document's text (hidden parts included, as a language switch
# or a details element shows them), the title and the aria-label, title, alt and placeholder
# attributes.
JS_TEXTS = """
const out = [document.title, document.body.textContent];
for (const e of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
  for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
    if (e.hasAttribute(a)) out.push(e.getAttribute(a));
  }
}
return out.join('\\n');
"""

JS_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations'],
                   iframes: false})
  .then(r => done({violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || ''}))}))}))
  .catch(e => done({error: String(e)}));
"""


def keys_shown(driver, catalogue):
    """The catalogue keys that the page shows as they are (a text not looked up)."""
    text = driver.execute_script(JS_TEXTS)
    candidates = set(re.findall(r"\b(?:app|flag|flag_letter|measure)\.[a-z0-9_.]*[a-z0-9]", text))
    return sorted(k for k in candidates if k in catalogue or k.startswith("app."))


def set_number(driver, element_id, value):
    """Types a number into an input as a planner would, then checks what the page read."""
    element = driver.find_element("id", element_id)
    element.clear()
    element.send_keys(value)
    got = element.get_attribute("value")
    if got != value:
        raise Failed(f"#{element_id}: typed {value!r}, the input holds {got!r}")


def click(driver, element_id):
    element = driver.find_element("id", element_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()
    return element


# ---- the result files ----------------------------------------------------------------------

def compare_results(app_file, cli_file):
    """Every difference between the two result files outside PROVENANCE_*, as sentences."""
    import h5py
    import numpy as np
    problems = []
    notes = []

    def same_value(a, b):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.kind == "O":
            return a.tolist() == b.tolist()
        return a.tobytes() == b.tobytes()

    def attributes(path, a, b):
        names = set(a.attrs) | set(b.attrs)
        for name in sorted(names):
            where = f"{path} attribute {name}"
            if path == "/" and name in PROVENANCE_ATTRIBUTES:
                continue
            if name not in a.attrs or name not in b.attrs:
                problems.append(f"{where}: only in the "
                                f"{'app' if name in a.attrs else 'CLI'}'s file")
                continue
            if name in REFERENCE_ATTRIBUTES:
                continue
            if not same_value(a.attrs[name], b.attrs[name]):
                problems.append(f"{where}: {a.attrs[name]!r:.200} (app) != "
                                f"{b.attrs[name]!r:.200} (CLI)")

    with h5py.File(app_file, "r") as app, h5py.File(cli_file, "r") as cli:
        objects = {}
        for name, f in (("app", app), ("cli", cli)):
            paths = {}
            f.visititems(lambda p, o, paths=paths: paths.__setitem__("/" + p, o))
            objects[name] = paths
        only = set(objects["app"]) ^ set(objects["cli"])
        for path in sorted(only):
            problems.append(f"{path}: only in the {'app' if path in objects['app'] else 'CLI'}'s"
                            " file")
        attributes("/", app, cli)
        datasets = 0
        for path in sorted(set(objects["app"]) & set(objects["cli"])):
            a, b = objects["app"][path], objects["cli"][path]
            if isinstance(a, h5py.Dataset) != isinstance(b, h5py.Dataset):
                problems.append(f"{path}: a dataset in one file, a group in the other")
                continue
            attributes(path, a, b)
            if not isinstance(a, h5py.Dataset) or path in PROVENANCE_DATASETS:
                continue
            datasets += 1
            if a.dtype != b.dtype or a.shape != b.shape:
                problems.append(f"{path}: {a.dtype} {a.shape} (app) != {b.dtype} {b.shape} "
                                "(CLI)")
            elif not same_value(a[()], b[()]):
                problems.append(f"{path}: the values differ")
        notes.append(f"{datasets} datasets compared")
    return problems, notes


# ---- the whole check -----------------------------------------------------------------------

def check(args, server, catalogues):
    from selenium.webdriver.support.ui import Select
    failures = []
    driver = start_browser()
    try:
        page = server.url("/?token=" + urllib.parse.quote(server.token))
        driver.get(page)
        wait_for(driver, "the page was not ready (window.tryggApp.ready)",
                 lambda d: d.execute_script("return !!(window.tryggApp && tryggApp.ready)"), 60)
        lang = driver.execute_script("return document.documentElement.lang")
        if lang != "sv":
            failures.append(f"the page opens with <html lang={lang!r}>, not 'sv'")
        title_sv = driver.find_element("css selector", "h1").text
        if title_sv != catalogues["sv"]["app.title"]:
            failures.append(f"the heading is {title_sv!r}, not the catalogue's app.title")
        log("page open in Swedish")

        # 1. the scenario, the scale and the runs
        Select(driver.find_element("id", "scenario-select")).select_by_value(SCENARIO)
        info = driver.find_element("id", "scenario-info").text
        if not info.strip():
            failures.append("#scenario-info shows nothing for the chosen scenario")
        set_number(driver, "scale", SCALE)
        set_number(driver, "replicates", REPLICATES)

        # 2. an arm with EST in Navestad, chosen on the map
        click(driver, "add-arm")
        key = driver.find_element("id", "arm-1-key")
        key.clear()
        key.send_keys(ARM_KEY)
        driver.find_element("id", "arm-1-label").send_keys(ARM_LABEL)
        click(driver, "arm-1-measure-est")
        node_id = f"arm-1-est-district-{DISTRICT}"
        wait_for(driver, f"no map node #{node_id}",
                 lambda d: d.find_elements("id", node_id), 10)
        click(driver, node_id)
        checked = driver.execute_script(
            f"return document.getElementById('arm-1-est-check-{DISTRICT}').checked")
        if not checked:
            raise Failed(f"clicking #{node_id} did not tick #arm-1-est-check-{DISTRICT}")
        node_class = driver.find_element("id", node_id).get_attribute("class")
        if "on" not in node_class.split():
            failures.append(f"the clicked node #{node_id} is not drawn as chosen "
                            f"(class {node_class!r})")
        shown = keys_shown(driver, catalogues["sv"])
        if shown:
            failures.append(f"the Swedish page shows catalogue keys untranslated: {shown}")
        log("arm est_navestad: EST in Navestad, chosen on the map")

        # 2b. beside each of EST's settings: its default, its unit and its evidence flag (with
        #     the source as its title), as the server's schema gives them
        schema = json.loads(server.get("/api/schema"))
        est_fields = (schema["properties"]["arms"]["additionalProperties"]["anyOf"][0]
                      ["properties"]["measures"]["properties"]["est"]["anyOf"][0]["properties"])
        flagged = 0
        for name, field in est_fields.items():
            infos = driver.find_elements("id", f"arm-1-est-{name}-info")
            if not infos or "x-flag" not in field:
                continue
            flagged += 1
            info = infos[0]
            flags = info.find_elements("css selector", f".flag.flag-{field['x-flag']}")
            if not flags or field["x-source"] not in (flags[0].get_attribute("title") or ""):
                failures.append(f"#arm-1-est-{name}-info lacks its flag {field['x-flag']} with "
                                "the source as its title")
            if "x-unit" in field and not info.find_elements("css selector", ".unit"):
                failures.append(f"#arm-1-est-{name}-info lacks its unit {field['x-unit']!r}")
            default = field.get("default")
            # textContent: settings under "more settings" are folded away, and .text reads only
            # what is shown
            shown_info = info.get_attribute("textContent") or ""
            if isinstance(default, int) and abs(default) < 1000 and str(default) not in shown_info:
                failures.append(f"#arm-1-est-{name}-info does not show its default {default}")
        if flagged < 3:
            failures.append(f"only {flagged} of EST's flagged settings are shown on the page")
        # an arm added and removed again leaves the others as they were
        click(driver, "add-arm")
        arms_before = len(driver.find_elements("css selector", "#arms > .arm"))
        click(driver, f"arm-{arms_before}-remove")
        if len(driver.find_elements("css selector", "#arms > .arm")) != arms_before - 1:
            failures.append("removing an arm did not remove it")
        if not driver.find_elements("id", "arm-1-est-check-" + DISTRICT):
            failures.append("removing another arm removed the EST arm's settings")
        log(f"settings: default, unit and flag beside {flagged} of EST's; an arm removed")

        # 3. the plan
        click(driver, "plan-button")
        wait_for(driver, "the plan did not show in #plan-result",
                 lambda d: d.find_element("id", "plan-result").get_attribute("data-fits"), 60)
        plan_text = driver.find_element("id", "plan-result").text
        if not re.search(r"\d", plan_text):
            failures.append(f"#plan-result shows no numbers: {plan_text!r}")
        if driver.find_element("id", "plan-result").get_attribute("data-fits") != "true":
            raise Failed(f"the plan says the job does not fit: {plan_text!r}")
        log(f"plan: {plan_text}")

        # 4. the run
        began = time.monotonic()
        click(driver, "run-button")
        # The page polls every second; a fast machine may finish these few runs between two of
        # its polls. The test's own polls (every 50 ms) show that the job did run, in case the
        # page's did not catch it running.
        job = wait_for(driver, "the page did not post the job (window.tryggApp.job)",
                       lambda d: d.execute_script("return window.tryggApp.job"), 30)
        api_seen = []
        end = time.monotonic() + RUN_TIMEOUT_S
        while time.monotonic() < end:
            answer = json.loads(server.get(f"/api/runs/{job}"))
            api_seen.append((answer["status"], answer.get("fraction")))
            if answer["status"] in ("done", "failed", "cancelled"):
                break
            time.sleep(0.05)
        wait_for(driver, "the run did not end", lambda d: d.execute_script(
            "return ['done', 'failed', 'cancelled'].includes(window.tryggApp.status)"),
            RUN_TIMEOUT_S)
        seen = driver.execute_script("return window.tryggApp.seen")
        status = driver.execute_script("return window.tryggApp.status")
        job = driver.execute_script("return window.tryggApp.job")
        if status != "done":
            raise Failed(f"the run ended {status}: "
                         + driver.find_element("id", "error").text)
        log(f"run {job} done in {time.monotonic() - began:.1f} s; statuses shown: "
            + ", ".join(f"{s['status']} {s['fraction']:.2f}" if s["fraction"] is not None
                        else s["status"] for s in seen))
        moved = any(s["status"] in ("running", "writing")
                    or (s["fraction"] is not None and 0 < s["fraction"] < 1) for s in seen)
        api_moved = any(status in ("running", "writing") and fraction is not None
                        and 0 < fraction < 1 for status, fraction in api_seen)
        if not moved and not api_moved:
            failures.append("the progress never showed the job running (no status running or "
                            "writing, no fraction between 0 and 1): the page showed "
                            + json.dumps(seen) + f"; the API answered {api_seen}")
        elif not moved:
            log(f"the page's polls missed the job running; the API's answers show it moving: "
                f"{api_seen[:3]} ... {api_seen[-2:]}")
        progress = driver.execute_script("return document.getElementById('progress').value")
        if progress != 1:
            failures.append(f"<progress> shows {progress} when the job is done, not 1")
        wait_for(driver, "the comparison did not show", lambda d: d.find_elements(
            "id", f"comparison-{ARM_KEY}"), 60)
        table = driver.find_element("id", f"comparison-{ARM_KEY}")
        caption = table.find_element("tag name", "caption").text
        if ARM_LABEL not in caption:
            failures.append(f"the comparison table's caption {caption!r} does not name the arm")
        areas = [th.text for th in table.find_elements("css selector", "tbody th")]
        for area in (catalogues["sv"]["app.area.municipality"], DISTRICT):
            if area not in areas:
                failures.append(f"the comparison table has no row for {area} (rows: {areas})")
        cells = [td.text for td in table.find_elements("css selector", "tbody td")]
        if not any(re.search(r"\d", c) for c in cells):
            failures.append(f"the comparison table shows no numbers: {cells}")
        log(f"comparison: {caption}: rows {areas}")
        frame_src = driver.find_element("id", "report").get_attribute("src") or ""
        if "/report/sv/" not in frame_src or "token=" not in frame_src:
            failures.append(f"the report iframe's src {frame_src!r} lacks /report/sv/ or the "
                            "token")

        # 5. the downloads, and the same scenario from the command line
        links = {}
        for link_id in ("download-yaml", "download-result", "download-report"):
            href = driver.find_element("id", link_id).get_attribute("href") or ""
            if "token=" not in href:
                failures.append(f"#{link_id}'s href {href!r} does not carry the token")
            links[link_id] = href
        yaml_path = args.workdir / "app-scenario.yaml"
        app_h5 = args.workdir / "app-result.h5"
        for link_id, path in (("download-yaml", yaml_path), ("download-result", app_h5)):
            # the link as the browser has it, token included: no Authorization header
            with urllib.request.urlopen(links[link_id], timeout=60) as answer:
                path.write_bytes(answer.read())
        cli_h5 = args.workdir / "cli.h5"
        command = [str(args.trygg), "run", str(yaml_path), "-o", str(cli_h5), "--threads", "1",
                   "-q", "--force"]
        log("running " + " ".join(command))
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise Failed(f"trygg run of the downloaded YAML exited {done.returncode}: "
                         f"{done.stderr.strip()[-1500:]}")
        problems, notes = compare_results(app_h5, cli_h5)
        if problems:
            failures.append(f"the app's result and the CLI's differ in {len(problems)} place(s):"
                            "\n    " + "\n    ".join(problems[:40]))
        log("result files: " + "; ".join(notes) + ("" if problems else ", all equal"))

        # 6. accessibility, the report's iframe left out
        driver.execute_script(AXE.read_text(encoding="utf-8"))
        for details in driver.find_elements("css selector", "details"):
            driver.execute_script("arguments[0].open = true;", details)
        result = driver.execute_async_script(JS_AXE, AXE_TAGS)
        if "error" in result:
            failures.append(f"axe-core did not run: {result['error']}")
        for v in result.get("violations", []):
            targets = "; ".join(", ".join(map(str, n["target"])) for n in v["nodes"][:8])
            failures.append(f"axe: {v['id']} ({v['impact']}): {v['help']}: {targets}")
        log(f"axe-core: {len(result.get('violations', []))} violation(s)")

        # 7. English
        texts_sv = driver.execute_script(JS_TEXTS)
        click(driver, "lang-en")
        wait_for(driver, "<html lang> did not become 'en' after the language switch",
                 lambda d: d.execute_script("return document.documentElement.lang") == "en", 20)
        heading = driver.find_element("css selector", "h1").text
        if heading != catalogues["en"]["app.title"]:
            failures.append(f"the English heading is {heading!r}, not the catalogue's "
                            f"{catalogues['en']['app.title']!r}")
        caption_en = driver.find_element("id", f"comparison-{ARM_KEY}").find_element(
            "tag name", "caption").text
        if caption_en == caption:
            failures.append(f"the comparison's caption stayed {caption!r} in English")
        if driver.execute_script(JS_TEXTS) == texts_sv:
            failures.append("the texts did not change with the language switch")
        shown = keys_shown(driver, catalogues["en"])
        if shown:
            failures.append(f"the English page shows catalogue keys untranslated: {shown}")
        frame_src = driver.find_element("id", "report").get_attribute("src") or ""
        if "/report/en/" not in frame_src:
            failures.append(f"the report iframe's src {frame_src!r} did not switch to /report/en/")
        log("English: lang, heading and texts switch")

        # 8. the municipality's own district data: a broken file's 422 is shown verbatim, a
        #    good one replaces the districts and plans
        broken = args.workdir / "broken-districts.yaml"
        broken.write_text("municipality:\n  name: Broken\ndistricts: []\n", encoding="utf-8")
        request = urllib.request.Request(
            server.url("/api/data"), data=broken.read_bytes(), method="POST",
            headers={"Authorization": f"Bearer {server.token}",
                     "Content-Type": "application/yaml"})
        try:
            urllib.request.urlopen(request, timeout=30)
            raise Failed("POST /api/data took a broken district data file")
        except urllib.error.HTTPError as answer:
            expected = json.loads(answer.read())["error"]
        driver.find_element("id", "data-file").send_keys(str(broken))
        wait_for(driver, "the error of a broken district data file did not show in #error",
                 lambda d: d.find_elements("css selector", "#error .server-message"), 30)
        shown_error = driver.execute_script(
            "return document.querySelector('#error .server-message').textContent")
        if shown_error != expected:
            failures.append(f"#error shows {shown_error!r}, not the server's words "
                            f"{expected!r}")
        good = ROOT / "scenarios" / "data" / "norrkoping" / "districts.yaml"
        driver.find_element("id", "data-file").send_keys(str(good))
        wait_for(driver, "the uploaded district data file was not taken (#data-reset hidden)",
                 lambda d: d.find_element("id", "data-reset").is_displayed(), 30)
        click(driver, "plan-button")
        wait_for(driver, "no plan with the uploaded district data file",
                 lambda d: d.find_element("id", "plan-result").get_attribute("data-fits"), 60)
        log("district data file: a broken one's error shown verbatim, a good one planned")

        # 9. a parameter ensemble: the plan counts draws x arms x replicates per set
        click(driver, "uncertainty-parameters")
        wait_for(driver, "the ensemble's settings did not show",
                 lambda d: d.find_element("id", "draws").is_displayed(), 10)
        set_number(driver, "draws", "3")
        click(driver, "plan-button")
        wait_for(driver, "no plan of a parameter ensemble",
                 lambda d: d.find_element("id", "plan-result").get_attribute("data-fits"), 60)
        runs = driver.execute_script("return window.tryggApp && document.querySelector("
                                     "'#plan-result').textContent")
        arms = len(driver.find_elements("css selector", "#arms > .arm")) + 1
        expected_runs = 3 * arms * 2
        if not re.search(rf"\b{expected_runs}\b", runs or ""):
            failures.append(f"the ensemble's plan does not count {expected_runs} runs "
                            f"(3 sets x {arms} arms x 2): {runs!r}")
        log(f"parameter ensemble: planned {expected_runs} runs")

        # 10. cancel: a long run stopped from the page ends cancelled, with no result
        click(driver, "uncertainty-chance")
        set_number(driver, "replicates", "200")
        click(driver, "run-button")
        wait_for(driver, "the long run never showed as running",
                 lambda d: d.execute_script("return window.tryggApp.status") == "running", 60)
        long_job = driver.execute_script("return window.tryggApp.job")
        click(driver, "cancel-button")
        wait_for(driver, "the cancelled run never showed as cancelled",
                 lambda d: d.execute_script("return window.tryggApp.status") == "cancelled", 60)
        if not driver.find_element("id", "step-results").get_attribute("hidden"):
            failures.append("a cancelled run shows results")
        try:
            server.get(f"/api/runs/{long_job}/result")
            failures.append("a cancelled run has a result file")
        except urllib.error.HTTPError as answer:
            if answer.code != 409:
                failures.append(f"a cancelled run's result answers {answer.code}, not 409")
        log("cancel: the long run stopped from the page, no result")

        errors = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"
                  and "/report" not in e.get("message", "")
                  and "/api/data" not in e.get("message", "")]  # the broken file's 422
        if errors:
            failures.append("the browser console logged errors: " + " | ".join(errors[:5]))
    finally:
        driver.quit()
    return failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trygg", type=Path, required=True, help="the trygg executable")
    parser.add_argument("--workdir", type=Path, required=True,
                        help="a folder for the results, downloads and the server's log")
    parser.add_argument("--share", type=Path,
                        help="the folder of web/ and text/ (default: the server's own)")
    args = parser.parse_args(argv)
    missing = missing_tools()
    if missing:
        print("browser_app: cannot check here: " + "; ".join(missing), file=sys.stderr)
        return SKIP
    if not os.access(args.trygg, os.X_OK):
        print(f"browser_app: {args.trygg} is not an executable", file=sys.stderr)
        return 2
    args.trygg = args.trygg.resolve()
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    share = (args.share or ROOT / "share").resolve()
    catalogues = {lang: json.loads((share / "text" / f"{lang}.json").read_text("utf-8"))
                  for lang in ("sv", "en")}
    began = time.monotonic()
    server = Server(args.trygg, args.workdir, args.share and args.share.resolve(),
                    secrets.token_hex(16))
    try:
        server.wait()
        failures = check(args, server, catalogues)
    except Failed as error:
        failures = [str(error)]
    except Exception as error:  # a broken step is a failure with its cause, not a traceback
        failures = [f"{type(error).__name__}: {error}"]
    finally:
        server.stop()
    seconds = time.monotonic() - began
    if failures:
        print(f"browser_app: FAILED after {seconds:.0f} s ({len(failures)} failure(s)); "
              f"the server's log is {server.log_path}", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print(f"browser_app: passes in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
