"""The connector's background work, on OCA's ``queue_job``.

Every piece of work that calls a marketplace runs as a queue job in the marketplace's channel
(``root.o2o_marketplace.<marketplace>``, whose capacity bounds the calls made at once, as
marketplaces throttle per app): order imports and reconciliations, the order of a push, stock,
price and shipment pushes, and the retry of an item that failed. Each job stands alone: one that
raises fails alone (queue_job keeps its reason for a manager to requeue) and the others run.

The same work asked several times while it waits (a marketplace pushing one order three times,
the scheduler finding a shop's import still queued) is one job: its identity key, held unique in
the database, so that two servers receiving the same push at once still queue it once.
"""

import datetime
import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..adapters import MarketplaceError
from ..const import ORDER_RECONCILE_DAYS

_logger = logging.getLogger(__name__)

#: The unique index that makes an identity key hold across transactions and servers.
IDENTITY_INDEX = "o2o_marketplace_queue_job_identity"
IDENTITY_PREFIX = "o2o_marketplace:"


#: Unique constraints a concurrent job or server may hit first: the code catches the
#: violation (the other transaction did the work), so the database's refusal is not an error.
EXPECTED_CONFLICTS = (
    IDENTITY_INDEX,
    "o2o_marketplace_listing_key_unique",
    "sale_order_o2o_marketplace_ref_unique",
)


class _ExpectedConflict(logging.Filter):
    """Leaves out of the log the SQL errors of :data:`EXPECTED_CONFLICTS`, handled where they
    happen. (A filter rather than ``mute_logger``, which mutes the whole logger for every
    thread: webhooks and queue jobs run several at a time in one server.)"""

    def filter(self, record):
        if record.levelno < logging.ERROR:
            return True
        message = record.getMessage()
        return not any(name in message for name in EXPECTED_CONFLICTS)


def _filter_sql_log():
    sql_logger = logging.getLogger("odoo.sql_db")
    if not any(isinstance(f, _ExpectedConflict) for f in sql_logger.filters):
        sql_logger.addFilter(_ExpectedConflict())


_filter_sql_log()


def create_identity_index(cr):
    """At most one waiting job per o2o identity key (queue_job alone checks it with a search,
    which two transactions pass at the same time)."""
    cr.execute(
        SQL(
            "CREATE UNIQUE INDEX IF NOT EXISTS %s ON queue_job (identity_key) "
            "WHERE identity_key LIKE %s AND state IN %s",
            SQL.identifier(IDENTITY_INDEX),
            SQL(f"'{IDENTITY_PREFIX}%%'"),
            SQL("('wait_dependencies', 'pending', 'enqueued')"),
        )
    )


def drop_identity_index(cr):
    cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(IDENTITY_INDEX)))


class O2oMarketplaceShop(models.Model):
    _inherit = "o2o.marketplace.shop"

    def init(self):
        create_identity_index(self.env.cr)
        return super().init()

    # ------------------------------------------------------------------
    # Enqueueing
    # ------------------------------------------------------------------

    def _o2o_channel(self):
        return f"root.o2o_marketplace.{self.marketplace}"

    def _o2o_identity(self, *parts):
        return IDENTITY_PREFIX + ":".join(str(part) for part in (self.id, *parts))

    def _o2o_enqueue(self, method, *args, identity=None, eta=None, description=None, priority=None):
        """Queue ``method(*args)`` of this shop in its marketplace's channel; -> the queue.job.

        With ``identity``, work already waiting under that key is not queued twice: the waiting
        job is returned instead. When another transaction queued it a moment ago (the unique
        index refused ours), that job is not visible from this transaction's snapshot yet: the
        result is then an empty ``queue.job``, and the work is queued all the same."""
        self.ensure_one()
        key = identity and self._o2o_identity(*identity)
        delayable = self.sudo().with_delay(
            channel=self._o2o_channel(),
            identity_key=key,
            eta=eta,
            description=description,
            priority=priority,
        )
        try:
            with self.env.cr.savepoint():
                job = getattr(delayable, method)(*args)
        except psycopg2.errors.UniqueViolation:
            return self.env["queue.job"]
        # queue_job gives the waiting job's record when the identity matched, else a new Job
        return job if isinstance(job, models.BaseModel) else job.db_record()

    # ------------------------------------------------------------------
    # Scheduled jobs: they only queue the work, one job per shop
    # ------------------------------------------------------------------

    def _o2o_scheduled_shops(self, flag):
        return self.search([(flag, "=", True), ("shop_external_id", "!=", False)])

    @api.model
    def _cron_sync_orders(self):
        self._o2o_scheduled_shops("sync_orders")._o2o_queue_orders()

    def _o2o_queue_orders(self):
        """Queue the import of the orders updated since each shop's position (once per shop)."""
        for shop in self:
            shop._o2o_enqueue(
                "_o2o_job_sync_orders",
                identity=("orders",),
                description=self.env._("%s: import orders", shop.name),
            )

    @api.model
    def _cron_reconcile_orders(self):
        until = fields.Datetime.now()
        since = until - datetime.timedelta(days=ORDER_RECONCILE_DAYS)
        for shop in self._o2o_scheduled_shops("sync_orders"):
            shop._o2o_enqueue(
                "_o2o_job_reconcile_orders",
                since,
                until,
                identity=("reconcile",),
                description=self.env._("%s: order reconciliation", shop.name),
            )

    @api.model
    def _cron_reconcile_stock(self):
        self._o2o_scheduled_shops("sync_stock")._o2o_queue_stock_reconcile()

    def _o2o_queue_stock_reconcile(self):
        """Queue the full stock reconciliation of each shop (read listings, push every difference)."""
        for shop in self:
            shop._o2o_enqueue(
                "_o2o_job_reconcile_stock",
                identity=("stock_reconcile",),
                description=self.env._("%s: full stock reconciliation", shop.name),
            )

    def _o2o_enqueue_order(self, external_id):
        """Fetch and import one marketplace order in the background (a push)."""
        return self._o2o_enqueue(
            "_o2o_job_import_order",
            external_id,
            identity=("order", external_id),
            description=self.env._("%(shop)s: order %(ref)s", shop=self.name, ref=external_id),
        )

    def _o2o_enqueue_retry(self, item, eta):
        """The retry of a failed item (``o2o.marketplace.job`` with a ref) at ``eta``."""
        return self._o2o_enqueue(
            "_o2o_job_retry_item",
            item.kind,
            item.ref,
            identity=("retry", item.kind, item.ref),
            eta=eta,
            description=self.env._("%(shop)s: retry %(item)s", shop=self.name, item=item.name),
        )

    # ------------------------------------------------------------------
    # The jobs: each checks first that its work still makes sense
    # ------------------------------------------------------------------

    def _o2o_gone(self):
        return self.env._("Nothing to do: the shop was deleted.")

    def _o2o_job_sync_orders(self):
        """Import the orders updated since the saved position (queued every few minutes)."""
        if not self.exists():
            return self._o2o_gone()
        job = self._o2o_sync_orders()
        return job and job.message

    def _o2o_job_reconcile_orders(self, date_from, date_to):
        if not self.exists():
            return self._o2o_gone()
        job = self._o2o_reconcile_orders(date_from, date_to)
        if job is None:
            # an order import of the shop is running: reconcile once it is done
            raise RetryableJobError(
                self.env._("An order import of %s is running: reconciled after it.", self.name),
                seconds=60,
                ignore_retry=True,
            )
        return job.message

    def _o2o_job_reconcile_stock(self):
        if not self.exists():
            return self._o2o_gone()
        with self._o2o_exclusive("stock") as acquired:
            if acquired:
                self._o2o_reconcile_stock()
        return self.env._("Stock reconciled.")

    def _o2o_job_import_order(self, external_id):
        """Read one order's current state from the marketplace and import it.

        What a push says is only a hint, so duplicated and out-of-order pushes converge on the
        same Odoo order. A failure is a failed item of the log, retried with a growing delay."""
        if not self.exists():
            return self._o2o_gone()
        Log = self.env["o2o.marketplace.job"]
        try:
            ok, failed = self._o2o_fetch_and_import([external_id])
        except (MarketplaceError, UserError) as error:
            Log._o2o_item_failed(self, "order", external_id, error)
            return str(error)
        if ok:
            message = self.env._("Order %s imported.", external_id)
            Log.create(
                {
                    "shop_id": self.id,
                    "kind": "webhook",
                    "ref": external_id,
                    "state": "done",
                    "date_done": fields.Datetime.now(),
                    "count_ok": 1,
                    "message": message,
                }
            )
            return message
        if not failed:
            error = UserError(self.env._("The marketplace did not return order %s.", external_id))
            Log._o2o_item_failed(self, "order", external_id, error)
            return str(error)
        return self.env._("Order %s not imported: see the failed item.", external_id)

    def _o2o_job_retry_item(self, kind, ref):
        """Run a failed item again, if it is still open (a person may have retried it meanwhile)."""
        if not self.exists():
            return self._o2o_gone()
        item = self.env["o2o.marketplace.job"]._o2o_open_items(self, kind, [ref])[:1]
        if not item:
            return self.env._("Nothing to retry: the item is done.")
        item._o2o_run()
        return item.message

    def _o2o_job_sync_listings(self):
        if not self.exists():
            return self._o2o_gone()
        return self._o2o_sync_listings().message

    def _o2o_job_push_price(self):
        if not self.exists():
            return self._o2o_gone()
        self.listing_ids._o2o_push_price()
        return self.env._("Prices pushed.")

    def _o2o_job_push_stock(self, listing_ids):
        """Push the quantities of these listings that differ from the marketplace's."""
        if not self.exists():
            return self._o2o_gone()
        listings = self.env["o2o.marketplace.listing"].browse(listing_ids).exists()
        listings = listings.filtered(lambda listing: listing.shop_id == self)
        listings._o2o_push_stock()
        return self.env._("%s listings checked.", len(listings))

    def _o2o_job_push_shipment(self, picking_id):
        """Tell the marketplace that this delivery left (queued when it is validated)."""
        if not self.exists():
            return self._o2o_gone()
        picking = self.env["stock.picking"].browse(picking_id).exists()
        if not picking or picking.sale_id.o2o_marketplace_shop_id != self:
            return self.env._("Nothing to push: the delivery is gone.")
        Log = self.env["o2o.marketplace.job"]
        log = Log._o2o_open_items(self, "shipment", [str(picking.id)])[:1] or Log.create(
            {"shop_id": self.id, "kind": "shipment", "ref": str(picking.id), "state": "pending"}
        )
        picking._o2o_marketplace_push_shipment(log)
        return log.message
