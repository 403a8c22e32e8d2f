from odoo import models
from odoo.http import request


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    def _in_store_get_close_locations(self, partner_address, product_id=None):
        """Add each store's earliest pickup time to Odoo's store selector (product page and checkout)."""
        locations = super()._in_store_get_close_locations(partner_address, product_id=product_id)
        if product_id:
            product = self.env["product.product"].browse(int(product_id)).exists()
            products_qty = {product: 1.0} if product else {}
        else:
            order = request.website.sale_get_order() if request else self.env["sale.order"]
            products_qty = order._o2o_pickup_products_qty() if order else {}
        stores = self.env["stock.warehouse"].browse([location["id"] for location in locations])
        for location, store in zip(locations, stores, strict=True):
            location.setdefault("additional_data", {})["o2o_earliest_pickup"] = (
                store._o2o_earliest_pickup_label(products_qty)
            )
        return locations
