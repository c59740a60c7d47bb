"""The portal speaks Persian whatever language the browser asks for."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_browser_asking_for_english_still_gets_persian(client, world):
    client.force_login(world.ministry)
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert 'lang="fa"' in body and 'dir="rtl"' in body
    client.logout()
    response = client.post(reverse("financing:register"), {}, HTTP_ACCEPT_LANGUAGE="en-US")
    assert "This field is required" not in response.content.decode()
    assert "نام کاربری: این مقدار لازم است." in response.content.decode()
