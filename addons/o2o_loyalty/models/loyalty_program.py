from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import EARN_MOMENTS, TIER_BASES


class LoyaltyProgram(models.Model):
    """A loyalty program marked as the O2O membership: one card per customer, earned on
    every channel, with lots that expire, tiers and channel earn rates."""

    _inherit = "loyalty.program"

    o2o_is_membership = fields.Boolean(
        string="O2O Membership",
        help="One member card per customer, shared by the stores, the website and the "
        "marketplaces: points are earned when the order is paid (or delivered), expire by "
        "lot, and count towards tiers.",
    )
    o2o_earn_moment = fields.Selection(
        EARN_MOMENTS,
        string="Earn Points",
        default="paid",
        required=True,
        help="Points of an order are credited when it is fully paid, or when it is delivered "
        "or collected. Cancelled and unpaid orders never earn.",
    )
    o2o_validity_months = fields.Integer(
        string="Points Valid (months)",
        default=12,
        help="Each earning expires this many months after it was credited; 0 means never.",
    )
    o2o_reminder_days = fields.Integer(
        string="Expiry Reminder (days)",
        default=30,
        help="Members are told by e-mail (and SMS when they have a mobile) this many days "
        "before some of their points expire; 0 sends no reminder.",
    )
    o2o_channel_rate_ids = fields.One2many(
        "o2o.loyalty.channel.rate", "program_id", string="Earn Rates per Channel", copy=True
    )
    o2o_tier_ids = fields.One2many("o2o.loyalty.tier", "program_id", string="Tiers", copy=True)
    o2o_tier_basis = fields.Selection(TIER_BASES, string="Tier Basis", default="spend", required=True)
    o2o_enroll_marketplace = fields.Boolean(
        string="Enroll Marketplace Buyers",
        default=True,
        help="A marketplace buyer identified by phone or e-mail becomes a member on their first order.",
    )
    o2o_conflict_user_id = fields.Many2one(
        "res.users",
        string="Conflicts Handled By",
        domain="[('share', '=', False)]",
        help="Gets a to-do when a coupon or points turn out to be used twice, e.g. by a point of "
        "sale that was offline. Default: the administrator.",
    )
    o2o_limit_per_customer = fields.Integer(
        string="Uses per Customer",
        help="How many orders of one customer may use this program's rewards, across the "
        "website and the stores; 0 means no limit.",
    )
    o2o_member_count = fields.Integer(string="Members", compute="_compute_o2o_member_count")
    o2o_store_rate = fields.Float(
        compute="_compute_o2o_store_rate", help="Share of the base points a store (POS) order earns."
    )

    _sql_constraints = [
        (
            "o2o_validity_positive",
            "CHECK(o2o_validity_months >= 0 AND o2o_reminder_days >= 0 AND o2o_limit_per_customer >= 0)",
            "Validity and reminder periods cannot be negative.",
        ),
    ]

    @api.constrains("o2o_is_membership", "program_type", "company_id", "active")
    def _check_o2o_membership(self):
        for program in self.filtered("o2o_is_membership"):
            if program.program_type != "loyalty":
                raise ValidationError(
                    self.env._("Only a program of type Loyalty Cards can be the O2O membership.")
                )
            others = self.search_count(
                [
                    ("id", "!=", program.id),
                    ("o2o_is_membership", "=", True),
                    ("company_id", "=", program.company_id.id),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(company)s already has an O2O membership program.", company=program.company_id.name
                    )
                )

    @api.depends("o2o_channel_rate_ids.rate", "o2o_channel_rate_ids.channel_type")
    def _compute_o2o_store_rate(self):
        for program in self:
            program.o2o_store_rate = program._o2o_channel_rate("store")

    @api.model
    def _load_pos_data_fields(self, config_id):
        # The POS shows the points a member will get: the store's earn rate applies.
        return super()._load_pos_data_fields(config_id) + ["o2o_is_membership", "o2o_store_rate"]

    def _compute_o2o_member_count(self):
        counts = dict(
            self.env["loyalty.card"]._read_group(
                [("program_id", "in", self.ids), ("partner_id", "!=", False)], ["program_id"], ["__count"]
            )
        )
        for program in self:
            program.o2o_member_count = counts.get(program, 0)

    @api.model
    def _o2o_membership(self, company=None):
        """The membership program of ``company`` (default: the current one), or an empty recordset."""
        company = company or self.env.company
        return (
            self.sudo()
            .with_context(active_test=True)
            .search([("o2o_is_membership", "=", True), ("company_id", "in", [company.id, False])], limit=1)
        )

    def _o2o_customer_uses(self, partner, exclude=None):
        """Orders of ``partner`` (any contact of the customer) that used this program's rewards."""
        self.ensure_one()
        customer = partner.commercial_partner_id
        sale_orders = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("reward_id.program_id", "=", self.id),
                    ("order_id.partner_id", "child_of", customer.id),
                    ("order_id.state", "=", "sale"),
                    ("order_id", "not in", exclude.ids if exclude and exclude._name == "sale.order" else []),
                ],
                ["order_id"],
            )
        )
        pos_orders = (
            self.env["pos.order.line"]
            .sudo()
            ._read_group(
                [
                    ("reward_id.program_id", "=", self.id),
                    ("order_id.partner_id", "child_of", customer.id),
                    ("order_id.state", "in", ("paid", "done", "invoiced")),
                    ("order_id", "not in", exclude.ids if exclude and exclude._name == "pos.order" else []),
                ],
                ["order_id"],
            )
        )
        return len(sale_orders) + len(pos_orders)

    def _o2o_limit_error(self, partner, exclude=None):
        """Why ``partner`` may not use this program once more, or False (per-customer limit)."""
        self.ensure_one()
        if not self.o2o_limit_per_customer or partner.is_public:
            return False
        if self._o2o_customer_uses(partner, exclude=exclude) < self.o2o_limit_per_customer:
            return False
        return self.env._(
            "%(program)s can be used %(limit)s time(s) per customer, in store and online.",
            program=self.name,
            limit=self.o2o_limit_per_customer,
        )

    def _o2o_demo_money_per_point(self):
        """Demo: what one point is bought with. The demo is written for a retailer selling in
        dong (a point per 10,000 ₫); in another currency, a point per unit of it."""
        self.ensure_one()
        return 10000.0 if self.currency_id.name == "VND" else 1.0

    def _o2o_channel_rate(self, channel_type):
        """Share of the base points a channel earns (1.0 when no rate is set for it)."""
        self.ensure_one()
        rate = self.o2o_channel_rate_ids.filtered(lambda r: r.channel_type == channel_type)[:1]
        return rate.rate / 100.0 if rate else 1.0

    def action_o2o_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("o2o_loyalty.action_o2o_loyalty_member")
        action["domain"] = [("program_id", "=", self.id), ("partner_id", "!=", False)]
        return action

    def _o2o_points_for_lines(self, lines, currency, valid_products=None):
        """Points the program's automatic rules give for ``lines``, as Odoo's rules count them.

        Used where no Odoo flow computed them: POS orders synced to the server and
        marketplace orders. ``lines`` are dicts with product, qty, price_incl, price_excl and
        reward_type (the program type of a reward line, else False); ``valid_products``, the
        result of ``_get_valid_products`` for (at least) their products, when known.
        """
        self.ensure_one()
        counted = [
            line
            for line in lines
            if line["qty"] > 0 and line.get("reward_type") not in ("ewallet", "gift_card", self.program_type)
        ]
        products = self.env["product.product"].union(*[line["product"] for line in counted])
        per_rule = self._get_valid_products(products) if valid_products is None else valid_products
        points = 0.0
        for rule in self.rule_ids.filtered(lambda r: r.mode == "auto"):
            valid = per_rule.get(rule, products.browse())
            rule_lines = [line for line in counted if line["product"] in valid]
            incl = sum(line["price_incl"] for line in rule_lines)
            excl = sum(line["price_excl"] for line in rule_lines)
            if rule._compute_amount(currency) > (incl if rule.minimum_amount_tax_mode == "incl" else excl):
                continue
            qty = sum(line["qty"] for line in rule_lines if not line.get("reward_type"))
            if not rule_lines or qty < rule.minimum_qty:
                continue
            if rule.reward_point_mode == "order":
                points += rule.reward_point_amount
            elif rule.reward_point_mode == "money":
                points += rule.reward_point_amount * incl
            elif rule.reward_point_mode == "unit":
                points += rule.reward_point_amount * qty
        return max(points, 0.0)

    def _o2o_points_to_earn(self, base_points, card, channel_type):
        """Base points of an order on ``channel_type``, with the channel rate and the member's tier."""
        self.ensure_one()
        return base_points * self._o2o_channel_rate(channel_type) * card._o2o_earn_multiplier()
