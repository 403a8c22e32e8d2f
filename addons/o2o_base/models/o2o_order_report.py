from odoo import api, fields, models, tools
from odoo.osv import expression
from odoo.tools import SQL

from ..const import CHANNEL_TYPES


class O2oOrderReport(models.Model):
    """One row per confirmed order of any channel: website and back-office sale orders,
    store (POS) orders. Later addons add columns through the _select/_from hooks."""

    _name = "o2o.order.report"
    _description = "O2O Order Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "name"
    # Flushed before the view is read, so orders written in the same transaction count.
    _depends = {
        "sale.order": [
            "name", "date_order", "company_id", "partner_id", "team_id", "o2o_channel_type",
            "o2o_store_id", "user_id", "amount_untaxed", "currency_rate", "state",
        ],
        "pos.order": [
            "name", "date_order", "company_id", "partner_id", "crm_team_id", "o2o_channel_type",
            "o2o_store_id", "user_id", "currency_rate", "state", "o2o_revenue",
        ],
        "res.partner": ["commercial_partner_id"],
        "res.company": ["currency_id"],
    }  # fmt: skip

    name = fields.Char("Order", readonly=True)
    date = fields.Datetime("Order Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Channel", readonly=True)
    channel_type = fields.Selection(CHANNEL_TYPES, readonly=True)
    store_id = fields.Many2one("stock.warehouse", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary("Revenue", readonly=True, help="Untaxed, in the company's currency.")
    average_order_value = fields.Monetary(
        readonly=True,
        aggregator="avg",
        help="Untaxed revenue per order, in the company's currency.",
    )
    order_count = fields.Integer("Orders", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    pos_order_id = fields.Many2one("pos.order", "POS Order", readonly=True)

    # ------------------------------------------------------------------
    # SQL view
    # ------------------------------------------------------------------

    def _select_sale(self):
        return """
            so.id AS id,
            so.name AS name,
            so.date_order AS date,
            so.company_id AS company_id,
            partner.commercial_partner_id AS partner_id,
            so.team_id AS team_id,
            so.o2o_channel_type AS channel_type,
            so.o2o_store_id AS store_id,
            so.user_id AS user_id,
            company.currency_id AS currency_id,
            so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS amount,
            so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS average_order_value,
            1 AS order_count,
            so.id AS sale_order_id,
            NULL::integer AS pos_order_id
        """

    def _from_sale(self):
        return """
            sale_order so
            JOIN res_partner partner ON partner.id = so.partner_id
            JOIN res_company company ON company.id = so.company_id
        """

    def _where_sale(self):
        return "so.state = 'sale'"

    def _select_pos(self):
        # Lines that settle a sale order in the POS count with that sale order, not
        # twice: o2o_revenue leaves them out.
        return """
            -po.id AS id,
            po.name AS name,
            po.date_order AS date,
            po.company_id AS company_id,
            partner.commercial_partner_id AS partner_id,
            po.crm_team_id AS team_id,
            po.o2o_channel_type AS channel_type,
            po.o2o_store_id AS store_id,
            po.user_id AS user_id,
            company.currency_id AS currency_id,
            po.o2o_revenue / COALESCE(NULLIF(po.currency_rate, 0), 1.0) AS amount,
            po.o2o_revenue / COALESCE(NULLIF(po.currency_rate, 0), 1.0) AS average_order_value,
            1 AS order_count,
            NULL::integer AS sale_order_id,
            po.id AS pos_order_id
        """

    def _from_pos(self):
        return """
            pos_order po
            JOIN res_company company ON company.id = po.company_id
            LEFT JOIN res_partner partner ON partner.id = po.partner_id
        """

    def _where_pos(self):
        return "po.state IN ('paid', 'done', 'invoiced')"

    def _query(self):
        return f"""
            SELECT {self._select_sale()} FROM {self._from_sale()} WHERE {self._where_sale()}
            UNION ALL
            SELECT {self._select_pos()} FROM {self._from_pos()} WHERE {self._where_pos()}
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({self._query()})")

    # ------------------------------------------------------------------
    # Dashboard
    # ------------------------------------------------------------------

    @api.model
    def _dashboard_domain(self, date_from=None, date_to=None, store_ids=None, channel_types=None):
        domain = []
        if date_from:
            domain.append(("date", ">=", fields.Datetime.to_datetime(date_from)))
        if date_to:
            end = fields.Datetime.to_datetime(date_to)
            if len(str(date_to)) <= 10:  # a date: include the whole day
                end = end.replace(hour=23, minute=59, second=59)
            domain.append(("date", "<=", end))
        if store_ids:
            domain.append(("store_id", "in", list(store_ids)))
        if channel_types:
            domain.append(("channel_type", "in", list(channel_types)))
        return domain

    @api.model
    def get_dashboard_data(self, date_from=None, date_to=None, store_ids=None, channel_types=None):
        """Figures of the O2O dashboard for a period, stores and channel types.

        Revenue is untaxed in the company's currency; customers are commercial
        partners; an order without a customer (anonymous POS sale) counts in revenue
        and orders, not in the customer figures.
        """
        domain = self._dashboard_domain(date_from, date_to, store_ids, channel_types)
        [(revenue, orders)] = self._read_group(domain, [], ["amount:sum", "__count"])
        revenue = revenue or 0.0
        labels = dict(CHANNEL_TYPES)
        by_channel = [
            {
                "channel_type": channel_type,
                "label": labels.get(channel_type, channel_type),
                "revenue": amount or 0.0,
                "orders": count,
                "aov": (amount or 0.0) / count if count else 0.0,
            }
            for channel_type, amount, count in self._read_group(
                domain, ["channel_type"], ["amount:sum", "__count"], order="amount:sum desc"
            )
        ]
        by_store = [
            {
                "store_id": store.id,
                "label": store.name,
                "revenue": amount or 0.0,
                "orders": count,
                "aov": (amount or 0.0) / count if count else 0.0,
            }
            for store, amount, count in self._read_group(
                expression.AND([domain, [("store_id", "!=", False)]]),
                ["store_id"],
                ["amount:sum", "__count"],
                order="amount:sum desc",
            )
        ]
        customer_count, repeat, omnichannel = self._dashboard_customer_counts(domain)
        kpis = [
            {"key": "revenue", "label": self.env._("Revenue"), "value": revenue, "format": "monetary"},
            {"key": "orders", "label": self.env._("Orders"), "value": orders, "format": "integer"},
            {
                "key": "aov",
                "label": self.env._("Average Order Value"),
                "value": revenue / orders if orders else 0.0,
                "format": "monetary",
            },
            {
                "key": "customers",
                "label": self.env._("Customers"),
                "value": customer_count,
                "format": "integer",
            },
            {
                "key": "omnichannel_share",
                "label": self.env._("Bought in 2+ Channels"),
                "value": omnichannel / customer_count if customer_count else 0.0,
                "format": "percentage",
            },
            {
                "key": "repeat_rate",
                "label": self.env._("Repeat Purchase Rate"),
                "value": repeat / customer_count if customer_count else 0.0,
                "format": "percentage",
            },
        ]
        kpis += self._dashboard_extra_kpis(domain)
        return {
            "currency_id": self.env.company.currency_id.id,
            "domain": domain,
            "kpis": kpis,
            "by_channel": by_channel,
            "by_store": by_store,
        }

    @api.model
    def _dashboard_customer_counts(self, domain):
        """(customers, customers with 2+ orders, customers in 2+ channel types), in SQL:
        a period can hold hundreds of thousands of customers."""
        query = self._search(expression.AND([domain, [("partner_id", "!=", False)]]))
        partner = SQL.identifier(self._table, "partner_id")
        query.groupby = partner
        per_customer = query.select(
            SQL(
                "%s, count(*) AS orders, count(DISTINCT %s) AS channels",
                partner,
                SQL.identifier(self._table, "channel_type"),
            )
        )
        self.env.cr.execute(
            SQL(
                """SELECT count(*), count(*) FILTER (WHERE orders >= 2),
                          count(*) FILTER (WHERE channels >= 2)
                     FROM (%s) per_customer""",
                per_customer,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _dashboard_extra_kpis(self, domain):
        """Hook: O2O figures of later addons (e.g. web orders collected in store)."""
        return []

    @api.model
    def get_dashboard_filters(self):
        stores = self.env["stock.warehouse"].search_read([("o2o_is_store", "=", True)], ["name"])
        return {
            "stores": [{"id": s["id"], "name": s["name"]} for s in stores],
            "channel_types": [{"id": key, "name": label} for key, label in CHANNEL_TYPES],
        }
