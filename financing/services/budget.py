"""Where an application's money counts in the budget (``budgets``): its province and its economic
sector (Tables 6 and 8)."""

from budgets.services import Claim


def budget_claim(application) -> Claim:
    """The budget lines' owners of ``application``: its province and its economic sector."""
    return Claim(province_id=application.province_id, economic_sector_id=application.economic_sector_id)
