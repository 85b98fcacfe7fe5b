"""Demo data of partner matchmaking: the suggestions themselves.

Runs after clusters' seeder (INSTALLED_APPS order) and calls the same action as
the nightly task, so the demo SME (sme@demo.example, NeoCell Therapeutics) opens
a dashboard with ten suggestions. The score is deterministic and the store is an
upsert, so a second run changes nothing but the computation time stamps.
"""

from .actions import suggestions_recompute_all


def seed(ctx) -> None:
    suggestions_recompute_all()
