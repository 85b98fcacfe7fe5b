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


def _kind(row: dict) -> str:
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


def _pct(v):
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
                _pct(dem["soft_share"]),
                prev["soft"],
                _pct(prev["soft_share"]),
            ],
            [
                _("Hard"),
                dem["hard"],
                _pct(dem["hard_share"]),
                prev["hard"],
                _pct(prev["hard_share"]),
            ],
        ],
    )
    t_share.chart = charts.bar_chart(
        [(_("Soft"), _pct(dem["soft_share"])), (_("Hard"), _pct(dem["hard_share"]))],
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
        [[_kind(r), r["requests"], r["attendance"]] for r in who["rows"]],
        notes=[
            _("Active members in the period: %(active)s of %(total)s (%(share)s %%).")
            % {
                "active": who["active_members"],
                "total": who["members"],
                "share": _num(_pct(who["active_share"])),
            }
        ],
    )
    t_who.chart = charts.grouped_bar_chart(
        [_kind(r) for r in who["rows"]],
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
            [_("Attendance rate %"), _pct(ev["attendance_rate"]), _pct(ev_prev["attendance_rate"])],
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
            [r["room"], r["cluster"], r["booked_hours"], r["open_hours"], _pct(r["utilisation"])]
            for r in rm["rows"]
        ],
        notes=[_("Bookings waiting for approval: %(n)s.") % {"n": rm["pending_approvals"]}],
    )
    t_rooms.chart = charts.bar_chart(
        [(r["room"], _pct(r["utilisation"])) for r in rm["rows"]], title=t_rooms.title, unit=" %"
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


def network_tables(rows: list[dict]) -> list[Table]:
    t = Table(
        "clusters",
        _("Every cluster side by side"),
        [
            _("Cluster"),
            _("Country"),
            _("Innovation group"),
            _("Requests"),
            _("Soft share %"),
            _("First response, median h"),
            _("Overdue"),
            _("Satisfaction"),
            _("Registrations"),
            _("Attendance rate %"),
            _("Room utilisation %"),
            _("Introductions sent"),
            _("Introductions accepted"),
        ],
        [
            [
                r["cluster"],
                r["country"],
                r["group"],
                r["requests"],
                _pct(r["soft_share"]),
                r["first_p50_h"],
                r["overdue"],
                r["satisfaction"],
                r["registrations"],
                _pct(r["attendance_rate"]),
                _pct(r["room_utilisation"]),
                r["introductions_sent"],
                r["introductions_accepted"],
            ]
            for r in rows
        ],
    )
    t.chart = charts.bar_chart(
        [(r["cluster"], r["requests"]) for r in rows], title=_("Requests per cluster")
    )
    return [t]


def trend_tables(d: dict) -> list[Table]:
    survey = d["survey"]
    months = list(d["months"].keys())
    t_soft = Table(
        "soft_hard_over_time",
        _("Soft against hard demand over time"),
        [_("Month"), _("Soft requests"), _("Hard requests"), _("Soft share %")],
        [
            [
                m,
                v["soft"],
                v["hard"],
                _pct(v["soft"] / (v["soft"] + v["hard"])) if v["soft"] + v["hard"] else None,
            ]
            for m, v in d["months"].items()
        ],
        notes=[
            _(
                "Survey 2020-2021: members ask more and more for soft services and less for hard ones."
            )
        ],
    )
    t_soft.chart = charts.grouped_bar_chart(
        months,
        [
            (_("Soft"), [d["months"][m]["soft"] for m in months]),
            (_("Hard"), [d["months"][m]["hard"] for m in months]),
        ],
        title=t_soft.title,
    )
    t_rank = Table(
        "most_requested",
        _("Most requested services, beside the survey's importance"),
        [_("Rank"), _("Category"), _("Requests"), _("Survey rank"), _("Survey importance")],
        [
            [
                r["rank"],
                category_name(r["name"]),
                r["requests"],
                r["survey_rank"],
                "+" * r["survey_importance"],
            ]
            for r in d["ranking"]
        ],
        notes=[
            _(
                "Survey 2020-2021: legal and business counselling valued most (++++), then networking (+++), "
                "then internationalisation and infrastructures (++); networking and matchmaking were the most "
                "common services, then business strategy, fundraising and innovation support."
            )
        ],
    )
    t_rank.chart = charts.bar_chart(
        [(category_name(r["name"]), r["requests"]) for r in d["ranking"]], title=t_rank.title
    )
    sme, total = survey["sme_most_active"]
    t_kinds = Table(
        "active_kinds",
        _("Most active member kinds"),
        [_("Member kind"), _("Requests"), _("Event attendance")],
        [[_kind(r), r["requests"], r["attendance"]] for r in d["kinds"]],
        notes=[
            _(
                "In the portal: SMEs are the most active requesters in %(n)s of %(m)s clusters with activity."
            )
            % {"n": d["sme_top_clusters"], "m": d["clusters_with_activity"]},
            _(
                "Survey 2020-2021: %(sme)s of %(total)s managers named SMEs their most active members."
            )
            % {"sme": sme, "total": total},
            _(
                "Survey 2020-2021: %(pub)s %% of clusters were mainly publicly funded; private funding and sales "
                "mattered for %(priv)s %%."
            )
            % {
                "pub": round(100 * survey["public_funding_share"]),
                "priv": round(100 * survey["private_funding_share"]),
            },
        ],
    )
    t_kinds.chart = charts.bar_chart(
        [(_kind(r), r["requests"] + r["attendance"]) for r in d["kinds"]], title=t_kinds.title
    )
    t_group = Table(
        "by_innovation_group",
        _("By innovation group of the region (Regional Innovation Scoreboard 2019)"),
        [_("Innovation group"), _("Requests"), _("Soft share %"), _("Most requested")],
        [
            [r["label"], r["requests"], _pct(r["soft_share"]), category_name(r["top_category"])]
            for r in d["by_group"]
        ],
    )
    t_group.chart = charts.bar_chart(
        [(r["label"], _pct(r["soft_share"])) for r in d["by_group"]],
        title=_("Soft share by innovation group"),
        unit=" %",
    )
    t_cluster = Table(
        "by_cluster",
        _("By cluster"),
        [
            _("Cluster"),
            _("Innovation group"),
            _("Requests"),
            _("Soft share %"),
            _("Most requested"),
            _("Most active kind"),
        ],
        [
            [
                r["label"],
                r["group"],
                r["requests"],
                _pct(r["soft_share"]),
                category_name(r["top_category"]),
                str(KIND_NAMES.get(r["most_active_kind"], "—")),
            ]
            for r in d["by_cluster"]
        ],
    )
    return [t_soft, t_rank, t_kinds, t_group, t_cluster]
