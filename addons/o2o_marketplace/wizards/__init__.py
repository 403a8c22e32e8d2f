from . import o2o_marketplace_order_reconcile
