from odoo import models
from odoo.addons.o2o_base.utils import qr_url


class PosOrder(models.Model):
    _inherit = "pos.order"

    def confirm_coupon_programs(self, coupon_data):
        """Coupons printed on the receipt get a QR that opens the web shop with the coupon
        applied; its image link is signed here, as the public QR route renders nothing else."""
        result = super().confirm_coupon_programs(coupon_data)
        new_coupons = result.get("new_coupon_info") or []
        base_url = new_coupons and self.get_base_url()
        for info in new_coupons:
            info["o2o_qr_url"] = qr_url(self.env, f"{base_url}/coupon/{info['code']}", size=4)
        return result
