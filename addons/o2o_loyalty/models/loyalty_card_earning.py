"""Points earned, reversed and adjusted on a member card: one history line and one lot each,
through the ledger."""

import secrets

from odoo import fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_is_zero, float_round


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    # ------------------------------------------------------------------
    # Earning, reversing, adjusting: one history line each
    # ------------------------------------------------------------------

    def _o2o_history(
        self, kind, description, issued=0.0, used=0.0, order=None, channel=None, store=None, key=None
    ):
        self.ensure_one()
        return (
            self.env["loyalty.history"]
            .sudo()
            .create(
                {
                    "card_id": self.id,
                    "description": description,
                    "issued": issued,
                    "used": used,
                    "order_model": order._name if order else False,
                    "order_id": order.id if order else False,
                    "o2o_kind": kind,
                    "o2o_channel_type": channel,
                    "o2o_store_id": store.id if store else False,
                    "o2o_key": key,
                }
            )
        )

    def _o2o_touch(self, channel=None, store=None):
        vals = {"o2o_last_activity": fields.Datetime.now()}
        if channel:
            vals["o2o_last_channel_type"] = channel
            vals["o2o_last_store_id"] = store.id if store else False
        self.sudo().write(vals)

    def _o2o_earn(self, points, order, amount, channel=None, store=None, description=None):
        """Credit ``points`` earned by ``order`` once: a second call for the same order does nothing.

        :return: the lot of the order, or an empty recordset when nothing was credited
        """
        self.ensure_one()
        Lot = self.env["o2o.loyalty.lot"].sudo()
        points = float_round(points, precision_digits=2, rounding_method="DOWN")
        if points <= 0:
            return Lot
        self._o2o_lock()
        Lot.flush_model()
        self.env.cr.execute(
            """
            SELECT id FROM o2o_loyalty_lot
            WHERE card_id = %s AND kind = 'earn' AND origin_model = %s AND origin_id = %s FOR UPDATE
            """,
            [self.id, order._name, order.id],
        )
        row = self.env.cr.fetchone()
        if row:
            return Lot
        lot = self._o2o_open_lot(points, origin_record=order, amount=amount, channel=channel, store=store)
        self._o2o_set_points(self.points + points)
        self._o2o_history(
            "earn",
            description or self.env._("Earned on %s", order.display_name),
            issued=points,
            order=order,
            channel=channel,
            store=store,
            key=f"earn:{order._name}:{order.id}:{self.id}",
        )
        self._o2o_touch(channel, store)
        self._o2o_update_tier(upgrade_only=True)
        return lot

    def _o2o_reverse(self, order, share, reference, amount=0.0, channel=None, store=None, key=None):
        """Take back ``share`` (0 to 1) of what ``order`` earned, for a return, refund or cancellation.

        The points come out of the order's own lot first; when the member already spent them,
        the balance may go below zero, which later earnings cover. ``key`` makes it happen once.
        """
        self.ensure_one()
        self._o2o_lock()
        if key:
            self.env["loyalty.history"].flush_model(["o2o_key"])
            self.env.cr.execute("SELECT 1 FROM loyalty_history WHERE o2o_key = %s", [key])
            if self.env.cr.fetchone():
                return 0.0
        lot = (
            self.env["o2o.loyalty.lot"]
            .sudo()
            .search(
                [
                    ("card_id", "=", self.id),
                    ("kind", "=", "earn"),
                    ("origin_model", "=", order._name),
                    ("origin_id", "=", order.id),
                ],
                limit=1,
            )
        )
        if not lot:
            return 0.0
        open_points = lot.points - lot.reversed_points
        points = min(float_round(lot.points * share, precision_digits=2), open_points)
        if float_is_zero(points, precision_digits=2):
            return 0.0
        from_lot = min(points, lot.remaining)
        lot.write(
            {
                "remaining": lot.remaining - from_lot,
                "reversed_points": lot.reversed_points + points,
                "reversed_amount": lot.reversed_amount + (amount or lot.amount * share),
            }
        )
        if points > from_lot:
            self._o2o_spend_lots(points - from_lot)
        self._o2o_set_points(self.points - points, allow_negative=True)
        self._o2o_history(
            "reverse",
            self.env._("Reversed: %s", reference),
            used=points,
            order=order,
            channel=channel,
            store=store,
            key=key,
        )
        self._o2o_update_tier(upgrade_only=True)
        return points

    def _o2o_adjust(self, points, reason):
        """A manual correction by a manager: credits open a lot, debits spend the oldest lots."""
        self.ensure_one()
        self._o2o_lock()
        if points > 0:
            self._o2o_open_lot(points, kind="adjust", origin=reason)
        else:
            if float_compare(self.points + points, 0, precision_digits=2) < 0:
                raise ValidationError(
                    self.env._("%(card)s holds %(points)s only.", card=self.code, points=self.points_display)
                )
            self._o2o_spend_lots(-points)
        self._o2o_set_points(self.points + points)
        return self._o2o_history(
            "adjust",
            self.env._("Adjusted by %(user)s: %(reason)s", user=self.env.user.name, reason=reason),
            issued=max(points, 0.0),
            used=max(-points, 0.0),
            key=f"adjust:{self.id}:{secrets.token_hex(8)}",
        )
