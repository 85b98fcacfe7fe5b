"""People's and organisations' names (defect 2.10 of issue 15).

Sign-up asked for an email address only, so the portal showed that address wherever it
named the person; an organisation could not be renamed, its profile was linked from
nowhere, and a second organisation of the same name reached the managers unremarked.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.actions.membership import membership_apply
from clusters.models import Organisation, User
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

PASSWORD = "a-Long-pass-1234"


def _sign_up(client, **names):
    return client.post(
        reverse("account_signup"),
        {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD, **names},
    )


# Sign-up ---------------------------------------------------------------------------


def test_signup_form_asks_first_and_last_name_first(client, db):
    html = client.get(reverse("account_signup")).content.decode()
    names = re.findall(r'<input[^>]*name="(\w+)"', html)
    assert [n for n in names if n not in ("csrfmiddlewaretoken", "next")][:3] == [
        "first_name",
        "last_name",
        "email",
    ]
    assert re.search(r'name="first_name"[^>]*autocomplete="given-name"', html)
    assert re.search(r'name="last_name"[^>]*autocomplete="family-name"', html)


def test_signup_stores_the_names(client, db, mailoutbox):
    response = _sign_up(client, first_name=" Ada ", last_name="Lovelace")
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert (user.first_name, user.last_name, user.display_name) == (
        "Ada",
        "Lovelace",
        "Ada Lovelace",
    )


def test_signup_without_names_says_so_and_creates_nobody(client, db, mailoutbox):
    response = _sign_up(client, first_name="  ", last_name="")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["first_name"] == ["This field is required."]
    assert errors["last_name"] == ["This field is required."]
    assert not User.objects.filter(email="ada@example.org").exists()
    assert mailoutbox == []


def test_name_given_at_signup_shows_in_greeting_and_attendee_list(
    client, cluster, manager, mailoutbox
):
    _sign_up(client, first_name="Ada", last_name="Lovelace")
    ada = User.objects.get(email="ada@example.org")
    ada.emailaddress_set.update(verified=True)
    ada.organisation = OrganisationFactory()
    ada.org_role = "admin"
    ada.save()
    MembershipFactory(organisation=ada.organisation, cluster=cluster)
    event = EventFactory(cluster=cluster)
    RegistrationFactory(event=event, user=ada)

    client.force_login(ada)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "<h1>Welcome, Ada Lovelace</h1>" in dashboard

    client.force_login(manager)
    attendees = client.get(reverse("events:attendee_list", args=[event.slug])).content.decode()
    assert '<td data-label="Name">Ada Lovelace</td>' in attendees


def test_without_a_name_the_email_address_stands_in(client, cluster):
    nameless = UserFactory(first_name="", last_name="", email="nn@example.org", member_of=cluster)
    client.force_login(nameless)
    assert "<h1>Welcome, nn@example.org</h1>" in client.get(reverse("dashboard")).content.decode()


def test_person_without_a_name_is_asked_for_it_and_sets_it(client, cluster):
    nameless = UserFactory(first_name="", last_name="", email="nn@example.org", member_of=cluster)
    client.force_login(nameless)
    url = reverse("clusters:person_name")
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'<a href="{url}">Add your name</a>' in dashboard
    page = client.get(url).content.decode()
    assert re.search(r'name="first_name"[^>]*autocomplete="given-name"', page)
    response = client.post(url, {"first_name": " Grace ", "last_name": "Hopper"})
    assert response["Location"] == reverse("dashboard")
    nameless.refresh_from_db()
    assert nameless.display_name == "Grace Hopper"
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "<h1>Welcome, Grace Hopper</h1>" in dashboard
    assert "Add your name" not in dashboard
    privacy = client.get(reverse("privacy")).content.decode()
    assert f'<p>Grace Hopper · <a href="{url}">Change your name</a></p>' in privacy


def test_name_change_without_a_last_name_is_refused(client, member):
    client.force_login(member)
    before = member.display_name
    response = client.post(reverse("clusters:person_name"), {"first_name": "X", "last_name": " "})
    assert response.context["form"].errors["last_name"] == ["This field is required."]
    member.refresh_from_db()
    assert member.display_name == before


# Renaming the organisation ---------------------------------------------------------


def _profile_data(org, **overrides):
    data = {
        "name": org.name,
        "description": "",
        "kind": org.kind,
        "size": "",
        "country": org.country,
        "city": "",
        "website": "",
        "offers": "",
        "needs": "",
        "visibility": org.visibility,
    }
    data.update(overrides)
    return data


def _edit(org):
    return reverse("clusters:organisation_edit", args=[org.slug])


def test_org_admin_renames_the_organisation_and_its_address_stays(client, member):
    org = member.organisation
    slug = org.slug
    client.force_login(member)
    page = client.get(_edit(org)).content.decode()
    assert re.search(rf'name="name"[^>]*value="{re.escape(org.name)}"', page)
    response = client.post(_edit(org), _profile_data(org, name="  Héliogène   Therapeutics "))
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.slug) == ("Héliogène Therapeutics", slug)


@pytest.mark.parametrize("taken", ["HELIOGENE sa", "héliogène SA", "Heliogène  Sa"])
def test_rename_to_a_name_another_organisation_has_is_refused(client, member, taken):
    OrganisationFactory(name="Héliogène SA")
    org = member.organisation
    old = org.name
    client.force_login(member)
    response = client.post(_edit(org), _profile_data(org, name=taken, city="Évry"))
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Another organisation in the portal is already called “Héliogène SA”. "
        "Please choose a name that tells the two apart."
    ]
    org.refresh_from_db()
    assert (org.name, org.city) == (old, "")


def test_rename_keeping_its_own_name_in_other_case_is_fine(client, member):
    org = member.organisation
    client.force_login(member)
    response = client.post(_edit(org), _profile_data(org, name=org.name.upper()))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == org.name.upper()


def test_rename_to_an_empty_name_is_refused(client, member):
    org = member.organisation
    client.force_login(member)
    response = client.post(_edit(org), _profile_data(org, name="   "))
    assert response.context["form"].errors["name"] == ["This field is required."]
    assert Organisation.objects.get(pk=org.pk).name == org.name


def test_colleague_who_is_not_admin_cannot_rename(client, member):
    colleague = UserFactory(organisation=member.organisation, org_role="member")
    client.force_login(colleague)
    org = member.organisation
    assert client.post(_edit(org), _profile_data(org, name="Taken Over")).status_code == 404
    assert Organisation.objects.get(pk=org.pk).name == org.name


# Own profile linked ----------------------------------------------------------------


def test_own_profile_is_linked_from_dashboard_and_menu(client, member):
    client.force_login(member)
    profile = reverse("clusters:organisation_detail", args=[member.organisation.slug])
    dashboard = client.get(reverse("dashboard")).content.decode()
    main = dashboard.split('id="main"', 1)[1]
    # "Our profile" is in the account menu (the header's "Account" navigation).
    nav = dashboard.split('aria-label="Account"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{profile}">{member.organisation.name}</a>' in main
    own = reverse("clusters:organisation_own")
    link = f'<a class="menu-item" href="{own}">Our profile</a>'
    assert link in nav
    events = client.get(reverse("events:event_list")).content.decode()
    assert link in events
    response = client.get(own)
    assert (response.status_code, response["Location"]) == (302, profile)
    assert member.organisation.name in client.get(profile).content.decode()


def test_applicant_without_membership_gets_no_profile_link(client, cluster):
    applicant = UserFactory()
    membership_apply(
        user=applicant, name="Newco", kind="sme", country="FR", website="", cluster=cluster
    )
    client.force_login(applicant)
    html = client.get(reverse("clusters:application_status")).content.decode()
    assert "Our profile" not in html
    response = client.get(reverse("clusters:organisation_own"))
    assert response["Location"] == reverse("clusters:application_status")


def test_own_profile_link_is_404_without_an_organisation(client, manager):
    client.force_login(manager)
    assert client.get(reverse("clusters:organisation_own")).status_code == 404


# Same name flagged to the manager --------------------------------------------------


def test_application_with_the_name_of_an_existing_organisation_is_flagged(client, cluster, manager):
    existing = OrganisationFactory(name="Héliogène SA", country="FR")
    MembershipFactory(organisation=existing, cluster=cluster)
    membership_apply(
        user=UserFactory(),
        name="HELIOGENE  sa",
        kind="sme",
        country="FR",
        website="",
        cluster=cluster,
    )
    membership_apply(
        user=UserFactory(),
        name="Different Bio",
        kind="sme",
        country="FR",
        website="",
        cluster=cluster,
    )
    client.force_login(manager)
    html = client.get(reverse("clusters:application_list")).content.decode()
    cards = {
        re.search(r"<h2>([^<]+?) <", card)[1]: card
        for card in html.split('<article class="card"')[1:]
    }
    assert set(cards) == {"HELIOGENE  sa", "Different Bio"}
    flag = re.search(
        r'<div class="message message-warning"[^>]*>(.*?)</div>', cards["HELIOGENE  sa"], re.S
    )
    assert flag, "no same-name warning"
    text = " ".join(re.sub(r"<[^>]+>", " ", flag[1]).split())
    assert text == (
        "An organisation with the same name is already in the portal: "
        f"Héliogène SA (SME, France; {cluster.name}: Active member). "
        "Check that this is not the same organisation applying twice."
    )
    assert "message-warning" not in cards["Different Bio"]


def _application_list_queries(client, cluster, n: int) -> tuple[int, int]:
    for i in range(n):
        twin = OrganisationFactory(name=f"Twin {i} {cluster.pk}")
        MembershipFactory(organisation=twin, cluster=cluster)
        membership_apply(
            user=UserFactory(),
            name=f"twin {i} {cluster.pk}",
            kind="sme",
            country="FR",
            website="",
            cluster=cluster,
        )
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("clusters:application_list")).content.decode()
    return len(queries), html.count('class="message message-warning"')


def test_same_name_check_queries_do_not_grow_with_applications(client, manager):
    client.force_login(manager)
    cluster = manager.cluster_roles.get().cluster
    one = _application_list_queries(client, cluster, 1)
    Organisation.objects.all().delete()
    three = _application_list_queries(client, cluster, 3)
    assert (one[1], three[1]) == (1, 3)
    assert one[0] == three[0]
