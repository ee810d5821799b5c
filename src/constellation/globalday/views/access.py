"""Finding a campaign or an activity and checking access, in one place for every view.

Unpublished campaigns and activities that are not approved exist only for the people who
work on them: everybody else gets a 404, never a hint.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from constellation.globalday.models import Activity, Campaign


def campaign_for(request: HttpRequest, year: int) -> Campaign:
    campaign = get_object_or_404(Campaign, year=year)
    if not campaign.is_published and not request.user.has_perm("globalday.moderate_campaign", campaign):
        raise Http404
    return campaign


def moderated_campaign(request: HttpRequest, year: int) -> Campaign:
    campaign = get_object_or_404(Campaign, year=year)
    if not request.user.has_perm("globalday.moderate_campaign", campaign):
        raise Http404
    return campaign


def activity_for(request: HttpRequest, year: int, pk: int, perm: str | None = None) -> Activity:
    """The activity if the user may see it (and hold `perm` on it, when given)."""
    activity = get_object_or_404(
        Activity.objects.select_related("campaign", "organisation", "moderated_by"), pk=pk, campaign__year=year
    )
    user = request.user
    visible = activity.status == "approved" and activity.campaign.is_published
    if not visible and not user.has_perm("globalday.view_activity", activity):
        raise Http404
    if perm and not user.has_perm(perm, activity):
        raise Http404
    return activity
