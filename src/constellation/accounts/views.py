from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from constellation.accounts import services
from constellation.accounts.exports import export_user_data
from constellation.accounts.forms import AccountForm, ApiTokenForm, DeleteAccountForm
from constellation.accounts.models import ApiToken
from constellation.networks.forms import PersonProfileForm
from constellation.networks.models import Affiliation
from constellation.networks.services import ensure_person_for_user, save_person


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """One page for the account and the public profile, with per-field visibility."""
    person = ensure_person_for_user(request.user)
    account_form = AccountForm(request.POST or None, instance=request.user, prefix="account")
    person_form = PersonProfileForm(request.POST or None, instance=person, prefix="person")
    if request.method == "POST" and account_form.is_valid() and person_form.is_valid():
        with transaction.atomic():
            account_form.save()
            save_person(person=person, data=person_form.cleaned_data, actor=request.user)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    affiliations = Affiliation.objects.current().filter(person=person).select_related("organisation")
    return render(
        request,
        "accounts/profile.html",
        {"account_form": account_form, "person_form": person_form, "person": person, "affiliations": affiliations},
    )


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    """Everything we hold about the signed-in person, as a JSON download."""
    data = export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="constellation-my-data-{stamp}.json"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user=user)
        messages.success(request, _("Your account was deleted and your personal data erased."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """Create and list tokens. The raw token survives one redirect in the session, so a
    reload shows it no more and a form sent twice cannot silently make two."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, raw = services.create_api_token(user=request.user, name=form.cleaned_data["name"])
        request.session["new_api_token"] = raw
        return redirect("accounts:tokens")
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=request.user),
            "new_token": request.session.pop("new_api_token", None),
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    if services.revoke_api_token(user=request.user, token_id=pk):
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")
