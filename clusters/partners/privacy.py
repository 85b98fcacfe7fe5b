"""Personal data of the partner suggestions (see portal/privacy.py)."""

from .models import SuggestionDismissal

EXPORTED = {
    "partners.SuggestionDismissal.by": "dismissed_suggestions",
}
NOT_PERSONAL = {
    "partners.PartnerSuggestion.organisation": (
        "A suggestion computed for an organisation from organisation profiles; it names no person."
    ),
    "partners.PartnerSuggestion.suggested": (
        "The organisation suggested, computed from organisation profiles; it names no person."
    ),
    "partners.SuggestionDismissal.organisation": (
        "The organisation that no longer sees a suggestion; who dismissed it is exported "
        "through by."
    ),
    "partners.SuggestionDismissal.suggested": (
        "The dismissed organisation; who dismissed it is exported through by."
    ),
}


def export_personal_data(user) -> dict:
    dismissals = (
        SuggestionDismissal.objects.filter(by=user)
        .select_related("organisation", "suggested")
        .order_by("created", "pk")
    )
    return {
        "dismissed_suggestions": [
            {
                "organisation": d.suggested.name,
                "for": d.organisation.name,
                "dismissed": d.created.isoformat(),
            }
            for d in dismissals
        ]
    }


def anonymise_personal_data(user) -> None:
    """A dismissal is the organisation's choice and stays."""
