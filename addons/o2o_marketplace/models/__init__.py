from . import (
    o2o_marketplace_job,
    o2o_marketplace_listing,
    o2o_marketplace_oauth_state,
    o2o_marketplace_shop,
    o2o_marketplace_shop_auth,
    o2o_marketplace_shop_queue,
    o2o_marketplace_shop_webhook,
    o2o_marketplace_token,
    res_partner,
    sale_order,
    stock_picking,
    stock_quant,
)
