"""Personal data of memberships and invoices (see portal/privacy.py): none names a person."""

EXPORTED: dict[str, str] = {}
NOT_PERSONAL = {
    "memberships.Membership.organisation": "An organisation's fee membership; it names no person.",
    "memberships.Invoice.organisation": (
        "An invoice to an organisation, with its legal details; it names no person."
    ),
    "memberships.Overpayment.organisation": (
        "Money an organisation paid beyond an invoice (credit or refund); names no person."
    ),
    "memberships.Payment.recorded_by": (
        "The staff member who booked a payment: the cluster's accounting record, kept."
    ),
    "memberships.BankStatement.imported_by": (
        "The staff member who imported a bank statement: the cluster's accounting record."
    ),
}


def export_personal_data(user) -> dict:
    return {}


def anonymise_personal_data(user) -> None:
    """Invoices are the organisation's accounting records and stay as issued."""
