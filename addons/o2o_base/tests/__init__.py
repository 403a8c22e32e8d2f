from . import (
    test_access,
    test_customer_concurrency,
    test_customer_link,
    test_dashboard,
    test_demo,
    test_merge,
    test_phone,
    test_pos_tour,
    test_qr,
    test_stores_channels,
    test_tax_id,
    test_tours,
)
