from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    o2o_refund_online = fields.Boolean(
        "Refund to the online payment",
        help="For returns of web orders paid online: the amount is booked on the customer's account "
        "and the payment provider is asked to refund the original online payment.",
    )

    @api.constrains("o2o_refund_online", "split_transactions", "journal_id")
    def _check_o2o_refund_online(self):
        for method in self:
            if method.o2o_refund_online and method.type != "pay_later":
                raise ValidationError(
                    self.env._(
                        "%s must be a customer account method to refund online payments: no cash or "
                        "card moves at the counter.",
                        method.name,
                    )
                )

    def _is_write_forbidden(self, fields):  # pylint: disable=redefined-outer-name
        # Where returns are refunded does not change the open sessions' accounting.
        return super()._is_write_forbidden(fields - {"o2o_refund_online"})

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + ["o2o_refund_online"]
