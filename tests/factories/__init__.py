from .clusters import (  # noqa: F401
    ClusterFactory,
    ClusterRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    TopicFactory,
    UserFactory,
)
