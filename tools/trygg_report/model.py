"""The page's building blocks: tables, figures and sections, as the template draws them and
the export writes them."""
from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass
class Cell:
    text: object                  # str (escaped when drawn) or Markup
    raw: object = None            # the value written to CSV and xlsx (default: the text)
    cls: str = ""                 # CSS classes: num, suppressed, ...
    header: bool = False          # a row header (<th scope="row">)
    lang: str = ""                # the language of a text in another one (a citation)
    extra: dict = None            # values for the data files only, each a column of its own
                                  # beside this one: "low" and "high" (the 95% interval the
                                  # page shows in brackets), "status" and "compared_with" (a
                                  # place on the efficient frontier); see export.EXTRAS

    @property
    def value(self):
        if self.raw is not None:
            return self.raw
        return str(self.text.striptags()) if isinstance(self.text, Markup) else str(self.text)


@dataclass
class Table:
    id: str
    caption: str
    columns: list
    rows: list                    # lists of Cell
    csv: str = ""                 # file name under data/, set by the export
    cls: str = ""
    note: object = None


@dataclass
class Switches:
    """A fieldset of checkboxes: unchecking KEY hides every trace whose meta holds KEY."""
    name: str                     # group name (arms, areas, outcomes, periods)
    legend: str
    options: list                 # (key, label, checked, colour or "")


@dataclass
class Figure:
    id: str
    title: str
    caption: str
    alt: str                      # the finding, for the plot's aria-label
    spec: dict                    # plotly.js data, layout and config
    switches: list = field(default_factory=list)
    table: Table = None


@dataclass
class Block:
    kind: str                     # paragraph, note, warning, callout, list, table, figure, html
    content: object = None
    id: str = ""


@dataclass
class Section:
    id: str
    title: str
    blocks: list = field(default_factory=list)

    def add(self, kind, content=None, id=""):
        self.blocks.append(Block(kind, content, id))
        return self


def html(text):
    """Catalogue text that holds its own markup (<b>, <code>): trusted, from share/text."""
    return Markup(text)


def esc(value):
    return escape(value)
