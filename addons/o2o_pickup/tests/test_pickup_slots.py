from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NOW, O2oPickupCommon


@tagged("post_install", "-at_install", "o2o")
@freeze_time(NOW)
class TestPickupSlots(O2oPickupCommon):
    def test_slots_follow_opening_hours_and_preparation_time(self):
        slots = self.store_1.o2o_get_pickup_slots(days=2)
        # 09:00 local + 2 hours to prepare: the first slot is 11:00-12:00 local (04:00 UTC).
        self.assertEqual(slots[0]["start"], datetime(2026, 3, 2, 4, 0))
        self.assertEqual(slots[0]["end"], datetime(2026, 3, 2, 5, 0))
        today = [s for s in slots if s["start"] < datetime(2026, 3, 2, 17, 0)]
        self.assertEqual(len(today), 11, "11:00 to 22:00 local")
        self.assertEqual(today[-1]["end"], datetime(2026, 3, 2, 15, 0), "the store closes at 22:00 local")
        self.assertTrue(all(s["available"] and s["capacity"] == 3 for s in slots))
        # A public holiday closes the store.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 2, 0, 0),
                "date_to": datetime(2026, 3, 2, 16, 59),
            }
        )
        self.assertEqual(self.store_1.o2o_get_pickup_slots(days=2)[0]["start"], datetime(2026, 3, 3, 1, 0))

    def test_no_opening_hours_no_slots(self):
        self.store_2.opening_hours = False
        self.assertEqual(self.store_2.o2o_get_pickup_slots(), [])
        self.assertFalse(self.store_2.o2o_get_earliest_pickup({self.product_b: 1}))

    def test_earliest_pickup_with_stock_transfer_or_none(self):
        earliest = self.store_1.o2o_get_earliest_pickup({self.product_a: 2})
        self.assertEqual(earliest["start"], datetime(2026, 3, 2, 4, 0))
        self.assertFalse(earliest["needs_transfer"])
        # The cap is only in store 2: transferred first, so 24 hours later.
        earliest = self.store_1.o2o_get_earliest_pickup({self.product_b: 2})
        self.assertTrue(earliest["needs_transfer"])
        self.assertGreaterEqual(earliest["start"], NOW + timedelta(hours=26))
        self.store_1.o2o_pickup_allow_transfer = False
        self.assertFalse(self.store_1.o2o_get_earliest_pickup({self.product_b: 2}))
        # Nobody has 50 caps.
        self.store_1.o2o_pickup_allow_transfer = True
        self.assertFalse(self.store_1.o2o_get_earliest_pickup({self.product_b: 50}))

    def test_earliest_pickup_shown_in_the_store_selector(self):
        self.assertEqual(self.store_1._o2o_earliest_pickup_label({self.product_a: 1}), "Mon 02/03 11:00")
        self.assertEqual(self.store_1._o2o_earliest_pickup_label({self.product_b: 1}), "Tue 03/03 11:00")
        self.assertEqual(self.store_1._o2o_earliest_pickup_label({self.product_b: 99}), "")

    def test_full_slots_not_offered(self):
        start = datetime(2026, 3, 2, 4, 0)
        for _i in range(3):
            self._pickup_order([(self.product_a, 1)], start=start)
        slots = self.store_1.o2o_get_pickup_slots(days=1)
        self.assertEqual((slots[0]["booked"], slots[0]["available"]), (3, False))
        self.assertEqual(
            self.store_1.o2o_get_earliest_pickup({self.product_a: 1})["start"], datetime(2026, 3, 2, 5, 0)
        )

    def test_booking_at_confirmation(self):
        start = datetime(2026, 3, 2, 6, 0)
        order = self._pickup_order([(self.product_a, 2)], start=start)
        self.assertEqual(order.o2o_pickup_state, "confirmed")
        self.assertEqual(order.o2o_pickup_store_id, self.store_1)
        self.assertEqual(order.o2o_pickup_slot_id.start, start)
        self.assertEqual(order.o2o_pickup_slot_id.booked, 1)
        self.assertRegex(order.o2o_pickup_code, r"^[0-9A-Z]{5}-[0-9A-Z]{5}$")
        self.assertEqual(order.o2o_pickup_deadline, datetime(2026, 3, 5, 7, 0), "slot end + 3 days")
        self.assertFalse(order.o2o_pickup_needs_transfer)
        self.assertTrue(any("Pickup booked" in body for body in order.message_ids.mapped("body")))
        mail = order.message_ids.filtered(lambda m: "your pickup code" in (m.subject or ""))
        self.assertEqual(len(mail), 1, "the customer gets the code, QR, store and slot by e-mail")
        self.assertIn(order.o2o_pickup_code, str(mail.body))
        self.assertIn("Mon 02/03 13:00-14:00", str(mail.body))
        self.assertEqual(order.o2o_channel_type, "website")

    def test_slot_named_in_the_store_time_zone(self):
        # 06:00 UTC is 13:00 in Ho Chi Minh City, whatever the reader's own time zone.
        order = self._pickup_order([(self.product_a, 1)], start=datetime(2026, 3, 2, 6, 0))
        for tz in (False, "UTC", "Europe/Paris"):
            slot = order.o2o_pickup_slot_id.with_context(tz=tz)
            slot.invalidate_recordset(["display_name"])
            self.assertEqual(slot.display_name, "Store Q1: 2026-03-02 13:00-14:00")

    def test_checkout_rechecks_slot(self):
        order = self._pickup_order([(self.product_a, 1)], confirm=False)
        order._o2o_pickup_check_slot()  # no choice yet: the earliest slot will be booked
        options = order.o2o_pickup_slot_options()
        self.assertEqual(options[0]["label"], "Mon 02/03 11:00-12:00")
        self.assertTrue(options[0]["selected"])
        order.o2o_pickup_requested_start = datetime(2026, 3, 2, 4, 30)
        with self.assertRaisesRegex(UserError, "does not offer this pickup slot"):
            order._o2o_pickup_check_slot()
        order.o2o_pickup_requested_start = datetime(2026, 3, 2, 2, 0)
        with self.assertRaisesRegex(UserError, "does not offer", msg="inside the preparation time"):
            order._o2o_pickup_check_slot()
        start = datetime(2026, 3, 2, 4, 0)
        order.o2o_pickup_requested_start = start
        order._o2o_pickup_check_slot()
        for _i in range(3):
            self._pickup_order([(self.product_a, 1)], start=start)
        with self.assertRaisesRegex(UserError, "full"):
            order._o2o_pickup_check_slot()

    def test_paid_order_never_refused_for_a_full_slot(self):
        start = datetime(2026, 3, 2, 4, 0)
        for _i in range(3):
            self._pickup_order([(self.product_a, 1)], start=start)
        late = self._pickup_order([(self.product_a, 1)], start=start)
        self.assertEqual(late.o2o_pickup_state, "confirmed")
        self.assertEqual(late.o2o_pickup_slot_id.start, datetime(2026, 3, 2, 5, 0))
        self.assertTrue(any("was full" in body for body in late.message_ids.mapped("body")))

    def test_transfer_to_store(self):
        order = self._pickup_order([(self.product_b, 2)])
        self.assertTrue(order.o2o_pickup_needs_transfer)
        self.assertGreaterEqual(order.o2o_pickup_slot_id.start, NOW + timedelta(hours=26))
        transfer = self.env["stock.picking"].search(
            [("origin", "=", order.name), ("picking_type_code", "=", "internal")]
        )
        self.assertEqual(transfer.location_id, self.store_2.lot_stock_id)
        self.assertEqual(transfer.location_dest_id, self.store_1.lot_stock_id)
        self.assertEqual(transfer.move_ids.product_uom_qty, 2)
        self.assertEqual(transfer.state, "assigned")

    def test_cancel_gives_the_place_back(self):
        start = datetime(2026, 3, 2, 4, 0)
        order = self._pickup_order([(self.product_a, 1)], start=start)
        slot = order.o2o_pickup_slot_id
        order.action_o2o_pickup_cancel()
        self.assertEqual(slot.booked, 0)
        self.assertEqual(order.o2o_pickup_state, "cancelled")
        self.assertEqual(order.state, "cancel")
