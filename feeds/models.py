"""What each calendar event of a programme looked like when it was last sent out.

Calendar clients only replace an event they already hold when its SEQUENCE grows, and they
only learn of a cancellation when the event is still in the feed with STATUS:CANCELLED. So
feeds cannot be rendered from the published version alone: these rows keep, per event of a
programme, its stable UID, its SEQUENCE, when it last changed, and a snapshot of its content
(also after it left the programme); ``feeds.sync`` updates them each time a version is
published or a host answers, and feeds are rendered from them only (one query).

The tables were made by the programme app (``scheduling``) and keep its names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Visit
from scheduling.models import Programme, ProgrammeVersion


class FeedStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    TENTATIVE = "tentative", _("tentative")
    CANCELLED = "cancelled", _("cancelled")


class ProgrammeFeed(models.Model):
    """The feed-side state of one programme; ``stamp`` changes whenever any event changes."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="feed", verbose_name=_("programme")
    )
    version = models.ForeignKey(
        ProgrammeVersion,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("version sent out"),
    )
    stamp = models.PositiveIntegerField(_("stamp"), default=0)
    synced_at = models.DateTimeField(_("synced at"))
    first_date = models.DateField(_("first day covered"))
    last_date = models.DateField(_("last day covered"))

    class Meta:
        db_table = "scheduling_programmefeed"
        verbose_name = _("programme feed")
        verbose_name_plural = _("programme feeds")

    def __str__(self) -> str:
        return f"{self.programme} #{self.stamp}"


class FeedEvent(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activity")
        TRAVEL = "travel", _("travel")
        JOURNEY = "journey", _("arrival or departure")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="feed_events",
        verbose_name=_("programme"),
    )
    # What the event is about ("activity-12", "travel-a12-a15"); the UID is fixed at creation
    # from it, so renaming the visit never changes a UID a calendar already holds.
    key = models.CharField(_("key"), max_length=100)
    uid = models.CharField(_("UID"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.CharField(_("place key"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=FeedStatus.choices)
    removed = models.BooleanField(_("no longer in the programme"), default=False)
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    created = models.DateTimeField(_("first sent"))
    modified = models.DateTimeField(_("last changed"))
    # Who is in the event (hosts, interpreters, audience groups): a change raises SEQUENCE, as
    # for those who leave it the event is cancelled.
    people_hash = models.CharField(_("people hash"), max_length=64)
    content_hash = models.CharField(_("content hash"), max_length=64)
    data = models.JSONField(_("content"), default=dict)

    class Meta:
        db_table = "scheduling_feedevent"
        verbose_name = _("feed event")
        verbose_name_plural = _("feed events")
        ordering = ["programme", "start", "uid"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="feed_event_unique_key"),
            models.UniqueConstraint(fields=["uid"], name="feed_event_unique_uid"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="feed_event_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.uid} #{self.sequence}"


class FeedFetch(models.Model):
    """When a feed link was first and last fetched by a calendar client: a subscription
    that works. Written at most every ``FETCH_RECORD_S`` per link (``feeds.views``)."""

    token = models.OneToOneField(
        "scheduling.AccessToken",
        on_delete=models.CASCADE,
        related_name="feed_fetch",
        verbose_name=_("feed link"),
    )
    first_fetched_at = models.DateTimeField(_("first fetched"))
    last_fetched_at = models.DateTimeField(_("last fetched"))

    class Meta:
        verbose_name = _("feed fetch")
        verbose_name_plural = _("feed fetches")

    def __str__(self) -> str:
        return f"{self.token_id}: {self.last_fetched_at:%Y-%m-%d %H:%M}"


class FeedBody(models.Model):
    """What one subscriber's feed last served (per visit, kind of subscriber, subscriber and
    language: every link of theirs serves the same bytes) and since when. Last-Modified is
    that time, so it moves exactly when the bytes do: a renamed visit or a new answer link
    moves it, a publication that leaves this subscriber's events alone does not. A client
    revalidating with If-Modified-Since alone then never keeps an old calendar."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="+", verbose_name=_("visit")
    )
    subject = models.CharField(_("subscriber kind"), max_length=20)
    subject_id = models.PositiveIntegerField(_("subscriber"))
    language = models.CharField(_("language"), max_length=12)  # as the people's
    etag = models.CharField(_("entity tag"), max_length=64)
    modified_at = models.DateTimeField(_("bytes changed at"))

    class Meta:
        verbose_name = _("feed body")
        verbose_name_plural = _("feed bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "subject", "subject_id", "language"], name="feed_body_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_id} ({self.language}): {self.etag}"
