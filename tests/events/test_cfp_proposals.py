"""Proposing a session: drafts, editing, submitting, withdrawing, and the deadline.

A proposer signs in, saves a draft with only a title, completes it, submits it (every
presenter gets a confirmation), changes it until the deadline, and may withdraw it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from constellation.events.cfp import services
from constellation.events.models import Event, Presenter, PresenterRole, Proposal, ProposalState
from constellation.networks.models import Person
from tests import factories
from tests.events import cfp_fixtures
from tests.events.cfp_fixtures import GOOD_ABSTRACT, complete_form

conference = cfp_fixtures.conference
pytestmark = pytest.mark.django_db


@pytest.fixture
def paula(db):
    return factories.UserFactory(email="paula@example.org", display_name="Paula Proposer")


def new_url(conference):
    return reverse("events:proposal_new", args=[conference.event.slug])


def edit_url(proposal):
    return reverse("events:proposal_edit", args=[proposal.event.slug, proposal.code])


def draft_for(conference, user, **changes) -> Proposal:
    data = complete_form(conference, **changes)
    data["format"] = conference.talk if data["format"] == conference.talk.pk else data["format"]
    data["track"] = conference.climate
    return services.create_draft(event=conference.event, user=user, data=data)


def close_call(conference) -> None:
    Event.objects.filter(pk=conference.event.pk).update(
        cfp_deadline=timezone.now() - timedelta(minutes=1)
    )


def test_new_proposal_saves_a_draft_with_the_proposer_as_person(login, conference, paula):
    client = login(paula)

    response = client.post(new_url(conference), {"title": "Teen climate assembly"})

    proposal = Proposal.objects.get(event=conference.event)
    assert response.status_code == 302
    assert response["Location"] == edit_url(proposal)
    assert proposal.state == ProposalState.DRAFT
    proposer = proposal.presenters.get()
    assert proposer.role == PresenterRole.PROPOSER
    assert proposer.person == Person.objects.get(user=paula)
    assert proposer.email == "paula@example.org"


def test_new_proposal_sent_twice_makes_one_draft(login, conference, paula):
    client = login(paula)

    client.post(new_url(conference), {"title": "Teen climate assembly"})
    client.post(new_url(conference), {"title": "Teen climate assembly", "abstract": GOOD_ABSTRACT})

    proposal = Proposal.objects.get(event=conference.event)
    assert proposal.abstract == GOOD_ABSTRACT


def test_new_proposal_needs_signing_in(client, conference):
    response = client.get(new_url(conference))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_proposal_form_asks_what_the_call_configures(login, conference, paula):
    conference.call.fields = {**conference.call.fields, "audience": "off", "topics": "required"}
    conference.call.save()

    response = login(paula).get(new_url(conference))

    form = response.context["form"]
    assert "audience" not in form.fields
    assert form.fields["topics"].needed_to_submit is True
    assert form.fields["track"].needed_to_submit is True
    assert form.fields["description"].needed_to_submit is False
    assert [choice[0] for choice in form.fields["language"].choices] == ["", "en", "pt"]
    assert list(form.fields["format"].queryset) == [conference.talk, conference.workshop]
    assert 'maxlength="300"' in response.content.decode()
    assert "Between 20 and 300 characters." in response.content.decode()


def test_too_long_title_or_abstract_is_refused_and_nothing_written(login, conference, paula):
    client = login(paula)

    response = client.post(new_url(conference), {"title": "x" * 81, "abstract": "y" * 301})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors and "abstract" in errors
    assert not Proposal.objects.exists()


def test_language_outside_the_call_is_refused(login, conference, paula):
    response = login(paula).post(new_url(conference), complete_form(conference, language="de"))

    assert "language" in response.context["form"].errors
    assert not Proposal.objects.exists()


def test_editing_a_draft_saves_the_answers(login, conference, paula):
    proposal = draft_for(conference, paula, abstract="")
    client = login(paula)

    response = client.post(
        edit_url(proposal),
        complete_form(conference, title="A better title", track=conference.health.pk),
    )

    proposal.refresh_from_db()
    assert response.status_code == 302
    assert proposal.title == "A better title"
    assert proposal.track == conference.health
    assert proposal.abstract == GOOD_ABSTRACT


def test_strangers_do_not_see_a_proposal(login, conference, paula, outsider_olga, staff_b):
    proposal = draft_for(conference, paula)

    for user in (outsider_olga, staff_b):
        client = login(user)
        assert client.get(edit_url(proposal)).status_code == 404
        assert (
            client.post(
                reverse("events:proposal_submit", args=[conference.event.slug, proposal.code])
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("events:proposal_withdraw", args=[conference.event.slug, proposal.code])
            ).status_code
            == 404
        )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT


def test_incomplete_draft_is_not_submitted_and_says_what_is_missing(login, conference, paula):
    proposal = draft_for(conference, paula, abstract="Too short", language="")
    client = login(paula)

    response = client.post(
        reverse("events:proposal_submit", args=[conference.event.slug, proposal.code]), follow=True
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT
    page = response.content.decode()
    assert "The abstract has 9 characters; it needs between 20 and 300." in page
    assert "Answer the question “Language”." in page
    assert mail.outbox == []


def test_submit_confirms_to_every_presenter_once(
    login, conference, paula, django_capture_on_commit_callbacks
):
    proposal = draft_for(conference, paula)
    Presenter.objects.create(
        proposal=proposal,
        name="Carl Co",
        email="carl@example.org",
        role=PresenterRole.CO_PRESENTER,
        position=1,
    )
    client = login(paula)
    url = reverse("events:proposal_submit", args=[conference.event.slug, proposal.code])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, follow=True)

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.submitted_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["carl@example.org", "paula@example.org"]
    assert mail.outbox[0].subject == "Ecsite 2027: “Teen climate assembly” is submitted"
    assert (
        f"http://testserver{edit_url(proposal)}" in mail.outbox[0].body
        or edit_url(proposal) in mail.outbox[0].body
    )
    assert "was already submitted" in second.content.decode()


def test_a_submitted_proposal_can_still_be_changed_before_the_deadline(login, conference, paula):
    proposal = draft_for(conference, paula)
    services.submit_proposal(proposal=proposal, user=paula)

    login(paula).post(
        edit_url(proposal), complete_form(conference, title="Changed after submitting")
    )

    proposal.refresh_from_db()
    assert proposal.title == "Changed after submitting"
    assert proposal.state == ProposalState.SUBMITTED


def test_format_with_fewer_places_than_presenters_cannot_be_submitted(login, conference, paula):
    proposal = draft_for(conference, paula)
    for n in (1, 2):
        Presenter.objects.create(
            proposal=proposal, name=f"Co {n}", email=f"co{n}@example.org", position=n
        )

    response = login(paula).post(
        reverse("events:proposal_submit", args=[conference.event.slug, proposal.code]), follow=True
    )

    assert "allows 2 presenters; this proposal has 3" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT


def test_after_the_deadline_nothing_can_be_started_changed_or_submitted(login, conference, paula):
    proposal = draft_for(conference, paula)
    close_call(conference)
    client = login(paula)

    new = client.post(new_url(conference), {"title": "Late idea"}, follow=True)
    edit = client.post(edit_url(proposal), complete_form(conference, title="Late change"))
    submit = client.post(
        reverse("events:proposal_submit", args=[conference.event.slug, proposal.code]), follow=True
    )

    proposal.refresh_from_db()
    assert Proposal.objects.count() == 1
    assert proposal.title == "Teen climate assembly"
    assert proposal.state == ProposalState.DRAFT
    closed = "The call for proposals is closed: the deadline has passed."
    assert closed in new.content.decode()
    assert closed in edit.content.decode()
    assert closed in submit.content.decode()


def test_before_the_call_opens_nothing_can_be_started(login, conference, paula):
    conference.call.opens_at = timezone.now() + timedelta(days=1)
    conference.call.save()

    response = login(paula).post(new_url(conference), {"title": "Too early"}, follow=True)

    assert "The call for proposals is not open yet." in response.content.decode()
    assert not Proposal.objects.exists()


def test_withdraw_tells_every_presenter_once(
    login, conference, paula, django_capture_on_commit_callbacks
):
    proposal = draft_for(conference, paula)
    services.submit_proposal(proposal=proposal, user=paula)
    mail.outbox.clear()
    client = login(paula)
    url = reverse("events:proposal_withdraw", args=[conference.event.slug, proposal.code])

    confirm_page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)

    assert "Withdraw the proposal" in confirm_page.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert [m.to for m in mail.outbox] == [["paula@example.org"]]
    assert "is withdrawn" in mail.outbox[0].subject
    assert "was already withdrawn" in again.content.decode()


def test_withdraw_is_possible_after_the_deadline(login, conference, paula):
    proposal = draft_for(conference, paula)
    services.submit_proposal(proposal=proposal, user=paula)
    close_call(conference)

    login(paula).post(
        reverse("events:proposal_withdraw", args=[conference.event.slug, proposal.code])
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN


def test_a_draft_is_deleted_not_withdrawn(login, conference, paula):
    proposal = draft_for(conference, paula)
    client = login(paula)

    withdraw = client.post(
        reverse("events:proposal_withdraw", args=[conference.event.slug, proposal.code]),
        follow=True,
    )
    delete = client.post(
        reverse("events:cfp_proposal_delete", args=[conference.event.slug, proposal.code]),
        follow=True,
    )
    again = client.post(
        reverse("events:cfp_proposal_delete", args=[conference.event.slug, proposal.code]),
        follow=True,
    )

    assert "A draft is not submitted: delete it instead." in withdraw.content.decode()
    assert "Deleted the draft" in delete.content.decode()
    assert "already deleted" in again.content.decode()
    assert not Proposal.objects.exists()


def test_accepted_presenters_confirm_participation(login, conference, paula, outsider_olga):
    proposal = draft_for(conference, paula)
    services.submit_proposal(proposal=proposal, user=paula)
    Proposal.objects.filter(pk=proposal.pk).update(
        state=ProposalState.ACCEPTED, decided_at=timezone.now()
    )
    url = reverse("events:proposal_confirm", args=[conference.event.slug, proposal.code])
    client = login(paula)

    assert login(outsider_olga).post(url).status_code == 404
    page = client.get(url)
    client.post(url)
    again = client.post(url, follow=True)

    assert "Confirm: we will present" in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONFIRMED
    assert proposal.confirmed_at is not None
    assert "was already confirmed" in again.content.decode()


def test_only_accepted_proposals_can_be_confirmed(login, conference, paula):
    proposal = draft_for(conference, paula)

    response = login(paula).post(
        reverse("events:proposal_confirm", args=[conference.event.slug, proposal.code]), follow=True
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT
    assert "Only an accepted proposal can be confirmed." in response.content.decode()


def test_a_mail_task_run_twice_sends_once_and_a_stale_one_not_at_all(conference, paula):
    from constellation.events.cfp import mails

    proposal = draft_for(conference, paula)
    services.submit_proposal(proposal=proposal, user=paula)
    proposal.refresh_from_db()
    stamp = mails._stamp(proposal.submitted_at)

    first = mails.send_submitted_mail(proposal.pk, stamp)
    second = mails.send_submitted_mail(proposal.pk, stamp)
    stale = mails.send_submitted_mail(proposal.pk, "0.0")

    assert (first, second, stale) == (1, 0, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["paula@example.org"]
