import datetime

from odoo import api, fields, models

from ..adapters import MarketplaceError
from ..const import JOB_KINDS, MAX_ATTEMPTS, ORDER_RECONCILE_DAYS


class O2oMarketplaceJob(models.Model):
    """What the connector did: one line per run (order import, stock push...) and one per failed item.

    A failed item keeps what is needed to run it again (``ref``: order id, listing key, picking id);
    the scheduler retries it with a growing delay, a person can retry it from the list at any time.
    """

    _name = "o2o.marketplace.job"
    _description = "Marketplace Job"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    shop_id = fields.Many2one("o2o.marketplace.shop", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="shop_id.company_id", store=True)
    marketplace = fields.Selection(related="shop_id.marketplace")
    kind = fields.Selection(JOB_KINDS, required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="pending",
        required=True,
        index=True,
    )
    ref = fields.Char(
        "Item", index=True, help="Marketplace order id, listing key or picking of a single item."
    )
    parent_id = fields.Many2one("o2o.marketplace.job", string="Run", ondelete="set null")
    date_start = fields.Datetime("Started", default=fields.Datetime.now)
    date_done = fields.Datetime("Finished")
    attempts = fields.Integer(default=0)
    next_attempt = fields.Datetime(index=True)
    count_ok = fields.Integer("Succeeded")
    count_failed = fields.Integer("Failed items")
    api_calls = fields.Integer("API calls")
    message = fields.Text()
    error_code = fields.Char()
    request_excerpt = fields.Text("Request")
    response_excerpt = fields.Text("Response")

    @api.depends("kind", "ref", "shop_id")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for job in self:
            job.name = " - ".join(filter(None, [job.shop_id.name, kinds.get(job.kind), job.ref]))

    def _done(self, message=None, counts=(0, 0), api_calls=0):
        self.write(
            {
                "state": "done",
                "date_done": fields.Datetime.now(),
                "message": message,
                "count_ok": counts[0],
                "count_failed": counts[1],
                "api_calls": api_calls,
                "next_attempt": False,
            }
        )

    def _fail(self, error, counts=(0, 0), api_calls=0):
        vals = {
            "state": "failed",
            "date_done": fields.Datetime.now(),
            "message": str(error),
            "count_ok": counts[0],
            "count_failed": counts[1],
            "api_calls": api_calls,
        }
        if isinstance(error, MarketplaceError):
            vals.update(
                error_code=error.code,
                request_excerpt=error.request_excerpt,
                response_excerpt=error.response_excerpt,
            )
        self.write(vals)

    @api.model
    def _o2o_open_items(self, shop, kind, refs):
        """The items of ``shop`` and ``kind`` among ``refs`` that are still pending or failed."""
        return self.search(
            [
                ("shop_id", "=", shop.id),
                ("kind", "=", kind),
                ("ref", "in", refs),
                ("state", "in", ("pending", "failed")),
            ]
        )

    @api.model
    def _o2o_item_failed(self, shop, kind, ref, error, parent=None):
        """Record (or update) the failed item ``ref`` so it is retried, never silently dropped."""
        job = self._o2o_open_items(shop, kind, [ref])[:1]
        if not job:
            job = self.create(
                {"shop_id": shop.id, "kind": kind, "ref": ref, "parent_id": parent and parent.id}
            )
        attempts = job.attempts + 1
        job._fail(error)
        job.write(
            {
                "attempts": attempts,
                "next_attempt": attempts < MAX_ATTEMPTS
                and fields.Datetime.now() + datetime.timedelta(minutes=5 * 2 ** (attempts - 1)),
            }
        )
        return job

    @api.model
    def _o2o_item_succeeded(self, shop, kind, refs):
        """A later success closes the open failures of these items (one ref or a list)."""
        refs = [refs] if isinstance(refs, str) else list(refs)
        if not refs:
            return
        self._o2o_open_items(shop, kind, refs).write(
            {"state": "done", "date_done": fields.Datetime.now(), "next_attempt": False}
        )

    @api.model
    def _o2o_item_pending(self, shop, kind, ref, message=None):
        """Queue ``ref`` for the scheduler (e.g. a shipment to push after the delivery is validated)."""
        job = self._o2o_open_items(shop, kind, [ref])[:1]
        if job:
            return job
        job = self.create(
            {
                "shop_id": shop.id,
                "kind": kind,
                "ref": ref,
                "state": "pending",
                "message": message,
                "next_attempt": fields.Datetime.now(),
            }
        )
        self.env.ref("o2o_marketplace.ir_cron_o2o_marketplace_jobs")._trigger()
        return job

    def action_retry(self):
        """Run the failed items again now (from the list or the form)."""
        for job in self.filtered(lambda j: j.state in ("failed", "pending")):
            job._o2o_run()
        return True

    def _o2o_run(self):
        self.ensure_one()
        shop = self.shop_id
        if self.kind == "orders":
            shop._o2o_sync_orders()
            self.write({"state": "done", "next_attempt": False})
        elif self.kind == "reconcile":
            until = fields.Datetime.now()
            shop._o2o_reconcile_orders(until - datetime.timedelta(days=ORDER_RECONCILE_DAYS), until)
            self.write({"state": "done", "next_attempt": False})
        elif self.kind == "listings":
            shop._o2o_sync_listings()
            self.write({"state": "done", "next_attempt": False})
        elif self.kind in ("order", "webhook"):
            try:
                ok, _ko = shop._o2o_fetch_and_import([self.ref], self)
            except MarketplaceError as error:
                self._o2o_item_failed(shop, self.kind, self.ref, error)
                return
            if ok and self.state in ("pending", "failed"):
                self._done(self.env._("Imported on retry."), counts=(1, 0))
        elif self.kind in ("stock", "price"):
            listing = self.env["o2o.marketplace.listing"].search(
                [("shop_id", "=", shop.id), ("key", "=", self.ref)], limit=1
            )
            if self.kind == "stock":
                listing._o2o_push_stock(force=True)
            else:
                listing._o2o_push_price()
        elif self.kind == "shipment":
            picking = self.env["stock.picking"].browse(int(self.ref)).exists()
            picking._o2o_marketplace_push_shipment(self)

    @api.model
    def _cron_run_pending(self):
        """Retry failed items whose time has come and run queued ones; one server per item."""
        for _i in range(200):
            self.flush_model()
            self.env.cr.execute(
                """
                SELECT id FROM o2o_marketplace_job
                 WHERE state IN ('pending', 'failed') AND next_attempt <= %s
                 ORDER BY next_attempt LIMIT 1
                   FOR UPDATE SKIP LOCKED
                """,
                [fields.Datetime.now()],
            )
            row = self.env.cr.fetchone()
            if not row:
                break
            job = self.browse(row[0])
            job._o2o_run()
            if (
                job.state in ("pending", "failed")
                and job.next_attempt
                and job.next_attempt <= fields.Datetime.now()
            ):
                job.next_attempt = fields.Datetime.now() + datetime.timedelta(hours=1)
            job.shop_id._o2o_commit()

    @api.autovacuum
    def _gc_done_jobs(self):
        limit = fields.Datetime.now() - datetime.timedelta(days=30)
        self.search([("state", "=", "done"), ("date_done", "<", limit)]).unlink()
