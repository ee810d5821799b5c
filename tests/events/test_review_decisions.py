"""Scores, decisions and decision mails: the aggregated table, accept/reject/waitlist one or
many (all or nothing), and mails sent once per proposal and decision."""

from __future__ import annotations

import math

from django.conf import settings
from django.core import mail
from django.urls import NoReverseMatch, reverse

from constellation.events.models import (
    DecisionNotice,
    DecisionTemplate,
    Presenter,
    Proposal,
    ProposalState,
    ReviewAssignment,
)
from constellation.events.review import services
from tests.events.review_fixtures import make_proposal, review_fixture, seat  # noqa: F401  (fixture)


def _review(
    review, proposal, member, relevance, clarity, *, submit=True, comment_for_presenters=""
):
    assignment = ReviewAssignment.objects.create(proposal=proposal, reviewer=member)
    return services.save_review(
        assignment=assignment,
        scores={review.relevance.pk: relevance, review.clarity.pk: clarity},
        comment_for_presenters=comment_for_presenters,
        submit=submit,
    )


def _url(review, name="events:review_decisions", *args):
    return reverse(name, args=[review.event.slug, *args])


def _rows(response):
    return {row.title: row for row in response.context["rows"]}


def test_the_table_aggregates_submitted_reviews(review, login, staff_a):
    stories, healthy = review.proposals[1], review.proposals[2]
    _review(review, stories, review.rita, 4, 8)  # (2*0.8 + 0.8)/3 = 80
    _review(review, stories, review.raj, 5, 5)  # (2*1 + 0.5)/3 = 83.333
    _review(review, stories, review.rosa, 1, 2)  # (2*0.2 + 0.2)/3 = 20
    _review(review, healthy, review.rita, 3, 6)  # 60
    _review(review, healthy, review.raj, 0, 0, submit=False)  # a draft does not count

    response = login(staff_a).get(_url(review))

    rows = _rows(response)
    scores = [80, 250 / 3, 20]
    mean = sum(scores) / 3
    assert math.isclose(rows["Climate stories"].mean_score, mean, abs_tol=0.001)
    assert rows["Climate stories"].review_count == 3
    assert math.isclose(rows["Climate stories"].spread, 250 / 3 - 20, abs_tol=0.001)
    stdev = math.sqrt(sum((s - mean) ** 2 for s in scores) / 3)
    assert math.isclose(rows["Climate stories"].stdev_score, stdev, abs_tol=0.001)
    assert rows["Climate stories"].disagree is True
    assert rows["Healthy exhibits"].mean_score == 60
    assert (rows["Healthy exhibits"].review_count, rows["Healthy exhibits"].assigned_count) == (
        1,
        2,
    )
    assert rows["Healthy exhibits"].disagree is False
    assert rows["Tinkering at home"].mean_score is None
    # Highest score first (61.1 before 60), proposals without reviews last.
    assert [r.title for r in response.context["rows"]][:2] == [
        "Climate stories",
        "Healthy exhibits",
    ]
    assert [r.title for r in response.context["rows"]][-1] in {"Atoms for all", "Tinkering at home"}


def test_the_table_filters_and_sorts(review, login, staff_a):
    _review(review, review.proposals[1], review.rita, 1, 1)
    _review(review, review.proposals[3], review.rita, 5, 10)
    withdrawn = make_proposal(
        review.event, "Gone", track=review.health, state=ProposalState.WITHDRAWN
    )
    client = login(staff_a)

    health = client.get(_url(review), {"track": review.health.pk, "sort": "-score"})
    workshops = client.get(_url(review), {"format": review.workshop.pk})
    lowest = client.get(_url(review), {"sort": "score"})
    nonsense = client.get(_url(review), {"track": "999999", "sort": "drop table", "state": "nope"})

    assert [r.title for r in health.context["rows"]] == ["Tinkering at home", "Healthy exhibits"]
    assert withdrawn.title not in _rows(health)
    assert [r.title for r in workshops.context["rows"]] == ["Healthy exhibits"]
    assert [r.title for r in lowest.context["rows"]][:2] == ["Climate stories", "Tinkering at home"]
    assert nonsense.status_code == 200 and len(nonsense.context["rows"]) == 4


def test_htmx_filter_answers_only_the_table(review, login, staff_a):
    response = login(staff_a).get(
        _url(review), {"state": "submitted"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<section id="decisions"')
    assert "<html" not in page


def test_the_decisions_page_runs_a_fixed_number_of_queries(
    review, login, staff_a, django_assert_num_queries
):
    client = login(staff_a)
    _review(review, review.proposals[1], review.rita, 4, 4)
    client.get(_url(review))
    with django_assert_num_queries(11) as small:
        client.get(_url(review))
    for i in range(8):
        p = make_proposal(review.event, f"More {i}", track=review.health, fmt=review.talk)
        _review(review, p, review.raj, 3, 3)
    services.decide_proposals(
        event=review.event, proposals=review.proposals[:2], decision="accepted"
    )
    services.queue_decision_mails(event=review.event)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(_url(review))

    assert len(response.context["rows"]) == 12


def test_staff_decide_one_proposal_with_htmx(review, login, staff_a):
    proposal = review.proposals[1]

    response = login(staff_a).post(
        _url(review, "events:review_decide", proposal.code),
        {"decision": "waitlisted"},
        headers={"HX-Request": "true"},
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WAITLISTED and proposal.decided_at is not None
    page = response.content.decode()
    assert page.lstrip().startswith(f'<tr id="row-{proposal.code}"')
    assert "Waiting list" in page


def test_deciding_a_withdrawn_proposal_is_refused(review, login, staff_a):
    gone = make_proposal(review.event, "Gone", state=ProposalState.WITHDRAWN)

    response = login(staff_a).post(
        _url(review, "events:review_decide", gone.code), {"decision": "accepted"}, follow=True
    )

    gone.refresh_from_db()
    assert gone.state == ProposalState.WITHDRAWN and gone.decided_at is None
    assert "cannot take a decision" in response.content.decode()


def test_bulk_decisions_change_all_the_ticked_proposals(review, login, staff_a):
    codes = [p.code for p in review.proposals[1:3]]

    response = login(staff_a).post(
        _url(review, "events:review_decide_bulk"),
        {"proposals": codes, "decision": "rejected"},
        follow=True,
    )

    assert set(Proposal.objects.filter(code__in=codes).values_list("state", flat=True)) == {
        "rejected"
    }
    assert "2 proposals changed." in response.content.decode()


def test_bulk_decisions_are_all_or_nothing(review, login, staff_a):
    gone = make_proposal(review.event, "Gone", state=ProposalState.WITHDRAWN)
    codes = [review.proposals[1].code, gone.code, review.proposals[2].code]

    response = login(staff_a).post(
        _url(review, "events:review_decide_bulk"),
        {"proposals": codes, "decision": "accepted"},
        follow=True,
    )

    assert set(Proposal.objects.filter(code__in=codes).values_list("state", flat=True)) == {
        "submitted",
        "withdrawn",
    }
    assert not Proposal.objects.filter(decided_at__isnull=False).exists()
    assert (
        "Nothing was changed" in response.content.decode()
        and "“Gone” (Withdrawn)" in response.content.decode()
    )


def test_bulk_decisions_refuse_another_events_proposal(review, login, staff_a, network_a):
    from datetime import date

    from constellation.events.models import Event

    other = Event.objects.create(
        network=network_a,
        name="Other",
        slug="other",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 1, 2),
    )
    foreign = make_proposal(other, "Foreign")

    login(staff_a).post(
        _url(review, "events:review_decide_bulk"),
        {"proposals": [review.proposals[1].code, foreign.code], "decision": "accepted"},
    )

    assert not Proposal.objects.filter(state="accepted").exists()


def _expected_link(review, proposal):
    try:
        return settings.SITE_URL + reverse(
            "events:proposal_confirm", args=[review.event.slug, proposal.code]
        )
    except NoReverseMatch:
        return settings.SITE_URL + "/"


def test_decision_mails_go_once_with_the_reviewers_comments(
    review, login, staff_a, django_capture_on_commit_callbacks
):
    accepted, rejected = review.proposals[1], review.proposals[2]
    Presenter.objects.create(proposal=accepted, name="Cora Copresenter", email="cora@example.org")
    _review(review, accepted, review.rita, 5, 9, comment_for_presenters="Make it hands-on.")
    _review(
        review,
        accepted,
        review.raj,
        4,
        9,
        submit=False,
        comment_for_presenters="A draft, never sent",
    )
    services.decide_proposals(event=review.event, proposals=[accepted], decision="accepted")
    services.decide_proposals(event=review.event, proposals=[rejected], decision="rejected")
    client = login(staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(review, "events:review_send_mails"))
    first = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(review, "events:review_send_mails"))

    assert first == 3 and len(mail.outbox) == 3
    to_cora = next(m for m in mail.outbox if m.to == ["cora@example.org"])
    assert to_cora.subject == "Annual Conference 2027: your proposal “Climate stories” is accepted"
    assert to_cora.body.startswith("Dear Cora Copresenter,")
    assert f"“Climate stories” ({accepted.code})" in to_cora.body
    assert _expected_link(review, accepted) in to_cora.body
    assert "Make it hands-on." in to_cora.body
    assert "A draft, never sent" not in to_cora.body
    assert DecisionNotice.objects.filter(sent_at__isnull=False).count() == 2


def test_a_changed_decision_is_mailed_again_once(review, django_capture_on_commit_callbacks):
    proposal = review.proposals[1]
    services.decide_proposals(event=review.event, proposals=[proposal], decision="waitlisted")
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_decision_mails(event=review.event)

    services.decide_proposals(event=review.event, proposals=[proposal], decision="accepted")
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_decision_mails(event=review.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_decision_mails(event=review.event)

    assert [m.subject for m in mail.outbox] == [
        "Annual Conference 2027: your proposal “Climate stories” is on the waiting list",
        "Annual Conference 2027: your proposal “Climate stories” is accepted",
    ]


def test_a_notice_whose_decision_changed_before_sending_is_dropped(
    review, django_capture_on_commit_callbacks
):
    from constellation.events.review.mails import send_pending_decision_mails

    proposal = review.proposals[1]
    services.decide_proposals(event=review.event, proposals=[proposal], decision="rejected")
    with django_capture_on_commit_callbacks(execute=False):
        services.queue_decision_mails(event=review.event)
    services.decide_proposals(event=review.event, proposals=[proposal], decision="accepted")

    sent = send_pending_decision_mails(review.event.pk)

    assert sent == 0 and mail.outbox == []
    assert not DecisionNotice.objects.exists()


def test_staff_edit_the_wording_and_mails_use_it(
    review, login, staff_a, django_capture_on_commit_callbacks
):
    client = login(staff_a)

    client.post(
        _url(review, "events:review_template", "rejected"),
        {
            "rejected-subject": "About {title}",
            "rejected-body": "Hello {name}, no for {code} at {event}.",
        },
    )
    services.decide_proposals(
        event=review.event, proposals=[review.proposals[3]], decision="rejected"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(review, "events:review_send_mails"))

    assert [(m.subject, m.body) for m in mail.outbox] == [
        (
            "About Tinkering at home",
            f"Hello Pat Presenter, no for {review.proposals[3].code} at Annual Conference 2027.\n",
        )
    ]


def test_an_unknown_placeholder_is_refused(review, login, staff_a):
    response = login(staff_a).post(
        _url(review, "events:review_template", "accepted"),
        {"accepted-subject": "Yes", "accepted-body": "Dear {fullname}"},
    )
    unbalanced = login(staff_a).post(
        _url(review, "events:review_template", "accepted"),
        {"accepted-subject": "Yes {title", "accepted-body": "Dear {name}"},
    )

    assert response.status_code == 200 and unbalanced.status_code == 200
    assert "Unknown placeholder: {fullname}" in response.content.decode()
    assert not DecisionTemplate.objects.exists()


def test_decision_mails_are_404_for_non_staff(review, login):
    services.decide_proposals(
        event=review.event, proposals=[review.proposals[1]], decision="accepted"
    )

    response = login(review.rita.user).post(_url(review, "events:review_send_mails"))

    assert response.status_code == 404
    assert mail.outbox == [] and not DecisionNotice.objects.exists()


def test_bulk_decisions_with_htmx_answer_the_table_as_filtered(review, login, staff_a):
    codes = [p.code for p in review.proposals[2:4]]

    response = login(staff_a).post(
        _url(review, "events:review_decide_bulk"),
        {"proposals": codes, "decision": "waitlisted", "query": f"track={review.health.pk}"},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<section id="decisions"')
    assert "2 proposals changed." in page
    assert "Healthy exhibits" in page and "Tinkering at home" in page
    assert "Climate stories" not in page  # still filtered on the health track
    assert set(Proposal.objects.filter(code__in=codes).values_list("state", flat=True)) == {
        "waitlisted"
    }


def test_the_mail_task_run_twice_mails_once(review, django_capture_on_commit_callbacks):
    from constellation.events.review.tasks import send_decision_mails_task

    services.decide_proposals(
        event=review.event, proposals=review.proposals[1:3], decision="accepted"
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.queue_decision_mails(event=review.event)

    send_decision_mails_task.enqueue(review.event.pk)
    send_decision_mails_task.enqueue(review.event.pk)

    assert sorted(m.subject for m in mail.outbox) == [
        "Annual Conference 2027: your proposal “Climate stories” is accepted",
        "Annual Conference 2027: your proposal “Healthy exhibits” is accepted",
    ]
