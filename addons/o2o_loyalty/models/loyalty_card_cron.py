"""The nightly jobs of member cards (points expiry, tier review, expiry reminders) and the demo
members' history."""

from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    # ------------------------------------------------------------------
    # Scheduled jobs
    # ------------------------------------------------------------------

    @api.model
    def _cron_o2o_expire_points(self, batch=5000):
        """Expire lots past their date, a batch of cards at a time, and write one history line per card.

        A card's lots are locked before they change, and a lot is only taken while it still
        holds points: two servers running the job at once expire each point once.
        """
        today = fields.Date.context_today(self)
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT DISTINCT card_id FROM o2o_loyalty_lot
            WHERE remaining > 0 AND expiry_date <= %s
            LIMIT %s
            """,
            [today, batch],
        )
        card_ids = [row[0] for row in self.env.cr.fetchall()]
        if not card_ids:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        self.env.cr.execute(
            "SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id FOR UPDATE SKIP LOCKED", [card_ids]
        )
        card_ids = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            """
            WITH expired AS (
                UPDATE o2o_loyalty_lot l SET remaining = 0
                FROM (SELECT id, remaining FROM o2o_loyalty_lot
                      WHERE card_id = ANY(%s) AND remaining > 0 AND expiry_date <= %s FOR UPDATE) old
                WHERE l.id = old.id
                RETURNING l.card_id, old.remaining
            )
            SELECT card_id, SUM(remaining) FROM expired GROUP BY card_id
            """,
            [card_ids, today],
        )
        expired = dict(self.env.cr.fetchall())
        if expired:
            self.env.cr.execute(
                """
                UPDATE loyalty_card c SET points = round((c.points - v.points)::numeric, 2),
                       write_date = now() AT TIME ZONE 'UTC'
                FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::float8[]) AS points) v
                WHERE c.id = v.id
                """,
                [list(expired), list(expired.values())],
            )
            self.invalidate_model(["points"])
            self.env["o2o.loyalty.lot"].invalidate_model(["remaining"])
            description = self.env._("Points expired")
            self.env["loyalty.history"].sudo().create(
                [
                    {
                        "card_id": card_id,
                        "description": description,
                        "used": points,
                        "o2o_kind": "expire",
                        "o2o_key": f"expire:{card_id}:{today}",
                    }
                    for card_id, points in expired.items()
                ]
            )
        self.env.cr.execute(
            "SELECT count(DISTINCT card_id) FROM o2o_loyalty_lot WHERE remaining > 0 AND expiry_date <= %s",
            [today],
        )
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(expired), remaining=remaining)
        return len(expired)

    @api.model
    def _cron_o2o_review_tiers(self, batch=5000):
        """Recompute the tier of members whose review date has come (downgrades happen here)."""
        today = fields.Date.context_today(self)
        domain = [
            ("o2o_is_member", "=", True),
            ("o2o_tier_review_date", "!=", False),
            ("o2o_tier_review_date", "<=", today),
        ]
        cards = self.search(domain, limit=batch, order="o2o_tier_review_date, id")
        cards._o2o_update_tier(today=today)
        remaining = self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(cards), remaining=remaining)
        return len(cards)

    @api.model
    def _cron_o2o_expiry_reminder(self, batch=500):
        """Tell members, once per lot, that points expire within the program's reminder period."""
        today = fields.Date.context_today(self)
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT l.id FROM o2o_loyalty_lot l
            JOIN loyalty_program p ON p.id = l.program_id
            WHERE l.remaining > 0 AND NOT COALESCE(l.reminded, false) AND p.o2o_reminder_days > 0
              AND l.expiry_date > %s AND l.expiry_date <= %s::date + p.o2o_reminder_days
            ORDER BY l.expiry_date LIMIT %s
            """,
            [today, today, batch],
        )
        lots = self.env["o2o.loyalty.lot"].sudo().browse([row[0] for row in self.env.cr.fetchall()])
        template = self.env.ref("o2o_loyalty.mail_template_o2o_points_expiring", raise_if_not_found=False)
        for card in lots.card_id.filtered("partner_id"):
            if template and card.partner_id.email:
                template.send_mail(card.id, email_layout_xmlid="mail.mail_notification_light")
            if card.partner_id.mobile or card.partner_id.phone:
                card._message_sms(
                    self.env._(
                        "%(points)s of your %(program)s points expire on %(date)s. "
                        "Use them in store or online.",
                        points=card._format_points(card.o2o_expiring_points),
                        program=card.program_id.name,
                        date=card.o2o_expiring_date,
                    ),
                    partner_ids=card.partner_id.ids,
                )
        lots.write({"reminded": True})
        return len(lots)

    def _o2o_demo_history(self):
        """Demo: a member with a year of orders across channels (used by the demo data only)."""
        today = fields.Date.context_today(self)
        store = self.env.ref("o2o_base.store_hcm_q1", raise_if_not_found=False)
        for card in self:
            # Written in the member's language, as the lines of her real orders are.
            env = card.with_context(lang=card.partner_id.lang or self.env.lang).env
            for months_ago, points, channel, label in (
                (11, 120.0, "store", env._("Quận 1 store")),
                (6, 80.0, "website", env._("website")),
                (2, 45.0, "marketplace", "Shopee"),
            ):
                date = today - relativedelta(months=months_ago)
                card._o2o_open_lot(
                    points,
                    origin=env._("Demo order on %s", label),
                    amount=points * card.program_id._o2o_demo_money_per_point(),
                    channel=channel,
                    store=store if channel == "store" else None,
                    date=date,
                )
                card._o2o_set_points(card.points + points)
                line = card._o2o_history(
                    "earn",
                    env._("Demo order on %s", label),
                    issued=points,
                    channel=channel,
                    store=store if channel == "store" else None,
                )
                # Dated when the demo order was made, as the lot is (the history shows it).
                line.flush_recordset()
                self.env.cr.execute(
                    "UPDATE loyalty_history SET create_date = %s WHERE id = %s",
                    (datetime.combine(date, time(10, 0)), line.id),
                )
                line.invalidate_recordset(["create_date"])
            card._o2o_touch("marketplace")
            card._o2o_update_tier()
