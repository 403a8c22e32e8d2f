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
            .create(self._o2o_history_vals(kind, description, issued, used, order, channel, store, key))
        )

    def _o2o_history_vals(
        self, kind, description, issued=0.0, used=0.0, order=None, channel=None, store=None, key=None
    ):
        self.ensure_one()
        return {
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
        return self._o2o_earn_many([(self, points, order, amount, store, description)], channel=channel)

    def _o2o_earn_many(self, earnings, channel=None, claimed=False):
        """Credit what each order earned on its card, once per order, for a batch of orders (a
        POS sync) in one pass: the cards locked and the orders already credited found by one
        query, then one create of the lots, one of the history lines, the balances and the tiers.

        :param earnings: ``(card, points, order, amount, store, description)`` tuples; description
            may be None (the default "Earned on ...")
        :param claimed: the caller holds these orders, never credited before, for this
            transaction (the POS settlement's claim): the cards are locked without looking for
            their lots
        :return: the lots created
        """
        Lot = self.env["o2o.loyalty.lot"].sudo()
        earnings = [
            (card, float_round(points, precision_digits=2, rounding_method="DOWN"), *rest)
            for card, points, *rest in earnings
        ]
        earnings = [earning for earning in earnings if earning[1] > 0]
        if not earnings:
            return Lot
        cards = self.browse(sorted({earning[0].id for earning in earnings})).sudo()
        if claimed:
            cards._o2o_lock()
            return self._o2o_book_earnings(earnings, cards, channel)
        cards.flush_recordset()
        Lot.flush_model(["card_id", "kind", "origin_model", "origin_id"])
        # The cards' rows locked (concurrent earners and spenders wait here, in id order) and, in
        # the same statement, the orders already credited (a retried sync) found. Every locked row
        # is read (the lots are joined to it), so every card is locked, credited or not.
        self.env.cr.execute(
            """
            WITH locked AS (SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id FOR UPDATE)
            SELECT locked.id, lot.origin_model, lot.origin_id
              FROM locked
              LEFT JOIN o2o_loyalty_lot lot
                ON lot.card_id = locked.id AND lot.kind = 'earn' AND lot.origin_id = ANY(%s)
            """,
            [cards.ids, [earning[2].id for earning in earnings]],
        )
        credited = {row for row in self.env.cr.fetchall() if row[2]}
        earnings = [e for e in earnings if (e[0].id, e[2]._name, e[2].id) not in credited]
        return self._o2o_book_earnings(earnings, cards, channel)

    def _o2o_book_earnings(self, earnings, cards, channel):
        """The lots, history lines, balances and tiers of ``earnings`` (``cards`` locked)."""
        Lot = self.env["o2o.loyalty.lot"].sudo()
        if not earnings:
            return Lot
        today = fields.Date.context_today(self)
        lots = Lot.create(
            [
                card._o2o_lot_vals(
                    points, origin_record=order, amount=amount, channel=channel, store=store, date=today
                )
                for card, points, order, amount, store, _description in earnings
            ]
        )
        self.env["loyalty.history"].sudo().create(
            [
                card._o2o_history_vals(
                    "earn",
                    description or self.env._("Earned on %s", order.display_name),
                    issued=points,
                    order=order,
                    channel=channel,
                    store=store,
                    key=f"earn:{order._name}:{order.id}:{card.id}",
                )
                for card, points, order, _amount, store, description in earnings
            ]
        )
        added = {}
        for card, points, *_rest in earnings:
            added[card] = added.get(card, 0.0) + points
        last_store = {card: store for card, _points, _order, _amount, store, _d in earnings}
        for card, points in added.items():
            card._o2o_set_points(card.points + points)
            card._o2o_touch(channel, last_store[card])
        cards.browse([card.id for card in added])._o2o_update_tier(upgrade_only=True)
        return lots

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
