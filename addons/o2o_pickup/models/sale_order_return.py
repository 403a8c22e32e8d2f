"""Goods of a collected pickup order brought back to the store: what can be returned, and the
refund at the counter or to the online payment."""

import logging

from odoo import models
from odoo.tools import float_compare, format_amount

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Return in store
    # ------------------------------------------------------------------

    def _o2o_pickup_returnable_lines(self):
        """{sale line: quantity the customer may still bring back} of a collected order."""
        self.ensure_one()
        lines = self.order_line.filtered(
            lambda line: not line.display_type and not line.is_delivery and line.product_id.type == "consu"
        )
        return {
            line: line.qty_delivered
            for line in lines
            if float_compare(line.qty_delivered, 0, precision_rounding=line.product_uom.rounding) > 0
        }

    def _o2o_pickup_online_transactions(self):
        return self.sudo().transaction_ids.filtered(
            lambda tx: tx.state == "done" and tx.operation != "refund" and tx.provider_id.code != "none"
        )

    def _o2o_pickup_return_data(self, config):
        """What the POS needs to take back a collected web order at this store."""
        self.ensure_one()
        if self.o2o_pickup_state != "collected" or self.o2o_pickup_store_id != config.warehouse_id:
            return {"returnable": False}
        returnable = self._o2o_pickup_returnable_lines()
        online = self._o2o_pickup_online_transactions()
        refund_online = config.payment_method_ids.filtered("o2o_refund_online")[:1]
        return {
            "returnable": bool(returnable),
            "return_lines": [
                {"sale_line_id": line.id, "product": line.product_id.display_name, "qty": qty}
                for line, qty in returnable.items()
            ],
            "paid_online": ", ".join(online.provider_id.mapped("name")),
            "refund_online_method_id": refund_online.id if online and refund_online else False,
        }

    def _o2o_pickup_returned_at_pos(self, pos_order, lines):
        """Goods of this web order brought back at a store (negative POS lines referencing it).

        The POS order restocks the store and refunds with the cashier's payment method: the
        store's own methods, the customer's account (store credit), or "refund to the online
        payment", which asks the payment provider to refund the original transaction.
        """
        self.ensure_one()
        amount = -sum(lines.mapped("price_subtotal_incl"))
        returned = ", ".join(f"{-line.qty:g} x {line.product_id.display_name}" for line in lines)
        methods = pos_order.payment_ids.payment_method_id
        self._o2o_pickup_note(
            self.env._(
                "Returned at %(pos)s (%(order)s): %(lines)s; %(amount)s refunded by %(methods)s.",
                pos=pos_order.config_id.name,
                order=pos_order.name,
                lines=returned,
                amount=format_amount(self.env, amount, pos_order.currency_id),
                methods=", ".join(methods.mapped("name")),
            )
        )
        online_refund = -sum(
            pos_order.payment_ids.filtered(lambda p: p.payment_method_id.o2o_refund_online).mapped("amount")
        )
        if self.currency_id.compare_amounts(online_refund, 0) > 0:
            # Asked of the payment provider once the return is committed: a provider that is
            # down must not block the register, and a rolled-back return must not be refunded.
            order_id, pos_order_id = self.id, pos_order.id

            @self.env.cr.postcommit.add
            def refund_online():
                with self.env.registry.cursor() as cr:
                    env = self.env(cr=cr)
                    env["sale.order"].browse(order_id)._o2o_pickup_refund_online(
                        online_refund, env["pos.order"].browse(pos_order_id)
                    )

    def _o2o_pickup_refund_online(self, amount, pos_order):
        """Refund ``amount`` on the order's online payments, newest first, as far as they allow."""
        for tx in self._o2o_pickup_online_transactions().sorted("id", reverse=True):
            if self.currency_id.compare_amounts(amount, 0) <= 0:
                break
            refunded = -sum(
                tx.child_transaction_ids.filtered(
                    lambda child: child.operation == "refund" and child.state != "error"
                ).mapped("amount")
            )
            available = tx.amount - refunded
            if tx.provider_id.support_refund == "none" or self.currency_id.compare_amounts(available, 0) <= 0:
                continue
            part = min(amount, available)
            if tx.provider_id.support_refund == "full_only" and self.currency_id.compare_amounts(
                part, tx.amount
            ):
                continue
            try:
                with self.env.cr.savepoint():
                    tx.action_refund(amount_to_refund=part)
            except Exception as error:  # noqa: BLE001 - any provider failure leaves it to a person
                _logger.warning("online refund of %s on %s failed: %s", part, tx.reference, error)
                continue
            amount -= part
            self._o2o_pickup_note(
                self.env._(
                    "%(amount)s refunded to the online payment %(reference)s (%(provider)s).",
                    amount=format_amount(self.env, part, self.currency_id),
                    reference=tx.reference,
                    provider=tx.provider_id.name,
                )
            )
        if self.currency_id.compare_amounts(amount, 0) > 0:
            # Not refundable online: it stays as a credit on the customer's account.
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Refund the customer"),
                note=self.env._(
                    "%(amount)s returned at %(pos)s could not be refunded to the online payment: "
                    "refund it by bank transfer, or leave it as store credit.",
                    amount=format_amount(self.env, amount, self.currency_id),
                    pos=pos_order.config_id.name,
                ),
            )
