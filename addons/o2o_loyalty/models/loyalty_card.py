import logging
import secrets
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.o2o_base.const import CHANNEL_TYPES
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare, float_is_zero, float_round

from ..const import TIER_WINDOW_MONTHS
from ..utils import consume_fifo, expiry_date, tier_for

_logger = logging.getLogger(__name__)

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
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))


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

    def _o2o_open_lot(
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
        return (
            self.env["o2o.loyalty.lot"]
            .sudo()
            .create(
                {
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
            )
        )

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

    # ------------------------------------------------------------------
    # Tiers
    # ------------------------------------------------------------------

    def _o2o_tier_values(self, today=None):
        """{card id: spend or points earned over the last 12 months} of member cards ``self``."""
        today = today or fields.Date.context_today(self)
        since = today - relativedelta(months=TIER_WINDOW_MONTHS)
        values = dict.fromkeys(self.ids, 0.0)
        if not self.ids:
            return values
        self.env["o2o.loyalty.lot"].flush_model()
        self.env.cr.execute(
            """
            SELECT l.card_id,
                   COALESCE(SUM(CASE WHEN p.o2o_tier_basis = 'points'
                                     THEN l.points - COALESCE(l.reversed_points, 0)
                                     ELSE COALESCE(l.amount, 0) - COALESCE(l.reversed_amount, 0) END), 0)
            FROM o2o_loyalty_lot l
            JOIN loyalty_program p ON p.id = l.program_id
            WHERE l.card_id = ANY(%s) AND l.kind = 'earn' AND l.date > %s
            GROUP BY l.card_id
            """,
            [self.ids, since],
        )
        values.update(dict(self.env.cr.fetchall()))
        return values

    def _o2o_update_tier(self, upgrade_only=False, today=None):
        """Move member cards to the tier their 12-month value reaches.

        Upgrades apply at once and restart the review period; a lower tier applies only
        from the review date on (``upgrade_only`` keeps the tier until then). Written in a
        few grouped updates, whatever the number of cards (the nightly review).
        """
        today = today or fields.Date.context_today(self)
        members = self.filtered(lambda c: c.o2o_is_member and c.program_id.o2o_tier_ids)
        values = members._o2o_tier_values(today)
        review = today + relativedelta(months=TIER_WINDOW_MONTHS)
        groups = defaultdict(list)
        changed = []
        tiers_of = {}
        for card in members:
            program = card.program_id
            if program not in tiers_of:
                tiers = program.o2o_tier_ids
                tiers_of[program] = (tiers, [(t.id, t.threshold) for t in tiers])
            tiers, thresholds = tiers_of[program]
            target = tiers.browse(tier_for(values[card.id], thresholds))
            current = card.o2o_tier_id
            upgrade = target != current and (not current or (target and target.threshold > current.threshold))
            if upgrade or (target != current and not upgrade_only):
                groups[(target.id, review)].append(card.id)
                changed.append(card.id)
            elif not upgrade_only:
                groups[(current.id, review)].append(card.id)
        if members:
            self.env.cr.execute(
                """
                UPDATE loyalty_card c SET o2o_tier_value = v.value
                FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::float8[]) AS value) v
                WHERE c.id = v.id AND c.o2o_tier_value IS DISTINCT FROM v.value
                """,
                [list(values), list(values.values())],
            )
            members.invalidate_recordset(["o2o_tier_value"])
        for (tier_id, review_date), card_ids in groups.items():
            self.browse(card_ids).sudo().write(
                {"o2o_tier_id": tier_id or False, "o2o_tier_review_date": review_date}
            )
        changed = self.browse(changed)
        changed._o2o_apply_tier_pricelist()
        return changed

    def _o2o_apply_tier_pricelist(self):
        if not self.program_id.o2o_tier_ids.pricelist_id:
            return
        for card in self.filtered("partner_id"):
            pricelists = card.program_id.o2o_tier_ids.pricelist_id
            partner = card.partner_id.sudo().with_company(card.company_id or self.env.company)
            if card.o2o_tier_id.pricelist_id:
                partner.property_product_pricelist = card.o2o_tier_id.pricelist_id
            elif partner.property_product_pricelist in pricelists:
                # Back to the default pricelist when the tier no longer gives one.
                partner.property_product_pricelist = False

    def _o2o_member_summary(self):
        """What the POS shows of a member."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_id.name,
            "card_id": self.id,
            "program_id": self.program_id.id,
            "code": self.code,
            "points": self.points,
            "tier": self.o2o_tier_id.name or "",
        }

    def _o2o_earn_multiplier(self):
        self.ensure_one()
        return self.o2o_tier_id.earn_multiplier if self.o2o_tier_id else 1.0

    # ------------------------------------------------------------------
    # Scheduled jobs
    # ------------------------------------------------------------------

    @api.model
    def _cron_o2o_expire_points(self, batch=5000):
        """Expire lots past their date, a batch of cards at a time, and write one history line per card.

        A card's lots are locked before they change, and a lot is only taken while it still
        holds points: two servers running the job at once expire each point once.
        """
        today = fields.Date.context_today(self)
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT DISTINCT card_id FROM o2o_loyalty_lot
            WHERE remaining > 0 AND expiry_date <= %s
            LIMIT %s
            """,
            [today, batch],
        )
        card_ids = [row[0] for row in self.env.cr.fetchall()]
        if not card_ids:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        self.env.cr.execute(
            "SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id FOR UPDATE SKIP LOCKED", [card_ids]
        )
        card_ids = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            """
            WITH expired AS (
                UPDATE o2o_loyalty_lot l SET remaining = 0
                FROM (SELECT id, remaining FROM o2o_loyalty_lot
                      WHERE card_id = ANY(%s) AND remaining > 0 AND expiry_date <= %s FOR UPDATE) old
                WHERE l.id = old.id
                RETURNING l.card_id, old.remaining
            )
            SELECT card_id, SUM(remaining) FROM expired GROUP BY card_id
            """,
            [card_ids, today],
        )
        expired = dict(self.env.cr.fetchall())
        if expired:
            self.env.cr.execute(
                """
                UPDATE loyalty_card c SET points = round((c.points - v.points)::numeric, 2),
                       write_date = now() AT TIME ZONE 'UTC'
                FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::float8[]) AS points) v
                WHERE c.id = v.id
                """,
                [list(expired), list(expired.values())],
            )
            self.invalidate_model(["points"])
            self.env["o2o.loyalty.lot"].invalidate_model(["remaining"])
            description = self.env._("Points expired")
            self.env["loyalty.history"].sudo().create(
                [
                    {
                        "card_id": card_id,
                        "description": description,
                        "used": points,
                        "o2o_kind": "expire",
                        "o2o_key": f"expire:{card_id}:{today}",
                    }
                    for card_id, points in expired.items()
                ]
            )
        self.env.cr.execute(
            "SELECT count(DISTINCT card_id) FROM o2o_loyalty_lot WHERE remaining > 0 AND expiry_date <= %s",
            [today],
        )
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(expired), remaining=remaining)
        return len(expired)

    @api.model
    def _cron_o2o_review_tiers(self, batch=5000):
        """Recompute the tier of members whose review date has come (downgrades happen here)."""
        today = fields.Date.context_today(self)
        domain = [
            ("o2o_is_member", "=", True),
            ("o2o_tier_review_date", "!=", False),
            ("o2o_tier_review_date", "<=", today),
        ]
        cards = self.search(domain, limit=batch, order="o2o_tier_review_date, id")
        cards._o2o_update_tier(today=today)
        remaining = self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(cards), remaining=remaining)
        return len(cards)

    @api.model
    def _cron_o2o_expiry_reminder(self, batch=500):
        """Tell members, once per lot, that points expire within the program's reminder period."""
        today = fields.Date.context_today(self)
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT l.id FROM o2o_loyalty_lot l
            JOIN loyalty_program p ON p.id = l.program_id
            WHERE l.remaining > 0 AND NOT COALESCE(l.reminded, false) AND p.o2o_reminder_days > 0
              AND l.expiry_date > %s AND l.expiry_date <= %s::date + p.o2o_reminder_days
            ORDER BY l.expiry_date LIMIT %s
            """,
            [today, today, batch],
        )
        lots = self.env["o2o.loyalty.lot"].sudo().browse([row[0] for row in self.env.cr.fetchall()])
        template = self.env.ref("o2o_loyalty.mail_template_o2o_points_expiring", raise_if_not_found=False)
        for card in lots.card_id.filtered("partner_id"):
            if template and card.partner_id.email:
                template.send_mail(card.id, email_layout_xmlid="mail.mail_notification_light")
            if card.partner_id.mobile or card.partner_id.phone:
                card._message_sms(
                    self.env._(
                        "%(points)s of your %(program)s points expire on %(date)s. "
                        "Use them in store or online.",
                        points=card._format_points(card.o2o_expiring_points),
                        program=card.program_id.name,
                        date=card.o2o_expiring_date,
                    ),
                    partner_ids=card.partner_id.ids,
                )
        lots.write({"reminded": True})
        return len(lots)

    def _o2o_demo_history(self):
        """Demo: a member with a year of orders across channels (used by the demo data only)."""
        today = fields.Date.context_today(self)
        store = self.env.ref("o2o_base.store_hcm_q1", raise_if_not_found=False)
        for card in self:
            # Written in the member's language, as the lines of her real orders are.
            env = card.with_context(lang=card.partner_id.lang or self.env.lang).env
            for months_ago, points, channel, label in (
                (11, 120.0, "store", env._("Quận 1 store")),
                (6, 80.0, "website", env._("website")),
                (2, 45.0, "marketplace", "Shopee"),
            ):
                date = today - relativedelta(months=months_ago)
                card._o2o_open_lot(
                    points,
                    origin=env._("Demo order on %s", label),
                    amount=points * card.program_id._o2o_demo_money_per_point(),
                    channel=channel,
                    store=store if channel == "store" else None,
                    date=date,
                )
                card._o2o_set_points(card.points + points)
                line = card._o2o_history(
                    "earn",
                    env._("Demo order on %s", label),
                    issued=points,
                    channel=channel,
                    store=store if channel == "store" else None,
                )
                # Dated when the demo order was made, as the lot is (the history shows it).
                line.flush_recordset()
                self.env.cr.execute(
                    "UPDATE loyalty_history SET create_date = %s WHERE id = %s",
                    (datetime.combine(date, time(10, 0)), line.id),
                )
                line.invalidate_recordset(["create_date"])
            card._o2o_touch("marketplace")
            card._o2o_update_tier()
