from . import (
    test_concurrency,
    test_earning,
    test_expiry_tiers,
    test_ledger,
    test_newcomer_member,
    test_portal_access,
    test_pos,
    test_stock_rights,
    test_tours,
    test_website_guard,
)
