from . import (
    delivery_carrier,
    ir_http,
    o2o_order_report,
    o2o_pickup_attempt,
    o2o_pickup_slot,
    pos_order,
    pos_payment_method,
    pos_session,
    res_partner,
    sale_order,
    stock_warehouse,
)
