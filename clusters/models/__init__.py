"""The models of clusters, one module per part of the domain; every one is importable
from here (`from clusters.models import Organisation`), as migrations expect."""

from portal.base.tokens import new_token

from ..enums import IntroductionStatus
from .introductions import IntroductionRequest
from .network import COUNTRY_TIME_ZONES, Cluster, Membership, Organisation, Topic, TopicAlias
from .people import ClusterRole, Invitation, PortalUserManager, User

__all__ = [
    "COUNTRY_TIME_ZONES",
    "Cluster",
    "ClusterRole",
    "IntroductionRequest",
    "IntroductionStatus",
    "Invitation",
    "Membership",
    "Organisation",
    "PortalUserManager",
    "Topic",
    "TopicAlias",
    "User",
    "new_token",
]
