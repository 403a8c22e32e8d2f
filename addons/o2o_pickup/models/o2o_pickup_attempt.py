from datetime import timedelta

from odoo import api, fields, models

from ..const import THROTTLE_MAX_FAILURES, THROTTLE_WINDOW_MINUTES


class O2oPickupAttempt(models.Model):
    """Wrong pickup codes typed by one user at one store, counted in a sliding window.

    One row per user and store, kept in the database so that every worker sees the same
    count, and locked while a code is checked: parallel requests of the same cashier wait
    for each other, so they cannot all pass the check before any failure is counted.
    """

    _name = "o2o.pickup.attempt"
    _description = "Wrong Pickup Codes"

    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", readonly=True)
    store_id = fields.Many2one("stock.warehouse", required=True, ondelete="cascade", readonly=True)
    failures = fields.Integer(readonly=True)
    window_start = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("user_store_uniq", "UNIQUE(user_id, store_id)", "One counter per user and store."),
    ]

    @api.model
    def _o2o_lock(self, user, store):
        """The counter of ``user`` at ``store``, created if needed and locked until the end of
        the transaction (a concurrent request holding it makes this one wait, then retry)."""
        self.flush_model()
        self.env.cr.execute(
            """
            INSERT INTO o2o_pickup_attempt (user_id, store_id, failures, create_uid, write_uid,
                                            create_date, write_date)
            VALUES (%(user)s, %(store)s, 0, %(user)s, %(user)s,
                    now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
            ON CONFLICT (user_id, store_id) DO NOTHING
            """,
            {"user": user.id, "store": store.id},
        )
        self.env.cr.execute(
            "SELECT id FROM o2o_pickup_attempt WHERE user_id = %s AND store_id = %s FOR UPDATE",
            [user.id, store.id],
        )
        attempt = self.sudo().browse(self.env.cr.fetchone()[0])
        attempt.invalidate_recordset()
        return attempt

    def _o2o_throttled(self):
        self.ensure_one()
        return bool(
            self.failures >= THROTTLE_MAX_FAILURES
            and self.window_start
            and fields.Datetime.now() < self.window_start + timedelta(minutes=THROTTLE_WINDOW_MINUTES)
        )

    def _o2o_register_failure(self):
        """Count a wrong code (on a locked counter). Callers answer with a refusal instead of
        raising, so that the count is committed with the request."""
        self.ensure_one()
        now = fields.Datetime.now()
        if not self.window_start or now >= self.window_start + timedelta(minutes=THROTTLE_WINDOW_MINUTES):
            self.write({"failures": 1, "window_start": now})
        else:
            self.write({"failures": self.failures + 1})
