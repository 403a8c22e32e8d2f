import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import float_compare, float_is_zero

from .loyalty_card import ALLOW_NEGATIVE, transaction_flag

_logger = logging.getLogger(__name__)

# Programs whose cards the server settles when the POS order is synced (not later, when the
# front end confirms): a member card, and coupons that must be spent once across channels.
SETTLED_PROGRAM_TYPES = ("coupons", "next_order_coupons")

#: Key of the transaction's list of POS orders synced by the current sync call, settled together.
SETTLE_BATCH = "o2o_loyalty.settle_batch"


class PosOrder(models.Model):
    _inherit = "pos.order"

    o2o_loyalty_done = fields.Boolean(
        string="Loyalty Settled",
        copy=False,
        readonly=True,
        help="Points and coupons of this order were booked.",
    )
    o2o_loyalty_conflict = fields.Text(
        string="Loyalty Conflict",
        copy=False,
        readonly=True,
        help="A coupon or points this order used had already been spent elsewhere when it reached "
        "the server (e.g. an order taken offline).",
    )

    @api.model
    def _load_pos_data_fields(self, config_id):
        fields_list = super()._load_pos_data_fields(config_id)
        return fields_list and fields_list + ["o2o_loyalty_conflict"]

    @api.model
    def sync_from_ui(self, orders):
        """The orders of one sync call are settled together (see :meth:`_o2o_loyalty_settle`),
        once all are processed and before the front end reads them back."""
        batches = self.env.cr.cache
        if SETTLE_BATCH in batches:
            return super().sync_from_ui(orders)
        batches[SETTLE_BATCH] = []
        try:
            result = super().sync_from_ui(orders)
            self._o2o_loyalty_settle_pending()
        finally:
            batches.pop(SETTLE_BATCH, None)
        return result

    def read_pos_data(self, data, config_id):
        self._o2o_loyalty_settle_pending()
        return super().read_pos_data(data, config_id)

    @api.model
    def _process_order(self, order, existing_order):
        order_id = super()._process_order(order, existing_order)
        pos_order = self.browse(order_id)
        if pos_order.state in ("paid", "done", "invoiced"):
            pending = self.env.cr.cache.get(SETTLE_BATCH)
            if pending is None:
                pos_order._o2o_loyalty_settle()
            else:
                pending.append(order_id)
        return order_id

    @api.model
    def _o2o_loyalty_settle_pending(self):
        pending = self.env.cr.cache.get(SETTLE_BATCH)
        if pending:
            orders = self.browse(list(dict.fromkeys(pending)))
            pending.clear()
            orders._o2o_loyalty_settle()

    @api.model
    def _o2o_settled_card(self, card):
        return card.o2o_is_member or card.program_id.program_type in SETTLED_PROGRAM_TYPES

    def _o2o_loyalty_settle(self):
        """Book what paid POS orders spent and earned, once each, whenever they reach the server.

        Offline orders reach the server through a background sync that never runs the front
        end's loyalty confirmation: spending is therefore read from the synced reward lines.
        Orders that only earn (no reward, refund or web order line: most of them) are booked
        together; the others one after the other, in the order they were synced.
        """
        cards = self._o2o_loyalty_claim()
        orders = self.filtered(lambda order: order in cards)
        plain = orders.filtered(
            lambda o: (
                not any(
                    line.is_reward_line or line.refunded_orderline_id or line.sale_order_origin_id
                    for line in o.lines
                )
            )
        )
        if plain == orders:
            orders._o2o_loyalty_earn_batch(cards)
            return
        for order in orders:
            if order in plain:
                order._o2o_loyalty_earn_batch(cards)
            else:
                order._o2o_loyalty_settle_one(cards)

    def _o2o_loyalty_claim(self):
        """{order: member card or an empty recordset} of the orders among these not settled yet,
        marked settled by this transaction (a statement that also locks them, so two syncs of one
        order settle it once) with the card of their customer (its commercial partner) in the
        membership program of the order's company, found by the same statement."""
        if not self:
            return {}
        self.flush_recordset(["o2o_loyalty_done", "partner_id", "company_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["loyalty.card"].flush_model(["program_id", "partner_id", "active"])
        self.env["loyalty.program"].flush_model(["o2o_is_membership", "active", "company_id", "sequence"])
        self.env.cr.execute(
            """
            WITH claimed AS (
                UPDATE pos_order SET o2o_loyalty_done = true
                 WHERE id = ANY(%s) AND o2o_loyalty_done IS NOT TRUE
             RETURNING id, partner_id, company_id
            )
            SELECT claimed.id, card.id
              FROM claimed
              LEFT JOIN res_partner p ON p.id = claimed.partner_id
              LEFT JOIN LATERAL (
                    SELECT program.id FROM loyalty_program program
                     WHERE program.o2o_is_membership AND program.active
                       AND (program.company_id = claimed.company_id OR program.company_id IS NULL)
                     ORDER BY program.sequence, program.id
                     LIMIT 1
                   ) membership ON p.id IS NOT NULL
              LEFT JOIN loyalty_card card
                ON card.program_id = membership.id
               AND card.partner_id = p.commercial_partner_id
               AND card.active
            """,
            [self.ids],
        )
        rows = self.env.cr.fetchall()
        self.invalidate_recordset(["o2o_loyalty_done"])
        # records that share their prefetching: the batch's lines and cards are read together
        orders = {order.id: order for order in self}
        Card = self.env["loyalty.card"].sudo()
        cards = {card.id: card for card in Card.browse({card_id for _order_id, card_id in rows if card_id})}
        return {orders[order_id]: cards.get(card_id, Card) for order_id, card_id in rows}

    def _o2o_loyalty_settle_one(self, cards):
        self.ensure_one()
        store = self.config_id.warehouse_id
        spent = defaultdict(float)
        for line in self.lines.filtered(lambda ln: ln.is_reward_line and ln.coupon_id and ln.points_cost):
            if self._o2o_settled_card(line.coupon_id):
                spent[line.coupon_id] += line.points_cost
        conflicts = []
        for card, points in spent.items():
            conflicts += self._o2o_loyalty_spend(card, points, store)
        conflicts += self._o2o_loyalty_check_limits()
        self._o2o_loyalty_reverse_refunds(store)
        self._o2o_loyalty_earn_batch(cards)
        self._o2o_loyalty_sale_orders()
        if conflicts:
            self.o2o_loyalty_conflict = "\n".join(conflicts)
            self._o2o_loyalty_report_conflict(conflicts)

    def _o2o_loyalty_spend(self, card, points, store):
        """Take ``points`` off ``card``: what is no longer there is a conflict, not a silent double use."""
        card = card.sudo()
        card._o2o_lock()
        card.invalidate_recordset(["points"])
        available = card.points
        conflicts = []
        taken = points
        if float_compare(available, points, precision_digits=2) < 0:
            if card.o2o_is_member:
                # The member had the discount: the balance goes below zero and later earnings cover it.
                conflicts.append(
                    self.env._(
                        "%(card)s: %(points)s points used but only %(available)s were left; "
                        "the balance is now negative.",
                        card=card.code,
                        points=points,
                        available=available,
                    )
                )
            else:
                taken = max(available, 0.0)
                conflicts.append(
                    self.env._(
                        "Coupon %(card)s had already been used when this order reached the server: "
                        "its discount was given twice.",
                        card=card.code,
                    )
                )
        new_points = available - (points if card.o2o_is_member else taken)
        # Odoo's booking of a change (lots spent oldest first), allowed below zero for a member.
        with transaction_flag(self.env.cr, ALLOW_NEGATIVE):
            card.points = new_points
        card._o2o_history(
            "conflict" if conflicts else "spend",
            self.env._("Used in store: %s", self.display_name),
            used=points,
            order=self,
            channel="store",
            store=store,
            key=f"spend:pos.order:{self.id}:{card.id}",
        )
        if card.o2o_is_member:
            card._o2o_touch("store", store)
        return conflicts

    def _o2o_loyalty_check_limits(self):
        """A per-customer limit exceeded by an order taken offline is reported, not hidden."""
        if not self.partner_id:
            return []
        errors = (
            program._o2o_limit_error(self.partner_id, exclude=self)
            for program in self.lines.reward_id.program_id
        )
        return [error for error in errors if error]

    def _o2o_lines_data(self):
        return [
            {
                "product": line.product_id,
                "qty": line.qty,
                "price_incl": line.price_subtotal_incl,
                "price_excl": line.price_subtotal,
                "reward_type": line.reward_id.program_id.program_type if line.is_reward_line else False,
            }
            for line in self.lines
            if not line.refunded_orderline_id and not line.sale_order_origin_id
        ]

    def _o2o_loyalty_earn_batch(self, claimed):
        """Points these orders, just claimed (see :meth:`_o2o_loyalty_claim`: ``claimed`` holds
        their member cards), earn on their customers' member cards, booked together."""
        cards = {order: claimed[order] for order in self if claimed.get(order)}
        if not cards:
            return
        lines = {order: order._o2o_lines_data() for order in cards}
        valid = {}  # per program: its rules' valid products among all the batch's products
        for program in {card.program_id for card in cards.values()}:
            products = self.env["product.product"].union(
                *[
                    line["product"]
                    for order, card in cards.items()
                    if card.program_id == program
                    for line in lines[order]
                ]
            )
            valid[program] = program._get_valid_products(products)
        earnings = []
        for order, card in cards.items():
            program = card.program_id
            base = program._o2o_points_for_lines(lines[order], order.currency_id, valid[program])
            points = program._o2o_points_to_earn(base, card, "store")
            amount = sum(line["price_incl"] for line in lines[order] if line["qty"] > 0)
            earnings.append((card, points, order, amount, order.config_id.warehouse_id, None))
        # Once per order: only the transaction that claimed these orders gets here.
        self.env["loyalty.card"].sudo()._o2o_earn_many(earnings, channel="store", claimed=True)

    def _o2o_loyalty_reverse_refunds(self, store):
        """A refund takes back the points its original orders earned, in proportion to what is refunded."""
        refunded = defaultdict(float)
        for line in self.lines.filtered("refunded_orderline_id"):
            refunded[line.refunded_orderline_id.order_id] += -line.price_subtotal_incl
        for origin, amount in refunded.items():
            whole = origin._o2o_loyalty_earn_base_amount()
            for lot in (
                self.env["o2o.loyalty.lot"]
                .sudo()
                .search(
                    [("origin_model", "=", "pos.order"), ("origin_id", "=", origin.id), ("kind", "=", "earn")]
                )
            ):
                share = amount / whole if whole else 0.0
                if not float_is_zero(share, precision_digits=4):
                    lot.card_id._o2o_reverse(
                        origin,
                        min(share, 1.0),
                        self.env._(
                            "refund %(refund)s of %(order)s",
                            refund=self.display_name,
                            order=origin.display_name,
                        ),
                        amount=amount,
                        channel="store",
                        store=store,
                        key=f"refund:pos.order:{self.id}:{origin.id}:{lot.card_id.id}",
                    )

    def _o2o_loyalty_sale_orders(self):
        """Web orders settled or returned at the counter (pos_sale): earn when now paid, or reverse."""
        settled = self.lines.filtered(lambda ln: ln.sale_order_origin_id and ln.qty > 0).sale_order_origin_id
        settled._o2o_loyalty_check()
        returned = defaultdict(float)
        for line in self.lines.filtered(lambda ln: ln.sale_order_origin_id and ln.qty < 0):
            returned[line.sale_order_origin_id] += -line.price_subtotal_incl
        for order, amount in returned.items():
            order._o2o_loyalty_refunded(amount, self)

    def _o2o_loyalty_earn_base_amount(self):
        return sum(
            line.price_subtotal_incl for line in self.lines if line.qty > 0 and not line.is_reward_line
        ) or sum(line.price_subtotal_incl for line in self.lines if line.qty > 0)

    def _o2o_loyalty_report_conflict(self, conflicts):
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("Loyalty conflict when this order reached the server:"),
            Markup("").join(Markup("<li>%s</li>") % c for c in conflicts),
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        program = self.env["loyalty.program"]._o2o_membership(self.company_id)
        responsible = program.o2o_conflict_user_id or self.env.ref(
            "base.user_admin", raise_if_not_found=False
        )
        # pos.order has no activities: the to-do goes on the customer, naming the order.
        target = self.partner_id or self.config_id.company_id.partner_id
        target.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Coupon or points used twice: %s", self.name),
            note=body,
            user_id=(responsible or self.env.user).id,
        )
        _logger.info("POS order %s: loyalty conflict: %s", self.name, "; ".join(conflicts))

    def confirm_coupon_programs(self, coupon_data):
        """The front end confirms points after the sync: what the server already booked is not booked again.

        Member cards are wholly booked by the server (spending and earning); for coupons, the
        points the sync spent are taken out of the front end's change.
        """
        coupon_data = {int(k): dict(v) for k, v in coupon_data.items()}
        self._check_existing_loyalty_cards(coupon_data)
        programs = (
            self.env["loyalty.program"]
            .sudo()
            .browse({v.get("program_id") for v in coupon_data.values()} - {None})
        )
        member_programs = programs.filtered("o2o_is_membership").ids
        booked = self._o2o_booked_spend()
        for key, vals in coupon_data.items():
            if vals.get("program_id") in member_programs:
                vals["points"] = 0
            elif key in booked:
                vals["points"] = vals.get("points", 0) + booked[key]
        return super().confirm_coupon_programs(coupon_data)

    def _o2o_booked_spend(self):
        """{card id: points} the server spent for this order when it was synced."""
        if not self:
            return {}
        self.ensure_one()
        if not any(line.is_reward_line and line.coupon_id for line in self.lines):
            return {}  # nothing spent: no history to read
        lines = (
            self.env["loyalty.history"]
            .sudo()
            .search(
                [
                    ("order_model", "=", self._name),
                    ("order_id", "=", self.id),
                    ("o2o_key", "=like", "spend:pos.order:%"),
                ]
            )
        )
        return {line.card_id.id: line.used for line in lines}

    def add_loyalty_history_lines(self, coupon_data, coupon_updates):
        """History of what the server booked at the sync is already written."""
        booked = self._o2o_booked_spend()
        keep = []
        for sent in coupon_data:
            coupon = dict(sent)
            card_id = int(coupon["card_id"])
            if card_id > 0 and self.env["loyalty.card"].sudo().browse(card_id).exists().o2o_is_member:
                continue
            if card_id < 0 and self._o2o_new_member_card(coupon, coupon_updates):
                continue
            if card_id in booked:
                coupon["spent"] = max(coupon.get("spent", 0) - booked[card_id], 0)
                if not coupon.get("won") and not coupon["spent"]:
                    continue
            keep.append(coupon)
        return super().add_loyalty_history_lines(keep, coupon_updates)

    def _o2o_new_member_card(self, coupon, coupon_updates):
        new_id = {int(u["old_id"]): int(u["id"]) for u in coupon_updates}.get(int(coupon["card_id"]))
        return bool(new_id) and self.env["loyalty.card"].sudo().browse(new_id).o2o_is_member
