import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError

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
        """Queue the reconciliation of the period (it lists and fetches from the marketplace)."""
        self.ensure_one()
        shop = self.shop_id
        date_to = min(self.date_to, fields.Datetime.now())
        shop._o2o_enqueue(
            "_o2o_job_reconcile_orders",
            self.date_from,
            date_to,
            identity=("reconcile", self.date_from, date_to),
            description=self.env._("%s: order reconciliation", shop.name),
        )
        return shop._o2o_notify(
            self.env._("Order reconciliation queued: the job log shows its figures when it is done.")
        )
