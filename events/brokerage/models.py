"""Brokerage (B2B one-to-one meetings) of an event: settings, sessions and slots,
participants with their availability, meeting requests, meetings and schedule runs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.base.choices import ChoiceDisplayMixin

from .enums import AgendaStatus, MeetingRequestStatus, RunStatus

MIN_MEETING_MINUTES = 15
MAX_MEETING_MINUTES = 30
#: Tables per slot: more than any venue holds, few enough that the grid page still loads.
MAX_TABLES = 500


class BrokerageSettings(ChoiceDisplayMixin, models.Model):
    """B2B meetings switched on for one event. Its row is the lock that serialises
    every change of the schedule (runs, acceptances, locks, publication)."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="brokerage", verbose_name=_("event")
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=20,
        validators=[MinValueValidator(MIN_MEETING_MINUTES), MaxValueValidator(MAX_MEETING_MINUTES)],
    )
    tables = models.PositiveSmallIntegerField(
        _("tables per slot"), default=10, validators=[MinValueValidator(1)]
    )
    request_deadline = models.DateTimeField(_("request deadline"), null=True, blank=True)
    max_meetings = models.PositiveSmallIntegerField(
        _("maximum meetings per participant"), default=12, validators=[MinValueValidator(1)]
    )
    requires_acceptance = models.BooleanField(_("requests need acceptance"), default=True)
    pending_expiry_hours = models.PositiveSmallIntegerField(
        _("pending requests expire after (hours)"), default=72, validators=[MinValueValidator(1)]
    )
    agenda_status = models.CharField(
        _("agendas"),
        max_length=12,
        choices=AgendaStatus.choices,
        default=AgendaStatus.UNPUBLISHED,
        blank=True,
    )
    agenda_published_at = models.DateTimeField(_("agendas published at"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("brokerage settings")
        verbose_name_plural = _("brokerage settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=MIN_MEETING_MINUTES)
                & Q(meeting_minutes__lte=MAX_MEETING_MINUTES),
                name="brokerage_meeting_minutes_range",
            ),
            models.CheckConstraint(condition=Q(tables__gte=1), name="brokerage_tables_positive"),
        ]

    def __str__(self) -> str:
        return str(self.event)

    @property
    def is_published(self) -> bool:
        return bool(self.agenda_status)

    def deadline_passed(self, now=None) -> bool:
        now = now or timezone.now()
        return self.request_deadline is not None and now >= self.request_deadline


class Session(models.Model):
    """A time window of meetings; slots of `meeting_minutes` follow from it."""

    brokerage = models.ForeignKey(
        BrokerageSettings, on_delete=models.CASCADE, related_name="sessions"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="brokerage_session_order")
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class Slot(models.Model):
    """One meeting time; `index` (0..n-1 in time order) is the scheduler's slot number."""

    brokerage = models.ForeignKey(BrokerageSettings, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    index = models.PositiveIntegerField()
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["index"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["brokerage", "index"], name="brokerage_slot_index")
        ]

    def __str__(self) -> str:
        return f"#{self.index + 1} {self.start:%H:%M}"


class Participant(models.Model):
    """A confirmed registrant taking part in the meetings, with their cooperation profile."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="brokerage_participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brokerage_participations"
    )
    organisation = models.ForeignKey(
        "clusters.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="brokerage_participations",
    )
    offers = models.TextField(_("what we offer"), blank=True)
    requests = models.TextField(_("what we are looking for"), blank=True)
    topics = models.ManyToManyField(
        "clusters.Topic",
        blank=True,
        related_name="brokerage_participants",
        verbose_name=_("topics"),
    )
    availability = models.ManyToManyField(
        Slot, blank=True, related_name="available_participants", verbose_name=_("available in")
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="brokerage_participant_once")
        ]

    def __str__(self) -> str:
        org = self.organisation.name if self.organisation_id else ""
        return f"{self.user.display_name} ({org})" if org else self.user.display_name

    def get_absolute_url(self) -> str:
        return reverse("brokerage:participant_detail", args=[self.event.slug, self.pk])


class MeetingRequest(ChoiceDisplayMixin, models.Model):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="meeting_requests"
    )
    from_participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="requests_sent"
    )
    to_participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="requests_received"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MeetingRequestStatus.choices,
        default=MeetingRequestStatus.PENDING,
    )
    created = models.DateTimeField(_("sent"), default=timezone.now)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_participant=F("to_participant")),
                name="brokerage_request_not_self",
            ),
            models.UniqueConstraint(
                fields=["from_participant", "to_participant"],
                condition=Q(status="pending"),
                name="brokerage_request_one_pending",
            ),
        ]
        indexes = [models.Index(fields=["status", "created"], name="brokerage_request_status")]

    def __str__(self) -> str:
        return f"{self.from_participant} → {self.to_participant} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == MeetingRequestStatus.PENDING


class Meeting(models.Model):
    """An agreed one-to-one meeting; `a` has the lower participant id. `slot` and
    `table` (1-based) are empty until scheduled; `unscheduled_reason` says why not."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(
        MeetingRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting"
    )
    a = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="meetings_as_a")
    b = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="meetings_as_b")
    slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    locked = models.BooleanField(_("locked in place"), default=False)
    # Where the meeting stood when the agendas were last published (both empty: it was
    # not scheduled then), so the manager's grid can mark what is new since.
    published_slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_table = models.PositiveSmallIntegerField(null=True, blank=True)
    unscheduled_reason = models.CharField(_("why not scheduled"), max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    # Feedback after the event (by either participant; the last answer counts).
    held = models.BooleanField(_("the meeting took place"), null=True, blank=True)
    usefulness = models.PositiveSmallIntegerField(
        _("how useful (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    follow_up = models.BooleanField(_("follow-up planned"), null=True, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    # Not a field: the other participant, set only on the meetings agenda_of returns.
    partner: Participant
    # Not a field: set by selectors.grid (new or moved since the last publication).
    is_new: bool

    class Meta:
        ordering = ["slot__index", "table", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(slot__isnull=False),
                name="brokerage_meeting_one_per_table",
            ),
            models.UniqueConstraint(fields=["event", "a", "b"], name="brokerage_meeting_pair"),
            models.CheckConstraint(condition=Q(a__lt=F("b")), name="brokerage_meeting_order"),
            models.CheckConstraint(
                condition=Q(slot__isnull=True, table__isnull=True)
                | Q(slot__isnull=False, table__gte=1),
                name="brokerage_meeting_slot_table",
            ),
            models.CheckConstraint(
                condition=Q(usefulness__isnull=True) | Q(usefulness__gte=1) & Q(usefulness__lte=5),
                name="brokerage_meeting_usefulness",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.a} × {self.b}"

    def partner_of(self, participant: Participant) -> Participant:
        return self.b if participant.pk == self.a_id else self.a

    @property
    def is_scheduled(self) -> bool:
        return self.slot_id is not None

    @property
    def moved_since_publication(self) -> bool:
        """Scheduled elsewhere than (or not at all when) the agendas were last
        published; only meaningful once they are."""
        return self.slot_id is not None and (self.published_slot_id, self.published_table) != (
            self.slot_id,
            self.table,
        )

    def get_unscheduled_reason_display(self) -> str:
        """The stored (English) reason in the active language."""
        from .reasons import localise_unscheduled_reason

        return localise_unscheduled_reason(self.unscheduled_reason)


class ScheduleRun(ChoiceDisplayMixin, models.Model):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="schedule_runs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    # [{"meeting": id, "reason": str}] as returned by the scheduler.
    unscheduled = models.JSONField(_("unscheduled meetings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="brokerage_run_progress_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)
