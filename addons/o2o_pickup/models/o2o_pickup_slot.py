from odoo import api, fields, models
from odoo.exceptions import UserError


class O2oPickupSlot(models.Model):
    """A booked pickup slot of a store: how many orders may be collected in it, how many are.

    Rows exist only for slots somebody booked; the database keeps ``booked`` within
    ``capacity`` and one row per store and start, so concurrent checkouts cannot overbook.
    """

    _name = "o2o.pickup.slot"
    _description = "Pickup Slot"
    _order = "start"

    store_id = fields.Many2one("stock.warehouse", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    start = fields.Datetime(required=True)
    end = fields.Datetime(required=True)
    capacity = fields.Integer(required=True)
    booked = fields.Integer(default=0, readonly=True)
    order_ids = fields.One2many("sale.order", "o2o_pickup_slot_id", string="Orders")

    _sql_constraints = [
        ("store_start_uniq", "UNIQUE(store_id, start)", "A store has one pickup slot per start time."),
        ("booked_within_capacity", "CHECK(booked >= 0 AND booked <= capacity)", "This pickup slot is full."),
    ]

    @api.depends("store_id", "start", "end")
    def _compute_display_name(self):
        # In the store's time zone, as checkout offers it: a shopper or clerk in another zone
        # (or with none, as new portal users) must not read 08:00 for a 15:00 pickup.
        for slot in self:
            start, end = slot.store_id._o2o_local(slot.start), slot.store_id._o2o_local(slot.end)
            slot.display_name = f"{slot.store_id.name}: {start:%Y-%m-%d %H:%M}-{end:%H:%M}"

    @api.model
    def _o2o_reserve(self, store, start, end):
        """Take one place in the slot of ``store`` starting at ``start`` (naive UTC).

        One UPDATE with the capacity in its WHERE clause: two checkouts racing for the last
        place both try it; the database lets one through and makes the other wait, then
        fail with a serialization error that Odoo retries, and the retry sees a full slot.
        """
        capacity = store.o2o_pickup_slot_capacity
        self.flush_model()
        self.env.cr.execute(
            """
            INSERT INTO o2o_pickup_slot (store_id, company_id, start, "end", capacity, booked,
                                         create_uid, write_uid, create_date, write_date)
            VALUES (%(store)s, %(company)s, %(start)s, %(end)s, %(capacity)s, 0,
                    %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
            ON CONFLICT (store_id, start) DO NOTHING
            """,
            {
                "store": store.id,
                "company": store.company_id.id,
                "start": start,
                "end": end,
                "capacity": capacity,
                "uid": self.env.uid,
            },
        )
        self.env.cr.execute(
            """
            UPDATE o2o_pickup_slot SET booked = booked + 1, write_date = now() AT TIME ZONE 'UTC'
             WHERE store_id = %s AND start = %s AND booked < capacity
         RETURNING id
            """,
            (store.id, start),
        )
        row = self.env.cr.fetchone()
        self.invalidate_model(["booked"])
        if not row:
            raise UserError(
                self.env._(
                    "The pickup slot you chose at %(store)s is now full. Please choose another slot.",
                    store=store.name,
                )
            )
        return self.browse(row[0])

    def _o2o_release(self):
        """Give back the places these slots' orders held (an order cancelled before pickup)."""
        if not self:
            return
        self.flush_model()
        self.env.cr.execute(
            "UPDATE o2o_pickup_slot SET booked = booked - 1 WHERE id IN %s AND booked > 0",
            (tuple(self.ids),),
        )
        self.invalidate_model(["booked"])
