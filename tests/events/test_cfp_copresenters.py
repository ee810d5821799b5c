"""Co-presenters: the proposer invites them by name and email; they sign in with that email
and accept (or decline) from the link in the mail; the proposer can send it again or remove them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from constellation.events.cfp import services
from constellation.events.models import Presenter, PresenterRole, ProposalState
from constellation.networks.models import Person
from tests import factories
from tests.events import cfp_fixtures
from tests.events.cfp_fixtures import complete_form

conference = cfp_fixtures.conference
pytestmark = pytest.mark.django_db


@pytest.fixture
def paula(db):
    return factories.UserFactory(email="paula@example.org", display_name="Paula Proposer")


@pytest.fixture
def carl(db):
    return factories.UserFactory(email="carl@example.org", display_name="Carl Co")


@pytest.fixture
def proposal(conference, paula):
    data = complete_form(conference)
    data.update(format=conference.talk, track=conference.climate)
    return services.create_draft(event=conference.event, user=paula, data=data)


def invite_url(proposal):
    return reverse("events:cfp_invite", args=[proposal.event.slug, proposal.code])


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/events/\S+/cfp/invitation/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def invite_carl(login, paula, proposal, capture) -> str:
    with capture(execute=True):
        login(paula).post(invite_url(proposal), {"name": "Carl Co", "email": "Carl@Example.org"})
    return link_in(mail.outbox[-1])


def test_invitation_mails_a_link_to_the_invitation_page(
    login, paula, proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(paula).post(
            invite_url(proposal), {"name": "Carl Co", "email": "Carl@Example.org"}
        )

    presenter = proposal.presenters.get(role=PresenterRole.CO_PRESENTER)
    assert response.status_code == 302
    assert presenter.email == "carl@example.org"
    assert presenter.invited_at is not None and presenter.confirmed_at is None
    assert [m.to for m in mail.outbox] == [["carl@example.org"]]
    assert mail.outbox[0].subject == "Ecsite 2027: you are invited to co-present a session"
    assert link_in(mail.outbox[0]) == reverse(
        "events:copresenter_invitation", args=[proposal.event.slug, presenter.invitation_token]
    )


def test_inviting_the_same_email_twice_writes_and_mails_once(
    login, paula, proposal, django_capture_on_commit_callbacks
):
    client = login(paula)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(proposal), {"name": "Carl Co", "email": "carl@example.org"})
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            invite_url(proposal), {"name": "Carl Co", "email": "carl@example.org"}, follow=True
        )

    assert proposal.presenters.filter(role=PresenterRole.CO_PRESENTER).count() == 1
    assert len(mail.outbox) == 1
    assert "carl@example.org is already on this proposal." in again.content.decode()


def test_invitation_beyond_the_format_s_presenters_is_refused(login, paula, proposal):
    client = login(paula)
    client.post(invite_url(proposal), {"name": "Carl Co", "email": "carl@example.org"})

    response = client.post(invite_url(proposal), {"name": "Dora", "email": "dora@example.org"})

    assert "allows at most 2 presenters" in response.content.decode()
    assert proposal.presenters.count() == 2


def test_bad_invitation_input_writes_nothing(login, paula, proposal):
    response = login(paula).post(invite_url(proposal), {"name": "", "email": "not-an-email"})

    assert response.status_code == 200
    assert set(response.context["invite_form"].errors) == {"name", "email"}
    assert proposal.presenters.count() == 1


def test_only_the_proposer_invites(login, proposal, outsider_olga):
    response = login(outsider_olga).post(
        invite_url(proposal), {"name": "Olga", "email": "o@example.org"}
    )

    assert response.status_code == 404
    assert proposal.presenters.count() == 1


def test_invitee_accepts_and_becomes_a_linked_presenter(
    login, paula, carl, proposal, django_capture_on_commit_callbacks
):
    link = invite_carl(login, paula, proposal, django_capture_on_commit_callbacks)
    client = login(carl)

    page = client.get(link)
    response = client.post(link, {"answer": "accept"})
    again = client.post(link, {"answer": "accept"}, follow=True)

    assert "Paula Proposer invites you to present “Teen climate assembly”" in page.content.decode()
    presenter = proposal.presenters.get(role=PresenterRole.CO_PRESENTER)
    assert presenter.person == Person.objects.get(user=carl)
    assert presenter.confirmed_at is not None
    assert response["Location"] == reverse(
        "events:proposal_edit", args=[proposal.event.slug, proposal.code]
    )
    assert "You had already accepted this invitation." in again.content.decode()
    assert client.get(response["Location"]).status_code == 200


def test_invitation_link_needs_signing_in(
    client, login, paula, proposal, django_capture_on_commit_callbacks
):
    link = invite_carl(login, paula, proposal, django_capture_on_commit_callbacks)

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_someone_else_cannot_accept_the_invitation(
    login, paula, proposal, outsider_olga, django_capture_on_commit_callbacks
):
    link = invite_carl(login, paula, proposal, django_capture_on_commit_callbacks)
    client = login(outsider_olga)

    page = client.get(link)
    response = client.post(link, {"answer": "accept"}, follow=True)

    message = "This invitation was sent to another email address."
    assert message in page.content.decode()
    assert message in response.content.decode()
    presenter = proposal.presenters.get(role=PresenterRole.CO_PRESENTER)
    assert presenter.person is None and presenter.confirmed_at is None


def test_an_expired_invitation_cannot_be_accepted(
    login, paula, carl, proposal, django_capture_on_commit_callbacks
):
    link = invite_carl(login, paula, proposal, django_capture_on_commit_callbacks)
    Presenter.objects.filter(role=PresenterRole.CO_PRESENTER).update(
        invited_at=timezone.now() - timedelta(days=services.INVITATION_DAYS + 1)
    )

    response = login(carl).post(link, {"answer": "accept"}, follow=True)

    assert (
        "This invitation has expired. Ask the proposer to send it again."
        in response.content.decode()
    )
    assert proposal.presenters.get(role=PresenterRole.CO_PRESENTER).confirmed_at is None


def test_resending_renews_the_link(
    login, paula, carl, proposal, django_capture_on_commit_callbacks
):
    link = invite_carl(login, paula, proposal, django_capture_on_commit_callbacks)
    presenter = proposal.presenters.get(role=PresenterRole.CO_PRESENTER)
    Presenter.objects.filter(pk=presenter.pk).update(invited_at=timezone.now() - timedelta(days=40))

    with django_capture_on_commit_callbacks(execute=True):
        login(paula).post(
            reverse(
                "events:cfp_copresenter_resend",
                args=[proposal.event.slug, proposal.code, presenter.pk],
            )
        )
    login(carl).post(link, {"answer": "accept"})

    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[1]) == link
    presenter.refresh_from_db()
    assert presenter.confirmed_at is not None


def test_unknown_or_declined_invitation_is_a_404_with_an_explanation(
    login, paula, carl, proposal, django_capture_on_commit_callbacks
):
    link = invite_carl(login, paula, proposal, django_capture_on_commit_callbacks)
    client = login(carl)

    declined = client.post(link, {"answer": "decline"}, follow=True)
    afterwards = client.get(link)
    made_up = client.get(
        reverse("events:copresenter_invitation", args=[proposal.event.slug, "made-up-token"])
    )

    assert "You declined the invitation" in declined.content.decode()
    assert proposal.presenters.count() == 1
    assert afterwards.status_code == 404
    assert made_up.status_code == 404
    assert "This invitation link does not work" in made_up.content.decode()


def test_proposer_removes_a_co_presenter(
    login, paula, carl, proposal, django_capture_on_commit_callbacks
):
    link = invite_carl(login, paula, proposal, django_capture_on_commit_callbacks)
    presenter = proposal.presenters.get(role=PresenterRole.CO_PRESENTER)
    url = reverse(
        "events:cfp_copresenter_remove", args=[proposal.event.slug, proposal.code, presenter.pk]
    )
    client = login(paula)

    client.post(url)
    again = client.post(url, follow=True)

    assert proposal.presenters.count() == 1
    assert "no longer on the proposal" in again.content.decode()
    assert login(carl).get(link).status_code == 404


def test_the_proposer_cannot_be_removed(login, paula, proposal):
    proposer = proposal.presenters.get()

    response = login(paula).post(
        reverse(
            "events:cfp_copresenter_remove", args=[proposal.event.slug, proposal.code, proposer.pk]
        )
    )

    assert response.status_code == 404
    assert proposal.presenters.count() == 1


def test_invitation_to_a_withdrawn_proposal_has_lapsed(
    login, paula, carl, proposal, django_capture_on_commit_callbacks
):
    link = invite_carl(login, paula, proposal, django_capture_on_commit_callbacks)
    services.submit_proposal(proposal=proposal, user=paula)
    services.withdraw_proposal(proposal=proposal, user=paula)

    response = login(carl).post(link, {"answer": "accept"}, follow=True)

    assert "the invitation has lapsed" in response.content.decode()
    assert proposal.presenters.get(role=PresenterRole.CO_PRESENTER).confirmed_at is None


def test_co_presenter_sees_and_edits_but_does_not_submit(
    login, conference, paula, carl, proposal, django_capture_on_commit_callbacks
):
    link = invite_carl(login, paula, proposal, django_capture_on_commit_callbacks)
    client = login(carl)
    client.post(link, {"answer": "accept"})
    edit = reverse("events:proposal_edit", args=[proposal.event.slug, proposal.code])

    client.post(edit, complete_form(conference, title="Edited by Carl"))
    submit = client.post(
        reverse("events:proposal_submit", args=[proposal.event.slug, proposal.code])
    )

    proposal.refresh_from_db()
    assert proposal.title == "Edited by Carl"
    assert submit.status_code == 404
    assert proposal.state == ProposalState.DRAFT


def test_with_htmx_inviting_answers_the_presenters_region_only(login, paula, proposal):
    client = login(paula)

    response = client.post(
        invite_url(proposal),
        {"name": "Carl Co", "email": "carl@example.org"},
        HTTP_HX_REQUEST="true",
    )
    invalid = client.post(invite_url(proposal), {"name": "", "email": "x"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="presenters"')
    assert "<html" not in page
    assert "Invited Carl Co; they get an email with a link to accept." in page
    assert "carl@example.org" in page
    assert "This field is required." in invalid.content.decode()
    assert proposal.presenters.count() == 2
