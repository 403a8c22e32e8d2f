import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..const import ORDER_RECONCILE_DAYS


class O2oMarketplaceOrderReconcile(models.TransientModel):
    """The period a manager reconciles orders for, from the shop form."""

    _name = "o2o.marketplace.order.reconcile"
    _description = "Reconcile Marketplace Orders"

    shop_id = fields.Many2one("o2o.marketplace.shop", required=True, ondelete="cascade")
    date_from = fields.Datetime(
        "Updated from",
        required=True,
        default=lambda self: fields.Datetime.now() - datetime.timedelta(days=ORDER_RECONCILE_DAYS),
    )
    date_to = fields.Datetime("Updated until", required=True, default=fields.Datetime.now)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from >= wizard.date_to:
                raise ValidationError(self.env._("The period must start before it ends."))

    def action_reconcile(self):
        self.ensure_one()
        shop = self.shop_id
        job = shop._o2o_reconcile_orders(self.date_from, min(self.date_to, fields.Datetime.now()))
        if job is None:
            raise UserError(
                self.env._("An order reconciliation of %(shop)s is already running.", shop=shop.name)
            )
        if job.state == "failed":
            raise UserError(self.env._("Order reconciliation failed: %(message)s", message=job.message))
        return shop._o2o_notify(job.message)
