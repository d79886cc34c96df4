from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import transitions


class MatchRun(models.Model):
    """A full re-match: split into chunks that workers run in parallel.

    The database is the source of truth for its state and progress; Redis only
    carries the chunk tasks.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    # Started by its first chunk, finished by its last, failed by the sweep
    # (matching/runs.py). Its chunks are queue rows claimed by a conditional
    # UPDATE; the run's audit trail records them as a whole.
    TRANSITIONS = transitions(
        start=(("queued",), "running"),
        finish=(("queued", "running"), "done"),
        fail=(("queued", "running"), "failed"),
    )

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_chunks = models.PositiveIntegerField(default=0)
    done_chunks = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one run queued or running at a time, whoever starts it: a
            # unique index on a constant, over the active rows only.
            models.UniqueConstraint(
                models.Value(True),
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_match_run",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status} {self.progress}%"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_chunks:
            return 0
        return int(100 * self.done_chunks / self.total_chunks)


class MatchChunk(models.Model):
    """A slice of a run: some demands (or achievements) to match against the other side."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    side = models.CharField(max_length=12)  # "demand" or "achievement": the queries' side
    ids = ArrayField(models.BigIntegerField())
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)  # the Celery task id
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "status"])]

    def __str__(self) -> str:
        return f"run {self.run_id} chunk {self.pk} ({self.side}, {self.status})"


class Match(models.Model):
    """A recommended pair, with its score and the reasons behind it."""

    # No single-column indexes: (demand, -score) and (achievement, -score) below
    # serve every lookup by one side, and each index costs ~2 million writes
    # in a full re-match (docs/benchmarks.md).
    demand = models.ForeignKey(
        "demands.Demand", on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    achievement = models.ForeignKey(
        "achievements.Achievement",
        on_delete=models.CASCADE,
        related_name="matches",
        db_index=False,
    )
    score = models.FloatField(_("score"))
    text_score = models.FloatField(default=0)
    signals = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    dense_score = models.FloatField(default=0)  # the calibrated cosine of the two texts
    model_version = models.CharField(max_length=40, blank=True)  # the Ranker that scored it
    run = models.ForeignKey(
        MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["demand", "achievement"], name="one_match_per_pair"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1), name="match_score_0_1"
            ),
        ]
        indexes = [
            models.Index(fields=["demand", "-score"]),
            models.Index(fields=["achievement", "-score"]),
            models.Index(fields=["-score"]),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} ↔ {self.achievement_id} ({self.score:.2f})"


class MatchFeedback(models.Model):
    """What one party (an organisation) said of a match."""

    class Verdict(models.TextChoices):
        RELEVANT = "relevant", _("Relevant")
        IRRELEVANT = "irrelevant", _("Not relevant")
        CONTACTED = "contacted", _("Contacted")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="feedback")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("match feedback")
        verbose_name_plural = _("match feedback")
        constraints = [
            models.UniqueConstraint(fields=["match", "organization"], name="one_feedback_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.verdict}"


class MatchNotice(models.Model):
    """A pair already told to an account in a digest: never told twice, even if
    its Match row is recomputed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE, related_name="+")
    achievement = models.ForeignKey(
        "achievements.Achievement", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "demand", "achievement"], name="one_notice_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.demand_id} ↔ {self.achievement_id}"


class ItemVector(models.Model):
    """An item's sentence embedding (matching/embedding.py), kept beside the item.

    One row per item and side. `vector` is the whole text's L2-normalised
    float32 embedding; `sentence_vectors` (float16) embed `sentences`, which the
    "close in meaning" reason quotes. `digest` is the hash of the embedded text,
    so an unchanged item is never embedded twice. A failed embedding leaves
    `vector` empty and says why in `error`; the item is still matched by words.
    """

    side = models.CharField(max_length=12)  # "demand" or "achievement"
    item_id = models.BigIntegerField()
    model = models.CharField(max_length=40)
    digest = models.CharField(max_length=40)
    vector = models.BinaryField(null=True, blank=True)
    sentences = models.JSONField(default=list, blank=True)
    sentence_vectors = models.BinaryField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("item embedding")
        verbose_name_plural = _("item embeddings")
        constraints = [
            models.UniqueConstraint(fields=["side", "item_id"], name="one_vector_per_item")
        ]
        indexes = [models.Index(fields=["side", "model"])]

    def __str__(self) -> str:
        state = "failed" if self.error else self.model
        return f"{self.side} {self.item_id} ({state})"


class Ranker(models.Model):
    """A fitted ranking model: the weights of the one score of a pair
    (matching/learning.py). Exactly one is active; every Match records the
    version that scored it."""

    version = models.CharField(max_length=40, unique=True)
    embedder = models.CharField(max_length=40)
    features = models.JSONField()
    weights = models.JSONField()
    bias = models.FloatField()
    # what it was fitted on and how it did: {"labelled": n, "feedback": n,
    # "train": {...}, "heldout": {...}}
    metrics = models.JSONField(default=dict)
    active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ranking model")
        verbose_name_plural = _("ranking models")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                models.Value(True), condition=models.Q(active=True), name="one_active_ranker"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version}{' (active)' if self.active else ''}"
