"""The report's sections, as data for the template (templates/report.html.j2).

Each section is built from the file's tables and the catalogue; numbers are formatted by the
catalogue's language. The decision comes first: the ranking, each area on its own, costs and the
efficient frontier, and what the intervals cover.
"""
import datetime
import hashlib
import math
import re
import subprocess

import numpy as np
from markupsafe import Markup, escape

from . import TOOL, TOOL_VERSION, figures, statistics
from .catalogue import Texts
from .model import Cell, Figure, Section, Switches, Table
from .reading import MUNICIPALITY, OUTCOMES, REPO_ROOT, TIME_SERIES

DASH = "\u2013"
# Provenance rows whose values are names, paths and versions, not words (shown as code).
CODE_ROWS = {"provenance.version", "provenance.commit", "provenance.scenario", "provenance.host",
             "provenance.file", "provenance.calibration", "provenance.times"}
FLAGS = ("S", "E", "U")


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class SmallCells:
    """District counts below a threshold (0: off) are suppressed: means over the replicates per
    year, as the district table shows them."""

    def __init__(self, threshold, years):
        self.threshold = threshold
        self.years = years

    def hides(self, count):
        return self.threshold > 0 and (count is None or not math.isfinite(count)
                                       or count < self.threshold)

    def hides_total(self, total):
        return self.hides(total / self.years)


class Builder:
    def __init__(self, store, texts, areas, focus_why, small_cells, options, calibration=None):
        self.store = store
        self.t = texts
        self.areas = areas
        self.focus_why = focus_why
        self.cells = small_cells
        self.options = options
        self.calibration = calibration
        self.language = texts.language
        self.compared = [a for a in store.arms if a != store.baseline]
        self.covers = self._covers()
        self.warnings = []            # printed by the command line once the report is written

    # --- words shared by the sections

    def label(self, arm):
        return self.store.label(arm, self.language)

    def area_name(self, area):
        return self.t("area.municipality") if area == MUNICIPALITY else area

    def outcome_name(self, outcome):
        return self.t(f"outcome.{outcome}")

    def _covers(self):
        sweep = self.store.sweep or {}
        if (self.store.is_sweep and not sweep.get("parameter_sets")
                and len(sweep.get("points", ())) > 1):
            # A designed sweep's runs are spread over chosen points: what varies between them is
            # the design and chance, and no interval over them is an uncertainty.
            return "sweep points"
        if self.store.effects is None or len(self.store.effects) == 0:
            return "chance"
        covers = set(self.store.effects["covers"])
        # A designed sweep's points are chosen, not drawn: its ranges are no uncertainty.
        for kind in ("parameters and chance", "sweep points"):
            if kind in covers:
                return kind
        return "chance"

    def swatch(self, arm):
        return Markup('<span class="swatch" style="background:{}" aria-hidden="true"></span>'
                      ).format(figures.arm_colour(self.store, arm))

    def arm_cell(self, arm):
        return Cell(self.swatch(arm) + escape(self.label(arm)), raw=self.label(arm), header=True)

    def effect(self, table, arm, area, outcome):
        return statistics.effect_rows(table, arm, area, outcome)

    def hidden(self, row, outcome, area):
        """An effect on a count in a district whose counts fall below the threshold."""
        return (row is not None and area != MUNICIPALITY and
                statistics.outcome_kind(outcome) == "count" and
                (self.cells.hides_total(row["baseline_mean"]) or
                 self.cells.hides_total(row["arm_mean"])))

    def change(self, row, outcome, area, period_years=None):
        """An arm's change against the baseline: per cent for counts, percentage points for
        the share unsafe, with its interval; bold when the interval excludes no change."""
        if row is None:
            return Cell(DASH, raw=None, cls="num")
        if self.hides_total_row(row, outcome, area, period_years):
            return Cell(DASH, raw=None, cls="num suppressed")
        replicates = int(row["replicates"])
        if statistics.outcome_kind(outcome) == "share":
            mean, low, high = row["difference"], row["low"], row["high"]
            shown = self.t.points(mean)

            def formatter(value):  # the unit is said once, before the brackets
                return self.t.signed(100.0 * value, 1)
        else:
            mean, low, high = row["relative_change"], row["relative_low"], row["relative_high"]
            shown = self.t.percent(mean, signed=True)

            def formatter(value):
                return self.t.percent(value, signed=True)
        if not math.isfinite(mean):
            return Cell(DASH, raw=None, cls="num")
        clear = replicates >= 2 and (row["low"] > 0 or row["high"] < 0)
        text = escape(shown)
        bounds = None
        if replicates >= 2:
            text += Markup(' <span class="ci">{}</span>').format(
                self.t.interval(low, high, formatter))
            bounds = {"low": float(low), "high": float(high)}
        if clear:
            text = Markup("<b>{}</b>").format(text)
        return Cell(text, raw=float(mean), cls="num", extra=bounds)

    def hides_total_row(self, row, outcome, area, period_years):
        if area == MUNICIPALITY or statistics.outcome_kind(outcome) != "count":
            return False
        years = period_years or self.store.years
        return any(self.cells.hides(row[k] / years) for k in ("baseline_mean", "arm_mean"))

    def per_offence(self, cost):
        """Kronor per offence averted with its interval: the cost over the ends of the interval
        of offences averted, open above when that interval includes zero."""
        if cost is None:
            return Cell(DASH, cls="num")
        spent, averted = float(cost["cost_sek"]), float(cost["offences_averted"])
        low, high = float(cost["offences_averted_low"]), float(cost["offences_averted_high"])
        if spent <= 0:
            return Cell(self.t("cost.no_cost"), raw=None, cls="num wrap")
        if averted <= 0:
            return Cell(self.t("cost.none_averted"), raw=None, cls="num wrap")
        ratio = spent / averted
        text = escape(self.t.money(ratio))
        # The data files hold the bounds the page shows; an open interval has no upper one.
        bounds = {"low": None, "high": None}
        if low > 0 and high > low:
            text += Markup(' <span class="ci">{}</span>').format(
                self.t.interval(spent / high, spent / low, self.t.money))
            bounds = {"low": spent / high, "high": spent / low}
        elif high > 0 and high > low:
            text += Markup(' <span class="ci">{}</span>').format(
                self.t("cost.open_interval", low=self.t.money(spent / high)))
            bounds = {"low": spent / high, "high": None}
        return Cell(text, raw=ratio, cls="num wrap", extra=bounds)

    # --- the header

    def header(self):
        store, t = self.store, self.t
        groups = {}
        for arm, point in zip(store.runs["arm"], store.runs["point"]):
            groups[(arm, point)] = groups.get((arm, point), 0) + 1
        replicates = sorted(set(groups.values()))
        shown = (t("header.replicates_range", low=replicates[0], high=replicates[-1])
                 if len(replicates) > 1 else str(replicates[0]))
        start = store.dates[0]
        end = store.dates[-1] + datetime.timedelta(days=store.step_days - 1)
        if self.covers == "parameters and chance":
            kind = t("header.kind_parameter_sets", sets=self.parameter_sets())
        elif store.is_sweep:
            kind = t("header.kind_sweep", points=len(store.sweep["points"]),
                     design=store.sweep.get("design", ""))
        else:
            kind = t("header.kind_run")
        name = store.provenance.get("scenario_name", store.path.stem)
        # Over parameter sets an alternative's runs are its replicates of every set.
        per_arm = sorted({len(store.runs_of(arm)) for arm in store.arms})
        meta = t("header.meta_parameter_sets" if self.covers != "chance" else "header.meta",
                 kind=kind, arms=len(store.arms), replicates=shown,
                 runs=(t("header.replicates_range", low=per_arm[0], high=per_arm[-1])
                       if len(per_arm) > 1 else str(per_arm[0])),
                 start=t.day(start), end=t.day(end), years=t.number(store.years, 1),
                 step_days=store.step_days, districts=len(store.districts),
                 scale=self.population_scale_shown())
        built = t("header.built", when=t.day(datetime.date.today()), file=store.path.name)
        description = ""
        if self.language == "en":
            description = (store.scenario or {}).get("description") or ""
        scale = self.population_scale()
        return {
            "title": self.options.title or t("header.title", name=name),
            "description": description, "meta": meta, "built": built,
            "callout": t.markup("header.projections") + " " + t.markup(
                {"parameters and chance": "header.covers_parameters",
                 "sweep points": "header.covers_sweep_points"}.get(self.covers,
                                                                   "header.covers_chance")),
            "scaled": (t("header.scaled", scale=self.population_scale_shown())
                       if scale is not None and scale != 1 else ""),
        }

    def population_scale(self):
        scale = ((self.store.scenario or {}).get("population") or {}).get("scale")
        try:
            return float(scale) if scale is not None else None
        except (TypeError, ValueError):
            return None

    def population_scale_shown(self):
        scale = self.population_scale()
        return self.t.number(scale if scale is not None else 1.0, None if scale else 0)

    # --- the decision

    def decision_section(self):
        store, t = self.store, self.t
        section = Section("decision", t("decision.title"))
        if not self.compared:
            section.add("paragraph", t("decision.one_arm"))
            return section
        section.add("paragraph", t.markup("decision.intro", baseline=self.label(store.baseline),
                                          years=t.number(store.years, 0)))
        section.add("table", self.ranking_table())
        section.add("note", t.markup("decision.ranking_note"))
        for area in self.areas:
            section.add("heading", self.area_name(area.key))
            section.add("table", self.area_table(area.key))
        decision = store.decision or {}
        if decision.get("best") is not None and len(decision.get("best", [])):
            section.add("heading", t("decision.uncertainty_title"))
            section.add("paragraph", t("decision.parameter_sets",
                                       sets=t.number(self.parameter_sets(), 0)))
            section.add("table", self.best_table(decision["best"]))
            acceptability = decision.get("acceptability")
            if acceptability is not None and len(acceptability):
                section.add("figure", self.acceptability_figure(acceptability))
        elif self.covers == "sweep points":
            section.add("callout", t.markup("decision.sweep_points"), id="sweep-points")
        else:
            section.add("callout", t.markup("decision.chance_only"), id="chance-only")
        return section

    def parameter_sets(self):
        if self.store.effects is None or not len(self.store.effects):
            return 1
        return int(self.store.effects["parameter_sets"].max())

    def ranking_table(self):
        """The arms ranked by all offences averted in the municipality over the whole period."""
        store, t = self.store, self.t
        effects, final = store.effects, store.final_year_effects
        frontier, source = statistics.frontier(store, MUNICIPALITY)
        order = sorted(self.compared, key=lambda arm: self._difference(arm))
        rows = []
        for rank, arm in enumerate(order, start=1):
            whole = self.effect(effects, arm, MUNICIPALITY, "offences")
            last = self.effect(final, arm, MUNICIPALITY, "offences")
            cost = statistics.cost_row(store.area_costs, arm, MUNICIPALITY)
            place = frontier.get(arm)
            rows.append([
                Cell(str(rank), raw=rank, cls="num"), self.arm_cell(arm),
                self.change(whole, "offences", MUNICIPALITY),
                self.change(last, "offences", MUNICIPALITY, 1.0),
                Cell(t.number(float(cost["offences_averted"]), 0) if cost is not None else DASH,
                     raw=float(cost["offences_averted"]) if cost is not None else None,
                     cls="num"),
                Cell(t.money(float(cost["cost_sek"])) if cost is not None else DASH,
                     raw=float(cost["cost_sek"]) if cost is not None else None, cls="num"),
                self.per_offence(cost),
                self.frontier_cell(place),
            ])
        columns = [t("column.rank"), t("column.arm"), t("column.offences_whole"),
                   t("column.offences_final_year"), t("column.offences_averted"),
                   t("column.extra_cost"), t("column.cost_per_offence"),
                   t("column.frontier_step")]
        note = t("decision.frontier_discounted") if source == "decision" else ""
        return Table("ranking", t("decision.ranking_caption"), columns, rows, cls="summary",
                     note=note)

    def _difference(self, arm):
        row = self.effect(self.store.effects, arm, MUNICIPALITY, "offences")
        return float(row["difference"]) if row is not None else math.inf

    def frontier_cell(self, place):
        """An alternative's place on the efficient frontier; the data files get the extra cost
        per extra offence averted (a number, or nothing where there is no step), the place in
        the catalogue's words and the alternative it is compared with, each a column."""
        t = self.t
        if place is None:
            return Cell(DASH, cls="wrap")
        status = place["status"]
        other = self.label(place["compared_with"])
        extra = {"status": t(f"frontier_status.{status}") if t.has(f"frontier_status.{status}")
                 else None, "compared_with": other}
        if status == "dominated":
            return Cell(t("frontier.dominated", other=other), raw="", cls="wrap", extra=extra)
        if status == "extended_dominance":
            return Cell(t("frontier.extended", other=other), raw="", cls="wrap", extra=extra)
        icer = float(place["incremental_cost_per_offence_averted"])
        if not math.isfinite(icer):
            extra["status"], extra["compared_with"] = t("frontier_status.first"), None
            return Cell(t("frontier.first"), raw="", cls="wrap", extra=extra)
        return Cell(t("frontier.step", money=t.money(icer), other=other), raw=icer,
                    cls="wrap", extra=extra)

    def area_table(self, area):
        store, t = self.store, self.t
        rows = []
        for arm in self.compared:
            cost = statistics.cost_row(store.area_costs, arm, area)
            rows.append([
                self.arm_cell(arm),
                self.change(self.effect(store.effects, arm, area, "offences"), "offences", area),
                self.change(self.effect(store.final_year_effects, arm, area, "offences"),
                            "offences", area, 1.0),
                self.change(self.effect(store.effects, arm, area, "new_recruits"),
                            "new_recruits", area),
                self.change(self.effect(store.effects, arm, area, "share_unsafe"),
                            "share_unsafe", area),
                Cell(t.money(float(cost["cost_sek"])) if cost is not None else DASH,
                     raw=float(cost["cost_sek"]) if cost is not None else None, cls="num"),
                self.per_offence(cost),
            ])
        columns = [t("column.arm"), t("column.offences_whole"), t("column.offences_final_year"),
                   t("column.recruits_whole"), t("column.unsafe_change"),
                   t("column.cost_in_area"), t("column.cost_per_offence")]
        key = "municipality" if area == MUNICIPALITY else re.sub(r"[^a-z0-9]+", "-",
                                                                 area.lower())
        return Table(f"area-{key}", t("decision.area_caption", area=self.area_name(area)),
                     columns, rows, cls="summary")

    def best_table(self, best):
        t = self.t
        rows = []
        chosen = best[best["outcome"] == "offences"]
        for area in [a.key for a in self.areas]:
            for _, row in chosen[chosen["area"] == area].iterrows():
                rows.append([Cell(self.area_name(area), header=True),
                             self.arm_cell(str(row["arm"])),
                             Cell(t.percent(float(row["probability_best"])),
                                  raw=float(row["probability_best"]), cls="num"),
                             Cell(t.percent(float(row["probability_reduction"])),
                                  raw=float(row["probability_reduction"]), cls="num")])
        columns = [t("column.area"), t("column.arm"), t("column.probability_best"),
                   t("column.probability_reduction")]
        return Table("probability-best", t("decision.best_caption"), columns, rows)

    def acceptability_figure(self, table):
        t, store = self.t, self.store
        data, rows = [], []
        areas = [a.key for a in self.areas if a.key in set(table["area"])]
        for index, area in enumerate(areas):
            part = table[table["area"] == area]
            for arm in store.arms:
                mine = part[part["arm"] == arm].sort_values("willingness_to_pay_sek")
                if mine.empty:
                    continue
                x = [float(v) for v in mine["willingness_to_pay_sek"]]
                y = [100.0 * float(v) for v in mine["probability"]]
                name = f"{self.label(arm)}, {self.area_name(area)}"
                data.append({
                    "type": "scatter", "mode": "lines", "x": x, "y": y, "name": name,
                    "line": {"color": figures.arm_colour(store, arm),
                             "dash": figures.AREA_DASHES[index % len(figures.AREA_DASHES)]},
                    "text": [t("figure.hover_acceptability", name=name, money=t.money(a),
                               share=t.percent(p / 100.0)) for a, p in zip(x, y)],
                    "hoverinfo": "text", "meta": [f"arms:{arm}", f"areas:{area}"]})
                rows += [[Cell(self.area_name(area)), Cell(self.label(arm)),
                          Cell(t.money(a), raw=a, cls="num"),
                          Cell(t.percent(p / 100.0), raw=p / 100.0, cls="num")]
                         for a, p in zip(x, y)]
        best = self._best_at_top(table)
        spec = figures.spec(data, figures.layout(t, t("axis.willingness_to_pay"),
                                                 t("axis.probability_best"),
                                                 yaxis={"range": [0, 100]},
                                                 xaxis={"tickformat": ",.0f"}), t)
        return Figure(
            "acceptability", t("figure.acceptability.title"),
            t("figure.acceptability.caption"), best, spec,
            [self.arm_switches(), self.area_switches(areas)],
            Table("acceptability-data", t("figure.acceptability.title"),
                  [t("column.area"), t("column.arm"), t("column.willingness_to_pay"),
                   t("column.probability_best")], rows, cls="data"))

    def _best_at_top(self, table):
        t = self.t
        part = table[table["area"] == MUNICIPALITY]
        if part.empty:
            return t("figure.acceptability.title")
        top = part["willingness_to_pay_sek"].max()
        at_top = part[part["willingness_to_pay_sek"] == top].sort_values("probability")
        row = at_top.iloc[-1]
        return t("figure.acceptability.alt", arm=self.label(str(row["arm"])),
                 share=t.percent(float(row["probability"])), money=t.money(float(top)))

    # --- switches

    def arm_switches(self, arms=None, baseline_on=True):
        arms = arms or self.store.arms
        return Switches("arms", self.t("switch.arms"),
                        [(arm, self.label(arm), baseline_on or arm != self.store.baseline,
                          figures.arm_colour(self.store, arm)) for arm in arms])

    def area_switches(self, areas=None, only_first=False):
        areas = areas or [a.key for a in self.areas]
        return Switches("areas", self.t("switch.areas"),
                        [(area, self.area_name(area), not only_first or i == 0, "")
                         for i, area in enumerate(areas)])

    # --- what is compared

    def arms_section(self):
        store, t = self.store, self.t
        section = Section("arms", t("arms.title"))
        section.add("paragraph", t.markup("arms.intro"))
        rows = []
        for arm in store.arms:
            used = [m for m in store.measures if m.get("arm") == arm]
            names = []
            for m in used:
                own = str(m.get(f"label_{self.language}", "") or "")
                kind = str(m.get("measure", ""))
                names.append(own or (t(f"measure.{kind}") if t.has(f"measure.{kind}") else kind))
            if not used:
                names = self._measures_from_scenario(arm)
            shown = ", ".join(names) if names else (
                t("arms.current_practice") if arm == store.baseline else DASH)
            description = store.description(arm, self.language)
            rows.append([self.arm_cell(arm),
                         Cell(self.english(description), raw=description)
                         if self._description_language(arm) == "en" else Cell(description),
                         Cell(shown), Cell(str(len(store.runs_of(arm))), raw=len(store.runs_of(
                             arm)), cls="num")])
        section.add("table", Table("arms-table", t("arms.caption"),
                                   [t("column.arm"), t("column.description"),
                                    t("column.measures"), t("column.runs")], rows))
        return section

    def _description_language(self, arm):
        """A description given once for every language is quoted as English on a Swedish
        page when it is not the Swedish one (files written before labels)."""
        texts = self.store.descriptions.get(arm, {})
        if self.language == "sv" and texts.get("sv") and texts.get("sv") == texts.get("en") \
                and not self.store.labels.get(arm, {}).get("sv"):
            return "en"
        return ""

    def _measures_from_scenario(self, arm):
        spec = ((self.store.scenario or {}).get("arms") or {}).get(arm) or {}
        listed = spec.get("measures") or {}
        return [self.t(f"measure.{name}") if self.t.has(f"measure.{name}") else str(name)
                for name in listed]

    # --- over time

    def time_section(self):
        t = self.t
        section = Section("over-time", t("time.title"))
        section.add("paragraph", t("time.intro"))
        section.add("paragraph", t(self.focus_why, districts=", ".join(
            a.key for a in self.areas[1:])))
        for outcome, per in TIME_SERIES:
            section.add("figure", self.time_figure(outcome, per))
        return section

    def time_figure(self, outcome, per):
        store, t = self.store, self.t
        data, rows = [], []
        if per is None:
            def formatter(value):
                return t.percent(value)
            scale = 100.0
        else:
            def formatter(value):
                return t.number(value)
            scale = 1.0
        end_values = {}
        for index, area in enumerate(self.areas):
            bands, mids = statistics.series(store, outcome, per, area)
            if area.key != MUNICIPALITY and per is not None:
                # Small cells: a district's series is left out when its counts are too few.
                counts = np.nansum(store.metrics[outcome].values[:, :, area.mask])
                if self.cells.hides(counts / max(len(store.runs), 1) / store.years):
                    continue
            traces = figures.time_traces(store, t, bands, mids, area.key, index, self.area_name,
                                         formatter)
            for trace in traces:
                if per is None and trace.get("y"):
                    trace["y"] = [None if v is None else v * scale for v in trace["y"]]
            data += traces
            for arm, band in bands.items():
                end_values[(arm, area.key)] = band.mean[-1]
                for d, m, lo, hi in zip(mids, band.mean, band.low, band.high):
                    rows.append([Cell(self.area_name(area.key)), Cell(self.label(arm)),
                                 Cell(d.isoformat(), raw=d.isoformat()),
                                 Cell(formatter(m), raw=float(m), cls="num"),
                                 Cell(formatter(lo), raw=float(lo), cls="num"),
                                 Cell(formatter(hi), raw=float(hi), cls="num")])
        axis = t(f"axis.{outcome}")
        spec = figures.spec(data, figures.layout(t, t("axis.date"), axis,
                                                 yaxis={"rangemode": "normal"}), t)
        name = outcome.replace("_", "-")
        alt = self.time_finding(outcome, end_values, formatter)
        return Figure(
            f"time-{name}", t(f"figure.time.{outcome}.title"),
            t(f"figure.time.{outcome}.caption"), alt, spec,
            [self.arm_switches(), self.area_switches(only_first=True)],
            Table(f"time-{name}-data", t(f"figure.time.{outcome}.title"),
                  [t("column.area"), t("column.arm"), t("column.quarter_middle"),
                   t("column.mean"), t("column.low"), t("column.high")], rows, cls="data"))

    def time_finding(self, outcome, end_values, formatter):
        """The alt text: which arm ends lowest and highest in the municipality."""
        t = self.t
        ends = {arm: v for (arm, area), v in end_values.items() if area == MUNICIPALITY}
        if not ends:
            return t(f"figure.time.{outcome}.title")
        low = min(ends, key=ends.get)
        high = max(ends, key=ends.get)
        return t("figure.time.alt", title=t(f"figure.time.{outcome}.title"),
                 low=self.label(low), low_value=formatter(ends[low]),
                 high=self.label(high), high_value=formatter(ends[high]))

    # --- effects

    def effects_section(self):
        store, t = self.store, self.t
        section = Section("effects", t("effects.title"))
        if not self.compared:
            section.add("unavailable", t("effects.one_arm"))
            return section
        section.add("paragraph", t.markup("effects.intro"))
        rows, table_rows = [], []
        periods = [("horizon", store.effects)]
        if store.final_year_effects is not None and len(store.final_year_effects):
            periods.append(("final_year", store.final_year_effects))
        order = 0
        for outcome, kind in OUTCOMES:
            for area in self.areas:
                for period, table in periods:
                    order += 1
                    for arm in self.compared:
                        row = self.effect(table, arm, area.key, outcome)
                        years = 1.0 if period == "final_year" else None
                        cell = self.change(row, outcome, area.key, years)
                        table_rows.append([Cell(self.label(arm), header=True),
                                           Cell(self.outcome_name(outcome)),
                                           Cell(self.area_name(area.key)),
                                           Cell(t(f"period.{period}")),
                                           self._level_cell(row, outcome, area.key, years),
                                           cell])
                        if row is None or kind == "share" or cell.raw is None:
                            continue
                        rows.append({
                            "arm": arm, "outcome": outcome, "area": area.key, "period": period,
                            "order": order, "relative": float(row["relative_change"]),
                            "low": float(row["relative_low"]),
                            "high": float(row["relative_high"]),
                            "text": t("figure.hover_effect", arm=self.label(arm),
                                      outcome=self.outcome_name(outcome),
                                      area=self.area_name(area.key),
                                      period=t(f"period.{period}"),
                                      value=t.percent(float(row["relative_change"]), True),
                                      interval=t.interval(float(row["relative_low"]),
                                                          float(row["relative_high"]),
                                                          lambda v: t.percent(v, True)))})
        traces, arms = figures.forest_traces(store, t, rows, self.area_name)
        layout = figures.layout(
            t, t("axis.relative_change"), "",
            yaxis={"tickvals": list(range(len(arms))),
                   "ticktext": [self.label(a) for a in arms], "rangemode": "normal",
                   "autorange": "reversed"},
            xaxis={"zeroline": True, "zerolinecolor": "#333333", "zerolinewidth": 1.5},
            height=max(320, 90 * len(arms) + 140))
        outcome_switches = Switches("outcomes", t("switch.outcomes"), [
            (o, self.outcome_name(o), o == "offences", "") for o, k in OUTCOMES if k == "count"])
        period_switches = Switches("periods", t("switch.periods"), [
            (p, t(f"period.{p}"), True, "") for p, _ in periods])
        best = min(self.compared, key=self._difference)
        row = self.effect(store.effects, best, MUNICIPALITY, "offences")
        alt = (t("figure.effects.alt", arm=self.label(best),
                 value=t.percent(float(row["relative_change"]), True))
               if row is not None else t("figure.effects.title"))
        section.add("figure", Figure(
            "effects", t("figure.effects.title"), t("figure.effects.caption"), alt,
            figures.spec(traces, layout, t),
            [outcome_switches, self.area_switches(only_first=True), period_switches],
            Table("effects-data", t("figure.effects.title"),
                  [t("column.arm"), t("column.outcome"), t("column.area"), t("column.period"),
                   t("column.baseline_level"), t("column.change")], table_rows, cls="data")))
        section.add("note", t("effects.note"))
        if store.is_sweep:
            section.add("note", t("effects.sweep_note"))
        return section

    def _level_cell(self, row, outcome, area, years):
        t = self.t
        if row is None:
            return Cell(DASH, cls="num")
        if self.hides_total_row(row, outcome, area, years):
            return Cell(DASH, cls="num suppressed")
        value = float(row["baseline_mean"])
        shown = t.percent(value) if statistics.outcome_kind(outcome) == "share" else \
            t.number(value)
        return Cell(shown, raw=value, cls="num")

    # --- costs

    def costs_section(self):
        store, t = self.store, self.t
        section = Section("costs", t("costs.title"))
        costs = store.area_costs
        if not self.compared or costs is None or not len(costs):
            section.add("unavailable", t("effects.one_arm" if not self.compared
                                         else "costs.missing"))
            return section
        if (costs[costs["area"] == MUNICIPALITY]["cost_sek"] <= 0).all():
            section.add("unavailable", t("costs.no_costs"))
            return section
        section.add("paragraph", t("costs.intro"))
        data, rows = [], []
        for index, area in enumerate(self.areas):
            frontier, _ = statistics.frontier(store, area.key)
            points = []
            for arm in store.arms:
                if arm == store.baseline:
                    cost, averted = 0.0, 0.0
                else:
                    row = statistics.cost_row(costs, arm, area.key)
                    if row is None:
                        continue
                    cost, averted = float(row["cost_sek"]), float(row["offences_averted"])
                    rows.append([Cell(self.area_name(area.key)), Cell(self.label(arm)),
                                 Cell(t.money(cost), raw=cost, cls="num"),
                                 Cell(t.number(averted), raw=averted, cls="num"),
                                 self.per_offence(row), self.frontier_cell(frontier.get(arm))])
                points.append((arm, cost, averted))
            symbol = "circle" if index == 0 else "square-open"
            for arm, cost, averted in points:
                name = f"{self.label(arm)}, {self.area_name(area.key)}"
                data.append({
                    "type": "scatter", "mode": "markers", "x": [averted], "y": [cost / 1e6],
                    "name": name,
                    "marker": {"color": figures.arm_colour(store, arm), "size": 12,
                               "symbol": symbol},
                    "text": [t("figure.hover_cost", name=name, money=t.money(cost),
                               averted=t.number(averted))],
                    "hoverinfo": "text", "meta": [f"arms:{arm}", f"areas:{area.key}"]})
            line = sorted(((c, a) for arm, c, a in points
                           if frontier.get(arm, {}).get("status") == "frontier"
                           or arm == store.baseline))
            if len(line) > 1:
                data.append({
                    "type": "scatter", "mode": "lines", "x": [a for _, a in line],
                    "y": [c / 1e6 for c, _ in line],
                    "name": t("figure.costs.frontier", area=self.area_name(area.key)),
                    "line": {"color": "#555555", "dash": "dot"}, "hoverinfo": "skip",
                    "meta": [f"areas:{area.key}"]})
        layout = figures.layout(t, t("axis.offences_averted"), t("axis.extra_cost_million"))
        section.add("figure", Figure(
            "costs", t("figure.costs.title"), t("figure.costs.caption"),
            self.costs_finding(), figures.spec(data, layout, t),
            [self.arm_switches(), self.area_switches(only_first=True)],
            Table("costs-data", t("figure.costs.title"),
                  [t("column.area"), t("column.arm"), t("column.extra_cost"),
                   t("column.offences_averted"), t("column.cost_per_offence"),
                   t("column.frontier_step")], rows, cls="data")))
        section.add("note", t("costs.note"))
        return section

    def costs_finding(self):
        t = self.t
        costs = self.store.area_costs
        part = costs[(costs["area"] == MUNICIPALITY) & (costs["offences_averted"] > 0) &
                     (costs["cost_sek"] > 0)]
        if part.empty:
            return t("figure.costs.title")
        ratio = part["cost_sek"] / part["offences_averted"]
        cheapest = part.loc[ratio.idxmin()]
        return t("figure.costs.alt", arm=self.label(str(cheapest["arm"])),
                 money=t.money(float(ratio.min())))

    # --- districts

    def districts_section(self):
        store, t, cells = self.store, self.t, self.cells
        section = Section("districts", t("districts.title"))
        levels = statistics.district_levels(store)
        rate = levels["rate"]
        order = sorted(range(len(store.districts)), key=lambda d: (
            -statistics.severity(store.classification[d]), -np.nan_to_num(rate.mean[d])))
        section.add("paragraph", t.markup("districts.intro", baseline=self.label(store.baseline)))
        rows = []
        for d in order:
            offences = levels["offences_per_year"][d]

            def count(value):
                if cells.hides(value):
                    return Cell(t("cells.below", threshold=cells.threshold), raw=None,
                                cls="num count suppressed")
                return Cell(t.count(value), raw=float(value), cls="num count")

            def derived(value, shown):
                if cells.hides(value):
                    return Cell(DASH, raw=None, cls="num derived suppressed")
                return Cell(shown, raw=None, cls="num")
            influence = levels["influence"][d]
            rows.append([
                Cell(store.districts[d], header=True),
                Cell(t(f"classification.{store.classification[d]}")
                     if t.has(f"classification.{store.classification[d]}")
                     else store.classification[d]),
                count(store.residents[d]), count(offences),
                derived(offences, t.number(rate.mean[d])),
                count(levels["reported_per_year"][d]),
                derived(levels["unsafe"][d] * store.residents[d], t.percent(levels["unsafe"][d])),
                count(levels["recruits_per_year"][d]),
                Cell(t.number(influence, 2), raw=float(influence), cls="num"),
                Cell(t("word.yes") if influence >= statistics.MODEL_FLAG_INDEX else t("word.no"),
                     raw=bool(influence >= statistics.MODEL_FLAG_INDEX))])
        for row in rows:
            if row[4].raw is None and row[4].text != DASH:
                pass
        table = Table("district-table", t("districts.caption"), [
            t("column.district"), t("column.police_list"), t("column.residents"),
            t("column.offences_per_year"), t("column.offences_per_1000"),
            t("column.reported_per_year"), t("column.unsafe_last_year"),
            t("column.recruits_per_year"), t("column.influence"),
            t("column.model_flag", threshold=t.number(statistics.MODEL_FLAG_INDEX, 1))], rows,
            cls="districts")
        for row, d in zip(rows, order):
            if row[4].text != DASH:
                row[4].raw = float(rate.mean[d])
            if row[6].text != DASH:
                row[6].raw = float(levels["unsafe"][d])
        section.add("figure", self.districts_figure(order, levels))
        section.add("table", table)
        section.add("note", self.small_cell_rule(), id="small-cells")
        return section

    def districts_figure(self, order, levels):
        store, t = self.store, self.t
        rate = levels["rate"]
        shown = [d for d in order if not self.cells.hides(levels["offences_per_year"][d])]
        data = []
        for classification in statistics.CLASSIFICATIONS:
            chosen = [d for d in shown if store.classification[d] == classification]
            if not chosen:
                continue
            name = (t(f"classification.{classification}"))
            data.append({
                "type": "bar", "x": [store.districts[d] for d in chosen],
                "y": [float(rate.mean[d]) for d in chosen], "name": name,
                "marker": {"color": figures.CLASSIFICATION_COLOURS[classification]},
                "error_y": {"type": "data", "symmetric": False,
                            "array": [float(rate.high[d] - rate.mean[d]) for d in chosen],
                            "arrayminus": [float(rate.mean[d] - rate.low[d]) for d in chosen],
                            "color": "#333333"},
                "text": [t("figure.hover_district", district=store.districts[d],
                           value=t.number(rate.mean[d]),
                           interval=t.interval(rate.low[d], rate.high[d], t.number), kind=name)
                         for d in chosen],
                "hoverinfo": "text", "textposition": "none", "meta": [f"classes:{classification}"]})
        layout = figures.layout(t, "", t("axis.offences"), xaxis={
            "categoryorder": "array", "categoryarray": [store.districts[d] for d in shown],
            "tickangle": -45}, barmode="overlay", height=460)
        top = shown[0] if shown else None
        alt = (t("figure.districts.alt", district=store.districts[top],
                 value=t.number(rate.mean[top])) if top is not None
               else t("figure.districts.title"))
        rows = [[Cell(store.districts[d], header=True),
                 Cell(t(f"classification.{store.classification[d]}")
                      if t.has(f"classification.{store.classification[d]}")
                      else store.classification[d]),
                 Cell(t.number(rate.mean[d]), raw=float(rate.mean[d]), cls="num"),
                 Cell(t.number(rate.low[d]), raw=float(rate.low[d]), cls="num"),
                 Cell(t.number(rate.high[d]), raw=float(rate.high[d]), cls="num")]
                for d in shown]
        switches = [Switches("classes", t("switch.classes"), [
            (c, t(f"classification.{c}"), True, figures.CLASSIFICATION_COLOURS[c])
            for c in statistics.CLASSIFICATIONS
            if any(store.classification[d] == c for d in shown)])]
        return Figure("districts", t("figure.districts.title"), t("figure.districts.caption"),
                      alt, figures.spec(data, layout, t), switches,
                      Table("districts-data", t("figure.districts.title"),
                            [t("column.district"), t("column.police_list"),
                             t("column.offences_per_1000"), t("column.low"),
                             t("column.high")], rows, cls="data"))

    def small_cell_rule(self):
        threshold = self.cells.threshold
        if threshold <= 0:
            return self.t.markup("cells.off")
        return self.t.markup("cells.rule", threshold=threshold)

    # --- sensitivity and sweeps

    def sensitivity_section(self):
        store, t = self.store, self.t
        section = Section("sensitivity", t("sensitivity.title"))
        rows = store.sensitivity
        if rows is None or not len(rows):
            section.add("unavailable", t.markup("sensitivity.not_sweep" if not store.is_sweep
                                                else "sensitivity.no_indices"))
            return section
        method = str(rows["method"].iloc[0])
        section.add("paragraph", t.markup(f"sensitivity.explain_{method}"
                                          if method in ("morris", "sobol")
                                          else "sensitivity.explain_morris"))
        values = np.concatenate([rows["index"].to_numpy(float),
                                 rows["second_index"].to_numpy(float)])
        if method == "sobol" and (~np.isfinite(values) | (values < -0.05) |
                                  (values > 1.05)).any():
            section.add("warning", t("sensitivity.unstable"))
        chosen = rows[rows["outcome"] == "offences"]
        parameters = list(dict.fromkeys(chosen.sort_values("index")["parameter"]))
        data = []
        groups = list(dict.fromkeys(chosen["arm"]))
        for group in groups:
            part = chosen[chosen["arm"] == group].set_index("parameter")
            x = [float(part.loc[p, "index"]) if p in part.index else None for p in parameters]
            name = self.sensitivity_name(group)
            data.append({"type": "bar", "orientation": "h", "x": x, "y": parameters,
                         "name": name,
                         "marker": {"color": figures.arm_colour(store, group)},
                         "text": [t("figure.hover_index", name=name, parameter=p,
                                    value=t.number(v) if v is not None else DASH)
                                  for p, v in zip(parameters, x)],
                         "hoverinfo": "text", "textposition": "none", "meta": [f"arms:{group}"]})
        layout = figures.layout(t, t(f"axis.index_{method}" if method in ("morris", "sobol")
                                     else "axis.index_morris"), "", barmode="group",
                                height=max(360, 28 * len(parameters) * max(1, len(groups)) + 120))
        table_rows = [[Cell(self.sensitivity_name(str(r["arm"]))), Cell(self.outcome_name(str(r["outcome"]))
                                                 if t.has(f"outcome.{r['outcome']}")
                                                 else str(r["outcome"])),
                       Cell(Markup("<code>{}</code>").format(r["parameter"]),
                            raw=str(r["parameter"])),
                       Cell(t.number(float(r["index"])), raw=float(r["index"]), cls="num"),
                       Cell(t.number(float(r["second_index"])), raw=float(r["second_index"]),
                            cls="num")] for _, r in rows.iterrows()]
        top = parameters[-1] if parameters else ""
        section.add("figure", Figure(
            "sensitivity", t("figure.sensitivity.title"), t("figure.sensitivity.caption"),
            t("figure.sensitivity.alt", parameter=top) if top else
            t("figure.sensitivity.title"), figures.spec(data, layout, t),
            [Switches("arms", t("switch.arms"), [
                (g, data[i]["name"], True, figures.arm_colour(store, g))
                for i, g in enumerate(groups)])],
            Table("sensitivity-data", t("figure.sensitivity.title"),
                  [t("column.arm"), t("column.outcome"), t("column.parameter"),
                   t(f"column.first_{method}" if method in ("morris", "sobol")
                     else "column.first_morris"),
                   t(f"column.second_{method}" if method in ("morris", "sobol")
                     else "column.second_morris")], table_rows, cls="data")))
        return section

    def sensitivity_name(self, group):
        """An arm's label, or "the effect of ARM" for trygg sensitivity's "ARM - baseline"."""
        if " - " in group:
            return self.t("sensitivity.effect_of", arm=self.label(group.split(" - ")[0]))
        return self.label(group)

    def sweep_section(self):
        store, t = self.store, self.t
        sweep = store.sweep
        section = Section("sweep", t("sweep.title"))
        points = np.asarray(sweep["points"], dtype=float)
        section.add("paragraph", t.markup("sweep.intro", name=sweep.get("name", ""),
                                          points=len(points),
                                          parameters=len(sweep["parameters"]),
                                          design=Markup("<code>{}</code>").format(
                                              sweep.get("design", ""))))
        rows = [[Cell(Markup("<code>{}</code>").format(p), raw=p),
                 Cell(t.number(points[:, k].min()), raw=float(points[:, k].min()), cls="num"),
                 Cell(t.number(points[:, k].max()), raw=float(points[:, k].max()), cls="num"),
                 Cell(str(len(np.unique(points[:, k]))), raw=int(len(np.unique(points[:, k]))),
                      cls="num")] for k, p in enumerate(sweep["parameters"])]
        section.add("table", Table("sweep-parameters", t("sweep.caption"),
                                   [t("column.parameter"), t("column.lowest"),
                                    t("column.highest"), t("column.distinct")], rows))
        return section

    # --- calibration

    def calibration_section(self):
        cal, t = self.calibration, self.t
        section = Section("calibration", t("calibration.title"))
        accepted = len(cal.accepted_points)
        section.add("paragraph", t.markup("calibration.intro",
                                          parameters=len(cal.parameters),
                                          cutoff=t.number(cal.cutoff)))
        section.add("paragraph", t.markup(
            "calibration.summary", name=cal.name, waves=cal.waves,
            kept=t.percent(cal.kept_share),
            reason=self.english(cal.stop_reason) if cal.stop_reason else DASH,
            candidates=cal.candidates, accepted=accepted))
        ranges = calibration_ranges(cal)
        if accepted == 0:
            section.add("warning", t.markup("calibration.empty"), id="calibration-empty")
        else:
            pinned = [r["parameter"] for r in ranges if r["pinned"]]
            loose = [r["parameter"] for r in ranges if not r["pinned"]]
            if pinned:
                section.add("paragraph", t.markup("calibration.pinned",
                                                  names=", ".join(pinned)))
            if loose:
                section.add("paragraph", t.markup("calibration.loose", names=", ".join(loose)))
            section.add("figure", self.calibration_figure(ranges))

        def verdict(r):
            if not math.isfinite(r["share"]):
                return t("calibration.nothing_kept")
            return t("calibration.verdict_pinned" if r["pinned"] else "calibration.verdict_loose")
        rows = [[Cell(Markup("<code>{}</code>").format(r["parameter"]), raw=r["parameter"]),
                 Cell(t.number(r["prior_low"]), raw=r["prior_low"], cls="num"),
                 Cell(t.number(r["prior_high"]), raw=r["prior_high"], cls="num"),
                 Cell(t.number(r["kept_low"]), raw=r["kept_low"], cls="num"),
                 Cell(t.number(r["kept_high"]), raw=r["kept_high"], cls="num"),
                 Cell(t.percent(r["share"]), raw=r["share"], cls="num"),
                 Cell(verdict(r))] for r in ranges]
        section.add("table", Table("calibration-parameters", t("calibration.parameters_caption"),
                                   [t("column.parameter"), t("column.prior_low"),
                                    t("column.prior_high"), t("column.kept_low"),
                                    t("column.kept_high"), t("column.share_kept"),
                                    t("column.verdict")], rows))
        rows = []
        for k, target in enumerate(cal.targets):
            rows.append([
                Cell(target["name"], header=True), self.statistic(target),
                Cell(t.number(target["observed"]), raw=float(target["observed"]), cls="num"),
                Cell(t.number(target["observation_sd"]), raw=float(target["observation_sd"]),
                     cls="num"),
                Cell(t.number(target["discrepancy_sd"]), raw=float(target["discrepancy_sd"]),
                     cls="num"),
                self.evidence(target["flag"]),
                Cell(t.number(cal.accepted_outputs[:, k].min()) if accepted else DASH,
                     raw=float(cal.accepted_outputs[:, k].min()) if accepted else None,
                     cls="num"),
                Cell(t.number(cal.accepted_outputs[:, k].max()) if accepted else DASH,
                     raw=float(cal.accepted_outputs[:, k].max()) if accepted else None,
                     cls="num"),
                self.unit(target["unit"]),
                Cell(self.quoted(target["source"]), raw=target["source"], cls="source")])
        section.add("heading", t("calibration.targets_title"))
        section.add("table", Table("calibration-targets", t("calibration.targets_caption"),
                                   [t("column.target"), t("column.measured"),
                                    t("column.observed"), t("column.observation_sd"),
                                    t("column.discrepancy_sd"), t("column.flag"),
                                    t("column.accepted_lowest"), t("column.accepted_highest"),
                                    t("column.unit"),
                                    t("column.source" if self.language == "en"
                                      else "column.source_quoted")], rows))
        section.add("heading", t("calibration.stability_title"))
        if not cal.stability:
            why = t("calibration.stability_empty" if accepted == 0
                    else "calibration.stability_no_district")
            section.add("unavailable", why, id="calibration-stability")
        else:
            rows = [[Cell(s["district"], header=True),
                     Cell(t("unit.per_year", value=t.signed(s["members_trend"], 1)),
                          raw=s["members_trend"], cls="num"),
                     Cell(t("unit.per_year", value=t.signed(s["reported_trend"], 1)),
                          raw=s["reported_trend"], cls="num"),
                     Cell(t.percent(s["share_died_out"]), raw=s["share_died_out"], cls="num"),
                     Cell(t.percent(s["share_saturated"]), raw=s["share_saturated"], cls="num"),
                     Cell(t("word.yes") if s["met"] == 1 else t("word.no"),
                          raw=bool(s["met"] == 1))] for s in cal.stability]
            section.add("table", Table("calibration-stability", t("calibration.stability_caption"),
                                       [t("column.district"), t("column.members_trend"),
                                        t("column.reported_trend"), t("column.died_out"),
                                        t("column.saturated"), t("column.stable")], rows))
            missed = [s["district"] for s in cal.stability if s["met"] != 1]
            section.add("paragraph" if not missed else "warning",
                        t("calibration.stable") if not missed
                        else t("calibration.unstable", districts=", ".join(missed)))
        return section

    def calibration_figure(self, ranges):
        t = self.t
        names = [r["parameter"] for r in ranges]
        prior = {"type": "bar", "orientation": "h", "y": names, "x": [100.0] * len(ranges),
                 "base": [0.0] * len(ranges), "name": t("figure.calibration.prior"),
                 "marker": {"color": "#c9d6e3"}, "hoverinfo": "skip", "meta": []}
        kept = {"type": "bar", "orientation": "h", "y": names,
                "x": finite_list([100.0 * (r["kept_high_scaled"] - r["kept_low_scaled"])
                                  for r in ranges]),
                "base": finite_list([100.0 * r["kept_low_scaled"] for r in ranges]),
                "name": t("figure.calibration.kept"), "marker": {"color": "#1f4e79"},
                "text": [t("figure.hover_kept", parameter=r["parameter"],
                           share=t.percent(r["share"])) for r in ranges],
                "hoverinfo": "text", "textposition": "none", "meta": []}
        layout = figures.layout(t, t("axis.prior_range"), "", barmode="overlay",
                                height=max(300, 30 * len(ranges) + 120))
        pinned = sum(1 for r in ranges if r["pinned"])
        return Figure("calibration", t("figure.calibration.title"),
                      t("figure.calibration.caption"),
                      t("figure.calibration.alt", pinned=pinned, count=len(ranges)),
                      figures.spec([prior, kept], layout, t), [],
                      Table("calibration-data", t("figure.calibration.title"),
                            [t("column.parameter"), t("column.kept_low"), t("column.kept_high"),
                             t("column.share_kept")],
                            [[Cell(r["parameter"]),
                              Cell(t.number(r["kept_low"]), raw=r["kept_low"], cls="num"),
                              Cell(t.number(r["kept_high"]), raw=r["kept_high"], cls="num"),
                              Cell(t.percent(r["share"]), raw=r["share"], cls="num")]
                             for r in ranges], cls="data"))

    # --- assumptions

    def quoted(self, text):
        """Text that only exists in English, quoted as it is (the sources and reasons of the
        parameter table and of calibration targets, which live in trygg's parameter
        descriptions, and trygg's own messages): on a page in another language it is marked
        lang="en" and class "quoted", the one kind of text in another language that the page
        holds. Whoever quotes it says so in the page's language (a column header or
        quote.in_english)."""
        if self.language == "en":
            return escape(text)
        return Markup('<span class="quoted" lang="en">{}</span>').format(text)

    def english(self, text):
        """A quoted English text inside a sentence: followed by the catalogue's note that it is
        quoted in English, on a page in another language."""
        if self.language == "en":
            return escape(text)
        return self.quoted(text) + Markup(" ") + escape(self.t("quote.in_english"))

    def unit(self, unit):
        """A unit of the parameter table or of a calibration target in the page's language:
        the catalogue's parameter_unit.KEY, KEY the English unit in lower case with every run
        of other characters an underscore ("per year": parameter_unit.per_year). A unit the
        catalogue lacks is quoted in English, with a warning (the report test checks that
        every unit of docs/parameters.md and of the shipped calibrations has its text)."""
        if not unit:
            return Cell("")
        key = unit_key(unit)
        if self.t.has(key):
            return Cell(self.t(key))
        self.warnings.append(f"the unit '{unit}' has no text in share/text/"
                             f"{self.language}.json ({key}); it is shown in English")
        return Cell(self.quoted(unit), raw=unit)

    def evidence(self, flag):
        """The evidence flag's badge and its meaning in words; the data files get the words."""
        if not flag:
            return Cell(self.flag(flag), raw=None)
        meaning = self.t(f"flag.{flag}") if self.t.has(f"flag.{flag}") else flag
        return Cell(self.flag(flag) + Markup(" ") + escape(meaning), raw=meaning)

    def value(self, value):
        """A setting's value as the page's language writes it: numbers with its decimal mark,
        yes and no for true and false; text and dates as they are."""
        if isinstance(value, str):
            if value in ("true", "false"):
                return self.t("word.yes" if value == "true" else "word.no")
            if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", value):
                value = float(value) if any(c in value for c in ".eE") else int(value)
            else:
                return value
        if isinstance(value, bool):
            return self.t("word.yes" if value else "word.no")
        if isinstance(value, int):
            return self.t.number(value, 0)
        if isinstance(value, float):
            shown = f"{value:g}"
            if "e" in shown:
                return shown
            digits = len(shown.split(".")[1]) if "." in shown else 0
            return self.t.number(value, digits)
        if isinstance(value, list):
            return ", ".join(str(self.value(v)) for v in value)
        return show_value(value)

    def statistic(self, target):
        """What a calibration target measures. The store holds trygg's own English words
        for it; they are written in the page's language from the catalogue (statistic.KIND)
        and the target as the calibration file gives it, when the catalogue's English written
        the same way is trygg's text, else quoted in English."""
        described = target["statistic"]
        if self.language == "en":
            return Cell(described)
        spec = self.calibration.target_specs.get(target["name"])
        english = self._english_texts()
        try:
            if describe_target(spec, english) == described:
                return Cell(describe_target(spec, self.t))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
        return Cell(self.english(described), raw=described)

    def _english_texts(self):
        if getattr(self, "_english", None) is None:
            self._english = Texts("en")
        return self._english

    def flag(self, flag):
        if not flag:
            return Markup('<span class="flag none">{}</span>').format(DASH)
        title = self.t(f"flag.{flag}") if self.t.has(f"flag.{flag}") else flag
        letter = self.t(f"flag_letter.{flag}") if self.t.has(f"flag_letter.{flag}") else flag
        return Markup('<span class="flag {}" title="{}">{}</span>').format(flag, title, letter)

    def assumptions_section(self):
        t = self.t
        section = Section("assumptions", t("assumptions.title"))
        section.add("paragraph", t.markup("assumptions.intro", sourced=self.flag("S"),
                                          estimate=self.flag("E"), unchecked=self.flag("U")))
        table = read_parameter_table(self.options.parameter_table)
        if table is None:
            section.add("warning", t("assumptions.no_table",
                                     path=str(self.options.parameter_table)))
            return section
        flags = [p["flag"] for p in table.values() if p["flag"]]
        counts = {f: flags.count(f) for f in FLAGS}
        section.add("paragraph", t("assumptions.counts", total=len(flags), sourced=counts["S"],
                                   estimates=counts["E"], unchecked=counts["U"]))
        if counts["E"] + counts["U"] > counts["S"]:
            section.add("paragraph", t("assumptions.mostly_estimates"))
        note = self.version_note()
        if note:
            section.add("note", note)
        if self.language != "en":
            section.add("note", t("assumptions.sources_in_english"))
        section.add("table", self.settings_table(table))
        return section

    def settings_table(self, table):
        """The settings the scenario writes, with the default and its evidence; then every
        flagged parameter."""
        t = self.t
        own = dict(scenario_settings(self.store.scenario))
        rows = []
        for key, entry in table.items():
            if not entry["flag"]:
                continue
            value = own.get(key)
            chosen = value is not None and not same_value(show_value(value), entry["default"])
            rows.append([
                Cell(Markup("<code>{}</code>").format(key), raw=key),
                Cell(self.value(value if value is not None else entry["default"]),
                     raw=export_value(show_value(value) if value is not None
                                      else entry["default"]),
                     cls="value chosen" if chosen else "value"),
                Cell(self.value(entry["default"]), raw=export_value(entry["default"]),
                     cls="value"),
                self.unit(entry["unit"]),
                self.evidence(entry["flag"]),
                Cell(self.quoted(entry["source"]), raw=entry["source"], cls="source")])
        return Table("parameters", t("assumptions.caption"),
                     [t("column.parameter"), t("column.value_used"), t("column.default"),
                      t("column.unit"), t("column.flag"),
                      t("column.source" if self.language == "en" else "column.source_quoted")],
                     rows, cls="params")

    def version_note(self):
        made_with = str(self.store.provenance.get("git_commit", ""))
        try:
            checkout = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"],
                                      capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
        if not checkout or not made_with or (made_with.startswith(checkout) and
                                             "-dirty" not in made_with):
            return ""
        return self.t("assumptions.version_note", results=made_with[:12], table=checkout[:12])

    # --- provenance and reading

    def provenance_section(self):
        store, t = self.store, self.t
        p = store.provenance
        section = Section("provenance", t("provenance.title"))
        section.add("paragraph", t("provenance.intro"))
        seeds = dict(sorted({int(r): int(s) for r, s in zip(store.runs["replicate"],
                                                             store.runs["seed"])}.items()))
        shown = ", ".join(f"{r}: {s}" for r, s in list(seeds.items())[:12])
        if len(seeds) > 12:
            shown += ", " + t("provenance.more_seeds", count=len(seeds))
        rows = [
            ("provenance.version", p.get("trygg_version", "")),
            ("provenance.commit", p.get("git_commit", "")),
            ("provenance.scenario", f"{p.get('scenario_name', '')} ({p.get('scenario_file', '')})"),
            ("provenance.seed", t("provenance.seed_value", seed=p.get("seed", ""))),
            ("provenance.seeds", shown),
            ("provenance.runs", t("provenance.runs_value", done=len(store.runs),
                                  total=store.runs_total)),
            ("provenance.threads", str(p.get("threads", ""))),
            ("provenance.times", f"{p.get('start_utc', '')}, {p.get('end_utc', '')}"),
            ("provenance.computing", t("unit.seconds", value=t.number(
                float(np.nansum(store.runs["wall_seconds"])), 1))),
            ("provenance.host", str(p.get("host", ""))),
            ("provenance.file", f"{store.path} (SHA-256 {file_digest(store.path)})"),
        ]
        if self.calibration is not None:
            rows.append(("provenance.calibration", f"{self.calibration.path} (SHA-256 "
                                                   f"{file_digest(self.calibration.path)})"))
        if store.is_sweep:
            # the file's name and the design's are names (code), not words of the page
            rows.insert(2, ("provenance.sweep", t.markup(
                "provenance.sweep_value", name=store.sweep.get("name", ""),
                file=Markup("<code>{}</code>").format(store.sweep.get("file", "")),
                design=Markup("<code>{}</code>").format(store.sweep.get("design", "")),
                points=len(store.sweep["points"]))))
        rows.append(("provenance.report", t("provenance.report_value", tool=TOOL,
                                            version=TOOL_VERSION,
                                            threshold=self.cells.threshold)))
        section.add("table", Table("provenance-table", t("provenance.caption"),
                                   [t("column.what"), t("column.value")],
                                   [[Cell(t(k), header=True),
                                     Cell(Markup("<code>{}</code>").format(v), raw=str(v))
                                     if k in CODE_ROWS else
                                     Cell(v) if isinstance(v, Markup) else Cell(str(v))]
                                    for k, v in rows],
                                   cls="provenance"))
        if store.runs_failed:
            section.add("warning", t.markup("provenance.failed", runs=self.english("; ".join(
                f"{label}: {message}" for label, message in store.runs_failed))))
        section.add("pre", (t("provenance.resolved"), p.get("scenario_yaml", "")))
        if store.is_sweep and store.sweep.get("yaml"):
            section.add("pre", (t("provenance.sweep_file"), store.sweep.get("yaml", "")))
        return section

    def reading_section(self):
        t = self.t
        section = Section("reading", t("reading.title"))
        intervals = {"parameters and chance": "intervals_parameter_sets",
                     "sweep points": "intervals_sweep_points"}.get(self.covers, "intervals")
        section.add("list", [t.markup(f"reading.{key}", year=self.store.dates[0].year)
                             for key in ("replicates", intervals, "offences", "unsafe",
                                         "vulnerable", "model")])
        return section


# --- the parameter table (docs/parameters.md) and the scenario's own settings

def read_parameter_table(path):
    table = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6:
            continue
        key = cells[0].strip("`")
        table[key] = dict(zip(("default", "unit", "flag", "source", "meaning"), cells[1:]))
    return table or None


def flatten(tree, prefix=""):
    if isinstance(tree, dict):
        out = []
        for key, value in tree.items():
            out += flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(tree, list) and tree and all(isinstance(v, dict) for v in tree):
        out = []
        for index, value in enumerate(tree):
            out += flatten(value, f"{prefix}[{index}]")
        return out
    return [(prefix, tree)]


def scenario_settings(scenario):
    if not scenario:
        return []
    skip = {"name", "description", "arms", "report"}
    return flatten({k: v for k, v in scenario.items() if k not in skip})


def describe_target(spec, texts):
    """A calibration target's statistic in words (trygg's describe_statistic, from the
    catalogue texts statistic.*): spec is the target as the calibration file writes it, with
    trygg's defaults (TargetSpec: reported_per_1000 in model year 3, age 15, share 0.05)."""
    kind = spec.get("statistic", "reported_per_1000")
    districts = spec.get("districts") or []
    if not isinstance(districts, list) or not all(isinstance(d, str) for d in districts):
        raise ValueError("districts")
    area = " + ".join(districts) if districts else texts("statistic.municipality")
    year = int(spec.get("year", 3))
    share = f"{100.0 * float(spec.get('share', 0.05)):g}"
    if texts.language == "sv":
        share = share.replace(".", ",")
    if kind == "trend":
        return texts("statistic.trend", of=texts(f"statistic.trend_of.{spec['trend_of']}"),
                     first=year, last=int(spec.get("to_year", 0)), area=area)
    return texts(f"statistic.{kind}", year=texts("statistic.model_year", year=year), area=area,
                 age=int(spec.get("age", 15)), share=share)


def unit_key(unit):
    """The catalogue key of a unit: parameter_unit.per_year for "per year"."""
    return "parameter_unit." + re.sub(r"[^a-z0-9]+", "_", unit.lower()).strip("_")


def export_value(shown):
    """A value of the parameter table or the scenario (text) as the data files hold it: a
    number as a number, true and false as booleans (the catalogue's yes and no), anything
    else (a date, a file) as it is."""
    if shown in ("true", "false"):
        return shown == "true"
    try:
        number = float(shown)
    except (TypeError, ValueError):
        return shown
    return int(number) if re.fullmatch(r"-?\d+", shown.strip()) else number


def show_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def same_value(shown, default):
    try:
        return float(shown) == float(default)
    except ValueError:
        return shown == default


PINNED_SHARE = 0.5  # a parameter whose accepted sets keep less of its prior range is pinned


def calibration_ranges(cal):
    rows = []
    for k, name in enumerate(cal.parameters):
        low, high = float(cal.prior_low[k]), float(cal.prior_high[k])
        width = high - low if high > low else math.nan
        if len(cal.accepted_points):
            kept_low = float(cal.accepted_points[:, k].min())
            kept_high = float(cal.accepted_points[:, k].max())
        else:
            kept_low = kept_high = math.nan
        share = (kept_high - kept_low) / width if math.isfinite(width) else math.nan
        rows.append({"parameter": name, "prior_low": low, "prior_high": high,
                     "kept_low": kept_low, "kept_high": kept_high, "share": share,
                     "pinned": math.isfinite(share) and share < PINNED_SHARE,
                     "kept_low_scaled": (kept_low - low) / width if math.isfinite(width)
                     else math.nan,
                     "kept_high_scaled": (kept_high - low) / width if math.isfinite(width)
                     else math.nan})
    # The most pinned down (the smallest share of the prior range kept) first.
    return sorted(rows, key=lambda r: (not math.isfinite(r["share"]), r["share"]))


def finite_list(values):
    return [v if v is not None and math.isfinite(v) else None for v in values]
