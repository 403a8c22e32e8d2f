from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NOW, O2oPickupCommon


@tagged("post_install", "-at_install", "o2o")
@freeze_time(NOW)
class TestPickupFlow(O2oPickupCommon):
    def test_prepare_ready_notifies_customer(self):
        order = self._pickup_order([(self.product_a, 2)])
        order.action_o2o_pickup_prepare()
        self.assertEqual(order.o2o_pickup_state, "preparing")
        with self.assertRaisesRegex(UserError, "needs it"):
            order.action_o2o_pickup_prepare()
        order.action_o2o_pickup_ready()
        self.assertEqual(order.o2o_pickup_state, "ready")
        mail = order.message_ids.filtered(lambda m: "ready for pickup" in (m.subject or ""))
        self.assertEqual(len(mail), 1)
        self.assertIn(order.o2o_pickup_code, str(mail.body))
        self.assertIn("/o2o/pickup/qr/", str(mail.body))
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.state, "outgoing", "queued for Odoo's SMS job, not sent in the request")
        self.assertIn(order.o2o_pickup_code, sms.body)
        self.assertEqual(sms.number, "+84986555444")

    def test_no_notification_on_request(self):
        order = self._pickup_order([(self.product_a, 1)])
        order.with_context(o2o_pickup_no_notify=True).action_o2o_pickup_ready()
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "=", self.customer.id)]))
        self.assertIn("Ready for pickup", order.message_ids[0].body)

    def test_ready_checks_goods_are_in_the_store(self):
        order = self._pickup_order([(self.product_b, 2)])  # waiting for the transfer
        with self.assertRaisesRegex(UserError, "Not all goods .* are reserved in Store Q1: Cap"):
            order.action_o2o_pickup_ready()
        order.action_o2o_pickup_ready_partial()
        self.assertEqual(order.o2o_pickup_state, "ready")
        self.assertTrue(any("part of the goods" in body for body in order.message_ids.mapped("body")))

    def test_state_changes_are_in_the_chatter(self):
        order = self._pickup_order([(self.product_a, 1)])
        order.action_o2o_pickup_prepare()
        order.action_o2o_pickup_ready()
        order.action_o2o_pickup_no_show()
        notes = " ".join(order.message_ids.mapped("body"))
        for expected in ("Pickup booked", "Preparation started", "Ready for pickup", "No-show"):
            self.assertIn(expected, notes)

    def test_no_show_job_unpaid_order(self):
        order = self._pickup_order([(self.product_a, 2)])
        order.action_o2o_pickup_ready()
        picking = order.picking_ids
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self.product_a.with_context(warehouse_id=self.store_1.id).free_qty, 8)
        with freeze_time(order.o2o_pickup_deadline - timedelta(minutes=1)):
            self.assertFalse(self.env["sale.order"]._cron_o2o_pickup_expire())
        with freeze_time(order.o2o_pickup_deadline + timedelta(minutes=1)):
            expired = self.env["sale.order"]._cron_o2o_pickup_expire()
            self.assertEqual(expired, order)
            self.assertFalse(self.env["sale.order"]._cron_o2o_pickup_expire(), "handled once")
        self.assertEqual(order.o2o_pickup_state, "expired")
        self.assertEqual(order.state, "cancel")
        self.assertEqual(picking.state, "cancel")
        self.assertEqual(self.product_a.with_context(warehouse_id=self.store_1.id).free_qty, 10, "released")
        self.assertTrue(order.message_ids.filtered(lambda m: "was not collected" in (m.subject or "")))

    def test_reminder_before_the_hold_ends(self):
        order = self._pickup_order([(self.product_a, 1)])
        order.action_o2o_pickup_ready()
        Sale = self.env["sale.order"]
        with freeze_time(order.o2o_pickup_deadline - timedelta(hours=25)):
            self.assertFalse(Sale._cron_o2o_pickup_remind())
        with freeze_time(order.o2o_pickup_deadline - timedelta(hours=23)):
            self.assertEqual(Sale._cron_o2o_pickup_remind(), order)
            self.assertFalse(Sale._cron_o2o_pickup_remind(), "reminded once")
        self.assertTrue(order.message_ids.filtered(lambda m: "waiting for you" in (m.subject or "")))
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 2, "ready, then the reminder")
        self.store_1.o2o_pickup_remind_hours = 0
        other = self._pickup_order([(self.product_a, 1)])
        other.action_o2o_pickup_ready()
        with freeze_time(other.o2o_pickup_deadline - timedelta(hours=1)):
            self.assertFalse(Sale._cron_o2o_pickup_remind(), "reminders switched off for the store")

    def test_no_show_paid_online_is_flagged_for_refund(self):
        order = self._pickup_order([(self.product_a, 1)])
        self._pay_online(order)
        with freeze_time(order.o2o_pickup_deadline + timedelta(hours=1)):
            self.env["sale.order"]._cron_o2o_pickup_expire()
        self.assertEqual(order.o2o_pickup_state, "expired")
        self.assertTrue(order.o2o_pickup_refund_needed)
        self.assertEqual(order.state, "sale", "a paid order is kept for the refund")
        self.assertTrue(order.activity_ids.filtered(lambda a: "Refund" in a.summary))

    def test_customer_cannot_cancel_once_prepared(self):
        order = self._pickup_order([(self.product_a, 1)])
        order.action_o2o_pickup_prepare()
        with self.assertRaises(UserError):
            order.action_o2o_pickup_cancel()

    def test_amount_due_subtracts_online_payment(self):
        order = self._pickup_order([(self.product_a, 2)])
        self.assertAlmostEqual(order.amount_unpaid, order.amount_total)
        self._pay_online(order, amount=5.0)
        self.assertAlmostEqual(order.amount_unpaid, order.amount_total - 5.0)
        self._pay_online(order, amount=order.amount_total - 5.0)
        self.assertTrue(order.currency_id.is_zero(order.amount_unpaid), "never charged twice at the counter")

    def test_dashboard_counts_collected_web_orders(self):
        order = self._pickup_order([(self.product_a, 1)])
        self._sale_order(self.customer, [(self.product_a, 1, 10.0)], website=self.website)
        order.action_o2o_pickup_ready()
        self._pay_online(order)
        self.open_new_session()
        self.env["sale.order"].o2o_pos_pickup_collect(order.id, self.config.id, order.o2o_pickup_code)
        data = self.env["o2o.order.report"].with_user(self.o2o_manager).get_dashboard_data()
        kpi = next(k for k in data["kpis"] if k["key"] == "collected_in_store")
        self.assertAlmostEqual(kpi["value"], 0.5)
        self.assertEqual(order.o2o_pickup_collected_date, datetime(2026, 3, 2, 2, 0))
