from odoo import api, models
from odoo.osv import expression


class O2oOrderReport(models.Model):
    _inherit = "o2o.order.report"

    @api.model
    def _dashboard_extra_kpis(self, domain):
        kpis = super()._dashboard_extra_kpis(domain)
        web_orders = self.search_count(expression.AND([domain, [("channel_type", "=", "website")]]))
        collected = self.search_count(
            expression.AND([domain, [("sale_order_id.o2o_pickup_state", "=", "collected")]])
        )
        kpis.append(
            {
                "key": "collected_in_store",
                "label": self.env._("Web Orders Collected in Store"),
                "value": collected / web_orders if web_orders else 0.0,
                "format": "percentage",
            }
        )
        return kpis
