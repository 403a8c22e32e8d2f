from datetime import timedelta

from odoo import fields, models

from ..const import THROTTLE_MAX_FAILURES, THROTTLE_WINDOW_MINUTES


class PosSession(models.Model):
    _inherit = "pos.session"

    # Kept in the database, not in memory: every worker and server sees the same count.
    o2o_pickup_failures = fields.Integer(copy=False, readonly=True)
    o2o_pickup_window_start = fields.Datetime(copy=False, readonly=True)

    def _o2o_pickup_throttled(self):
        """Whether this register typed too many wrong pickup codes lately."""
        self.ensure_one()
        return (
            self.o2o_pickup_failures >= THROTTLE_MAX_FAILURES
            and self.o2o_pickup_window_start
            and fields.Datetime.now()
            < self.o2o_pickup_window_start + timedelta(minutes=THROTTLE_WINDOW_MINUTES)
        )

    def _o2o_pickup_register_failure(self):
        """Count a wrong code. The lookup answers with a refusal instead of raising, so
        this count is committed with the request."""
        self.ensure_one()
        self.env.cr.execute("SELECT id FROM pos_session WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset(["o2o_pickup_failures", "o2o_pickup_window_start"])
        now = fields.Datetime.now()
        window_start = self.o2o_pickup_window_start
        if not window_start or now >= window_start + timedelta(minutes=THROTTLE_WINDOW_MINUTES):
            self.sudo().write({"o2o_pickup_failures": 1, "o2o_pickup_window_start": now})
        else:
            self.sudo().o2o_pickup_failures += 1
