"""Persian alphabetical order for names.

Unicode code points put پ چ ژ ک گ ی after the Arabic letters, so a plain ``ORDER BY name`` lists
«پروین» after «یاسمن». On PostgreSQL the ICU collation ``fa-IR-x-icu`` gives the Persian order;
SQLite (local demos only) keeps code-point order.
"""

from django.db import connections
from django.db.models import F
from django.db.models.functions import Collate

PERSIAN_COLLATION = "fa-IR-x-icu"


def persian(field: str, *, using: str = "default"):
    """An ordering expression for ``field`` in Persian alphabetical order (PostgreSQL)."""
    if connections[using].vendor == "postgresql":
        return Collate(F(field), PERSIAN_COLLATION)
    return F(field)


def order_persian(queryset, *fields):
    """``queryset`` ordered by ``fields`` in Persian order, then by ``id`` so the order is total."""
    return queryset.order_by(*(persian(f, using=queryset.db) for f in fields), "id")
