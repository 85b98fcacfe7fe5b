"""Personal data of the service catalogue (see portal/privacy.py): none of its own.

A catalogue entry may name an advisor or a partner organisation; that is public
catalogue data, not the person's. The export keeps its section names: portal.privacy
files this app under "services", beside counselling, as before the catalogue had an
app of its own.
"""

EXPORTED: dict[str, str] = {}
NOT_PERSONAL = {
    "catalogue.ServiceOffering.provider_advisor": (
        "The advisor named on a service of the cluster's catalogue: public catalogue "
        "data, shown as former member after deletion."
    ),
    "catalogue.ServiceOffering.provider_organisation": (
        "The partner organisation providing a service of the catalogue; it names no person."
    ),
}


def export_personal_data(user) -> dict:
    return {}


def anonymise_personal_data(user) -> None:
    """Nothing to remove: an offering naming the person stays, shown as former member."""
