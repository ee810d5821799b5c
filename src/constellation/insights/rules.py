"""Who may fill in and run surveys.

The objects are a Survey, a SurveyResponse (possibly not saved yet: an organisation that
has not started has no row) or a Network. Web views and the import check the same rules.
"""

from __future__ import annotations

import rules

from constellation.networks.rules import (
    is_any_network_staff,
    is_organisation_admin,
    is_superuser,
    staff_network_ids,
)


def _network_id(obj) -> int | None:
    """The network a survey, a response or a network belongs to, without a query."""
    if obj is None:
        return None
    if hasattr(obj, "survey_id"):  # a response: its survey is loaded with it
        return obj.survey.network_id
    if hasattr(obj, "network_id"):
        return obj.network_id
    return obj.pk


@rules.predicate
def is_staff_of_survey_network(user, obj) -> bool:
    network_id = _network_id(obj)
    return network_id is not None and network_id in staff_network_ids(user)


@rules.predicate
def is_admin_of_responding_organisation(user, response) -> bool:
    return response is not None and is_organisation_admin.test(user, response.organisation)


can_manage_survey = is_superuser | is_staff_of_survey_network

rules.add_perm("insights.manage_survey", can_manage_survey)
rules.add_perm("insights.fill_response", can_manage_survey | is_admin_of_responding_organisation)
rules.add_perm("insights.add_survey", is_superuser | is_any_network_staff)
