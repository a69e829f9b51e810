"""The texts of the page and how each language writes numbers, money and dates.

Every sentence, heading, label and legend comes from one catalogue per language,
share/text/LANG.json: a flat JSON object of keys and texts with {placeholders} (str.format).
The web app reads the same files. A key missing from the catalogue of the page's language is an
error, never an English fallback: check_catalogues in tests/report/check_report.py (the ctest
report_builds_from_results) checks that both catalogues hold the same keys with the same
placeholders and every key the report's code names, and check_units_and_statistics there that
they hold a text for every unit and calibration statistic the report may show.
"""
import json
import math
import string
from pathlib import Path

from markupsafe import Markup

LANGUAGES = ("sv", "en")
CATALOGUE_DIR = Path(__file__).resolve().parent.parent.parent / "share" / "text"

# Swedish writes a space between thousands and before the per cent sign (Språkrådet); a narrow
# no-break space keeps "145 120" and "12 %" on one line. The minus is the typographic one.
NARROW_SPACE = "\u202f"
MINUS = "\u2212"
DASH = "\u2013"


def load_catalogue(language, folder=CATALOGUE_DIR):
    path = Path(folder) / f"{language}.json"
    with open(path, encoding="utf-8") as source:
        texts = json.load(source)
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        raise ValueError(f"{path}: expected one JSON object of keys and texts")
    return texts


def placeholders(text):
    """The {names} a catalogue text takes."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Texts:
    """One language's catalogue and number formats: texts("key", name=value) gives the text
    with its placeholders filled."""

    def __init__(self, language, folder=CATALOGUE_DIR):
        if language not in LANGUAGES:
            raise ValueError(f"language: expected one of {', '.join(LANGUAGES)}, got "
                             f"{language!r}")
        self.language = language
        self.texts = load_catalogue(language, folder)
        self.used = set()

    def __call__(self, key, **values):
        self.used.add(key)
        text = self.texts[key]
        return text.format(**values) if values else text

    def markup(self, key, **values):
        """A text that holds its own markup (<b>, <code>), its values escaped."""
        self.used.add(key)
        return Markup(self.texts[key]).format(**values)

    def has(self, key):
        return key in self.texts

    # --- numbers

    def _grouped(self, value, digits):
        text = f"{value:,.{digits}f}"
        if text.startswith("-") and float(text[1:].replace(",", "")) == 0:
            text = text[1:]  # no "-0"
        if self.language == "sv":
            text = text.replace(",", NARROW_SPACE).replace(".", ",")
        return text.replace("-", MINUS)

    def number(self, value, digits=None):
        """About three significant digits, thousands grouped; a dash for no value."""
        if value is None or not math.isfinite(value):
            return DASH
        if digits is None:
            magnitude = abs(value)
            digits = (0 if magnitude >= 100 or magnitude == 0 else 1 if magnitude >= 10 else
                      2 if magnitude >= 0.1 else 3)
        return self._grouped(value, digits)

    def count(self, value):
        """A mean count: whole from 10 on, one decimal below."""
        if value is None or not math.isfinite(value):
            return DASH
        return self.number(value, 0 if abs(value) >= 10 else 1)

    def signed(self, value, digits=None):
        shown = self.number(value, digits)
        if value is not None and math.isfinite(value) and value > 0 and any(
                c in "123456789" for c in shown):
            return "+" + shown
        return shown

    def percent(self, fraction, signed=False):
        """A fraction as per cent: "12,5 %" in Swedish, "12.5%" in English."""
        if fraction is None or not math.isfinite(fraction):
            return DASH
        value = 100.0 * fraction
        digits = 1 if abs(value) >= 0.95 or value == 0 else 2
        shown = self.signed(value, digits) if signed else self.number(value, digits)
        return shown + (NARROW_SPACE + "%" if self.language == "sv" else "%")

    def points(self, fraction):
        """A difference of shares in percentage points, signed."""
        if fraction is None or not math.isfinite(fraction):
            return DASH
        return self("unit.percentage_points", value=self.signed(100.0 * fraction, 1))

    def money(self, value):
        """Kronor: "8,0 miljoner kr" / "8.0 million SEK"; whole kronor below a million."""
        if value is None or not math.isfinite(value):
            return DASH
        if abs(value) >= 1e6:
            return self("unit.million_sek", value=self.number(value / 1e6, 1))
        return self("unit.sek", value=self.number(value, 0))

    def day(self, date):
        """1 januari 2024 / 1 January 2024."""
        month = self(f"month.{date.month}")
        return f"{date.day} {month} {date.year}"

    def interval(self, low, high, formatter):
        return self("interval.range", low=formatter(low), high=formatter(high))

    def plural(self, count, key):
        """key.one or key.other with {count} filled."""
        return self(f"{key}.{'one' if count == 1 else 'other'}", count=self.number(count, 0))
