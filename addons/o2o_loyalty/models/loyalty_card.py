from contextlib import contextmanager, nullcontext
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.o2o_base.const import CHANNEL_TYPES
from odoo.addons.o2o_base.utils import random_code
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare

from ..utils import consume_fifo, expiry_date

# Codes of member cards and of the coupons o2o issues: 20 characters of a 32-letter
# alphabet without look-alikes (100 bits), unguessable even at the lookup rate limit.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MEMBER_PREFIX = "MB"

# Wrong codes (coupon, member, promo) allowed per website visitor or register: (attempts, minutes).
CODE_ATTEMPTS = (10, 15)


# Member balances change through the ledger only. Server code says it is the ledger (or one
# of Odoo's loyalty flows) with a flag on the transaction's cursor, which no RPC client can
# set: a context key can be sent by any client.
LEDGER = "o2o_loyalty_ledger"
ODOO_FLOW = "o2o_loyalty_odoo_flow"
ALLOW_NEGATIVE = "o2o_loyalty_allow_negative"
GUARDED_FIELDS = {"points", "partner_id", "program_id"}


def new_code(prefix="", length=20):
    return prefix + random_code(CODE_ALPHABET, length)


@contextmanager
def transaction_flag(cr, key):
    """Raise ``key`` on the transaction ``cr`` while the block runs (server code only)."""
    cr.cache[key] = cr.cache.get(key, 0) + 1
    try:
        yield
    finally:
        cr.cache[key] -= 1


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    o2o_is_member = fields.Boolean(
        string="Member Card", related="program_id.o2o_is_membership", store=True, index=True
    )
    o2o_tier_id = fields.Many2one(
        "o2o.loyalty.tier", string="Tier", readonly=True, tracking=True, index="btree_not_null"
    )
    o2o_tier_value = fields.Float(
        string="12-Month Value",
        readonly=True,
        help="Spend or points earned over the last 12 months, as the program's tier basis says.",
    )
    o2o_tier_review_date = fields.Date(
        string="Tier Review", readonly=True, help="A lower tier takes effect on this date at the earliest."
    )
    o2o_next_tier_id = fields.Many2one(
        "o2o.loyalty.tier", string="Next Tier", compute="_compute_o2o_progress"
    )
    o2o_to_next_tier = fields.Float(string="To Next Tier", compute="_compute_o2o_progress")
    o2o_tier_progress = fields.Float(string="Tier Progress (%)", compute="_compute_o2o_progress")
    o2o_last_channel_type = fields.Selection(CHANNEL_TYPES, string="Last Channel", readonly=True)
    o2o_last_store_id = fields.Many2one("stock.warehouse", string="Last Store", readonly=True)
    o2o_last_activity = fields.Datetime(string="Last Activity", readonly=True)
    o2o_lot_ids = fields.One2many("o2o.loyalty.lot", "card_id", string="Lots", readonly=True)
    o2o_expiring_points = fields.Float(string="Points Expiring Soon", compute="_compute_o2o_expiring")
    o2o_expiring_date = fields.Date(string="Next Expiry", compute="_compute_o2o_expiring")
    o2o_phone = fields.Char(related="partner_id.phone_sanitized", string="Phone")

    o2o_tier_name = fields.Char(related="o2o_tier_id.name", string="Tier Name")
    o2o_earn_multiplier = fields.Float(related="o2o_tier_id.earn_multiplier", string="Tier Earn Multiplier")

    @api.model
    def _generate_code(self):
        # Odoo's codes hold about 30 random bits: too few for a coupon that unlocks a discount.
        return "044" + new_code(length=16)

    @api.model
    def _load_pos_data_fields(self, config_id):
        return super()._load_pos_data_fields(config_id) + [
            "o2o_tier_name",
            "o2o_is_member",
            "o2o_earn_multiplier",
        ]

    def init(self):
        # Wrong codes are counted by o2o_base's rate limit now; the raw tables of earlier
        # versions go.
        self.env.cr.execute("DROP TABLE IF EXISTS o2o_loyalty_code_attempt, o2o_loyalty_code_throttle")
        # One member card per customer and program, guarded by the database.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS o2o_loyalty_card_member_uniq
            ON loyalty_card (program_id, partner_id) WHERE o2o_is_member AND partner_id IS NOT NULL
            """
        )
        return super().init()

    # ------------------------------------------------------------------
    # Guessing codes
    # ------------------------------------------------------------------

    @api.model
    def _o2o_code_attempt(self, key):
        """Count a code lookup of ``key`` (a visitor, a register); False when it typed too many lately.

        Counted by o2o_base's rate limit, one upsert on the guesser's row: parallel guesses
        queue on it, so they cannot all pass. A lookup that finds its code gives its attempt back.
        """
        attempts, minutes = CODE_ATTEMPTS
        return self.env["o2o.rate.limit"].sudo()._o2o_hit(key, attempts, minutes * 60)

    @api.model
    def _o2o_code_found(self, key):
        self.env["o2o.rate.limit"].sudo()._o2o_give_back(key)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("o2o_tier_id", "o2o_tier_value", "program_id.o2o_tier_ids.threshold")
    def _compute_o2o_progress(self):
        for card in self:
            tiers = card.program_id.o2o_tier_ids.sorted("threshold")
            current = card.o2o_tier_id.threshold if card.o2o_tier_id else -1
            nxt = tiers.filtered(lambda t, cur=current: t.threshold > cur)[:1]
            card.o2o_next_tier_id = nxt
            if nxt:
                card.o2o_to_next_tier = max(nxt.threshold - card.o2o_tier_value, 0.0)
                card.o2o_tier_progress = (
                    min(100.0 * card.o2o_tier_value / nxt.threshold, 100.0) if nxt.threshold else 100.0
                )
            else:
                card.o2o_to_next_tier = 0.0
                card.o2o_tier_progress = 100.0 if tiers else 0.0

    def _compute_o2o_expiring(self):
        today = fields.Date.context_today(self)
        data = {card.id: (0.0, False) for card in self}
        members = self.filtered("o2o_is_member")
        if members.ids:
            groups = (
                self.env["o2o.loyalty.lot"]
                .sudo()
                ._read_group(
                    [("card_id", "in", members.ids), ("remaining", ">", 0), ("expiry_date", "!=", False)],
                    ["card_id", "expiry_date:day"],
                    ["remaining:sum"],
                    order="expiry_date:day asc",
                )
            )
            for card, day, remaining in groups:
                if card.id in data and not data[card.id][1]:
                    days = card.program_id.o2o_reminder_days or 30
                    if day <= today + timedelta(days=days):
                        data[card.id] = (remaining, day)
        for card in self:
            card.o2o_expiring_points, card.o2o_expiring_date = data[card.id]

    # ------------------------------------------------------------------
    # Balance, kept in step with the lots
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        programs = self.env["loyalty.program"].browse(
            {vals["program_id"] for vals in vals_list if vals.get("program_id")}
        )
        members = programs.filtered("o2o_is_membership").ids
        for vals in vals_list:
            if vals.get("program_id") in members and "code" not in vals:
                vals["code"] = new_code(MEMBER_PREFIX)
            if vals.get("program_id") in members and vals.get("points") and not self._o2o_ledger_trusted():
                raise AccessError(self._o2o_ledger_only_message())
        cards = super().create(vals_list)
        for card in cards.filtered(lambda c: c.o2o_is_member and c.points > 0):
            card._o2o_open_lot(card.points, kind="adjust", origin=self.env._("Opening balance"))
        return cards

    def _o2o_ledger_trusted(self):
        """Whether this write comes from server code: sudo, the ledger, or an Odoo loyalty flow."""
        cache = self.env.cr.cache
        return self.env.su or cache.get(LEDGER) or cache.get(ODOO_FLOW)

    def _o2o_ledger_only_message(self):
        return self.env._(
            "Member points change only through the loyalty ledger: orders earn and spend them, "
            "and O2O managers adjust them with a reason."
        )

    def write(self, vals):
        if not GUARDED_FIELDS & vals.keys() or self.env.cr.cache.get(LEDGER):
            return super().write(vals)
        members = self.filtered("o2o_is_member")
        to_member = (
            vals.get("program_id")
            and self.env["loyalty.program"].browse(vals["program_id"]).o2o_is_membership
        )
        if (members or to_member) and not self._o2o_ledger_trusted():
            raise AccessError(self._o2o_ledger_only_message())
        if "points" not in vals:
            return super().write(vals)
        before = {card.id: card.points for card in members}
        res = super().write(vals)
        # Points changed by Odoo's own flows (POS, sale orders, the balance wizard): credits
        # open a lot, debits spend the oldest lots first.
        for card in members:
            delta = card.points - before[card.id]
            if float_compare(delta, 0, precision_digits=2) > 0:
                card._o2o_open_lot(delta, kind="adjust", origin=self.env._("Balance update"))
            elif float_compare(delta, 0, precision_digits=2) < 0:
                card._o2o_spend_lots(-delta)
        return res

    @api.constrains("points")
    def _check_o2o_points_not_negative(self):
        """Points of a member card or of a single-use coupon are never spent twice.

        Under concurrent redemptions the second transaction waits on the card's row, is
        retried by Odoo and then sees the balance left: this refuses it.
        """
        if self.env.cr.cache.get(ALLOW_NEGATIVE):
            return
        for card in self:
            if card.program_id.program_type not in (
                "loyalty",
                "coupons",
                "next_order_coupons",
                "gift_card",
                "ewallet",
            ):
                continue
            if float_compare(card.points, 0, precision_digits=2) < 0:
                raise ValidationError(
                    self.env._(
                        "%(card)s has %(points)s left: it was already used (on another channel?).",
                        card=card.code,
                        points=card._format_points(card.points + 0.0),
                    )
                )

    def _o2o_set_points(self, points, allow_negative=False):
        """The ledger's write of a balance whose lots and history it books itself."""
        self.ensure_one()
        negative = transaction_flag(self.env.cr, ALLOW_NEGATIVE) if allow_negative else nullcontext()
        with transaction_flag(self.env.cr, LEDGER), negative:
            self.sudo().points = points

    def _o2o_lock(self):
        """Lock the cards' rows for this transaction (concurrent spenders wait here)."""
        if self.ids:
            self.flush_recordset()
            self.env.cr.execute(
                "SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [self.ids]
            )

    def _o2o_open_lot(self, points, **lot):
        """A lot of ``points`` on this card (see :meth:`_o2o_lot_vals` for ``lot``)."""
        self.ensure_one()
        return self.env["o2o.loyalty.lot"].sudo().create(self._o2o_lot_vals(points, **lot))

    def _o2o_lot_vals(
        self,
        points,
        kind="earn",
        origin=None,
        origin_record=None,
        amount=0.0,
        channel=None,
        store=None,
        date=None,
    ):
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        return {
            "card_id": self.id,
            "kind": kind,
            "date": date,
            "expiry_date": expiry_date(date, self.program_id.o2o_validity_months),
            "points": points,
            "remaining": points,
            "amount": amount,
            "origin": origin or (origin_record and origin_record.display_name) or False,
            "origin_model": origin_record._name if origin_record else False,
            "origin_id": origin_record.id if origin_record else False,
            "channel_type": channel,
            "store_id": store.id if store else False,
        }

    def _o2o_spend_lots(self, points):
        """Take ``points`` from this card's lots, oldest first (one locking read, one update)."""
        self.ensure_one()
        Lot = self.env["o2o.loyalty.lot"].sudo()
        Lot.flush_model()
        self.env.cr.execute(
            """
            SELECT id, remaining FROM o2o_loyalty_lot
            WHERE card_id = %s AND remaining > 0
            ORDER BY expiry_date ASC NULLS LAST, id
            FOR UPDATE
            """,
            [self.id],
        )
        taken, _uncovered = consume_fifo(self.env.cr.fetchall(), points)
        if taken:
            self.env.cr.execute(
                """
                UPDATE o2o_loyalty_lot l SET remaining = round((l.remaining - v.amount)::numeric, 2)
                FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::float8[]) AS amount) v
                WHERE l.id = v.id
                """,
                [[lot_id for lot_id, _amount in taken], [amount for _lot_id, amount in taken]],
            )
            Lot.invalidate_model(["remaining"])
        return taken
