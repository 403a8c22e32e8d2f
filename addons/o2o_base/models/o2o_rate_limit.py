from odoo import api, fields, models


class O2oRateLimit(models.Model):
    """Hits per key (a client address and what it asks) in a fixed time window.

    One row per key, counted by one upsert: parallel requests of every worker and every
    server on the database meet on the same row, so they cannot all pass the limit.
    """

    _name = "o2o.rate.limit"
    _description = "Request Rate Limit"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(readonly=True)

    _sql_constraints = [("key_uniq", "UNIQUE(key)", "One rate limit per key.")]

    @api.model
    def _o2o_hit(self, key, limit, window):
        """Count a hit of ``key``; whether it is one of at most ``limit`` in ``window`` seconds."""
        self.env.cr.execute(
            """
            WITH now AS (SELECT NOW() AT TIME ZONE 'UTC' AS at)
            INSERT INTO o2o_rate_limit AS r (key, window_start, hits)
            SELECT %(key)s, now.at, 1 FROM now
            ON CONFLICT (key) DO UPDATE SET
                hits = CASE WHEN r.window_start <= EXCLUDED.window_start - make_interval(secs => %(window)s)
                            THEN 1 ELSE r.hits + 1 END,
                window_start = CASE
                    WHEN r.window_start <= EXCLUDED.window_start - make_interval(secs => %(window)s)
                    THEN EXCLUDED.window_start ELSE r.window_start END
            RETURNING hits
            """,
            {"key": key[:200], "window": window},
        )
        return self.env.cr.fetchone()[0] <= limit

    @api.model
    def _o2o_give_back(self, key):
        """Take back one hit of ``key`` (a lookup that proved legitimate, such as a code found)."""
        self.env.cr.execute(
            "UPDATE o2o_rate_limit SET hits = GREATEST(hits - 1, 0) WHERE key = %s", [key[:200]]
        )

    @api.autovacuum
    def _gc_o2o_rate_limits(self):
        self.env.cr.execute(
            "DELETE FROM o2o_rate_limit WHERE window_start < NOW() AT TIME ZONE 'UTC' - INTERVAL '1 day'"
        )
