"""Cursor paging of the bank API's list (issue 8; C19): a keyset over ``(updated_at, id)``, ascending.

DRF's ``CursorPagination`` keys its cursor on the first ordering field alone and skips rows that
share it by an offset, capped at 1,000: with 2,000 applications changed in the same instant its
pages would repeat rows, and a row that changes while a bank walks the pages would shift the
offset and skip another. Here the cursor holds the last row's ``updated_at`` *and* ``id``, so the
next page is exactly the rows after that pair: every row is seen once, however many share a
time, and a row changed meanwhile moves to the end, where the walk meets it again.

The cursor is opaque to the bank (base64 of ``r=<0|1>&p=<ISO time>|<id>``); a damaged one is a
400. ``page_size`` is 1–200 (default 25); another value is a 400.
"""

import binascii
import datetime
from base64 import b64decode, b64encode
from urllib import parse

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from common.fields import fits_int64
from common.normalization import to_ascii_digits

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


class UpdatedCursorPagination(pagination.CursorPagination):
    """Keyset paging on ``(updated_at, id)`` ascending, with ``next`` and ``previous`` links."""

    ordering = ("updated_at", "id")
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    template = None
    cursor_query_description = "The opaque cursor of a page: take it from the `next` or `previous` link."
    page_size_query_description = "Rows per page, 1 to 200 (default 25)."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        text = to_ascii_digits(raw).strip()
        if not (text.isascii() and text.isdigit() and fits_int64(text) and 1 <= int(text) <= self.max_page_size):
            raise ValidationError({self.page_size_query_param: [_("اندازه صفحه باید عددی از ۱ تا ۲۰۰ باشد.")]})
        return int(text)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.cursor = cursor = self.decode_cursor(request)
        reverse, position = cursor if cursor else (False, None)
        if position is not None:
            at, pk = position
            if reverse:
                queryset = queryset.filter(Q(updated_at__lte=at) & (Q(updated_at__lt=at) | Q(id__lt=pk)))
            else:
                queryset = queryset.filter(Q(updated_at__gte=at) & (Q(updated_at__gt=at) | Q(id__gt=pk)))
        queryset = queryset.order_by("-updated_at", "-id") if reverse else queryset.order_by("updated_at", "id")
        rows = list(queryset[:self.page_size + 1])
        more = len(rows) > self.page_size
        self.page = rows[:self.page_size]
        if reverse:
            self.page.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = position is not None, more
        self.position = position
        return self.page

    # --- links --------------------------------------------------------------------------------
    def get_next_link(self):
        if not self.has_next:
            return None
        if self.page:
            return self._link(False, self._key(self.page[-1]))
        # An empty page reached backwards: go forwards from where it started, inclusive of nothing.
        return self._link(False, self.position)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if self.page:
            return self._link(True, self._key(self.page[0]))
        return self._link(True, self.position)

    @staticmethod
    def _key(row):
        return row.updated_at, row.pk

    def _link(self, reverse, position):
        tokens = {"r": "1" if reverse else "0"}
        if position is not None:
            tokens["p"] = f"{position[0].isoformat()}|{position[1]}"
        encoded = b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def decode_cursor(self, request):
        """``(reverse, (updated_at, id) or None)`` of the request's cursor, ``None`` without one;
        a cursor that was not made here is a 400."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            tokens = parse.parse_qs(b64decode(encoded.encode("ascii"), validate=True).decode("ascii"),
                                    strict_parsing=True)
            reverse = {"0": False, "1": True}[tokens["r"][0]]
            position = None
            if "p" in tokens:
                at_text, _sep, pk_text = tokens["p"][0].partition("|")
                at = datetime.datetime.fromisoformat(at_text)
                if at.tzinfo is None or not (pk_text.isascii() and pk_text.isdigit() and fits_int64(pk_text)):
                    raise ValueError(pk_text)
                # In UTC, as the database compares it: a year 1 or 9999 with an offset overflows here.
                position = (at.astimezone(datetime.UTC), int(pk_text))
        except (binascii.Error, UnicodeError, ValueError, KeyError, IndexError, OverflowError):
            raise ValidationError({self.cursor_query_param: [_("نشانگر صفحه نامعتبر است.")]}) from None
        return reverse, position

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        example = "https://portal.example.ir/api/v1/applications/?cursor=cj0wJnA9MjAyNS0wNC0wMVQxMDowMDowMCUyQjAwJTNBMDB8NDI%3D"
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri", "example": example,
                         "description": "The next page (rows changed later), or null on the last page."},
                "previous": {"type": "string", "nullable": True, "format": "uri", "example": None,
                             "description": "The previous page, or null on the first page."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query",
             "description": str(self.cursor_query_description), "schema": {"type": "string"}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": str(self.page_size_query_description),
             "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size,
                        "default": DEFAULT_PAGE_SIZE}},
        ]
