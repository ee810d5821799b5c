"""How errors raised inside endpoints become JSON answers."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError

from constellation.api import api
from constellation.networks.services import DomainError


def test_domain_error_answers_409_with_its_message(rf):
    response = api.on_exception(rf.put("/api/v1/x"), DomainError("This organisation already has an open membership."))

    assert response.status_code == 409
    assert json.loads(response.content) == {"detail": "This organisation already has an open membership."}


def test_django_validation_error_answers_422_with_field_errors(rf):
    error = ValidationError({"kinds": ["Unknown: spaceship."], "__all__": ["Give both or neither."]})

    response = api.on_exception(rf.post("/api/v1/x"), error)

    assert response.status_code == 422
    assert json.loads(response.content) == {
        "detail": "Invalid input",
        "errors": [
            {"field": "kinds", "message": "Unknown: spaceship."},
            {"field": "", "message": "Give both or neither."},
        ],
    }


def test_django_validation_error_without_a_field_answers_422(rf):
    response = api.on_exception(rf.post("/api/v1/x"), ValidationError("Latitude must be between -90 and 90."))

    assert json.loads(response.content)["errors"] == [{"field": "", "message": "Latitude must be between -90 and 90."}]
