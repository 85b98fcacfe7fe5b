import pytest
from django.core.exceptions import ValidationError

from clusters.newsletters import actions, selectors
from clusters.newsletters.criteria import validate_criteria
from clusters.newsletters.enums import ConsentOrigin
from clusters.newsletters.models import Audience
from portal.base.errors import ActionError
from tests.factories import ClusterRoleFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def _emails(qs):
    return sorted(qs.values_list("email", flat=True))


def _expected(world, *keys):
    return sorted(world["people"][k].email for k in keys)


def test_empty_criteria_address_every_person_of_the_cluster(news_world, audience):
    assert selectors.audience_people(audience).count() == 6


def test_criteria_narrow_by_kind_country_size_and_role(news_world, audience):
    audience.criteria = {"countries": ["FR"]}
    assert _emails(selectors.audience_people(audience)) == _expected(
        news_world, "sme_fr_admin", "sme_fr_member", "research_fr_admin", "research_fr_member"
    )
    audience.criteria = {"countries": ["FR"], "kinds": ["sme"], "roles": ["admin"]}
    assert _emails(selectors.audience_people(audience)) == _expected(news_world, "sme_fr_admin")
    audience.criteria = {"sizes": ["1-9"]}
    assert selectors.audience_people(audience).count() == 2


def test_topics_and_membership_status(news_world, audience):
    genomics = TopicFactory(slug="genomics")
    news_world["orgs"]["startup_de"].topics.add(genomics)
    audience.criteria = {"topics": ["genomics"]}
    assert _emails(selectors.audience_people(audience)) == _expected(
        news_world, "startup_de_admin", "startup_de_member"
    )
    news_world["orgs"]["startup_de"].memberships.update(status="ended")
    assert selectors.audience_people(audience).count() == 0
    audience.criteria = {"topics": ["genomics"], "membership_status": ["ended"]}
    assert selectors.audience_people(audience).count() == 2


def test_saved_audience_is_evaluated_again_at_send_time(news_world, audience, mailing):
    assert selectors.recipient_count(mailing) == 6
    UserFactory(organisation=news_world["orgs"]["sme_fr"], org_role="member")
    assert selectors.recipient_count(mailing) == 7


def test_people_who_said_no_are_excluded(news_world, mailing):
    person = news_world["people"]["sme_fr_member"]
    actions.consent_set(
        person=person,
        cluster=news_world["cluster"],
        topic="news",
        subscribed=False,
        origin=ConsentOrigin.PAGE,
    )
    assert person not in selectors.mailing_recipients(mailing)
    assert selectors.recipient_count(mailing) == 5


def test_without_a_default_only_a_yes_counts(news_world, mailing):
    mailing.topic = "opportunities"  # no default row: opt-in
    assert selectors.recipient_count(mailing) == 0
    actions.consent_set(
        person=news_world["people"]["sme_fr_admin"],
        cluster=news_world["cluster"],
        topic="opportunities",
        subscribed=True,
        origin=ConsentOrigin.IMPORT,
    )
    assert selectors.recipient_count(mailing) == 1


def test_consent_of_other_cluster_does_not_count(news_world, mailing):
    actions.consent_set(
        person=news_world["people"]["sme_fr_admin"],
        cluster=news_world["other"],
        topic="news",
        subscribed=False,
        origin=ConsentOrigin.PAGE,
    )
    assert selectors.recipient_count(mailing) == 6


def test_each_consent_change_is_recorded_with_its_origin(news_world):
    person = news_world["people"]["sme_fr_admin"]
    kwargs = dict(person=person, cluster=news_world["cluster"], topic="news")
    assert actions.consent_set(**kwargs, subscribed=False, origin="page") is True
    assert actions.consent_set(**kwargs, subscribed=False, origin="page") is False
    assert actions.consent_set(**kwargs, subscribed=True, origin="unsubscribe") is True
    rows = list(person.consent_changes.order_by("id").values_list("old", "new", "origin"))
    assert rows == [(None, False, "page"), (False, True, "unsubscribe")]


def test_criteria_validation_names_the_bad_values():
    validate_criteria({"kinds": ["sme"], "countries": ["FR"], "topics": ["genomics"]})
    with pytest.raises(ValidationError, match="Unknown values for organisation kinds: spaceship"):
        validate_criteria({"kinds": ["spaceship"]})
    with pytest.raises(ValidationError, match="Unknown criteria: colour"):
        validate_criteria({"colour": ["red"]})
    with pytest.raises(ValidationError):
        validate_criteria({"countries": ["france"]})
    with pytest.raises(ValidationError):
        validate_criteria(["sme"])


def test_manager_addresses_only_own_cluster(news_world, manager):
    with pytest.raises(ActionError, match="only address the clusters you manage"):
        actions.audience_save(
            actor=manager,
            owner=news_world["cluster"],
            name="Both",
            clusters=[news_world["cluster"], news_world["other"]],
            criteria={},
        )
    own = actions.audience_save(
        actor=manager,
        owner=news_world["cluster"],
        name="Ours",
        clusters=[news_world["cluster"]],
        criteria={"kinds": ["sme"]},
    )
    assert list(own.clusters.all()) == [news_world["cluster"]]


def test_network_admin_addresses_several_clusters(news_world):
    admin = UserFactory(is_network_admin=True)
    audience = actions.audience_save(
        actor=admin,
        owner=news_world["cluster"],
        name="Network",
        clusters=[news_world["cluster"], news_world["other"]],
        criteria={},
    )
    assert selectors.audience_people(audience).count() == 8
    assert Audience.objects.count() == 1


def test_manager_of_another_cluster_cannot_save_here(news_world):
    from django.core.exceptions import PermissionDenied

    stranger = UserFactory()
    ClusterRoleFactory(user=stranger, cluster=news_world["other"])
    with pytest.raises(PermissionDenied):
        actions.audience_save(
            actor=stranger,
            owner=news_world["cluster"],
            name="X",
            clusters=[news_world["other"]],
            criteria={},
        )
