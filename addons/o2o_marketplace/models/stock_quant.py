from odoo import api, models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _update_available_quantity(self, product_id, location_id, *args, **kwargs):
        result = super()._update_available_quantity(product_id, location_id, *args, **kwargs)
        self.env["o2o.marketplace.listing"]._o2o_stock_changed(product_id.id, location_id)
        return result

    @api.model
    def _update_reserved_quantity(self, product_id, location_id, *args, **kwargs):
        result = super()._update_reserved_quantity(product_id, location_id, *args, **kwargs)
        self.env["o2o.marketplace.listing"]._o2o_stock_changed(product_id.id, location_id)
        return result
