from . import (
    test_access,
    test_oauth_state,
    test_order_import,
    test_order_race,
    test_order_reconcile,
    test_queue,
    test_shipment,
    test_stock_push,
    test_token_race,
    test_tokens,
    test_webhook,
)
