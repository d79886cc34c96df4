from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import acts_for
from evaluation import methods, services, trl, valuation
from evaluation.models import EvaluationReport
from evaluation.permissions import can_see_reports
from portal.core import registry
from portal.core.actions import REFUSALS, attempt, show_on_form
from portal.core.forms import BootstrapFormMixin
from portal.core.reference import TechField


class SavesToAchievement:
    """Adds the field "save to my achievement": the account's own achievements
    (the achievements library's `mine` selector), if it may act for them."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(user, "organization_id", None) and acts_for(user, user.organization_id):
            self.fields["achievement"] = forms.ModelChoiceField(
                label=gettext_lazy("Save to my achievement"),
                required=False,
                queryset=registry.library("achievements").mine(user).order_by("title"),
            )


class ValuationForm(BootstrapFormMixin, SavesToAchievement, forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Method"),
        choices=[
            ("cost", gettext_lazy("Cost method")),
            ("income", gettext_lazy("Income method")),
            ("market", gettext_lazy("Market method")),
        ],
    )
    replacement_cost = forms.CharField(
        label=gettext_lazy("Replacement cost (yuan)"), required=False
    )
    years_used = forms.CharField(label=gettext_lazy("Years used"), required=False)
    years_remaining = forms.CharField(label=gettext_lazy("Years remaining"), required=False)
    revenues = forms.CharField(
        label=gettext_lazy("Revenue per year (yuan)"),
        required=False,
        help_text=gettext_lazy("Separated by commas: year 1, year 2, …"),
    )
    profit_margin = forms.CharField(label=gettext_lazy("Profit margin (0–1)"), required=False)
    share_rate = forms.CharField(
        label=gettext_lazy("Share rate (0–1, default 0.25)"), required=False
    )
    discount_rate = forms.CharField(label=gettext_lazy("Discount rate (0–1)"), required=False)
    tech_field = forms.ChoiceField(
        label=gettext_lazy("Technology field"),
        required=False,
        choices=[("", "---------"), *TechField.choices],
    )

    def inputs(self) -> dict:
        data = {
            k: v for k, v in self.cleaned_data.items() if v not in ("", None) and k != "achievement"
        }
        if "revenues" in data:
            data["revenues"] = [
                p.strip() for p in data["revenues"].replace("，", ",").split(",") if p.strip()
            ]
        return data


class TrlForm(BootstrapFormMixin, SavesToAchievement, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for qid, level, text in trl.QUESTIONS:
            self.fields[f"q_{qid}"] = forms.BooleanField(
                label=_("Level %(level)d: %(text)s") % {"level": level, "text": text},
                required=False,
            )

    def answers(self) -> dict:
        return {qid: bool(self.cleaned_data.get(f"q_{qid}")) for qid, _l, _t in trl.QUESTIONS}


def catalogue(request):
    return render(request, "evaluation/catalogue.html", {"methods": methods.methods()})


def method(request, slug):
    found = methods.method(slug)
    if found is None:
        raise Http404
    return render(request, "evaluation/method.html", {"method": found})


def _save(request, form, kind, inputs):
    achievement = form.cleaned_data.get("achievement")
    if not achievement:
        return None
    _done, report = attempt(
        request,
        lambda: services.report_save(
            achievement=achievement, by=request.user, kind=kind, inputs=inputs
        ),
        success=_("Saved to %(title)s.") % {"title": achievement.title},
    )
    return report


def trl_tool(request):
    form = TrlForm(request.POST or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        result = trl.assess(form.answers())
        report = _save(request, form, "trl", {"answers": form.answers()})
        if report:
            return redirect(report)
    return render(
        request,
        "evaluation/trl.html",
        {
            "form": form,
            "result": result,
            "level_name": trl.level_name(result.level) if result else "",
        },
    )


def valuation_tool(request):
    form = ValuationForm(request.POST or None, user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = valuation.valuate(form.inputs())
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            report = _save(request, form, "valuation", form.inputs())
            if report:
                return redirect(report)
    return render(request, "evaluation/valuation.html", {"form": form, "result": result})


def _report_for(request, pk):
    report = get_object_or_404(EvaluationReport.objects.select_related("achievement"), pk=pk)
    visible = registry.library("achievements").visible(request.user)
    if not visible.filter(pk=report.achievement_id).exists() or not can_see_reports(
        request.user, report.achievement
    ):
        raise Http404
    return report


@login_required
def report(request, pk):
    return render(request, "evaluation/report.html", {"report": _report_for(request, pk)})


@login_required
def report_pdf(request, pk):
    from evaluation.pdf import report_pdf as make_pdf

    found = _report_for(request, pk)
    response = HttpResponse(make_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{found.pk}.pdf"'
    return response
