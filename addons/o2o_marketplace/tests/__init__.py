from . import test_access, test_order_import, test_stock_push, test_tokens, test_webhook
