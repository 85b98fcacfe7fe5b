import pytest

from tests.factories.services import ServiceCategoryFactory, ServiceOfferingFactory


@pytest.fixture
def category(db):
    return ServiceCategoryFactory()


@pytest.fixture
def offering(cluster, category, advisor):
    return ServiceOfferingFactory(
        cluster=cluster, category=category, title="Contract review", provider_advisor=advisor
    )


@pytest.fixture
def submitted(member, cluster, offering, django_capture_on_commit_callbacks):
    from services.counselling.actions import request_submit

    with django_capture_on_commit_callbacks(execute=True):
        return request_submit(
            actor=member,
            cluster=cluster,
            offering=offering,
            subject="Licence agreement review",
            details="Please review clause 7.",
        )


def force_status(req, status, **fields):
    """Put a request in a state directly (test set-up only)."""
    type(req).objects.filter(pk=req.pk).update(status=status, **fields)
    req.refresh_from_db()
    return req
