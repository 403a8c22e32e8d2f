from odoo import models

from .loyalty_card import CODE_ATTEMPTS


class PosConfig(models.Model):
    _inherit = "pos.config"

    def use_coupon_code(self, code, creation_date, partner_id, pricelist_id):
        """Odoo's code lookup at the counter, with guesses limited per point of sale."""
        self.ensure_one()
        Card = self.env["loyalty.card"]
        key = f"pos:{self.id}"
        if not Card._o2o_code_attempt(key):
            return {
                "successful": False,
                "payload": {
                    "error_message": self.env._(
                        "Too many invalid codes were typed on this register: wait %s minutes.",
                        CODE_ATTEMPTS[1],
                    )
                },
            }
        result = super().use_coupon_code(code, creation_date, partner_id, pricelist_id)
        if result.get("successful"):
            Card._o2o_code_found(key)
        return result
