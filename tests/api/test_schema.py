"""The OpenAPI schema and the interactive docs."""

from __future__ import annotations

from tests.api.conftest import API


def test_openapi_documents_the_bearer_token(client):
    schema = client.get(f"{API}/openapi.json").json()

    assert schema["components"]["securitySchemes"]["TokenAuth"]["type"] == "http"
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert schema["paths"]["/api/v1/people"]["get"]["security"] == [{"TokenAuth": []}]
    assert "security" not in schema["paths"]["/api/v1/organisations"]["get"]


def test_openapi_documents_field_errors(client):
    schema = client.get(f"{API}/openapi.json").json()

    responses = schema["paths"]["/api/v1/organisations"]["post"]["responses"]
    assert responses["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationErrorOut"
    }


def test_docs_page_renders(client):
    response = client.get(f"{API}/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
