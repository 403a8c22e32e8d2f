from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .loyalty_card import MEMBER_PREFIX


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2o_member_card_id = fields.Many2one(
        "loyalty.card", string="Member Card", compute="_compute_o2o_member_card", compute_sudo=True
    )
    o2o_member_tier_id = fields.Many2one(
        "o2o.loyalty.tier", string="Member Tier", compute="_compute_o2o_member_card", compute_sudo=True
    )
    o2o_member_points = fields.Float(
        string="Member Points", compute="_compute_o2o_member_card", compute_sudo=True
    )

    def _compute_o2o_member_card(self):
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search([("o2o_is_member", "=", True), ("partner_id", "in", self.commercial_partner_id.ids)])
        )
        # The current company's card first when a customer is a member of several companies.
        by_partner = {}
        for card in cards.sorted(lambda c: c.company_id != self.env.company):
            by_partner.setdefault(card.partner_id.id, card)
        for partner in self:
            card = by_partner.get(partner.commercial_partner_id.id, cards.browse())
            partner.o2o_member_card_id = card
            partner.o2o_member_tier_id = card.o2o_tier_id
            partner.o2o_member_points = card.points

    def _o2o_member_card(self, company=None, create=False, channel=None, store=None):
        """The member card of this customer (its commercial partner), created when ``create``.

        Concurrent enrollments of one customer upsert the same claim row before creating the
        card: the second waits for the first, then fails with a serialization error, and Odoo
        retries it; the retry finds the card. (The unique (program, partner) index alone would
        refuse the second card with an error Odoo does not retry.)
        """
        self.ensure_one()
        company = company or self.company_id or self.env.company
        program = self.env["loyalty.program"]._o2o_membership(company)
        partner = self.commercial_partner_id
        Card = self.env["loyalty.card"].sudo()
        if not program or partner.is_public:
            return Card
        card = Card.search([("program_id", "=", program.id), ("partner_id", "=", partner.id)], limit=1)
        if card or not create:
            return card
        self.env.cr.execute(
            """
            INSERT INTO o2o_customer_claim (company_id, key) VALUES (%s, %s)
            ON CONFLICT (company_id, key) DO UPDATE SET claimed_at = now() AT TIME ZONE 'UTC'
            """,
            (company.id, f"member-card:{program.id}:{partner.id}"),
        )
        card = Card.with_context(loyalty_no_mail=True, tracking_disable=True).create(
            {"program_id": program.id, "partner_id": partner.id, "points": 0}
        )
        card._o2o_touch(channel, store)
        card._o2o_update_tier()
        channels = dict(self.env["crm.team"]._fields["o2o_channel_type"]._description_selection(self.env))
        card.message_post(
            body=self.env._(
                "Enrolled in %(program)s on %(channel)s.",
                program=program.name,
                channel=channels.get(channel) or self.env._("the back office"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return card

    @api.model
    def o2o_loyalty_enroll(self, name, phone, email=False, config_id=False):
        """Find or create the customer for ``phone`` (o2o_base) and give them a member card.

        Called by the POS enrollment screen (``config_id``: its point of sale); returns what
        the screen shows.
        """
        if not (
            self.env.user.has_group("point_of_sale.group_pos_user")
            or self.env.user.has_group("sales_team.group_sale_salesman")
        ):
            raise AccessError(self.env._("Only cashiers and salespeople can enroll members."))
        config = self.env["pos.config"].browse(config_id) if config_id else None
        channel = "store" if config else "backoffice"
        query = (phone or "").strip()
        card = self._o2o_member_by_code_or_email(query, config)
        if card:
            return card._o2o_member_summary()
        self._o2o_phone_e164(query, raise_exception=True)
        # A cashier may not create contacts in general, but may enroll the customer in front of them.
        partner = (
            self.sudo()
            .with_context(o2o_link_existing_customer=True, o2o_channel_label=config.name if config else None)
            .create({"name": (name or "").strip() or phone, "phone": phone, "email": email or False})
        )
        card = partner._o2o_member_card(
            create=True, channel=channel, store=config.warehouse_id if config else None
        )
        if not card:
            raise UserError(self.env._("No O2O membership program is active for this company."))
        return card._o2o_member_summary()

    @api.model
    def _o2o_member_by_code_or_email(self, query, config=None):
        """The member card of a scanned member QR (its code) or of an e-mail, if any."""
        Card = self.env["loyalty.card"].sudo()
        company = config.company_id if config else self.env.company
        if query.upper().startswith(MEMBER_PREFIX) and " " not in query:
            return Card.search([("code", "=", query.upper()), ("o2o_is_member", "=", True)], limit=1)
        if "@" in query:
            partner = self._o2o_find_customer(email=query, company=company)
            return partner and partner._o2o_member_card(company=company)
        return Card

    def action_o2o_open_member_card(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "loyalty.card",
            "res_id": self.o2o_member_card_id.id,
            "view_mode": "form",
            "views": [(self.env.ref("o2o_loyalty.view_o2o_loyalty_member_form").id, "form")],
        }
