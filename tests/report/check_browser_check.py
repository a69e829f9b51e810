#!/usr/bin/python3
"""The self-test of the report's browser check (browser_check.py): in one headless Chromium, the
checker passes a page that keeps the page contract (browser_fixtures.py) and fails each page
that breaks it for its own reason, and for that reason only: a console error, text of too low
contrast, English left in the Swedish text, English marked lang="en" but not quoted (a unit
left untranslated), a switch that hides nothing, a script from https.
The good page is checked by the command line, and gets its screenshot and PDF.

    check_browser_check.py [ARTEFACT_DIR]      # keeps the screenshots and PDFs there

Exits 77 (ctest's SKIP_RETURN_CODE) when Chromium, chromedriver, Selenium or axe-core is not
installed; tools/install-deps installs them, and CI does.
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
import browser_check  # noqa: E402
import browser_fixtures  # noqa: E402

missing = browser_check.missing_tools()
if missing:
    print("check_browser_check: skipped: " + "; ".join(missing))
    sys.exit(browser_check.SKIP)

began = time.monotonic()
problems = []
with tempfile.TemporaryDirectory(prefix="trygg-browser-") as tmp:
    tmp = Path(tmp)
    artefacts = Path(sys.argv[1]) if len(sys.argv) > 1 else tmp / "artefacts"
    pages = browser_fixtures.write_fixtures(tmp / "pages")
    catalogue = tmp / "catalogue-en.json"
    catalogue.write_text(json.dumps(browser_fixtures.CATALOGUE), encoding="utf-8")

    # The good page by the command line (a browser of its own): exit status 0, and its
    # screenshot and PDF.
    t = time.monotonic()
    run = subprocess.run([sys.executable, str(here / "browser_check.py"), str(pages.pop("good")),
                          "--language", "sv", "--artefacts", str(artefacts / "good"),
                          "--english-catalogue", str(catalogue)],
                         capture_output=True, text=True, timeout=300)
    print(f"good, by the command line: {time.monotonic() - t:.1f} s, exit status "
          f"{run.returncode}\n    " + (run.stdout + run.stderr).strip().replace("\n", "\n    "))
    if run.returncode != 0:
        problems.append(f"good: the command line exits {run.returncode}, not 0")
    shot = artefacts / "good" / "screenshot-sv.png"
    pdf = artefacts / "good" / "report-sv.pdf"
    if not shot.is_file() or browser_check.png_size(shot.read_bytes()) is None:
        problems.append(f"good: no screenshot {shot}")
    if not pdf.is_file() or browser_check.pdf_pages(pdf.read_bytes()) < 1:
        problems.append(f"good: no PDF {pdf}")

    # The bad pages in one browser: each fails its check, with the right words, and no other.
    with browser_check.Browser() as browser:
        print(f"Chromium {browser.driver.capabilities.get('browserVersion')}, "
              f"axe-core {browser.axe_version}")
        for variant, index in pages.items():
            t = time.monotonic()
            failures = browser.check_page(index, "sv", artefacts / variant, catalogue)
            expected = browser_fixtures.EXPECTED[variant]
            print(f"{variant}: {time.monotonic() - t:.1f} s, {len(failures)} failure(s)")
            for failure in failures:
                print(f"    {failure}")
            checks = {f.check for f in failures}
            for check, says in expected.items():
                if not any(f.check == check and says in f.detail for f in failures):
                    problems.append(f"{variant}: no {check} failure saying '{says}'")
            for check in sorted(checks - expected.keys()):
                problems.append(f"{variant}: failed the {check} check, which it keeps")

print(f"check_browser_check: {time.monotonic() - began:.1f} s")
if problems:
    print("check_browser_check: FAILED\n  " + "\n  ".join(problems))
    sys.exit(1)
print("check_browser_check: the checker passes the good page and fails each bad one for its "
      "reason, and only for it")
