import datetime
import logging
from contextlib import contextmanager

from odoo import api, fields, models, modules
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..adapters import MarketplaceError
from ..const import (
    DEFAULT_HOSTS,
    MARKETPLACES,
    ORDER_OVERLAP_MINUTES,
)

_logger = logging.getLogger(__name__)

MANAGER = "o2o_base.group_o2o_manager"


class O2oMarketplaceShop(models.Model):
    """One shop on a marketplace, connected with its API credentials.

    Secrets (app secret, tokens) are readable by O2O managers only; the tokens live in
    ``o2o.marketplace.token`` so that refreshing them never waits on a sync that is writing to the
    shop. Every run (orders, stock, prices, shipments) is logged in ``o2o.marketplace.job``.
    """

    _name = "o2o.marketplace.shop"
    _description = "Marketplace Shop"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    marketplace = fields.Selection(MARKETPLACES, required=True, tracking=True)
    region = fields.Char(default="VN", help="Marketplace country/region code, e.g. VN, TH, MY.")
    host = fields.Char(
        "API host",
        required=True,
        help="Base URL of the marketplace API (production, sandbox, or the local simulator).",
    )
    auth_host = fields.Char("Authorization host", help="Lazada and TikTok Shop authorise on a separate host.")
    app_key = fields.Char("Partner ID / App key", required=True, tracking=True)
    app_secret = fields.Char("Partner key / App secret", required=True, groups=MANAGER, copy=False)
    shop_external_id = fields.Char("Shop ID on the marketplace", tracking=True, copy=False, index=True)
    token_id = fields.One2many("o2o.marketplace.token", "shop_id", groups=MANAGER)
    access_expires_at = fields.Datetime(compute="_compute_token_info", groups=MANAGER)
    refresh_expires_at = fields.Datetime(compute="_compute_token_info", groups=MANAGER)
    connected = fields.Boolean(compute="_compute_token_info", groups=MANAGER)

    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        help="Orders are delivered, and stock is counted, from this warehouse.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Prices pushed to the marketplace and currency of its orders.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales channel",
        check_company=True,
        help="Orders of this shop belong to this channel (created with the shop when empty).",
    )
    tax_id = fields.Many2one(
        "account.tax",
        string="Tax included in marketplace prices",
        domain="[('type_tax_use', '=', 'sale'), ('price_include', '=', True)]",
        check_company=True,
        help="Marketplace prices include tax: imported order lines carry this tax, totals unchanged.",
    )
    stock_buffer = fields.Integer(
        "Safety stock",
        default=0,
        help="Units kept back from the marketplace: it is offered free quantity minus this, never below 0.",
    )
    sync_orders = fields.Boolean("Import orders", default=True)
    sync_stock = fields.Boolean("Push stock", default=True)
    sync_price = fields.Boolean("Push prices", default=False)
    sync_shipment = fields.Boolean("Push shipments", default=True)

    order_sync_position = fields.Datetime(
        "Orders imported up to",
        copy=False,
        help="Orders updated up to this time are in Odoo; the next import starts here.",
    )
    last_success = fields.Datetime("Last successful sync", copy=False, readonly=True)
    last_error = fields.Text(copy=False, readonly=True)
    webhook_url = fields.Char(compute="_compute_webhook_url")

    listing_ids = fields.One2many("o2o.marketplace.listing", "shop_id")
    listing_count = fields.Integer(compute="_compute_counts")
    unmatched_count = fields.Integer(compute="_compute_counts")
    failed_job_count = fields.Integer(compute="_compute_counts")
    order_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        (
            "shop_unique",
            "unique(marketplace, shop_external_id)",
            "This marketplace shop is already connected.",
        ),
        ("stock_buffer_positive", "CHECK(stock_buffer >= 0)", "The safety stock cannot be negative."),
    ]

    @api.depends("token_id.access_expires_at", "token_id.refresh_token")
    def _compute_token_info(self):
        for shop in self:
            token = shop.sudo().token_id[:1]
            shop.access_expires_at = token.access_expires_at
            shop.refresh_expires_at = token.refresh_expires_at
            shop.connected = bool(token.refresh_token)

    @api.depends("marketplace")
    def _compute_webhook_url(self):
        base = self.get_base_url()
        for shop in self:
            shop.webhook_url = shop.marketplace and f"{base}/o2o/marketplace/{shop.marketplace}/webhook"

    def _compute_counts(self):
        listing = self.env["o2o.marketplace.listing"]
        by_shop = dict(listing._read_group([("shop_id", "in", self.ids)], ["shop_id"], ["__count"]))
        unmatched = dict(
            listing._read_group(
                [("shop_id", "in", self.ids), ("state", "=", "unmatched")], ["shop_id"], ["__count"]
            )
        )
        failed = dict(
            self.env["o2o.marketplace.job"]._read_group(
                [("shop_id", "in", self.ids), ("state", "=", "failed")], ["shop_id"], ["__count"]
            )
        )
        orders = dict(
            self.env["sale.order"]._read_group(
                [("o2o_marketplace_shop_id", "in", self.ids)], ["o2o_marketplace_shop_id"], ["__count"]
            )
        )
        for shop in self:
            shop.listing_count = by_shop.get(shop, 0)
            shop.unmatched_count = unmatched.get(shop, 0)
            shop.failed_job_count = failed.get(shop, 0)
            shop.order_count = orders.get(shop, 0)

    @api.constrains("pricelist_id", "company_id")
    def _check_pricelist_currency(self):
        for shop in self:
            if shop.pricelist_id and shop.pricelist_id.currency_id != shop.company_id.currency_id:
                raise ValidationError(
                    self.env._(
                        "The pricelist of %(shop)s must be in %(currency)s, the currency of its orders.",
                        shop=shop.name,
                        currency=shop.company_id.currency_id.name,
                    )
                )

    @api.onchange("marketplace")
    def _onchange_marketplace(self):
        if self.marketplace and not self.host:
            self.host, self.auth_host = DEFAULT_HOSTS[self.marketplace]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("marketplace") and not vals.get("host"):
                vals["host"], vals["auth_host"] = DEFAULT_HOSTS[vals["marketplace"]]
        shops = super().create(vals_list)
        shops._ensure_team()
        return shops

    def _ensure_team(self):
        for shop in self.filtered(lambda s: not s.team_id):
            shop.team_id = self.env["crm.team"].create(
                {
                    "name": shop.name,
                    "company_id": shop.company_id.id,
                    "o2o_channel_type": "marketplace",
                }
            )

    # ------------------------------------------------------------------
    # Runs: one shop at a time, whatever the number of servers
    # ------------------------------------------------------------------

    @contextmanager
    def _o2o_exclusive(self, kind):
        """Run ``kind`` for this shop on one server at a time (others skip it): a session-level
        advisory lock, so that a run may commit its progress and keep the lock."""
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_lock(hashtext(%s), %s)", f"o2o_marketplace.{kind}", self.id)
        )
        if not self.env.cr.fetchone()[0]:
            yield False
            return
        try:
            yield True
        finally:
            self.env.cr.execute(
                SQL("SELECT pg_advisory_unlock(hashtext(%s), %s)", f"o2o_marketplace.{kind}", self.id)
            )

    def _o2o_start_run(self, kind):
        """The log line of a run of ``kind`` that holds this shop's lock. A line of that kind
        still running was left by an attempt that stopped half-way (a conflict with another job
        that queue_job retried, a server stopped): no other run can hold the lock, so this run
        carries that line on and the staff see one run, not a failed one and its retry."""
        Log = self.env["o2o.marketplace.job"]
        running = Log.search(
            [("shop_id", "=", self.id), ("kind", "=", kind), ("state", "=", "running")], order="id desc"
        )
        running[1:].write(
            {
                "state": "failed",
                "date_done": fields.Datetime.now(),
                "message": self.env._("Interrupted before it finished; the next run took over."),
            }
        )
        return running[:1] or Log.create({"shop_id": self.id, "kind": kind, "state": "running"})

    def _o2o_commit(self):
        """Commit the progress of a run, so a crash or a later failure keeps what is done
        (never inside tests, which run in one transaction)."""
        if not modules.module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------

    def action_sync_orders(self):
        self._o2o_queue_orders()
        return self._o2o_notify(
            self.env._("Order import queued: the job log shows its figures when it is done.")
        )

    def _o2o_sync_orders(self, until=None):
        """Import orders updated since the saved position, window by window.

        The position moves to the end of a window only once all its orders are committed, so a
        crash re-imports that window (harmless: one Odoo order per marketplace order).
        """
        self.ensure_one()
        with self._o2o_exclusive("orders") as acquired:
            if not acquired:
                return None
            job = self._o2o_start_run("orders")
            self._o2o_commit()
            until = until or fields.Datetime.now()
            position = self.order_sync_position or until - datetime.timedelta(days=7)
            start = position - datetime.timedelta(minutes=ORDER_OVERLAP_MINUTES)
            counts = [0, 0]  # imported, failed
            connection = None

            def import_window(adapter, window_start, window_end):
                for page in adapter.iter_orders(window_start, window_end):
                    ok, ko = self.env["sale.order"]._o2o_marketplace_import(self, page, job)
                    counts[0] += ok
                    counts[1] += ko
                    # the job log once per page: staff follow a long import as it goes
                    job.write({"count_ok": counts[0], "count_failed": counts[1]})
                    self._o2o_commit()

            try:
                connection = self._o2o_connection()
                while start < until:
                    window_end = min(until, start + connection.adapter.max_window)
                    connection.run(lambda adapter, ws=start, we=window_end: import_window(adapter, ws, we))
                    self.order_sync_position = window_end
                    self._o2o_commit()
                    start = window_end
            except (MarketplaceError, UserError) as error:
                job._fail(error, counts=counts, api_calls=connection.api_calls if connection else 0)
                self.last_error = str(error)
                self._o2o_commit()
                return job
            job._done(
                self.env._("%(ok)s orders imported or updated, %(ko)s failed.", ok=counts[0], ko=counts[1]),
                counts=counts,
                api_calls=connection.api_calls,
            )
            self.write({"last_success": fields.Datetime.now(), "last_error": False})
            self._o2o_commit()
            return job

    def _o2o_reconcile_orders(self, date_from, date_to):
        """Import what polling and webhooks missed: list the marketplace's orders updated in
        [date_from, date_to] (list calls only) and fetch those Odoo lacks or holds in an older status.

        Like the stock reconciliation, a safety net run daily and on demand; the figures (checked,
        missing, outdated, fixed) go to the job log.
        """
        self.ensure_one()
        # The lock of the order import: both import the same orders (and create their listings),
        # so one runs after the other instead of colliding on every row.
        with self._o2o_exclusive("orders") as acquired:
            if not acquired:
                return None
            job = self._o2o_start_run("reconcile")
            self._o2o_commit()
            checked, missing, outdated = set(), set(), set()
            counts = [0, 0]  # fixed, failed
            SaleOrder = self.env["sale.order"]

            def reconcile_window(adapter, window_start, window_end):
                for heads in adapter.iter_order_heads(window_start, window_end):
                    checked.update(head.external_id for head in heads)
                    lacking, older = SaleOrder._o2o_marketplace_lacking(self, heads)
                    missing.update(lacking)
                    outdated.update(older)
                    if lacking or older:
                        orders = adapter.get_orders(lacking + older)
                        ok, ko = SaleOrder._o2o_marketplace_import(self, orders, job)
                        counts[0] += ok
                        counts[1] += ko
                    self._o2o_commit()

            def figures():
                return self.env._(
                    "%(checked)s orders checked, %(missing)s missing in Odoo, %(outdated)s in an older "
                    "status, %(fixed)s fixed, %(failed)s failed.",
                    checked=len(checked),
                    missing=len(missing),
                    outdated=len(outdated),
                    fixed=counts[0],
                    failed=counts[1],
                )

            connection = None
            try:
                connection = self._o2o_connection()
                start = date_from
                while start < date_to:
                    window_end = min(date_to, start + connection.adapter.max_window)
                    connection.run(lambda adapter, ws=start, we=window_end: reconcile_window(adapter, ws, we))
                    start = window_end
            except (MarketplaceError, UserError) as error:
                job._fail(error, counts=counts, api_calls=connection.api_calls if connection else 0)
                job.message = f"{figures()}\n{error}"
                self._o2o_commit()
                return job
            job._done(figures(), counts=counts, api_calls=connection.api_calls)
            self._o2o_commit()
            return job

    def action_open_order_reconcile(self):
        """The period to reconcile, asked in a small wizard."""
        self.ensure_one()
        self._check_manager()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "o2o_marketplace.action_o2o_marketplace_order_reconcile"
        )
        action["context"] = {"default_shop_id": self.id}
        return action

    def _o2o_fetch_and_import(self, external_ids, job=None):
        """Fetch the current state of these orders from the marketplace and import it."""
        orders = self._o2o_with_adapter(lambda adapter: adapter.get_orders(list(external_ids)))
        return self.env["sale.order"]._o2o_marketplace_import(self, orders, job)

    # ------------------------------------------------------------------
    # Listings, stock and prices
    # ------------------------------------------------------------------

    def action_sync_listings(self):
        for shop in self:
            shop._o2o_enqueue(
                "_o2o_job_sync_listings",
                identity=("listings",),
                description=self.env._("%s: read listings", shop.name),
            )
        return self._o2o_notify(
            self.env._("Listing sync queued: the job log shows its figures when it is done.")
        )

    def _o2o_sync_listings(self):
        self.ensure_one()
        job = self.env["o2o.marketplace.job"].create(
            {"shop_id": self.id, "kind": "listings", "state": "running"}
        )
        counts = [0, 0]  # listings, API calls

        def work(adapter):
            for page in adapter.iter_listings():
                self.env["o2o.marketplace.listing"]._o2o_upsert(self, page)
                counts[0] += len(page)
            counts[1] += adapter.transport.calls

        try:
            self._o2o_with_adapter(work)
        except (MarketplaceError, UserError) as error:
            job._fail(error, counts=(counts[0], 0), api_calls=counts[1])
            return job
        job._done(self.env._("%s listings read.", counts[0]), counts=(counts[0], 0), api_calls=counts[1])
        return job

    def action_push_stock(self):
        """Full reconciliation: read the marketplace's quantities, push every difference."""
        self._o2o_queue_stock_reconcile()
        return self._o2o_notify(
            self.env._("Stock reconciliation queued: the job log shows its figures when it is done.")
        )

    def action_push_price(self):
        for shop in self:
            if not shop.pricelist_id:
                raise UserError(self.env._("Set a pricelist on %(shop)s to push prices.", shop=shop.name))
            shop._o2o_enqueue(
                "_o2o_job_push_price",
                identity=("price",),
                description=self.env._("%s: push prices", shop.name),
            )
        return self._o2o_notify(
            self.env._("Price push queued: the job log shows its figures when it is done.")
        )

    def _o2o_reconcile_stock(self):
        self._o2o_sync_listings()
        self.listing_ids._o2o_push_stock(force=True)
        self._o2o_commit()

    def _o2o_notify(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "info", "next": {"type": "ir.actions.act_window_close"}},
        }

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------

    def action_open_listings(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "o2o_marketplace.action_o2o_marketplace_listing"
        )
        action["domain"] = [("shop_id", "=", self.id)]
        action["context"] = {"default_shop_id": self.id}
        return action

    def action_open_jobs(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("o2o_marketplace.action_o2o_marketplace_job")
        action["domain"] = [("shop_id", "=", self.id)]
        return action

    def action_open_orders(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("o2o_marketplace_shop_id", "=", self.id)]
        action["context"] = {}
        return action
