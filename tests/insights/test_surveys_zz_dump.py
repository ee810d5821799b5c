import pytest
from django.urls import reverse
from tests.insights.test_surveys import *  # noqa

def test_dump(login, admin_alice, staff_a, atomium, survey, last_year):
    c = login(admin_alice)
    c.post(edit_url(survey, atomium), {**COMPLETE, "onsite_visitors": "40000", "action": "draft"})
    r = c.post(edit_url(survey, atomium), {**COMPLETE, "onsite_visitors": "40000", "volunteers": "x", "action": "submit"})
    open("/tmp/resp.html", "w").write(r.content.decode())
    open("/tmp/list.html", "w").write(c.get(reverse("insights:survey-list")).content.decode())
    s = login(staff_a)
    open("/tmp/detail.html", "w").write(s.get(survey.get_absolute_url()).content.decode())
    open("/tmp/create.html", "w").write(s.get(reverse("insights:survey-create")).content.decode())
    open("/tmp/list_staff.html", "w").write(s.get(reverse("insights:survey-list")).content.decode())
