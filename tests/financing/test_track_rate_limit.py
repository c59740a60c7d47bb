"""The public tracking page refuses a client address after 10 failed look-ups in 10 minutes (C20),
counted in the shared cache (Redis in production) so every process counts together."""

import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from financing import tracking

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/15"


def look_up(client, code, address="10.1.2.3"):
    return client.get(reverse("financing:track"), {"code": code}, REMOTE_ADDR=address)


def mistyped():
    code = tracking.generate()
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def test_the_eleventh_failure_gets_429_in_persian(client):
    kinds = [mistyped(), tracking.generate(), "junk"]  # check digit, unknown, format: all count
    for n in range(10):
        assert look_up(client, kinds[n % 3]).status_code in (400, 404)
    response = look_up(client, tracking.generate())
    assert response.status_code == 429
    assert "بیش از حد مجاز" in response.content.decode()
    assert response["Retry-After"] == "600"


def test_another_address_is_not_limited(client):
    for _ in range(10):
        look_up(client, "junk")
    assert look_up(client, "junk").status_code == 429
    assert look_up(client, "junk", address="10.9.9.9").status_code == 400


def test_a_known_code_does_not_count(client, tracked):
    for _ in range(15):
        assert look_up(client, tracked.tracking_code).status_code == 200


def test_the_count_lives_in_redis_and_is_shared(client):
    prefix = f"kaleh-test-{uuid.uuid4().hex}"
    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                               "KEY_PREFIX": prefix}}
    server = redis.Redis.from_url(REDIS_URL)
    try:
        with override_settings(CACHES=redis_cache):  # Django swaps the cache handler for this block
            assert "RedisCache" in type(caches["default"]).__name__
            for _ in range(10):
                look_up(client, "junk")
            keys = server.keys(f"{prefix}:*")
            assert len(keys) == 1
            # Another process sees the same count: here, a fresh client of the same Redis.
            assert int(redis.Redis.from_url(REDIS_URL).get(keys[0])) == 10
            assert look_up(client, "junk").status_code == 429
    finally:
        for key in server.keys(f"{prefix}:*"):
            server.delete(key)


def test_other_parameters_are_not_look_ups(client):
    for _ in range(15):
        response = client.get(reverse("financing:track"), {"utm_source": "x"}, REMOTE_ADDR="10.1.2.3")
        assert response.status_code == 200
    assert look_up(client, "junk").status_code == 400
