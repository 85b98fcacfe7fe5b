import secrets


def new_token() -> str:
    """A fresh unguessable token (calendar feeds, invitations)."""
    return secrets.token_urlsafe(32)
