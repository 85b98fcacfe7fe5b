"""Named tables built from the figures: the page shows each as a chart plus its
data table, and the CSV download gives exactly the same rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from clusters.enums import OrganisationKind
from services.catalogue.reference import category_name

from . import charts

KIND_NAMES = dict(OrganisationKind.choices)

# The figures are cached for every reader alike, so the names in them (member
# kinds, service categories) are put in the reader's language here, when the
# tables are built for a page.


def kind_name(row: dict) -> str:
    return str(KIND_NAMES.get(row["kind"], row["label"]))


def _num(value) -> str:
    """A figure inside a sentence, with the language's decimal separator."""
    return "—" if value is None else number_format(value)


@dataclass
class Table:
    id: str
    title: str
    headers: list[str]
    rows: list[list]
    chart: str = ""
    notes: list[str] = field(default_factory=list)


def percent(v):
    return None if v is None else round(100 * v, 1)


def _delta(now, before):
    if now is None or before is None:
        return None
    return round(now - before, 2)


def manager_tables(d: dict) -> list[Table]:
    dem = d["demand"]
    prev = dem["previous"]
    cat_names = [category_name(c["name"]) for c in dem["categories"]]
    months = list(dem["by_month"].keys())
    by_month_rows = [
        [m] + [dem["by_month"][m].get(c["slug"], 0) for c in dem["categories"]] for m in months
    ]
    t_month = Table(
        "demand_by_month",
        _("Requests per category per month"),
        [_("Month")] + cat_names,
        by_month_rows,
    )
    t_month.chart = charts.grouped_bar_chart(
        months,
        [
            (category_name(c["name"]), [dem["by_month"][m].get(c["slug"], 0) for m in months])
            for c in dem["categories"]
        ],
        title=t_month.title,
    )
    t_share = Table(
        "soft_hard",
        _("Soft against hard services"),
        [_("Kind"), _("Requests"), _("Share %"), _("Previous period"), _("Previous share %")],
        [
            [
                _("Soft"),
                dem["soft"],
                percent(dem["soft_share"]),
                prev["soft"],
                percent(prev["soft_share"]),
            ],
            [
                _("Hard"),
                dem["hard"],
                percent(dem["hard_share"]),
                prev["hard"],
                percent(prev["hard_share"]),
            ],
        ],
    )
    t_share.chart = charts.bar_chart(
        [(_("Soft"), percent(dem["soft_share"])), (_("Hard"), percent(dem["hard_share"]))],
        title=t_share.title,
        unit=" %",
    )
    t_rank = Table(
        "ranking",
        _("Categories by demand, beside the survey's ranking"),
        [
            _("Rank"),
            _("Category"),
            _("Requests"),
            _("Previous period"),
            _("Survey rank"),
            _("Survey importance"),
        ],
        [
            [
                r["rank"],
                category_name(r["name"]),
                r["requests"],
                prev["per_category"].get(r["slug"], 0),
                r["survey_rank"],
                "+" * r["survey_importance"],
            ]
            for r in dem["ranking"]
        ],
    )
    t_rank.chart = charts.bar_chart(
        [(category_name(r["name"]), r["requests"]) for r in dem["ranking"]], title=t_rank.title
    )
    who = d["who"]
    t_who = Table(
        "who_asks",
        _("Requests and event attendance by member kind"),
        [_("Member kind"), _("Requests"), _("Event attendance")],
        [[kind_name(r), r["requests"], r["attendance"]] for r in who["rows"]],
        notes=[
            _("Active members in the period: %(active)s of %(total)s (%(share)s %%).")
            % {
                "active": who["active_members"],
                "total": who["members"],
                "share": _num(percent(who["active_share"])),
            }
        ],
    )
    t_who.chart = charts.grouped_bar_chart(
        [kind_name(r) for r in who["rows"]],
        [
            (_("Requests"), [r["requests"] for r in who["rows"]]),
            (_("Attendance"), [r["attendance"] for r in who["rows"]]),
        ],
        title=t_who.title,
    )
    resp = d["responsiveness"]
    t_resp = Table(
        "responsiveness",
        _("Time to first response and to resolution (hours)"),
        [
            _("Category"),
            _("Requests"),
            _("First response, median"),
            _("First response, 90th pct."),
            _("Resolution, median"),
            _("Resolution, 90th pct."),
            _("Satisfaction (1-5)"),
        ],
        [
            [
                category_name(r["name"]),
                r["requests"],
                r["first_p50_h"],
                r["first_p90_h"],
                r["resolve_p50_h"],
                r["resolve_p90_h"],
                r["satisfaction"],
            ]
            for r in resp["rows"]
        ],
        notes=[
            _("Overdue now: %(n)s.") % {"n": resp["overdue"]},
            _("Satisfaction average: %(avg)s from %(n)s ratings (previous period: %(prev)s).")
            % {
                "avg": _num(resp["satisfaction"]),
                "n": resp["ratings"],
                "prev": _num(resp["satisfaction_prev"]),
            },
        ],
    )
    t_resp.chart = charts.bar_chart(
        [(category_name(r["name"]), r["first_p50_h"]) for r in resp["rows"]],
        title=_("Median hours to first response"),
        unit=" h",
    )
    ev, ev_prev = d["events"], d["events_prev"]
    t_events = Table(
        "events",
        _("Events"),
        [_("Figure"), _("This period"), _("Previous period")],
        [
            [_("Events"), ev["events"], ev_prev["events"]],
            [_("Registrations"), ev["registrations"], ev_prev["registrations"]],
            [
                _("Attendance rate %"),
                percent(ev["attendance_rate"]),
                percent(ev_prev["attendance_rate"]),
            ],
            [_("People turned away (waitlist)"), ev["turned_away"], ev_prev["turned_away"]],
            [_("Brokerage meetings held"), ev["meetings_held"], ev_prev["meetings_held"]],
            [_("Cooperations started"), ev["cooperations"], ev_prev["cooperations"]],
        ],
    )
    t_events.chart = charts.grouped_bar_chart(
        [_("Registrations"), _("Turned away")],
        [
            (_("This period"), [ev["registrations"], ev["turned_away"]]),
            (_("Previous period"), [ev_prev["registrations"], ev_prev["turned_away"]]),
        ],
        title=t_events.title,
    )
    rm = d["rooms"]
    t_rooms = Table(
        "rooms",
        _("Room utilisation (booked hours over open hours)"),
        [_("Room"), _("Cluster"), _("Booked hours"), _("Open hours"), _("Utilisation %")],
        [
            [r["room"], r["cluster"], r["booked_hours"], r["open_hours"], percent(r["utilisation"])]
            for r in rm["rows"]
        ],
        notes=[_("Bookings waiting for approval: %(n)s.") % {"n": rm["pending_approvals"]}],
    )
    t_rooms.chart = charts.bar_chart(
        [(r["room"], percent(r["utilisation"])) for r in rm["rows"]], title=t_rooms.title, unit=" %"
    )
    days = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    hours = sorted({h for (_wd, h) in rm["heatmap"]}) or list(range(8, 19))
    t_heat = Table(
        "rooms_by_hour",
        _("Booked hours by weekday and starting hour"),
        [_("Hour")] + days,
        [[f"{h:02d}:00"] + [rm["heatmap"].get((wd, h), 0) for wd in range(1, 8)] for h in hours],
    )
    mm, mm_prev = d["matchmaking"], d["matchmaking_prev"]
    t_match = Table(
        "matchmaking",
        _("Matchmaking"),
        [_("Figure"), _("This period"), _("Previous period")],
        [
            [_("Suggestions shown"), mm["suggestions_shown"], mm_prev["suggestions_shown"]],
            [_("Introductions sent"), mm["sent"], mm_prev["sent"]],
            [_("Introductions accepted"), mm["accepted"], mm_prev["accepted"]],
        ],
    )
    return [t_month, t_share, t_rank, t_who, t_resp, t_events, t_rooms, t_heat, t_match]
