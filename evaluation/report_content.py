"""What a progress report to authorisers holds: computed once, frozen as plain JSON.

Every figure the report shares with the evaluation dashboard comes from the registered
indicators (initiatives.road_map.indicators), so the two always agree; figures per peer,
sections and asks come from the other registries of the road map. Nothing here names a
peer of another organisation: the initiative as a whole appears only as figures.
"""

import base64
import datetime
import hashlib
import json
import re
from collections import Counter

import pygal
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from initiatives.road_map import (
    Scope,
    indicators,
    peer_figures,
    registered_indicators,
    report_asks,
    report_sections,
)
from peerlearn import freshness
from privacy.models import ConsentKind
from privacy.queries import consent_given, consenting

from .models import LearningObjective, Reflection

CONTENT_VERSION = 1


def report_language(initiative, authorisers_languages=()):
    """The language a report (page and PDF) is written in: the one most of the
    organisation's authorisers use, else the initiative's first working language the site
    speaks, else the site's default. Each email is in its reader's own language."""
    known = {code for code, _name in settings.LANGUAGES}
    chosen = [code for code in authorisers_languages if code in known]
    if chosen:
        return max(sorted(set(chosen)), key=chosen.count)
    for code in initiative.languages or []:
        if code in known:
            return code
    return settings.LANGUAGE_CODE


def previous_period(start, end):
    """The period of the same length just before [start, end)."""
    return start - (end - start), start


def _name(user):
    return user.name or user.email


def _number(value):
    """A figure as JSON keeps it (indicators may return Decimal or float)."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def build_content(*, initiative, organisation, start, end, note="", previous=None):
    """The report's content for `organisation` in [start, end), as JSON-able data.

    `previous`: the organisation's previous report (its period is the comparison, its
    replies are shown); without one the comparison is the period of the same length
    before. Queries: a fixed number, whatever the number of peers."""
    scope = Scope(initiative, organisation=organisation, start=start, end=end)
    if previous is not None:
        before_start, before_end = previous.period_start, previous.period_end
    else:
        before_start, before_end = previous_period(start, end)
    before = Scope(initiative, organisation=organisation, start=before_start, end=before_end)
    whole = Scope(initiative, start=start, end=end)

    figures = _indicator_figures(scope, before, whole)
    peers = list(scope.peers().select_related("user").order_by("user__name", "user__email"))
    columns, peer_rows, totals = _participation(scope, before, whole, peers)
    objectives = _objectives(initiative, peers)
    content = {
        "version": CONTENT_VERSION,
        "initiative": initiative.title,
        "organisation": str(organisation),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "previous_period": {"start": before_start.isoformat(), "end": before_end.isoformat()},
        "built_at": timezone.now().isoformat(),
        "indicators": figures,
        "columns": columns,
        "peers": peer_rows,
        "totals": totals,
        "objectives": objectives,
        "objective_counts": _objective_counts(objectives),
        "reflections": _shared_reflections(scope),
        "sections": [
            {"key": section.key, "title": str(section.title), "items": section.provider(scope)}
            for section in report_sections()
        ],
        "asks": report_asks(scope),
        "note": note,
        "replies": _replies(previous),
    }
    content["highlights"] = highlights(content)
    return content


def _indicator_figures(scope, before, whole):
    ours, earlier, overall = indicators(scope), indicators(before), indicators(whole)
    return [
        {
            "name": entry.name,
            "label": str(entry.label),
            "definition": str(entry.definition),
            "value": _number(ours.get(entry.name)),
            "previous": _number(earlier.get(entry.name)),
            "initiative": _number(overall.get(entry.name)),
        }
        for entry in registered_indicators()
        if entry.name in ours
    ]


def _participation(scope, before, whole, peers):
    entries = peer_figures()
    columns = [{"key": entry.key, "label": str(entry.label)} for entry in entries]
    now = {entry.key: entry.measure(scope) for entry in entries}
    rows = [
        {
            "name": _name(membership.user),
            "status": membership.get_status_display(),
            "figures": [now[entry.key].get(membership.pk, 0) for entry in entries],
        }
        for membership in peers
    ]
    ids = {membership.pk for membership in peers}
    totals = []
    for entry in entries:
        earlier = entry.measure(before)
        overall = entry.measure(whole)
        totals.append(
            {
                "key": entry.key,
                "label": str(entry.label),
                "value": sum(v for k, v in now[entry.key].items() if k in ids),
                "previous": sum(earlier.values()),
                "initiative": sum(overall.values()),
            }
        )
    return columns, rows, totals


def _objectives(initiative, peers):
    rows = (
        LearningObjective.objects.filter(initiative=initiative, membership__in=peers)
        .select_related("membership__user", "own_category")
        .order_by("membership__user__name", "membership__user__email", "pk")
    )
    return [
        {
            "peer": _name(objective.membership.user),
            "category": str(objective.category_name),
            "description": objective.description,
            "status": objective.status,
            "status_label": str(objective.get_status_display()),
            "since": objective.status_changed_on.isoformat(),
        }
        for objective in rows
    ]


def _objective_counts(objectives):
    counted = Counter(row["status"] for row in objectives)
    return [
        {"status": status, "label": str(label), "count": counted.get(status, 0)}
        for status, label in LearningObjective.Status.choices
    ]


def _shared_reflections(scope):
    """Only what the peer chose to share with their authoriser, written in the period, and
    only while they consent to sharing reflections at all."""
    shared = scope.of_peers(
        Reflection.objects.filter(
            consent_given(ConsentKind.REFLECTIONS_TO_AUTHORISER, "membership__user"),
            initiative=scope.initiative,
            share_with_authoriser=True,
        )
    ).select_related("membership__user")
    return [
        {
            "person_id": reflection.membership.user_id,
            "peer": _name(reflection.membership.user),
            "text": reflection.text,
            "written_on": timezone.localtime(reflection.written_at).date().isoformat(),
        }
        for reflection in scope.within(shared, "written_at").order_by("written_at", "pk")
    ]


def as_consented_now(content):
    """`content` without the reflections of peers who have withdrawn their consent since
    it was built (and those of reports built before consents were kept). One query."""
    reflections = content.get("reflections") or []
    if not reflections:
        return content
    ids = [row.get("person_id") for row in reflections if row.get("person_id")]
    allowed = consenting(ids, ConsentKind.REFLECTIONS_TO_AUTHORISER)
    kept = [row for row in reflections if row.get("person_id") in allowed]
    return {**content, "reflections": kept}


def _replies(previous):
    if previous is None:
        return []
    return [
        {
            "author": _name(reply.author) if reply.author else "",
            "kind": reply.kind,
            "kind_label": str(reply.get_kind_display()),
            "text": reply.text,
            "due_on": reply.due_on.isoformat() if reply.due_on else "",
            "written_on": timezone.localtime(reply.written_at).date().isoformat(),
        }
        for reply in previous.replies.select_related("author")
    ]


def highlights(content):
    """A few plain sentences for the top of the report."""
    lines = []
    peers = len(content["peers"])
    lines.append(
        ngettext(
            "%(count)d of your people takes part in %(initiative)s.",
            "%(count)d of your people take part in %(initiative)s.",
            peers,
        )
        % {"count": peers, "initiative": content["initiative"]}
    )
    for total in content["totals"]:
        if total["value"] or total["previous"]:
            lines.append(
                _("%(label)s: %(value)s in this period (%(previous)s in the one before).")
                % {"label": total["label"], "value": total["value"], "previous": total["previous"]}
            )
    achieved = sum(
        1
        for row in content["objectives"]
        if row["status"] == LearningObjective.Status.ACHIEVED
        and content["period"]["start"] <= row["since"] < content["period"]["end"]
    )
    if achieved:
        lines.append(
            ngettext(
                "%(count)d learning objective was achieved.",
                "%(count)d learning objectives were achieved.",
                achieved,
            )
            % {"count": achieved}
        )
    for section in content["sections"]:
        if section["items"]:
            lines.append(
                _("%(title)s: %(count)d new in this period.")
                % {"title": section["title"], "count": len(section["items"])}
            )
    if content["asks"]:
        lines.append(
            ngettext(
                "Your organisation is asked to do %(count)d thing; see below.",
                "Your organisation is asked to do %(count)d things; see below.",
                len(content["asks"]),
            )
            % {"count": len(content["asks"])}
        )
    return lines


# --- charts: drawn from the frozen content, so an old report draws as it was ---


def _svg_src(chart):
    svg = re.sub(r"<script.*?</script>", "", chart.render(is_unicode=True), flags=re.S)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _day(iso):
    return date_format(datetime.date.fromisoformat(iso), "DATE_FORMAT")


def charts(content):
    """[{"title", "src" (an SVG data URI for <img>), "headers", "rows"}] of the report."""
    drawn = []
    if content["totals"]:
        chart = pygal.Bar(width=720, height=320, js=[], style=pygal.style.LightStyle)
        chart.title = _("Participation: this period and the one before")
        chart.x_labels = [total["label"] for total in content["totals"]]
        chart.add(_("Previous period"), [total["previous"] for total in content["totals"]])
        chart.add(_("This period"), [total["value"] for total in content["totals"]])
        drawn.append(
            {
                "title": chart.title,
                "src": _svg_src(chart),
                "headers": [_("Figure"), _("Previous period"), _("This period")],
                "rows": [
                    [total["label"], total["previous"], total["value"]]
                    for total in content["totals"]
                ],
            }
        )
    counts = content["objective_counts"]
    if any(row["count"] for row in counts):
        chart = pygal.HorizontalBar(
            width=720, height=280, js=[], show_legend=False, style=pygal.style.LightStyle
        )
        chart.title = _("Learning objectives by status")
        chart.x_labels = [row["label"] for row in counts]
        chart.add(_("Objectives"), [row["count"] for row in counts])
        drawn.append(
            {
                "title": chart.title,
                "src": _svg_src(chart),
                "headers": [_("Status"), _("Objectives")],
                "rows": [[row["label"], row["count"]] for row in counts],
            }
        )
    return drawn


def period_label(content, key="period"):
    """The report's period (or, with key="previous_period", the one it is compared with)."""
    start = content[key]["start"]
    last = (datetime.date.fromisoformat(content[key]["end"]) - datetime.timedelta(1)).isoformat()
    return _("%(start)s to %(end)s") % {"start": _day(start), "end": _day(last)}


# --- the web page's body ---


def body(content):
    """The report's body as its web page shows it. Content is frozen, so the body is kept
    REPORT_CACHE_SECONDS under the language and a digest of the content: any change to
    the content (a withdrawn consent, an erasure) is another body, shown at once."""
    frozen = json.dumps(content, sort_keys=True, default=str).encode()
    name = f"report-body:{get_language()}:{hashlib.sha256(frozen).hexdigest()}"
    return freshness.kept([], name, settings.REPORT_CACHE_SECONDS, lambda: _rendered_body(content))


def _rendered_body(content):
    return render_to_string(
        "evaluation/reports/_report_body.html",
        {
            "content": content,
            "charts": charts(content),
            "period": period_label(content),
            "previous_period": period_label(content, "previous_period"),
        },
    )


# --- the PDF: the web page's body in a page of its own ---


def render_pdf(content):
    """The PDF of a report's content: the same template as the web page."""
    import weasyprint  # loaded by the workers that build reports, not by every web process

    html = render_to_string(
        "evaluation/reports/report_pdf.html",
        {
            "content": content,
            "charts": charts(content),
            "period": period_label(content),
            "previous_period": period_label(content, "previous_period"),
        },
    )
    stylesheet = weasyprint.CSS(filename=finders.find("css/report.css"))
    # The charts are data URIs; nothing else is ever fetched (a note's text is escaped,
    # but a report must not reach out to any address whatever it holds).
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
