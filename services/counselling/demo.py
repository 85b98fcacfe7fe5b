"""Demo data of counselling (called by `manage.py seed_demo`, after the catalogue's,
services/catalogue/demo.py, whose categories and offerings it picks from):

- about 18 months of counselling requests for the demo clusters with staff
  (Genopole, BioWin): volume growing and response times shortening over
  time, realistic statuses (mostly closed, some declined or withdrawn, a few
  open and overdue), first responses, resolutions, ratings and a few messages,
  so dashboards have trends to show.

Idempotent: requests are keyed by their
(cluster, number) (reference "REQ-<cluster short code>-<n>"); a re-run creates nothing new. No
notification is sent. Everything is written with bulk_create (well under a
second for the default size).
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress

from clusters.enums import MembershipStatus, StaffRole
from clusters.models import Cluster, ClusterRole, Organisation, User
from services.catalogue.models import ServiceCategory, ServiceOffering

from .models import CounsellingRequest, RequestMessage, RequestTransition, request_reference
from .workflow import add_working_days

HISTORY_CLUSTERS = {"Genopole": 130, "BioWin": 90}
HISTORY_DAYS = 548  # about 18 months
EXTRA_ADVISORS = {"BioWin": ("advisor.biowin@demo.example", "Thomas", "Lambert")}

SUBJECTS = {
    "legal": [
        "Licence agreement review",
        "CE marking route for our device",
        "NDA with a pharma partner",
        "Patent freedom to operate",
        "Clinical trial agreement template",
        "GDPR for patient data",
    ],
    "business": [
        "Pricing of our diagnostic kit",
        "Business plan review",
        "Hiring our first sales lead",
        "Spin-off structure",
        "Reimbursement strategy",
    ],
    "networking": [
        "Looking for a CDMO partner",
        "Introduction to hospital sites",
        "Academic partner for assay",
    ],
    "internationalisation": [
        "Entering the German market",
        "US FDA pre-submission",
        "Trade fair in Boston",
    ],
    "fundraising": [
        "EIC Accelerator application",
        "Seed round preparation",
        "Regional innovation grant",
    ],
    "infrastructure": [
        "Access to the flow cytometry platform",
        "Lab bench for three months",
        "Cleanroom time",
    ],
}


def seed(ctx) -> None:
    """The request history; the catalogue (services.catalogue.demo) is seeded before."""
    categories = {c.slug: c for c in ServiceCategory.objects.all()}
    clusters = list(Cluster.objects.order_by("name"))
    _seed_history(ctx, clusters, categories)


def _advisors_by_cluster() -> dict[int, list[User]]:
    out: dict[int, list[User]] = {}
    for role in ClusterRole.objects.filter(role=StaffRole.ADVISOR).select_related("user"):
        out.setdefault(role.cluster_id, []).append(role.user)
    return out


def _extra_advisors(ctx, by_name) -> None:
    for cluster_name, (email, first, last) in EXTRA_ADVISORS.items():
        cluster = by_name.get(cluster_name)
        if cluster is None:
            continue
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={"first_name": first, "last_name": last, "password": ctx.password_hash},
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        ClusterRole.objects.get_or_create(user=user, cluster=cluster, role=StaffRole.ADVISOR)


def _seed_history(ctx, clusters, categories) -> None:
    by_name = {c.name: c for c in clusters}
    _extra_advisors(ctx, by_name)
    advisors = _advisors_by_cluster()
    cat_list = sorted(categories.values(), key=lambda c: c.slug)
    cat_weights = [c.importance**2 for c in cat_list]
    for cluster_name, count in HISTORY_CLUSTERS.items():
        cluster = by_name.get(cluster_name)
        if cluster is None or not advisors.get(cluster.pk):
            continue
        existing = set(
            CounsellingRequest.objects.filter(cluster=cluster).values_list("number", flat=True)
        )
        orgs = list(
            Organisation.objects.filter(
                memberships__cluster=cluster, memberships__status=MembershipStatus.ACTIVE
            ).order_by("slug")
        )
        if not orgs:
            continue
        people: dict[int, list[User]] = {}
        for person in User.objects.filter(organisation__in=orgs).order_by("email"):
            people.setdefault(person.organisation_id, []).append(person)
        with_people = [o for o in orgs if o.pk in people]
        offerings = list(ServiceOffering.objects.filter(cluster=cluster).order_by("title"))
        managers = [
            r.user
            for r in ClusterRole.objects.filter(cluster=cluster, role=StaffRole.MANAGER)
            .select_related("user")
            .order_by("user__email")
        ]
        manager = managers[0] if managers else None
        staff = advisors[cluster.pk]
        # Request dates: more requests in recent months (growing use of the service).
        crng = ctx.rng(f"services.history.{cluster.slug}")
        ages = sorted((HISTORY_DAYS * crng.random() ** 1.4 for _ in range(count)), reverse=True)
        plans = []
        for n, age in enumerate(ages, start=1):
            if n in existing:
                continue
            reference = request_reference(cluster, n)
            rng = ctx.rng(f"services.request.{cluster.slug}.{n}")
            plans.append(
                _plan(
                    rng,
                    cluster,
                    n,
                    reference,
                    age,
                    orgs,
                    with_people,
                    people,
                    offerings,
                    cat_list,
                    cat_weights,
                    staff,
                    manager,
                    ctx.anchor,
                )
            )
        CounsellingRequest.objects.bulk_create([p["request"] for p in plans])
        ids = dict(
            CounsellingRequest.objects.filter(
                reference__in=[p["request"].reference for p in plans]
            ).values_list("reference", "pk")
        )
        transitions, messages = [], []
        for p in plans:
            pk = ids[p["request"].reference]
            for t in p["transitions"]:
                t.request_id = pk
                transitions.append(t)
            for m in p["messages"]:
                m.request_id = pk
                messages.append(m)
        RequestTransition.objects.bulk_create(transitions)
        RequestMessage.objects.bulk_create(messages)


def _plan(
    rng,
    cluster,
    n,
    reference,
    age,
    orgs,
    with_people,
    people,
    offerings,
    cat_list,
    cat_weights,
    staff,
    manager,
    anchor,
) -> dict:
    created = anchor - timedelta(days=age, hours=rng.uniform(0, 10))
    org = rng.choice(with_people) if with_people and rng.random() < 0.45 else rng.choice(orgs)
    requester = rng.choice(people[org.pk]) if org.pk in people else None
    offering = rng.choice(offerings) if offerings and rng.random() < 0.75 else None
    category = offering.category if offering else rng.choices(cat_list, cat_weights)[0]
    urgency = rng.choices(["normal", "high", "urgent"], [70, 22, 8])[0]
    due_days = {
        "normal": cluster.due_days_normal,
        "high": cluster.due_days_high,
        "urgent": cluster.due_days_urgent,
    }[urgency]
    due_date = add_working_days(created.date(), due_days)
    subject = rng.choice(SUBJECTS[category.slug])
    advisor = rng.choice(staff)
    # Older requests waited longer: the team got faster over the 18 months.
    pace = 0.4 + age / 548
    triaged = created + timedelta(hours=rng.uniform(1, 30) * pace)
    assigned = triaged + timedelta(hours=rng.uniform(0.5, 24) * pace)
    started = assigned + timedelta(hours=rng.uniform(1, 30) * pace)
    first_response = started + timedelta(hours=rng.uniform(0.5, 12))
    resolved = first_response + timedelta(days=rng.uniform(0.5, 12) * pace)
    closed = resolved + timedelta(days=rng.uniform(0.5, 14))
    fate = rng.random()

    req = CounsellingRequest(
        reference=reference,
        number=n,
        cluster=cluster,
        requester_organisation=org,
        requester=requester,
        offering=offering,
        category=category,
        subject=subject,
        details=f"{subject}. We ({org.get_kind_display()}) would like the cluster's advice on "
        "the next steps.",
        urgency=urgency,
        preferred_format=rng.choice(["online", "online", "in_person"]),
        due_date=due_date,
        created=created,
        updated=created,
    )
    moves: list[tuple] = [("submit", "", "submitted", created, requester, "")]

    def move(name, src, dst, when, actor, note=""):
        moves.append((name, src, dst, when, actor, note))
        req.status, req.updated = dst, when

    req.status = "submitted"
    if fate < 0.06 and triaged < anchor:
        move(
            "decline",
            "submitted",
            "declined",
            triaged,
            manager,
            "This is outside what the cluster offers; we suggest a specialised law firm.",
        )
        req.decline_reason = moves[-1][5]
    elif fate < 0.12 and triaged < anchor:
        move("withdraw", "submitted", "withdrawn", triaged, requester)
    else:
        steps = [
            ("triage", "submitted", "triaged", triaged, manager),
            ("assign", "triaged", "assigned", assigned, manager),
            ("start", "assigned", "in_progress", started, advisor),
        ]
        # A few requests stall: they stay open and become overdue.
        stalled = rng.random() < 0.05
        for name, src, dst, when, actor in steps:
            if when >= anchor:
                break
            move(name, src, dst, when, actor)
            if name == "assign":
                req.assignee = advisor
        if req.status == "in_progress" and first_response < anchor:
            req.first_response_at = first_response
            messages = [
                RequestMessage(
                    author=advisor,
                    body="Thank you for your request. Could you send us the current draft?",
                    created=first_response,
                )
            ]
            if rng.random() < 0.3:
                messages.append(
                    RequestMessage(
                        author=advisor,
                        body="Similar to a case last year; check the template we used.",
                        internal=True,
                        created=first_response + timedelta(minutes=5),
                    )
                )
            if requester and rng.random() < 0.6:
                answer = first_response + (resolved - first_response) / 3
                if answer < anchor:
                    move("ask", "in_progress", "waiting", first_response, advisor)
                    messages.append(
                        RequestMessage(
                            author=requester, body="Here is the draft, thank you.", created=answer
                        )
                    )
                    move("resume", "waiting", "in_progress", answer, requester)
            req._messages = messages
            if not stalled and resolved < anchor:
                outcome = "We reviewed the documents and sent our recommendations."
                move("resolve", "in_progress", "resolved", resolved, advisor, outcome)
                req.outcome, req.resolved_at = outcome, resolved
                if requester and rng.random() < 0.7:
                    req.satisfaction = rng.choices([2, 3, 4, 5], [5, 15, 40, 40])[0]
                    req.satisfaction_comment = rng.choice(
                        ["", "", "Very helpful.", "Quick answer, thank you.", "Useful contacts."]
                    )
                    req.rated_at = resolved + timedelta(hours=rng.uniform(1, 48))
                auto_close = resolved + timedelta(days=14)
                if closed < anchor and requester and rng.random() < 0.5:
                    move("close", "resolved", "closed", closed, requester)
                    req.closed_at = closed
                elif auto_close < anchor:
                    move("close", "resolved", "closed", auto_close, None)
                    req.closed_at = auto_close
        if req.rated_at and req.rated_at > anchor:
            req.rated_at = anchor
    transitions = [
        RequestTransition(
            actor=actor, move=name, from_status=src, to_status=dst, note=note, created=when
        )
        for name, src, dst, when, actor, note in moves
    ]
    return {
        "request": req,
        "transitions": transitions,
        "messages": getattr(req, "_messages", []),
    }
