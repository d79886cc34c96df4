"""Open challenges (揭榜挂帅, 鄂来揭): MARKET.md §3. An issuer posts a task with
quantified indicators and a reward; staff review the need and publish it;
whoever can do it applies (no thresholds of age, title, degree or years);
experts without a conflict score the applications by the 榜单's criteria; the
proposed taker is publicised, then awarded.

After the award, the agreement is a technology contract registered through
the contracts flow; the taker then reports at the midterm and at acceptance
against the 榜单's indicators, and the reward is paid in milestones
(docs/challenges.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.limits import DESCRIPTION_MAX, NOTE_MAX, max_length
from portal.core.workflow import transitions

money = {"max_digits": 15, "decimal_places": 2}


class Challenge(models.Model):
    class IpTerms(models.TextChoices):
        ISSUER_OWNS = "issuer_owns", _("The issuer owns the results")
        SHARED = "shared", _("Shared")
        TAKER_OWNS = "taker_owns_with_license", _("The taker owns them, the issuer is licensed")

    class EvaluationMethod(models.TextChoices):
        EXPERT_REVIEW = "expert_review", _("Expert review")
        DEFENSE = "defense", _("Expert review and defence")
        ROADSHOW = "roadshow_and_comment", _("Roadshow and expert comment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NEED_REVIEW = "need_review", _("Need under review")
        RETURNED = "returned", _("Returned for changes")
        REJECTED = "rejected", _("Rejected")
        PUBLISHED = "published", _("Open for applications")
        APPLICATION_CLOSED = "application_closed", _("Applications closed")
        EVALUATING = "evaluating", _("Under evaluation")
        SELECTION_PUBLICITY = "selection_publicity", _("Proposed taker in publicity")
        AWARDED = "awarded", _("Awarded")
        AGREEMENT_SIGNED = "agreement_signed", _("Cooperation agreement signed")
        IN_PROGRESS = "in_progress", _("In progress")
        MIDTERM_REVIEW = "midterm_review", _("Midterm review")
        ACCEPTANCE_REVIEW = "acceptance_review", _("Acceptance review")
        ACCEPTED = "accepted", _("Accepted")
        ACCEPTANCE_FAILED = "acceptance_failed", _("Acceptance failed")
        CLOSED = "closed", _("Closed out")
        UNAWARDED = "unawarded", _("Not awarded")
        CANCELLED = "cancelled", _("Cancelled")
        TERMINATED = "terminated", _("Terminated")

    TRANSITIONS = transitions(
        submit=(("draft", "returned"), "need_review"),
        approve=(("need_review",), "published"),
        return_for_changes=(("need_review",), "returned"),
        reject=(("need_review",), "rejected"),
        close_applications=(("published",), "application_closed"),
        evaluate=(("application_closed",), "evaluating"),
        leave_unawarded=(("application_closed", "evaluating", "selection_publicity"), "unawarded"),
        select=(("evaluating",), "selection_publicity"),
        award=(("selection_publicity",), "awarded"),
        # The agreement's contract is registered (a follower of the contracts flow).
        sign=(("awarded",), "agreement_signed"),
        start=(("agreement_signed",), "in_progress"),
        midterm=(("in_progress",), "midterm_review"),
        # Passed, or to rectify by a date: the work goes on.
        resume=(("midterm_review",), "in_progress"),
        # After a passed midterm, or the one re-test after a failed acceptance.
        acceptance=(("in_progress", "acceptance_failed"), "acceptance_review"),
        accept=(("acceptance_review",), "accepted"),
        fail_acceptance=(("acceptance_review",), "acceptance_failed"),
        close=(("accepted",), "closed"),
        terminate=(
            (
                "agreement_signed",
                "in_progress",
                "midterm_review",
                "acceptance_review",
                "acceptance_failed",
            ),
            "terminated",
        ),
        cancel=(
            ("draft", "need_review", "returned", "published", "application_closed", "evaluating"),
            "cancelled",
        ),
    )
    EDITABLE = ("draft", "returned")
    PUBLIC = (
        "published",
        "application_closed",
        "evaluating",
        "selection_publicity",
        "awarded",
        "agreement_signed",
        "in_progress",
        "midterm_review",
        "acceptance_review",
        "accepted",
        "acceptance_failed",
        "closed",
        "unawarded",
        "terminated",
    )
    APPLYING = ("published",)
    REVIEWING = ("evaluating",)
    # From the signed agreement on: the taker works and reports, the issuer pays.
    IMPLEMENTING = (
        "agreement_signed",
        "in_progress",
        "midterm_review",
        "acceptance_review",
        "accepted",
        "acceptance_failed",
        "closed",
        "terminated",
    )

    code = models.CharField(_("code"), max_length=20, unique=True, null=True, blank=True)
    issuer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    demand = models.OneToOneField(
        "demands.Demand",
        verbose_name=_("demand"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenge",
    )
    title = models.CharField(_("title"), max_length=200)
    public_summary = models.TextField(_("public summary"), **max_length(DESCRIPTION_MAX))
    # Shown only to applicants who accepted the NDA on the page (and the issuer, staff).
    confidential_detail = models.TextField(
        _("confidential detail"), blank=True, **max_length(DESCRIPTION_MAX)
    )
    tech_field = models.CharField(_("technology field"), max_length=30)
    # [{"name", "target", "method"}]: quantified, with the test method that proves each.
    indicators = models.JSONField(_("technical indicators"), default=list)
    deliverables = models.JSONField(_("deliverables"), default=list)
    ip_terms = models.CharField(_("IP terms"), max_length=30, choices=IpTerms.choices)
    reward_total = models.DecimalField(_("reward (yuan)"), **money)
    # [{"percent", "trigger"}], summing to 100 (30/40/30 by default).
    milestones = models.JSONField(_("payment milestones"), default=list)
    application_opens_on = models.DateField(_("applications open on"))
    application_closes_on = models.DateField(_("applications close on"))
    implementation_months = models.PositiveSmallIntegerField(_("implementation (months)"))
    eligibility_notes = models.TextField(_("eligibility"), blank=True, **max_length(NOTE_MAX))
    # What the threshold check found in the eligibility text, for staff to see.
    threshold_flags = models.JSONField(default=list, blank=True, editable=False)
    allow_consortium = models.BooleanField(_("consortia may apply"), default=True)
    evaluation_method = models.CharField(
        _("evaluation method"), max_length=30, choices=EvaluationMethod.choices
    )
    # The score card: each reviewer scores every criterion 0–100.
    criteria = models.JSONField(_("evaluation criteria"), default=list)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT
    )
    reject_reason = models.CharField(_("reason"), max_length=500, blank=True)
    selected_application = models.ForeignKey(
        "challenges.ChallengeApplication",
        verbose_name=_("proposed taker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    # The implementation: the midterm passed, or to rectify by a date; the
    # acceptance failed once (one re-test within three months).
    midterm_passed_on = models.DateField(_("midterm passed on"), null=True, blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    acceptance_failed_on = models.DateField(_("acceptance failed on"), null=True, blank=True)
    # An unawarded challenge issued again as a new draft.
    republished_from = models.ForeignKey(
        "self",
        verbose_name=_("issued again from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="republished_as",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Empty for a challenge carried over from a demand whose author is gone.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("open challenge")
        verbose_name_plural = _("open challenges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reward_total__gt=0), name="challenge_has_a_reward"
            ),
            models.CheckConstraint(
                condition=models.Q(application_closes_on__gt=models.F("application_opens_on")),
                name="challenge_window_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("challenges:detail", args=[self.pk])


class ChallengeNda(models.Model):
    """An organisation accepted the challenge's confidentiality terms on the page."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="ndas")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "organization"], name="one_nda_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.organization}"


class ChallengeApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        INELIGIBLE = "ineligible", _("Failed the formal check")
        IN_REVIEW = "in_review", _("In review")
        SELECTED = "selected", _("Proposed taker")
        NOT_SELECTED = "not_selected", _("Not selected")
        CONTRACTED = "contracted", _("Contracted")

    TRANSITIONS = transitions(
        withdraw=(("submitted",), "withdrawn"),
        refuse=(("submitted",), "ineligible"),
        admit=(("submitted",), "in_review"),
        select=(("in_review",), "selected"),
        pass_over=(("in_review", "selected"), "not_selected"),
        contract=(("selected",), "contracted"),
    )

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="applications")
    lead = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="challenge_applications",
    )
    consortium = models.ManyToManyField(
        "accounts.Organization", verbose_name=_("consortium"), blank=True, related_name="+"
    )
    team_leader = models.CharField(_("team leader"), max_length=100)
    members = models.JSONField(_("team members"), default=list, blank=True)
    plan = models.TextField(_("plan"), **max_length(DESCRIPTION_MAX))
    budget = models.DecimalField(_("budget (yuan)"), null=True, blank=True, **money)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    refuse_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The trimmed mean of the reviewers' scores, computed when they are all in.
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("challenge application")
        verbose_name_plural = _("challenge applications")
        ordering = ["created_at", "id"]
        constraints = [
            # One team files one application (MARKET.md §3.2).
            models.UniqueConstraint(
                fields=["challenge", "lead"],
                condition=~models.Q(status="withdrawn"),
                name="one_application_per_lead",
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.lead}"


class ChallengeReviewer(models.Model):
    """An expert on the challenge's panel; never of the issuer's or an applicant's organisation."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="reviewers")
    expert = models.ForeignKey("experts.Expert", on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "expert"], name="one_seat_per_expert")
        ]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.expert}"


class ChallengeReview(models.Model):
    application = models.ForeignKey(
        ChallengeApplication, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        ChallengeReviewer, on_delete=models.PROTECT, related_name="reviews"
    )
    # {criterion: 0–100} for every criterion of the 榜单.
    scores = models.JSONField(_("scores"))
    total = models.DecimalField(max_digits=6, decimal_places=2, editable=False)
    comment = models.TextField(_("comment"), blank=True, **max_length(NOTE_MAX))
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_review_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.total}"


def report_path(instance, filename: str) -> str:
    import uuid

    from django.utils import timezone

    return f"challenges/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class ChallengeReport(models.Model):
    """The taker's midterm or acceptance report against the 榜单's indicators,
    and staff's decision on it (MARKET.md §3.2 MilestoneReport)."""

    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("Midterm report")
        ACCEPTANCE = "acceptance", _("Acceptance report")

    class Result(models.TextChoices):
        PENDING = "", _("Waiting for the decision")
        PASS = "pass", _("Passed")
        RECTIFY = "rectify", _("To rectify")
        FAIL = "fail", _("Failed")

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("summary"), **max_length(DESCRIPTION_MAX))
    # [{"name", "result", "method"}]: each indicator measured by the 榜单's test method.
    evidence = models.JSONField(_("evidence per indicator"), default=list, blank=True)
    document = models.FileField(
        _("test report (PDF)"), upload_to=report_path, blank=True, max_length=200
    )
    document_name = models.CharField(max_length=150, blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=Result.choices, default=Result.PENDING, blank=True
    )
    comment = models.TextField(_("comment"), blank=True, **max_length(NOTE_MAX))
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("challenge report")
        verbose_name_plural = _("challenge reports")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.get_kind_display()}"


class ChallengeMilestone(models.Model):
    """One payment of the reward: its share of the registered agreement's
    technology transaction amount, computed, and the verified payment that
    settled it."""

    class Stage(models.TextChoices):
        SIGNING = "signing", _("Due at signing")
        MIDTERM = "midterm", _("Due after the midterm review")
        ACCEPTANCE = "acceptance", _("Due after acceptance")

    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="milestone_payments"
    )
    order = models.PositiveSmallIntegerField()
    percent = models.PositiveSmallIntegerField(_("percentage"))
    trigger = models.CharField(_("trigger"), max_length=100)
    stage = models.CharField(_("due"), max_length=20, choices=Stage.choices)
    amount = models.DecimalField(_("amount (yuan)"), editable=False, **money)
    payment = models.OneToOneField(
        "contracts.Payment",
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenge_milestone",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("challenge milestone payment")
        verbose_name_plural = _("challenge milestone payments")
        ordering = ["challenge", "order"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "order"], name="one_milestone_per_order")
        ]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.order} · {self.amount}"
