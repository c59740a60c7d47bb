"""The OpenAPI schema and the interactive docs (issue 8, "Base and docs"): the schema describes every
route of ``financing.api.urls`` with the Api-Key scheme and the error shape, and the docs pages
load their assets from this machine only."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.urls import URLPattern
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from financing.api import urls

DOCS_ROUTES = {"schema/", "docs/", "redoc/"}
READ_VIEWS = ("ApplicationListApi", "ApplicationDetailApi", "DocumentDownloadApi", "SubsidyApi")


def api_paths():
    """Every API route of ``financing.api.urls`` as OpenAPI writes it: ``/api/v1/applications/{id}/``
    (drf-spectacular names a ``pk`` by the model's ``id``). The last route, the JSON 404 of any other
    path, is not an operation."""
    routes = [p.pattern._route for p in urls.urlpatterns
              if isinstance(p, URLPattern) and p.callback is not urls.unknown_path]
    return {"/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("{pk}", "{id}") for route in routes
            if route not in DOCS_ROUTES}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    return yaml.safe_load(response.content)


def test_the_schema_lists_every_route(schema):
    assert len(api_paths()) == 11
    assert set(schema["paths"]) == api_paths()
    assert schema["openapi"].startswith("3.")


def test_the_schema_is_valid_and_the_reads_raise_no_warning(db):
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        generated = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    validate_schema(generated)
    problems = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert not GENERATOR_STATS._error_cache
    ours = ("reads.py", "filters.py", "pagination.py", "subsidy.py", "serializers.py:", *READ_VIEWS)
    assert [p for p in problems if any(name in p for name in ours)] == []


def test_the_api_key_scheme_is_documented_and_required(schema):
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["ApiKeyAuth"]["description"],
    }
    for path in api_paths():
        for operation in schema["paths"][path].values():
            assert operation["security"] == [{"ApiKeyAuth": []}], path


def test_every_read_documents_its_errors_in_the_error_shape(schema):
    reads = {"/api/v1/applications/": {"400", "401", "403", "429"},
             "/api/v1/applications/{id}/": {"401", "403", "404", "429"},
             "/api/v1/applications/{id}/documents/{document_id}/": {"401", "403", "404", "429"},
             "/api/v1/applications/{id}/subsidy/": {"401", "403", "404", "409", "429"}}
    for path, statuses in reads.items():
        responses = schema["paths"][path]["get"]["responses"]
        assert set(responses) == {"200", *statuses}, path
        for status in statuses:
            content = responses[status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ApiError"}
            assert content["examples"]
    error = schema["components"]["schemas"]["ApiError"]
    assert set(error["properties"]) == {"code", "message", "message_en", "fields"}


def test_the_list_documents_its_filters_and_cursor(schema):
    operation = schema["paths"]["/api/v1/applications/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"state", "province", "priority_sector", "economic_sector", "updated_since", "cursor",
                     "page_size"}
    page = schema["components"]["schemas"]["PaginatedApplicationRowList"]
    assert set(page["properties"]) == {"next", "previous", "results"}
    row = schema["components"]["schemas"]["ApplicationRow"]["properties"]
    assert {"submitted_at_jalali", "updated_at_jalali", "state_label", "requested_loan_rials"} <= set(row)


def test_the_download_documents_each_content_type(schema):
    content = schema["paths"]["/api/v1/applications/{id}/documents/{document_id}/"]["get"]["responses"]["200"]
    assert {"application/pdf", "image/png", "image/jpeg"} <= set(content["content"])


def test_the_detail_describes_every_part(schema):
    detail = schema["components"]["schemas"]["ApplicationDetail"]["properties"]
    assert {"applicant", "project", "contract", "tranches", "subsidy_payouts", "documents", "history"} <= set(detail)
    assert set(schema["components"]["schemas"]["Applicant"]["properties"]) == {
        "name", "person_kind", "person_kind_label", "ownership", "ownership_label", "national_id", "mobile"}


@pytest.mark.parametrize("page", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_pages_load_nothing_from_another_site(client, db, page):
    response = client.get(page)
    html = response.content.decode()

    assert response.status_code == 200
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I), "an external URL"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads no assets?"
    for asset in assets:
        assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_path_the_api_does_not_have_answers_json_404(client, db, method):
    response = getattr(client, method)("/api/v1/applications/null,null/approve/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and response.json()["message"] == "پیدا نشد."
