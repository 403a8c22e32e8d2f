# ruff: noqa: I001 - the SQL views (reports) need the columns of the models above them
from . import res_company
from . import crm_team
from . import stock_warehouse
from . import pos_config
from . import res_partner
from . import sale_order
from . import pos_order
from . import ir_qweb
from . import o2o_order_report
from . import o2o_partner_duplicate
from . import o2o_rate_limit
