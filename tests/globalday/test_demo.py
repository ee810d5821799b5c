"""The demo command gives three campaigns and is safe to run twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from constellation.globalday.models import Activity, ActivityStatus, Campaign

pytestmark = pytest.mark.django_db


def test_load_demo_globalday_is_idempotent(atomium, tokyo, staff_a):
    call_command("load_demo_globalday", stdout=None)
    first = Activity.objects.count()

    call_command("load_demo_globalday", stdout=None)

    assert Activity.objects.count() == first > 0
    assert list(Campaign.objects.values_list("year", flat=True)) == [2027, 2026, 2025]
    assert not Activity.objects.filter(campaign__year=2025).exclude(status=ActivityStatus.APPROVED).exists()
    assert not Activity.objects.filter(campaign__year=2025, actual_participants__isnull=True).exists()
    assert all(a.sdgs.exists() for a in Activity.objects.all()[:20])
