from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SME = "sme", _("SME")
    STARTUP = "startup", _("Start-up")
    RESEARCH = "research", _("Research institute")
    UNIVERSITY = "university", _("University")
    HOSPITAL = "hospital", _("Hospital")
    LARGE = "large", _("Large company")
    INVESTOR = "investor", _("Investor")
    PROVIDER = "provider", _("Service provider")
    PUBLIC = "public", _("Public body")


class SizeBand(models.TextChoices):
    MICRO = "1-9", _("1-9 people")
    SMALL = "10-49", _("10-49 people")
    MEDIUM = "50-249", _("50-249 people")
    LARGE = "250+", _("250 people or more")


class Visibility(models.TextChoices):
    NETWORK = "network", _("Visible to every network member")
    CLUSTERS = "clusters", _("Visible to members of my clusters only")
    HIDDEN = "hidden", _("Hidden from the directory")


class OrgRole(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    MEMBER = "member", _("Member")


class StaffRole(models.TextChoices):
    MANAGER = "manager", _("Cluster manager")
    ADVISOR = "advisor", _("Advisor")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Application pending")
    ACTIVE = "active", _("Active member")
    DECLINED = "declined", _("Application declined")
    ENDED = "ended", _("Membership ended")


class TopicGroup(models.TextChoices):
    THERAPEUTIC = "therapeutic", _("Therapeutic area")
    TECHNOLOGY = "technology", _("Technology")
    SERVICE = "service", _("Service")


class IntroductionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
