"""Survey pages: the list, staff's overview and new-survey form, and the response form.

Organisation admins fill in their organisation's response; network staff open surveys,
follow the responses and may correct any of them, also after the deadline. Anyone else
gets a 404: which organisations answered what is not public.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from constellation.accounts.services import is_network_staff
from constellation.insights import services
from constellation.insights.forms import COMMENT_SUFFIX, ResponseForm, SurveyForm
from constellation.insights.models import ResponseStatus, Survey, SurveyResponse
from constellation.networks.models import Affiliation, Membership, MembershipStatus, Organisation


@dataclass
class ResponseRow:
    """One organisation's place in a survey: for the lists."""

    survey: Survey
    organisation: Organisation
    response: SurveyResponse | None = None
    anomalies: int = 0
    unexplained: int = 0

    @property
    def status(self) -> str:
        return self.response.status if self.response else ""

    @property
    def status_label(self) -> str:
        if self.response is None:
            return pgettext("survey response", "Not started")
        return self.response.get_status_display()

    @property
    def url(self) -> str:
        return reverse("insights:response-edit", args=[self.survey.pk, self.organisation.slug])


def _surveys_to_fill(user) -> list[ResponseRow]:
    """The open surveys of the networks the user's organisations (as admin) are active members of.

    4 queries, whatever the number of organisations and surveys.
    """
    organisations = {
        affiliation.organisation_id: affiliation.organisation
        for affiliation in Affiliation.objects.current()
        .filter(person__user=user, is_admin=True)
        .select_related("organisation")
    }
    if not organisations:
        return []
    networks: dict[int, list[int]] = {}
    for organisation_id, network_id in Membership.objects.filter(
        organisation_id__in=organisations, status=MembershipStatus.ACTIVE
    ).values_list("organisation_id", "network_id"):
        networks.setdefault(network_id, []).append(organisation_id)
    surveys = Survey.objects.filter(network_id__in=networks, opens_on__lte=timezone.localdate()).select_related("network")
    rows = [
        ResponseRow(survey, organisations[organisation_id])
        for survey in surveys
        for organisation_id in networks[survey.network_id]
    ]
    responses = {
        (response.survey_id, response.organisation_id): response
        for response in SurveyResponse.objects.filter(
            survey_id__in={row.survey.pk for row in rows}, organisation_id__in=organisations
        )
    }
    for row in rows:
        row.response = responses.get((row.survey.pk, row.organisation.pk))
    return sorted(rows, key=lambda row: (-row.survey.year, row.survey.network.acronym, row.organisation.name))


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    run = []
    if is_network_staff(user):
        run = list(Survey.objects.run_by(user).select_related("network").with_response_counts())
    context = {
        "surveys_run": run,
        "to_fill": _surveys_to_fill(user),
        "can_create": user.has_perm("insights.add_survey"),
        "is_staff": bool(run) or is_network_staff(user),
    }
    return render(request, "insights/survey_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("insights.add_survey"):
        raise Http404
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.create_survey(
                network=data["network"], year=data["year"], deadline=data["deadline"], opens_on=data["opens_on"],
                title=data["title"], indicators=data["indicators"], actor=request.user,
            )
        except services.SurveyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The survey %(survey)s is open.") % {"survey": survey})
            return redirect(survey)
    return render(request, "insights/survey_form.html", {"form": form})


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.select_related("network"), pk=pk)
    if not request.user.has_perm("insights.manage_survey", survey):
        raise Http404
    members = Membership.objects.filter(network_id=survey.network_id, status=MembershipStatus.ACTIVE)
    organisations = Organisation.objects.filter(
        Q(pk__in=members.values("organisation_id")) | Q(pk__in=survey.responses.values("organisation_id"))
    ).only("pk", "name", "slug")
    responses = {r.organisation_id: r for r in survey.responses.select_related("submitted_by")}
    flags = services.survey_anomalies(survey)
    rows = []
    for organisation in organisations:
        found = flags.get(organisation.pk, {})
        rows.append(
            ResponseRow(
                survey, organisation, responses.get(organisation.pk), anomalies=len(found),
                unexplained=sum(1 for _anomaly, explained in found.values() if not explained),
            )
        )
    submitted = sum(1 for row in rows if row.status == ResponseStatus.SUBMITTED)
    context = {
        "survey": survey,
        "rows": rows,
        "submitted": submitted,
        "drafts": sum(1 for row in rows if row.status == ResponseStatus.DRAFT),
        "indicators": list(survey.indicators.all()),
    }
    return render(request, "insights/survey_detail.html", context)


def _response_for(request: HttpRequest, pk: int, slug: str) -> SurveyResponse:
    """The organisation's response (unsaved if not started), or 404 if the user may not fill it."""
    survey = get_object_or_404(Survey.objects.select_related("network"), pk=pk)
    organisation = get_object_or_404(Organisation, slug=slug)
    response = SurveyResponse.objects.filter(survey=survey, organisation=organisation).first() or SurveyResponse(
        survey=survey, organisation=organisation, currency=services.default_currency(survey.network)
    )
    response.survey, response.organisation = survey, organisation
    if not request.user.has_perm("insights.fill_response", response):
        raise Http404
    if not Membership.objects.filter(organisation=organisation, network_id=survey.network_id).exists():
        raise Http404
    return response


@login_required
@require_http_methods(["GET", "POST"])
def response_edit(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    response = _response_for(request, pk, slug)
    survey, organisation = response.survey, response.organisation
    is_staff = services.may_edit_after_deadline(request.user, survey)
    indicators = list(survey.indicators.all())
    stored = {a.indicator.key: a for a in response.answers.select_related("indicator")} if response.pk else {}
    previous = services.previous_year(survey, organisation.pk)
    flags = services.compare_years(
        previous, {key: answer.answer for key, answer in stored.items()}, currency=response.currency,
        year=survey.year, units={i.key: i.unit for i in indicators},
    )
    comment_keys = set(flags) | {key for key, answer in stored.items() if answer.comment}
    if request.method == "POST":
        comment_keys |= {name.removesuffix(COMMENT_SUFFIX) for name in request.POST if name.endswith(COMMENT_SUFFIX)}
    form = ResponseForm(
        request.POST or None, response=response, indicators=indicators, stored=stored, previous=previous,
        currencies=services.currency_codes(), comment_keys=sorted(comment_keys),
    )
    form.show_anomalies(flags)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.save_response(
                survey=survey, organisation=organisation, values=form.values(), comments=form.comments(),
                currency=form.cleaned_data["currency"], actor=request.user, submit=submit,
            )
        except services.SurveyError as exc:
            form.show_anomalies(
                services.flag_changes(
                    indicators, form.values(), previous=previous, currency=form.cleaned_data["currency"],
                    year=survey.year,
                )
            )
            form.add_service_errors(exc)
        else:
            if not submit:
                messages.success(request, _("Draft saved. Submit it when every figure is ready."))
                return redirect("insights:response-edit", pk=survey.pk, slug=organisation.slug)
            messages.success(
                request,
                _("Thank you: the answers of %(organisation)s are submitted.") % {"organisation": organisation.name},
            )
            if request.user.has_perm("insights.manage_survey", survey):
                return redirect(survey)
            return redirect("insights:survey-list")
    questions = form.questions()
    late = survey.is_past_deadline and not is_staff
    not_open = survey.opens_on > timezone.localdate() and not is_staff
    submitted = response.status == ResponseStatus.SUBMITTED
    context = {
        "survey": survey,
        "organisation": organisation,
        "response": response,
        "form": form,
        "questions": questions,
        "previous": previous,
        "flag_count": len(form.anomalies),
        "late": late,
        "not_open": not_open,
        "submitted": submitted,
        "can_submit": not (late or not_open),
        "can_save_draft": not (submitted or not_open),
        "is_staff": is_staff,
    }
    return render(request, "insights/response_form.html", context)


urlpatterns = [
    path("surveys/", survey_list, name="survey-list"),
    path("surveys/new/", survey_create, name="survey-create"),
    path("surveys/<int:pk>/", survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/responses/<slug:slug>/", response_edit, name="response-edit"),
]
