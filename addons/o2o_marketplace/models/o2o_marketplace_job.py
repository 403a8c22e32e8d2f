import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..adapters import MarketplaceError
from ..const import JOB_KINDS, MAX_ATTEMPTS, ORDER_RECONCILE_DAYS


class O2oMarketplaceJob(models.Model):
    """What the connector did: one line per run (order import, stock push...) and one per failed item.

    The staff-facing sync log of the queue jobs (``queue.job``) that do the work. A failed item
    keeps what is needed to run it again (``ref``: order id, listing key, picking id): a queue job
    retries it with a growing delay, ``MAX_ATTEMPTS`` times, then it waits for a person, who can
    retry it from the list at any time.
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
    next_attempt = fields.Datetime(help="When the queued retry runs; empty once it waits for a person.")
    queue_job_id = fields.Many2one("queue.job", string="Queued retry", ondelete="set null", readonly=True)
    queue_job_state = fields.Selection(related="queue_job_id.state", string="Retry state")
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
        """Record (or update) the failed item ``ref`` and queue its retry: never silently dropped.

        Retried after 5, 10, 20 and 40 minutes, then it waits for a person (``action_retry``)."""
        job = self._o2o_open_items(shop, kind, [ref])[:1]
        if not job:
            job = self.create(
                {"shop_id": shop.id, "kind": kind, "ref": ref, "parent_id": parent and parent.id}
            )
        attempts = job.attempts + 1
        job._fail(error)
        vals = {"attempts": attempts, "next_attempt": False, "queue_job_id": False}
        if attempts < MAX_ATTEMPTS:
            eta = fields.Datetime.now() + datetime.timedelta(minutes=5 * 2 ** (attempts - 1))
            vals.update(next_attempt=eta, queue_job_id=shop._o2o_enqueue_retry(job, eta).id)
        job.write(vals)
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

    def action_retry(self):
        """Run the failed items again now (from the list or the form)."""
        for job in self.filtered(lambda j: j.state in ("failed", "pending")):
            job._o2o_run()
        return True

    def _o2o_run(self):
        """Run this line again. A marketplace's refusal or a missing connection is recorded on it
        (an item is retried later); nothing here stops the other items."""
        self.ensure_one()
        try:
            getattr(self, f"_o2o_run_{self.kind}")()
        except (MarketplaceError, UserError) as error:
            if self.ref:
                self._o2o_item_failed(self.shop_id, self.kind, self.ref, error)
            else:
                self._fail(error)

    def _o2o_run_done(self):
        self.write({"state": "done", "next_attempt": False})

    def _o2o_run_orders(self):
        self.shop_id._o2o_sync_orders()
        self._o2o_run_done()

    def _o2o_run_reconcile(self):
        until = fields.Datetime.now()
        self.shop_id._o2o_reconcile_orders(until - datetime.timedelta(days=ORDER_RECONCILE_DAYS), until)
        self._o2o_run_done()

    def _o2o_run_listings(self):
        self.shop_id._o2o_sync_listings()
        self._o2o_run_done()

    def _o2o_run_token(self):
        self.shop_id._o2o_access_token()
        self._o2o_run_done()

    def _o2o_run_order(self):
        ok, _ko = self.shop_id._o2o_fetch_and_import([self.ref], self)
        if ok and self.state in ("pending", "failed"):
            self._done(self.env._("Imported on retry."), counts=(1, 0))

    _o2o_run_webhook = _o2o_run_order

    def _o2o_listing(self):
        listing = self.env["o2o.marketplace.listing"].search(
            [("shop_id", "=", self.shop_id.id), ("key", "=", self.ref)], limit=1
        )
        if not listing:
            self._done(self.env._("The listing is gone from the shop: nothing to push."))
        return listing

    def _o2o_run_stock(self):
        self._o2o_listing()._o2o_push_stock(force=True)

    def _o2o_run_price(self):
        self._o2o_listing()._o2o_push_price()

    def _o2o_run_shipment(self):
        picking = self.env["stock.picking"]
        if self.ref and self.ref.isdigit():
            picking = picking.browse(int(self.ref)).exists()
        if not picking:
            self._done(self.env._("The delivery is gone: nothing to push."))
            return
        picking._o2o_marketplace_push_shipment(self)

    @api.autovacuum
    def _gc_done_jobs(self):
        limit = fields.Datetime.now() - datetime.timedelta(days=30)
        self.search([("state", "=", "done"), ("date_done", "<", limit)]).unlink()
