"""C10: money is an integer count of rials, and every amount column of every app is 64-bit
(a 32-bit ``IntegerField`` overflows at 2,147,483,647 rials)."""

from django.apps import apps
from django.db import models


def test_every_money_field_is_64_bit():
    """Every ``*_rials`` field of every model is a ``BigIntegerField``."""
    money = [f for m in apps.get_models() for f in m._meta.concrete_fields if f.name.endswith("_rials")]
    assert len(money) >= 10
    assert [f"{f.model._meta.label}.{f.name}" for f in money if not isinstance(f, models.BigIntegerField)] == []
