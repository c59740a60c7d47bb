"""Paging (``common.paging``): a list must be ordered by a key that ends in the id, so that rows
sharing a sort key keep one order from page to page (C19)."""

import pytest
from django.test import RequestFactory

from common import paging
from financing.models import InvestmentApplication


def test_a_list_must_be_ordered_by_a_key_that_ends_in_the_id(db):
    request = RequestFactory().get("/", {"page": "2"})
    with pytest.raises(ValueError, match="ends in the id"):
        paging.paginate(request, InvestmentApplication.objects.order_by("state_changed_at"))
    page = paging.paginate(request, InvestmentApplication.objects.order_by("state_changed_at", "id"))
    assert page.number == 1 and list(page.object_list) == []
