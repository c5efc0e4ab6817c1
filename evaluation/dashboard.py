"""The evaluation dashboard's figures: the chain of four objectives, the funnel of peers
and where it breaks, the six success dimensions with their trends.

Every figure comes from an indicator that an app registered in the road map
(initiatives/road_map.py); each costs one query, whatever the initiative's size, so the
dashboard costs a fixed number of queries. Some scan every contact of the initiative, so
the page, its charts and its downloads share figures computed a moment ago (recent).
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from initiatives.road_map import (
    ChainObjective,
    Dimension,
    Indicator,
    Scope,
    indicators,
    kept_a_while,
    registered_indicators,
    series_of,
)

# Beyond this many months a trend is drawn per quarter.
MONTHLY_UP_TO = 18


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    value: int
    url: str = ""

    @property
    def label(self):
        return self.indicator.label


@dataclass(frozen=True)
class Drop:
    """The largest relative loss of peers between two consecutive funnel steps."""

    upper: Figure
    lower: Figure

    @property
    def share_lost(self):
        return (self.upper.value - self.lower.value) / self.upper.value

    @property
    def percent_lost(self):
        return round(self.share_lost * 100)

    @property
    def percent_kept(self):
        return 100 - self.percent_lost


@dataclass(frozen=True)
class Period:
    start: datetime.date
    label: str
    short: str = ""


@dataclass(frozen=True)
class Trend:
    periods: list
    lines: list  # [(indicator, [value per period])]

    def rows(self):
        """[(period, [value per line])], for the table beside the chart."""
        return [
            (period, [values[n] for _indicator, values in self.lines])
            for n, period in enumerate(self.periods)
        ]


@dataclass(frozen=True)
class DimensionFigures:
    dimension: Dimension
    figures: list
    trend: Trend


def _ordered(entries):
    return sorted(entries, key=lambda entry: entry.funnel or 1000)


def _source_url(entry, scope, with_sources):
    if not with_sources or not entry.source:
        return ""
    return reverse(entry.source, args=[scope.initiative.pk])


def chain(scope, values, *, with_sources=True):
    """[(objective, [Figure])] in the chain's order."""
    entries = [entry for entry in registered_indicators() if entry.objective is not None]
    return [
        (
            objective,
            [
                Figure(entry, values[entry.name], _source_url(entry, scope, with_sources))
                for entry in _ordered(entries)
                if entry.objective == objective
            ],
        )
        for objective in ChainObjective
    ]


def funnel_indicators():
    return sorted(
        (entry for entry in registered_indicators() if entry.funnel is not None),
        key=lambda entry: entry.funnel,
    )


def funnel(scope, values=None):
    """[Figure] of the funnel's steps, in order: distinct peers at each step."""
    entries = funnel_indicators()
    if values is None:
        values = indicators(scope, {entry.name for entry in entries})
    return [Figure(entry, values[entry.name]) for entry in entries]


def largest_drop(steps):
    """The Drop between consecutive steps that loses the largest share of peers, or None
    when no step loses any."""
    drops = [
        Drop(upper, lower)
        for upper, lower in zip(steps, steps[1:], strict=False)
        if upper.value > 0 and lower.value < upper.value
    ]
    return max(drops, key=lambda drop: drop.share_lost, default=None)


def where_it_breaks(steps):
    """The funnel's weakest link, said in words."""
    if not any(step.value for step in steps):
        return _("No peer reached any step of the chain in this period, so it cannot break.")
    drop = largest_drop(steps)
    if drop is None:
        return _("The chain holds: no step loses peers in this period.")
    return _(
        "The chain breaks most between “%(upper)s” and “%(lower)s”: of %(upper_value)d "
        "peers, %(lower_value)d went on (%(kept)d%%); %(lost)d%% were lost at this step."
    ) % {
        "upper": drop.upper.label,
        "lower": drop.lower.label,
        "upper_value": drop.upper.value,
        "lower_value": drop.lower.value,
        "kept": drop.percent_kept,
        "lost": drop.percent_lost,
    }


# --- trends ---


def _month_index(day):
    return day.year * 12 + day.month - 1


def _month(index):
    return datetime.date(index // 12, index % 12 + 1, 1)


def trend_range(scope, today=None):
    """(first day, last day) a trend covers: the chosen period, else the initiative from
    its start (or the last twelve months when it has none) to today."""
    today = today or timezone.localdate()
    last = scope.end - datetime.timedelta(days=1) if scope.end else today
    first = scope.start or scope.initiative.starts_on or _month(_month_index(last) - 11)
    return min(first, last), last


def periods(first, last):
    """[(Period, [month starts it holds])]: months, or quarters for a long range."""
    months = list(range(_month_index(first), _month_index(last) + 1))
    if len(months) <= MONTHLY_UP_TO:
        return [
            (
                Period(
                    _month(m),
                    date_format(_month(m), "YEAR_MONTH_FORMAT"),
                    date_format(_month(m), "M Y"),
                ),
                [_month(m)],
            )
            for m in months
        ]
    quarters = {}
    for m in months:
        start = _month(m - m % 3)
        label = _("Q%(quarter)d %(year)d") % {"quarter": m % 12 // 3 + 1, "year": start.year}
        quarters.setdefault(Period(start, label, label), []).append(_month(m))
    return list(quarters.items())


def trend_scope(scope, today=None):
    first, last = trend_range(scope, today)
    return Scope(
        scope.initiative,
        scope.organisation,
        start=scope.start or _month(_month_index(first)),
        end=last + datetime.timedelta(days=1),
    )


def trends(scope, dimensions=None, today=None, series=None):
    """{dimension: Trend} of each dimension (or those in `dimensions`), from `series` (as
    Figures.series) or in one query per indicator with a series."""
    dimensions = list(dimensions or Dimension)
    entries = [
        entry
        for entry in registered_indicators()
        if entry.dimension in dimensions and entry.series is not None
    ]
    first, last = trend_range(scope, today)
    buckets = periods(first, last)
    if series is None:
        series = series_of(trend_scope(scope, today), {entry.name for entry in entries})
    result = {}
    for dimension in dimensions:
        lines = [
            (
                entry,
                [
                    sum(series[entry.name].get(month, 0) for month in months)
                    for _period, months in buckets
                ],
            )
            for entry in entries
            if entry.dimension == dimension
        ]
        result[dimension] = Trend([period for period, _months in buckets], lines)
    return result


def dimensions(scope, values, today=None, series=None):
    """[DimensionFigures] of the six dimensions, in their order."""
    by_dimension = trends(scope, today=today, series=series)
    return [
        DimensionFigures(
            dimension,
            [
                Figure(entry, values[entry.name])
                for entry in _ordered(registered_indicators())
                if entry.dimension == dimension
            ],
            by_dimension[dimension],
        )
        for dimension in Dimension
    ]


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    chain: list
    funnel: list
    breaks: str
    drop: Drop | None
    dimensions: list


@dataclass(frozen=True)
class Figures:
    values: dict  # {indicator name: value}
    series: dict  # {indicator name: {first day of month: value}}, for trends


def figures(scope, today=None):
    """Every indicator's value and series for `scope`, in one query each."""
    today = today or timezone.localdate()
    names = {
        entry.name
        for entry in registered_indicators()
        if entry.dimension is not None and entry.series is not None
    }
    return Figures(indicators(scope), series_of(trend_scope(scope, today), names))


def scope_key(scope, today=None):
    """What sets the figures besides the initiative's rows, for a cache key."""
    organisation = scope.organisation.pk if scope.organisation is not None else ""
    return f"{organisation}:{scope.start}:{scope.end}:{today or timezone.localdate()}"


def scope_query(scope):
    """The query string of the filter form that chooses `scope`."""
    chosen = {
        "organisation": scope.organisation.pk if scope.organisation is not None else None,
        "since": scope.start,
        "until": scope.end - datetime.timedelta(days=1) if scope.end else None,
    }
    return urlencode({name: value for name, value in chosen.items() if value is not None})


def recent(scope, today=None):
    """figures(scope) as computed at most DASHBOARD_CACHE_SECONDS ago. The numbers are
    the same for whoever may see this scope; labels are added afresh in each language."""
    return kept_a_while(
        scope.initiative.pk,
        f"dashboard:{scope_key(scope, today)}",
        settings.DASHBOARD_CACHE_SECONDS,
        lambda: figures(scope, today),
    )


def dashboard(scope, *, with_sources=True, today=None):
    found = recent(scope, today)
    steps = funnel(scope, found.values)
    return Dashboard(
        scope=scope,
        chain=chain(scope, found.values, with_sources=with_sources),
        funnel=steps,
        breaks=where_it_breaks(steps),
        drop=largest_drop(steps),
        dimensions=dimensions(scope, found.values, today, found.series),
    )


def export_rows(board):
    """Every figure the dashboard shows, one per row: section, group, figure, period, value."""
    for objective, figures in board.chain:
        for figure in figures:
            yield [_("Chain"), str(objective.label), str(figure.label), "", figure.value]
    for number, figure in enumerate(board.funnel, start=1):
        yield [_("Funnel"), str(number), str(figure.label), "", figure.value]
    for entry in board.dimensions:
        for figure in entry.figures:
            yield [_("Dimension"), str(entry.dimension.label), str(figure.label), "", figure.value]
        for period, values in entry.trend.rows():
            for (indicator, _values), value in zip(entry.trend.lines, values, strict=True):
                yield [
                    _("Trend"),
                    str(entry.dimension.label),
                    str(indicator.label),
                    period.label,
                    value,
                ]


def export_header():
    return [_("section"), _("group"), _("figure"), _("period"), _("value")]
