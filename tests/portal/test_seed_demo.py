from django.apps import apps
from django.core.management import call_command


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"clusters", "catalogue", "services", "events", "portal"}
    }


def test_seed_demo_twice_gives_same_row_counts(db):
    call_command("seed_demo", size=30, verbosity=0)
    first = _row_counts()
    call_command("seed_demo", size=30, verbosity=0)
    assert _row_counts() == first
    assert first["clusters.Cluster"] == 25
    assert first["clusters.Organisation"] == 33
    assert first["catalogue.ServiceCategory"] == 6


def test_seed_demo_keeps_blank_fields_blank(db):
    from clusters.models import Cluster

    call_command("seed_demo", size=0, verbosity=0)
    italbiotec = Cluster.objects.get(name="Consorzio Italbiotec")
    assert (
        italbiotec.region,
        italbiotec.city,
        italbiotec.website,
        italbiotec.innovation_group,
    ) == ("", "", "", "")
    assert Cluster.objects.get(name="LifetecZONe").innovation_group == "Leader"
