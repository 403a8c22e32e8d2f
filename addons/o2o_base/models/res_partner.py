import logging

from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.addons.base_vat.models.res_partner import _ref_vat
from odoo.exceptions import UserError

from ..const import CHANNEL_TYPES
from ..utils import TAX_ID_EXAMPLES, validate_tax_id

_logger = logging.getLogger(__name__)

for _code, _example in TAX_ID_EXAMPLES.items():
    _ref_vat.setdefault(_code, _example)

# Contact fields that may complete an existing customer recognised on a channel. Never
# overwritten, only filled when empty; the e-mail and phones (what logins, password resets
# and member lookups go by) only from staff who have the customer in front of them.
IDENTITY_FIELDS = ("email", "phone", "mobile")
COMPLETABLE_FIELDS = ("street", "street2", "city", "zip", "vat")


class ResPartner(models.Model):
    """One customer across channels: phone numbers in E.164, find-or-link, customer 360."""

    _inherit = "res.partner"

    # Odoo (sms) stores the E.164 form of mobile/phone; we look customers up by it.
    phone_sanitized = fields.Char(index="btree_not_null")
    email_normalized = fields.Char(index="btree_not_null")
    o2o_phone_invalid = fields.Boolean(
        string="Invalid Phone",
        compute="_compute_o2o_phone_invalid",
        store=True,
        help="A phone or mobile number is set but cannot be read as a valid number "
        "for the customer's (or company's) country.",
    )

    # Customer 360, read from the O2O order analysis.
    o2o_order_count = fields.Integer(
        string="O2O Orders", compute="_compute_o2o_360", groups="sales_team.group_sale_salesman"
    )
    o2o_revenue = fields.Monetary(
        string="Revenue",
        compute="_compute_o2o_360",
        currency_field="o2o_currency_id",
        groups="sales_team.group_sale_salesman",
    )
    o2o_currency_id = fields.Many2one(
        "res.currency", compute="_compute_o2o_360", groups="sales_team.group_sale_salesman"
    )
    o2o_channel_count = fields.Integer(
        string="Channels Used", compute="_compute_o2o_360", groups="sales_team.group_sale_salesman"
    )
    o2o_first_channel_type = fields.Selection(
        CHANNEL_TYPES,
        string="First Channel",
        compute="_compute_o2o_360",
        groups="sales_team.group_sale_salesman",
    )
    o2o_last_channel_type = fields.Selection(
        CHANNEL_TYPES,
        string="Last Channel",
        compute="_compute_o2o_360",
        groups="sales_team.group_sale_salesman",
    )
    o2o_first_order_date = fields.Datetime(
        string="First Order", compute="_compute_o2o_360", groups="sales_team.group_sale_salesman"
    )
    o2o_last_order_date = fields.Datetime(
        string="Last Order", compute="_compute_o2o_360", groups="sales_team.group_sale_salesman"
    )
    o2o_store_ids = fields.Many2many(
        "stock.warehouse",
        string="Stores Visited",
        compute="_compute_o2o_360",
        groups="sales_team.group_sale_salesman",
    )
    o2o_channel_summary = fields.Html(
        string="Orders by Channel",
        compute="_compute_o2o_360",
        sanitize=False,
        groups="sales_team.group_sale_salesman",
    )

    def init(self):
        # Rows of this table exist only to serialise the creation of a customer for a
        # given phone or e-mail; see _o2o_claim_identity.
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS o2o_customer_claim (
                company_id INTEGER NOT NULL,
                key VARCHAR NOT NULL,
                claimed_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                PRIMARY KEY (company_id, key)
            )
            """
        )
        return super().init()

    # ------------------------------------------------------------------
    # Phone numbers
    # ------------------------------------------------------------------

    def _phone_get_country(self):
        # A customer without a country is read with its company's country first,
        # then (in _phone_format) with the current company's.
        countries = super()._phone_get_country()
        for partner in self:
            if partner.id not in countries and partner.company_id.country_id:
                countries[partner.id] = partner.company_id.country_id
        return countries

    @api.depends("phone", "mobile", "country_id", "company_id")
    def _compute_o2o_phone_invalid(self):
        for partner in self:
            partner.o2o_phone_invalid = any(
                partner[fname] and not partner._phone_format(fname=fname) for fname in ("phone", "mobile")
            )

    @api.model
    def _o2o_phone_e164(self, number, country=None, raise_exception=False):
        """E.164 form of ``number``, read in ``country`` (default: the current company's).

        Returns False for an unreadable number, or raises a UserError saying why when
        ``raise_exception`` is set (for flows where a valid phone is required).
        """
        number = (number or "").strip()
        if not number:
            if raise_exception:
                raise UserError(self.env._("A phone number is required."))
            return False
        country = country or self.env.company.country_id
        try:
            return self._phone_format(
                number=number, country=country, force_format="E164", raise_exception=True
            )
        except UserError as error:
            if raise_exception:
                raise UserError(
                    self.env._(
                        "%(number)s is not a valid phone number for %(country)s: %(reason)s",
                        number=number,
                        country=country.name or self.env._("an unknown country"),
                        reason=error.args[0],
                    )
                ) from error
            return False

    # ------------------------------------------------------------------
    # One customer across channels
    # ------------------------------------------------------------------

    @api.model
    def _o2o_find_customer(self, phone=None, email=None, company=None, exclude=None):
        """The existing customer for this phone (first) or e-mail, or an empty recordset.

        Phones are compared in E.164, e-mails normalised; only customers shared or of
        ``company`` are candidates; ``exclude`` partners are never returned. A contact of
        a company returns the company (the commercial partner).
        """
        company = company or self.env.company
        e164 = phone and self._o2o_phone_e164(phone, country=company.country_id)
        normalized = email and tools.email_normalize(email)
        for fname, value in (("phone_sanitized", e164), ("email_normalized", normalized)):
            if value:
                customer = self._o2o_match(fname, value, company, exclude)
                if customer:
                    return customer
        return self.browse()

    @api.model
    def _o2o_match(self, fname, value, company, exclude):
        # Only the indexed key in SQL: adding the company makes PostgreSQL combine it
        # with the (unselective) company index, 100 times slower on 100,000 customers.
        domain = [(fname, "=", value), ("type", "=", "contact")]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        candidates = (
            self.sudo()
            .with_context(active_test=True)
            .search_fetch(
                domain, ["company_id", "commercial_partner_id", "partner_share"], order="id", limit=20
            )
        )
        for partner in candidates:
            # Employees' contacts (and companies') are logins of the back office: a shopper who
            # types their phone or e-mail must never order, or write, on their behalf.
            if not (partner.partner_share and partner.commercial_partner_id.partner_share):
                continue
            if not partner.company_id or partner.company_id == company:
                return self.browse(partner.commercial_partner_id.id)
        return self.browse()

    @api.model
    def _o2o_claim_identity(self, phone=None, email=None, company=None):
        """Serialise the creation of a customer for this phone and e-mail.

        Under Odoo's REPEATABLE READ isolation a concurrent transaction cannot see a
        customer created by another one that is not yet committed. Both upsert the
        same key row: the second waits for the first, then fails with a serialization
        error, and Odoo retries its request, which then finds the new customer.
        """
        company = company or self.env.company
        keys = []
        e164 = phone and self._o2o_phone_e164(phone, country=company.country_id)
        if e164:
            keys.append("phone:" + e164)
        normalized = email and tools.email_normalize(email)
        if normalized:
            keys.append("email:" + normalized)
        for key in sorted(keys):
            self.env.cr.execute(
                """
                INSERT INTO o2o_customer_claim (company_id, key) VALUES (%s, %s)
                ON CONFLICT (company_id, key)
                DO UPDATE SET claimed_at = now() AT TIME ZONE 'UTC'
                """,
                (company.id, key),
            )

    @api.model
    def _o2o_find_or_create_customer(
        self, vals, company=None, channel_label=None, complete=False, trusted=False
    ):
        """The customer for ``vals``: an existing one with the same phone or e-mail, else a new one.

        :param dict vals: values for res.partner.create (name, phone/mobile, email, address)
        :param company: company whose customers are candidates (default: current)
        :param str channel_label: where the customer was met, for the chatter note
        :param bool complete: fill the existing customer's empty address fields from ``vals``
        :param bool trusted: ``vals`` come from staff with the customer in front of them (a
            cashier): completing also fills an empty e-mail or phone. Never for what a buyer
            or a guest typed (a marketplace buyer, a website checkout).
        """
        company = company or self.env.company
        phone = vals.get("mobile") or vals.get("phone")
        email = vals.get("email")
        customer = self._o2o_find_customer(phone=phone, email=email, company=company)
        if customer:
            customer._o2o_note_recognised(vals, channel_label, complete, trusted)
            return customer
        self._o2o_claim_identity(phone=phone, email=email, company=company)
        return self.with_context(o2o_link_existing_customer=False).create(vals)

    def _o2o_note_recognised(self, vals, channel_label, complete, trusted=False):
        self.ensure_one()
        filled = {}
        if complete:
            fnames = COMPLETABLE_FIELDS + (IDENTITY_FIELDS if trusted else ())
            filled = {fname: vals[fname] for fname in fnames if vals.get(fname) and not self[fname]}
            if filled:
                self.sudo().write(filled)
        body = self.env._(
            "Customer recognised by phone or e-mail on %(channel)s: linked to this customer "
            "instead of creating a duplicate.",
            channel=channel_label or self.env._("another channel"),
        )
        if filled:
            body = Markup("%s<br/>%s") % (
                body,
                self.env._("Completed: %s", ", ".join(self._fields[f].string for f in filled)),
            )
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    @api.model_create_multi
    def create(self, vals_list):
        """With ``o2o_link_existing_customer`` in the context (the POS customer form),
        return the existing customer with the same phone or e-mail instead of a duplicate."""
        if not self.env.context.get("o2o_link_existing_customer"):
            return super().create(vals_list)
        partners = self.browse()
        for vals in vals_list:
            if vals.get("parent_id") or vals.get("type", "contact") != "contact":
                partners |= super().create([vals])
                continue
            phone = vals.get("mobile") or vals.get("phone")
            if phone:
                # The cashier is with the customer: a number we cannot read is a typo to fix now.
                self._o2o_phone_e164(phone, raise_exception=True)
            partners |= self._o2o_find_or_create_customer(
                vals,
                channel_label=self.env.context.get("o2o_channel_label") or self.env._("the point of sale"),
                complete=True,
                trusted=self.env.user._is_internal(),
            )
        return partners

    @api.autovacuum
    def _gc_o2o_customer_claim(self):
        self.env.cr.execute(
            "DELETE FROM o2o_customer_claim WHERE claimed_at < (now() AT TIME ZONE 'UTC') - interval '1 day'"
        )

    # ------------------------------------------------------------------
    # Tax identifiers (base_vat looks these methods up by country code)
    # ------------------------------------------------------------------

    def _o2o_check_tax_id(self, country_code, number):
        try:
            validate_tax_id(country_code, number)
        except ValueError:
            return False
        return True

    def check_vat_vn(self, vat):
        return self._o2o_check_tax_id("vn", vat)

    def check_vat_th(self, vat):
        return self._o2o_check_tax_id("th", vat)

    # ------------------------------------------------------------------
    # Customer 360
    # ------------------------------------------------------------------

    def _compute_o2o_360(self):
        Report = self.env["o2o.order.report"].sudo()
        commercial = self.commercial_partner_id
        stats, store_ids = {}, {}
        if commercial.ids:
            groups = Report._read_group(
                [("partner_id", "in", commercial.ids)],
                ["partner_id", "channel_type"],
                ["__count", "amount:sum", "date:min", "date:max"],
            )
            for partner, channel_type, count, amount, date_min, date_max in groups:
                stats.setdefault(partner.id, []).append((channel_type, count, amount, date_min, date_max))
            stores = Report._read_group(
                [("partner_id", "in", commercial.ids), ("store_id", "!=", False)],
                ["partner_id"],
                ["store_id:array_agg"],
            )
            store_ids = {partner.id: ids for partner, ids in stores}
        labels = dict(CHANNEL_TYPES)
        currency = self.env.company.currency_id
        for partner in self:
            rows = stats.get(partner.commercial_partner_id.id, [])
            partner.o2o_currency_id = currency
            partner.o2o_order_count = sum(r[1] for r in rows)
            partner.o2o_revenue = sum(r[2] for r in rows)
            partner.o2o_channel_count = len(rows)
            partner.o2o_first_order_date = min((r[3] for r in rows), default=False)
            partner.o2o_last_order_date = max((r[4] for r in rows), default=False)
            partner.o2o_first_channel_type = min(rows, key=lambda r: r[3])[0] if rows else False
            partner.o2o_last_channel_type = max(rows, key=lambda r: r[4])[0] if rows else False
            partner.o2o_store_ids = [
                (6, 0, sorted(set(store_ids.get(partner.commercial_partner_id.id, []) if rows else [])))
            ]
            partner.o2o_channel_summary = self._o2o_channel_summary_html(rows, labels, currency)

    @api.model
    def _o2o_channel_summary_html(self, rows, labels, currency):
        if not rows:
            return False
        lines = Markup("").join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>")
            % (
                labels.get(channel_type, channel_type),
                count,
                tools.format_amount(self.env, amount, currency),
            )
            for channel_type, count, amount, _min, _max in sorted(rows, key=lambda r: -r[2])
        )
        return Markup(
            "<table class='table table-sm o_o2o_channel_summary'><thead><tr>"
            "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "</tr></thead><tbody>%s</tbody></table>"
        ) % (
            escape(self.env._("Channel")),
            escape(self.env._("Orders")),
            escape(self.env._("Revenue")),
            lines,
        )

    def action_o2o_open_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("o2o_base.action_o2o_order_report")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_channel_type": 1}
        action["views"] = [(False, "list"), (False, "pivot"), (False, "graph")]
        action["view_mode"] = "list,pivot,graph"
        return action
