"""Named tables of the network insights (every cluster side by side, and the trends),
built like the manager dashboard's (tables.py): a chart plus its data table, and the
same rows in the CSV download."""

from __future__ import annotations

from django.utils.translation import gettext as _

from services.catalogue.reference import category_name

from . import charts
from .tables import KIND_NAMES, Table, kind_name, percent


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
                percent(r["soft_share"]),
                r["first_p50_h"],
                r["overdue"],
                r["satisfaction"],
                r["registrations"],
                percent(r["attendance_rate"]),
                percent(r["room_utilisation"]),
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
                percent(v["soft"] / (v["soft"] + v["hard"])) if v["soft"] + v["hard"] else None,
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
        [[kind_name(r), r["requests"], r["attendance"]] for r in d["kinds"]],
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
        [(kind_name(r), r["requests"] + r["attendance"]) for r in d["kinds"]], title=t_kinds.title
    )
    t_group = Table(
        "by_innovation_group",
        _("By innovation group of the region (Regional Innovation Scoreboard 2019)"),
        [_("Innovation group"), _("Requests"), _("Soft share %"), _("Most requested")],
        [
            [r["label"], r["requests"], percent(r["soft_share"]), category_name(r["top_category"])]
            for r in d["by_group"]
        ],
    )
    t_group.chart = charts.bar_chart(
        [(r["label"], percent(r["soft_share"])) for r in d["by_group"]],
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
                percent(r["soft_share"]),
                category_name(r["top_category"]),
                str(KIND_NAMES.get(r["most_active_kind"], "—")),
            ]
            for r in d["by_cluster"]
        ],
    )
    return [t_soft, t_rank, t_kinds, t_group, t_cluster]
