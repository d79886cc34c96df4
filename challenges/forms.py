from django import forms
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge, ChallengeReport
from portal.core.forms import BootstrapFormMixin
from portal.core.reference import TechField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ChallengeForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    public_summary = forms.CharField(
        label=_("Public summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    confidential_detail = forms.CharField(
        label=_("Confidential detail (shown after the NDA)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tech_field = forms.ChoiceField(label=_("Technology field"), choices=TechField.choices)
    indicators = forms.CharField(
        label=_("Technical indicators"),
        help_text=_("One a line: name | target | test method."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deliverables = forms.CharField(
        label=_("Deliverables"),
        help_text=_("One a line."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ip_terms = forms.ChoiceField(label=_("IP terms"), choices=Challenge.IpTerms.choices)
    reward_total = forms.DecimalField(label=_("Reward (yuan)"), max_digits=15, decimal_places=2)
    milestones = forms.CharField(
        label=_("Payment milestones"),
        help_text=_(
            "One a line: percent | trigger; empty for 30 signing, 40 midterm, 30 acceptance."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    application_opens_on = forms.DateField(label=_("Applications open on"), widget=DATE)
    application_closes_on = forms.DateField(label=_("Applications close on"), widget=DATE)
    implementation_months = forms.IntegerField(
        label=_("Implementation (months)"), min_value=1, max_value=120
    )
    eligibility_notes = forms.CharField(
        label=_("Eligibility"),
        help_text=_("Capability evidence only: no title, age, degree or years since registration."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    allow_consortium = forms.BooleanField(
        label=_("Consortia may apply"), required=False, initial=True
    )
    evaluation_method = forms.ChoiceField(
        label=_("Evaluation method"), choices=Challenge.EvaluationMethod.choices
    )
    criteria = forms.CharField(
        label=_("Evaluation criteria"),
        help_text=_("One a line; each reviewer scores each from 0 to 100."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["indicators"] = [
            dict(
                zip(
                    ("name", "target", "method"), [p.strip() for p in line.split("|")], strict=False
                )
            )
            for line in _lines(data["indicators"])
        ]
        data["deliverables"] = _lines(data["deliverables"])
        milestones = []
        for line in _lines(data["milestones"]):
            percent, _sep, trigger = line.partition("|")
            milestones.append({"percent": percent.strip(), "trigger": trigger.strip()})
        data["milestones"] = milestones
        data["criteria"] = _lines(data["criteria"])
        return data


class ApplicationForm(BootstrapFormMixin, forms.Form):
    team_leader = forms.CharField(label=_("Team leader"), max_length=100)
    members = forms.CharField(
        label=_("Team members"),
        help_text=_("One a line."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 5}))
    budget = forms.DecimalField(
        label=_("Budget (yuan)"), required=False, max_digits=15, decimal_places=2
    )

    def service_data(self) -> dict:
        return {**self.cleaned_data, "members": _lines(self.cleaned_data["members"])}


class ReviewForm(forms.Form):
    """Built from the challenge's criteria: one 0–100 score each."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for n, name in enumerate(self.criteria):
            self.fields[f"score_{n}"] = forms.IntegerField(label=name, min_value=0, max_value=100)

    def scores(self) -> dict:
        return {name: self.cleaned_data[f"score_{n}"] for n, name in enumerate(self.criteria)}


class ReportForm(BootstrapFormMixin, forms.Form):
    """The taker's midterm or acceptance report: one result and test method per
    indicator of the 榜单 (the method offered as the 榜单 names it)."""

    kind = forms.ChoiceField(label=_("Report"), choices=ChallengeReport.Kind.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.FileField(
        label=_("Test report (PDF)"),
        required=False,
        help_text=_("Required for the acceptance."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for n, indicator in enumerate(self.indicators):
            self.fields[f"result_{n}"] = forms.CharField(
                label=_("%(name)s (target %(target)s): result")
                % {"name": indicator["name"], "target": indicator["target"]},
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"method_{n}"] = forms.CharField(
                label=_("%(name)s: test method") % {"name": indicator["name"]},
                max_length=200,
                required=False,
                initial=indicator["method"],
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def service_data(self) -> dict:
        data = self.cleaned_data
        evidence = [
            {
                "name": indicator["name"],
                "result": data.get(f"result_{n}", ""),
                "method": data.get(f"method_{n}", ""),
            }
            for n, indicator in enumerate(self.indicators)
            if data.get(f"result_{n}", "").strip()
        ]
        return {
            "kind": data["kind"],
            "summary": data["summary"],
            "evidence": evidence,
            "document": data.get("document"),
        }
