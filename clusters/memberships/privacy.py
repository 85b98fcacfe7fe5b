"""Personal data of memberships and invoices (see portal/privacy.py): none names a person."""

EXPORTED: dict[str, str] = {}
NOT_PERSONAL = {
    "memberships.Membership.organisation": "An organisation's fee membership; it names no person.",
    "memberships.Invoice.organisation": (
        "An invoice to an organisation, with its legal details; it names no person."
    ),
}


def export_personal_data(user) -> dict:
    return {}


def anonymise_personal_data(user) -> None:
    """Invoices are the organisation's accounting records and stay as issued."""
