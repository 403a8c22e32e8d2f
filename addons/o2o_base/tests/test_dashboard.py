from odoo.tests import tagged

from .common import O2oCommon


@tagged("post_install", "-at_install", "o2o")
class TestDashboard(O2oCommon):
    """Dashboard figures on a known dataset (amounts untaxed, in company currency)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.an = cls._customer("An", mobile="0938 111 222")
        cls.binh = cls._customer("Bình", mobile="0986 555 444")
        cls.cuong = cls._customer("Cường", mobile="0909 777 888")

    def setUp(self):
        super().setUp()
        self.web_an = self._sale_order(
            self.an, [(self.product_a, 10, 10.0)], website=self.website, date=self._dt(1)
        )
        self.pos_an = self._pos_order(self.an, [(self.product_a, 2)], date=self._dt(2))  # 2 x 10
        self.phone_binh_1 = self._sale_order(self.binh, [(self.product_b, 2, 25.0)], date=self._dt(3))
        self.phone_binh_2 = self._sale_order(self.binh, [(self.product_b, 1, 30.0)], date=self._dt(20))
        self.market_cuong = self._sale_order(
            self.cuong, [(self.product_a, 4, 10.0)], team=self.shopee_team, date=self._dt(5)
        )
        self.pos_walk_in = self._pos_order(False, [(self.product_b, 1)], date=self._dt(5))  # 25
        # Never counted: a cancelled order and a quotation.
        self._sale_order(self.an, [(self.product_a, 99, 10.0)], date=self._dt(4)).with_context(
            disable_cancel_warning=True
        ).action_cancel()
        self._sale_order(self.binh, [(self.product_a, 99, 10.0)], confirm=False)
        self.Report = self.env["o2o.order.report"].with_user(self.o2o_manager)

    def _kpis(self, **filters):
        data = self.Report.get_dashboard_data(**filters)
        return {kpi["key"]: kpi["value"] for kpi in data["kpis"]}, data

    def test_period(self):
        kpis, data = self._kpis(date_from="2026-03-01", date_to="2026-03-10")
        self.assertAlmostEqual(kpis["revenue"], 100 + 20 + 50 + 40 + 25)
        self.assertEqual(kpis["orders"], 5)
        self.assertAlmostEqual(kpis["aov"], 235 / 5)
        self.assertEqual(kpis["customers"], 3)
        self.assertAlmostEqual(kpis["omnichannel_share"], 1 / 3, msg="An bought online and in store")
        self.assertAlmostEqual(kpis["repeat_rate"], 1 / 3, msg="only An bought twice in the period")
        by_channel = {row["channel_type"]: (row["revenue"], row["orders"]) for row in data["by_channel"]}
        self.assertEqual(
            by_channel,
            {"website": (100.0, 1), "store": (45.0, 2), "backoffice": (50.0, 1), "marketplace": (40.0, 1)},
        )
        self.assertEqual(
            [(row["store_id"], row["revenue"], row["orders"]) for row in data["by_store"]],
            [(self.store_1.id, 45.0, 2)],
        )

    def test_whole_month(self):
        kpis, _data = self._kpis(date_from="2026-03-01", date_to="2026-03-31")
        self.assertAlmostEqual(kpis["revenue"], 265)
        self.assertEqual(kpis["orders"], 6)
        self.assertAlmostEqual(kpis["repeat_rate"], 2 / 3)
        self.assertAlmostEqual(kpis["omnichannel_share"], 1 / 3)

    def test_store_and_channel_filters(self):
        kpis, _data = self._kpis(date_from="2026-03-01", date_to="2026-03-31", store_ids=[self.store_1.id])
        self.assertAlmostEqual(kpis["revenue"], 45)
        self.assertEqual(kpis["orders"], 2)
        self.assertEqual(kpis["customers"], 1, "the walk-in sale has no customer")
        self.assertEqual(kpis["omnichannel_share"], 0)
        kpis, _data = self._kpis(channel_types=["website", "marketplace"])
        self.assertAlmostEqual(kpis["revenue"], 140)
        self.assertEqual(kpis["customers"], 2)

    def test_empty_period(self):
        kpis, data = self._kpis(date_from="2020-01-01", date_to="2020-01-31")
        self.assertEqual((kpis["revenue"], kpis["orders"], kpis["aov"], kpis["repeat_rate"]), (0, 0, 0, 0))
        self.assertEqual(data["by_channel"], [])

    def test_report_rows(self):
        rows = self.Report.search([("date", ">=", "2026-03-01"), ("date", "<=", "2026-03-31 23:59:59")])
        self.assertEqual(len(rows), 6)
        pos_row = rows.filtered(lambda r: r.pos_order_id == self.pos_an)
        self.assertEqual(
            (pos_row.channel_type, pos_row.store_id, pos_row.partner_id, pos_row.team_id, pos_row.amount),
            ("store", self.store_1, self.an, self.store_1.o2o_team_id, 20.0),
        )

    def test_customer_360(self):
        self.an.invalidate_recordset()
        self.assertEqual(self.an.o2o_order_count, 2)
        self.assertAlmostEqual(self.an.o2o_revenue, 120)
        self.assertEqual(self.an.o2o_channel_count, 2)
        self.assertEqual(self.an.o2o_first_channel_type, "website")
        self.assertEqual(self.an.o2o_last_channel_type, "store")
        self.assertEqual(self.an.o2o_store_ids, self.store_1)
        self.assertIn("Website", self.an.o2o_channel_summary)
        self.assertEqual(self.binh.o2o_order_count, 2)
        self.assertEqual(self.binh.o2o_first_channel_type, "backoffice")
        # A contact of a company shows the company's history.
        contact = self._customer("An's assistant", parent_id=self.an.id, type="contact")
        self.assertEqual(contact.o2o_order_count, 2)
        action = self.an.action_o2o_open_orders()
        self.assertEqual(self.Report.search_count(action["domain"]), 2)

    def test_dashboard_query_count(self):
        self.Report.get_dashboard_data(date_from="2026-03-01")  # warm caches
        with self.assertQueryCount(8):
            self.Report.get_dashboard_data(date_from="2026-03-01")
