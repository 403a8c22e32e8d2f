from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import float_compare, float_is_zero

from ..utils import code_guess_key
from .loyalty_card import CODE_ATTEMPTS, ODOO_FLOW, transaction_flag

LOYALTY_STATES = [
    ("pending", "To earn"),
    ("earned", "Earned"),
    ("reversed", "Reversed"),
]


class SaleOrder(models.Model):
    """Member points of sale orders (website, back office, marketplaces) credited when the order
    is paid or delivered, not at confirmation; partial redemption of points."""

    _inherit = "sale.order"

    o2o_loyalty_join = fields.Boolean(
        string="Join Membership", copy=False, help="The customer asked to become a member with this order."
    )
    o2o_loyalty_state = fields.Selection(
        LOYALTY_STATES, string="Member Points", copy=False, readonly=True, index="btree_not_null"
    )
    o2o_points_to_spend = fields.Float(
        string="Points to Spend",
        copy=False,
        help="How many member points the customer chose to spend on this order "
        "(0: as many as the reward allows).",
    )

    # ------------------------------------------------------------------
    # Which programs an order sees: the membership only for members (or who joins)
    # ------------------------------------------------------------------

    def _o2o_member_card(self, create=False):
        self.ensure_one()
        return self.partner_id._o2o_member_card(
            company=self.company_id,
            create=create,
            channel=self.o2o_channel_type,
            store=self.o2o_store_id or None,
        )

    def _get_program_domain(self):
        domain = super()._get_program_domain()
        if not (self.o2o_loyalty_join or self._o2o_member_card()):
            domain = [*domain, ("o2o_is_membership", "=", False)]
        return domain

    def _get_trigger_domain(self):
        domain = super()._get_trigger_domain()
        if not (self.o2o_loyalty_join or self._o2o_member_card()):
            domain = [*domain, ("program_id.o2o_is_membership", "=", False)]
        return domain

    def _update_programs_and_rewards(self):
        # A marketplace sets its own prices and vouchers: no promotion of ours changes them.
        if self.o2o_channel_type == "marketplace":
            return None
        return super()._update_programs_and_rewards()

    def _o2o_code_key(self):
        """Who is guessing: the website visitor (staff in the back office are not limited)."""
        if request and getattr(request, "website", None) and request.httprequest:
            return code_guess_key(request.httprequest.remote_addr, request.session.sid)
        return None

    def _try_apply_code(self, code):
        """Odoo's promo and coupon code entry, with wrong guesses limited per visitor."""
        Card = self.env["loyalty.card"]
        key = self._o2o_code_key()
        if not key:
            return super()._try_apply_code(code)
        if not Card._o2o_code_attempt(key):
            return {"error": self.env._("Too many invalid codes: try again in %s minutes.", CODE_ATTEMPTS[1])}
        result = super()._try_apply_code(code)
        if not (result.get("error") or result.get("not_found")):
            Card._o2o_code_found(key)
        return result

    def _get_claimable_rewards(self, forced_coupons=None):
        result = super()._get_claimable_rewards(forced_coupons=forced_coupons)
        tier = self._o2o_member_card().o2o_tier_id
        for coupon in list(result):
            result[coupon] = result[coupon].filtered(lambda r: r._o2o_unlocked_by(tier))
            if not result[coupon]:
                del result[coupon]
        return result

    # ------------------------------------------------------------------
    # Points of members: spent at confirmation (as Odoo does), earned later
    # ------------------------------------------------------------------

    def _get_point_changes(self):
        changes = super()._get_point_changes()
        for coupon_point in self.coupon_point_ids.filtered(lambda p: p.coupon_id.o2o_is_member):
            changes[coupon_point.coupon_id] -= coupon_point.points
        return changes

    def _get_real_points_for_coupon(self, coupon, post_confirm=False):
        points = super()._get_real_points_for_coupon(coupon, post_confirm=post_confirm)
        if (
            coupon.o2o_is_member
            and coupon.program_id.applies_on != "future"
            and self.state not in ("sale", "done")
        ):
            # Points this order will earn are not there before it is paid: they cannot pay for it.
            points -= self.coupon_point_ids.filtered(lambda p: p.coupon_id == coupon).points
            points = coupon.currency_id.round(points)
        return points

    def _add_points_for_coupon(self, coupon_points):
        if self.state != "sale":
            return super()._add_points_for_coupon(coupon_points)
        members = {coupon: points for coupon, points in coupon_points.items() if coupon.o2o_is_member}
        res = super()._add_points_for_coupon({c: p for c, p in coupon_points.items() if c not in members})
        for coupon, points in members.items():
            entry = self.coupon_point_ids.sudo().filtered(lambda p, c=coupon: p.coupon_id == c)
            if entry:
                entry.points = points
            else:
                self.sudo().with_context(tracking_disable=True).write(
                    {"coupon_point_ids": [fields.Command.create({"coupon_id": coupon.id, "points": points})]}
                )
        return res

    def _add_loyalty_history_lines(self):
        res = super()._add_loyalty_history_lines()
        lines = (
            self.env["loyalty.history"]
            .sudo()
            .search(
                [
                    ("order_model", "=", self._name),
                    ("order_id", "=", self.id),
                    ("card_id.o2o_is_member", "=", True),
                ]
            )
        )
        # The earning gets its own line when it is credited.
        lines.filtered(lambda h: not h.used).unlink()
        (lines.exists()).write({"issued": 0, "o2o_kind": "spend", "o2o_channel_type": self.o2o_channel_type})
        return res

    def _get_reward_values_discount(self, reward, coupon, **kwargs):
        values = super()._get_reward_values_discount(reward, coupon, **kwargs)
        wanted = self.o2o_points_to_spend
        if not (wanted > 0 and coupon.o2o_is_member and reward.discount_mode == "per_point"):
            return values
        cost = sum(v.get("points_cost", 0) for v in values)
        if cost <= 0 or float_compare(wanted, cost, precision_digits=2) >= 0:
            return values
        # Partial redemption: the discount shrinks to the points the customer chose.
        factor = wanted / cost
        for vals in values:
            vals["price_unit"] = vals["price_unit"] * factor
            if vals.get("points_cost"):
                vals["points_cost"] = vals["points_cost"] * factor
        return values

    def _apply_program_reward(self, reward, coupon, **kwargs):
        error = reward.program_id._o2o_limit_error(self.partner_id, exclude=self)
        if error:
            return {"error": error}
        return super()._apply_program_reward(reward, coupon, **kwargs)

    def action_confirm(self):
        # The limit is checked again when the order is placed: another order may have used it meanwhile.
        for order in self:
            for program in order.order_line.reward_id.program_id:
                error = program._o2o_limit_error(order.partner_id, exclude=order)
                if error:
                    raise UserError(error)
        # sale_loyalty spends the points of the order's rewards as the salesperson.
        with transaction_flag(self.env.cr, ODOO_FLOW):
            res = super().action_confirm()
        self._o2o_loyalty_check()
        return res

    def _o2o_spend_points(self, points):
        """Spend ``points`` of the member's card on this order through the program's per-point reward."""
        self.ensure_one()
        card = self._o2o_member_card()
        if not card:
            raise UserError(self.env._("Join the membership program to spend points."))
        reward = card.program_id.reward_ids.filtered(
            lambda r: r.reward_type == "discount" and r.discount_mode == "per_point"
        )[:1]
        if not reward:
            raise UserError(self.env._("The membership program has no reward that pays with points."))
        if points <= 0:
            raise UserError(self.env._("Choose how many points to spend."))
        available = self._get_real_points_for_coupon(card) + sum(
            self.order_line.filtered(lambda ln: ln.coupon_id == card).mapped("points_cost")
        )
        if float_compare(points, available, precision_digits=2) > 0:
            raise UserError(
                self.env._(
                    "You have %(available)s points; you cannot spend %(points)s.",
                    available=available,
                    points=points,
                )
            )
        if float_compare(points, reward.required_points, precision_digits=2) < 0:
            raise UserError(self.env._("Spend at least %s points.", reward.required_points))
        self.order_line.filtered(lambda ln: ln.reward_id == reward).unlink()
        self.o2o_points_to_spend = points
        result = self._apply_program_reward(reward, card)
        if "error" in result:
            raise UserError(result["error"])
        return result

    # ------------------------------------------------------------------
    # Earning when paid or delivered, once
    # ------------------------------------------------------------------

    def _o2o_loyalty_is_paid(self):
        """Whether the customer has paid the whole order, on whatever channel."""
        self.ensure_one()
        if self.o2o_channel_type == "marketplace":
            # The marketplace collected the payment before releasing the order to ship.
            return True
        if self.currency_id.is_zero(self.amount_total):
            return True
        paid = sum(tx.amount for tx in self.transaction_ids if tx.state == "done")
        paid += sum(
            line.price_subtotal_incl
            for line in self.order_line.pos_order_line_ids
            if line.order_id.state in ("paid", "done", "invoiced") and line.qty > 0
        )
        invoices = self.invoice_ids.filtered(lambda m: m.state == "posted" and m.move_type == "out_invoice")
        paid += sum(
            inv.amount_total - inv.amount_residual
            for inv in invoices
            if inv.payment_state in ("paid", "in_payment", "partial")
        )
        return float_compare(paid, self.amount_total, precision_rounding=self.currency_id.rounding) >= 0

    def _o2o_loyalty_is_delivered(self):
        self.ensure_one()
        return self.delivery_status == "full" or (
            not self.picking_ids
            and all(
                line.qty_delivered >= line.product_uom_qty
                for line in self.order_line
                if not line.display_type
            )
        )

    def _o2o_loyalty_ready(self, program):
        self.ensure_one()
        if self.state != "sale":
            return False
        if program.o2o_earn_moment == "delivered":
            return self._o2o_loyalty_is_delivered() and self._o2o_loyalty_is_paid()
        return self._o2o_loyalty_is_paid()

    def _o2o_loyalty_base_points(self, program):
        entry = self.coupon_point_ids.filtered(lambda p: p.coupon_id.program_id == program)
        if entry:
            return sum(entry.mapped("points"))
        result = self._program_check_compute_points(program).get(program, {})
        return sum(result.get("points", [])) if "error" not in result else 0.0

    def _o2o_loyalty_check(self):
        """Credit the member points of these orders that are now paid (or delivered), once each."""
        for order in self.filtered(
            lambda o: o.state == "sale" and o.o2o_loyalty_state != "earned" and o.partner_id
        ):
            program = self.env["loyalty.program"]._o2o_membership(order.company_id)
            if not program:
                continue
            card = order._o2o_member_card()
            if not card and (
                (order.o2o_loyalty_join and order._o2o_joins_own_account())
                or (
                    order.o2o_channel_type == "marketplace"
                    and program.o2o_enroll_marketplace
                    and (order.partner_id.phone_sanitized or order.partner_id.email_normalized)
                )
            ):
                card = order._o2o_member_card(create=True)
            if not card:
                continue
            if not order._o2o_loyalty_ready(program):
                order.o2o_loyalty_state = "pending"
                continue
            base = order._o2o_loyalty_base_points(program)
            points = program._o2o_points_to_earn(base, card, order.o2o_channel_type)
            card._o2o_earn(
                points,
                order,
                order.amount_total,
                channel=order.o2o_channel_type,
                store=order.o2o_store_id or None,
            )
            order.o2o_loyalty_state = "earned"

    def _o2o_joins_own_account(self):
        """Whether opting in enrolls who placed the order.

        A guest whose phone or e-mail matched an existing customer becomes an address of
        that customer (o2o_base): what the guest typed must not enroll someone else.
        """
        self.ensure_one()
        partner = self.partner_id
        return (
            not self.website_id
            or partner == partner.commercial_partner_id
            or bool(partner.with_context(active_test=False).user_ids)
        )

    @api.model
    def _cron_o2o_loyalty_earn(self, batch=500):
        """Catch up orders paid or delivered through a flow that did not tell us (e.g. a bank import)."""
        orders = self.search(
            [("o2o_loyalty_state", "=", "pending"), ("state", "=", "sale")], limit=batch, order="id"
        )
        orders._o2o_loyalty_check()
        return len(orders)

    # ------------------------------------------------------------------
    # Reversal: cancellation, credit notes, returns
    # ------------------------------------------------------------------

    def _o2o_loyalty_reverse(self, share, reference, key, amount=0.0):
        for order in self:
            for lot in (
                self.env["o2o.loyalty.lot"]
                .sudo()
                .search(
                    [("origin_model", "=", order._name), ("origin_id", "=", order.id), ("kind", "=", "earn")]
                )
            ):
                lot.card_id._o2o_reverse(
                    order,
                    share,
                    reference,
                    amount=amount,
                    channel=order.o2o_channel_type,
                    store=order.o2o_store_id or None,
                    key=f"{key}:{lot.card_id.id}",
                )

    def _action_cancel(self):
        earned = self.filtered(lambda o: o.o2o_loyalty_state == "earned")
        # sale_loyalty gives back the points the order spent.
        with transaction_flag(self.env.cr, ODOO_FLOW):
            res = super()._action_cancel()
        for order in earned:
            order._o2o_loyalty_reverse(
                1.0,
                self.env._("%s cancelled", order.name),
                key=f"cancel:sale.order:{order.id}",
                amount=order.amount_total,
            )
            order.o2o_loyalty_state = "reversed"
        (self - earned).filtered(lambda o: o.o2o_loyalty_state == "pending").o2o_loyalty_state = False
        return res

    def _o2o_loyalty_refunded(self, amount, document):
        """``amount`` (tax included) of this order was refunded by ``document``: reverse that share."""
        self.ensure_one()
        if float_is_zero(amount, precision_rounding=self.currency_id.rounding) or not self.amount_total:
            return
        self._o2o_loyalty_reverse(
            min(amount / self.amount_total, 1.0),
            self.env._("%(document)s of %(order)s", document=document.display_name, order=self.name),
            key=f"refund:{document._name}:{document.id}:{self.id}",
            amount=amount,
        )
