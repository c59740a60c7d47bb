"""Missing pages and refusals are answered in Persian, never with Django's English pages."""

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from tests.web import as_user

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_missing_page_is_persian(client):
    response = client.get("/applications/999999/")
    assert response.status_code in (302, 404)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'dir="rtl"' in body and "پیدا نشد" in body and "Not Found" not in body


def test_the_server_error_page_is_persian():
    body = render_to_string("500.html")
    assert "خطایی در سامانه رخ داد." in body and 'lang="fa"' in body


def test_a_forbidden_page_is_persian(client, world):
    as_user(client, world.bank_officer_1)
    response = client.get(reverse("sectors:create"))
    assert response.status_code == 403
    assert "اجازه دیدن این صفحه را ندارید." in response.content.decode()
