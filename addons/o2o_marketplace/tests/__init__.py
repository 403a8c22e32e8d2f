from . import (
    test_access,
    test_order_import,
    test_order_reconcile,
    test_shipment,
    test_stock_push,
    test_token_race,
    test_tokens,
    test_webhook,
)
