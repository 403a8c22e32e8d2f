from werkzeug.urls import url_quote_plus

from odoo import api, fields, models


class StockWarehouse(models.Model):
    """A warehouse can be a store: a place where customers buy, collect and return."""

    _inherit = "stock.warehouse"

    o2o_is_store = fields.Boolean(
        string="Is a Store",
        help="Customers can buy, collect or return here; the store has its own sales channel.",
    )
    o2o_phone = fields.Char(related="partner_id.phone", string="Store Phone", readonly=False)
    o2o_email = fields.Char(related="partner_id.email", string="Store Email", readonly=False)
    o2o_latitude = fields.Float(related="partner_id.partner_latitude", string="Latitude", readonly=False)
    o2o_longitude = fields.Float(related="partner_id.partner_longitude", string="Longitude", readonly=False)
    o2o_team_id = fields.Many2one(
        "crm.team",
        string="Store Channel",
        check_company=True,
        copy=False,
        help="Sales channel of the store's point of sale orders; created when the warehouse becomes a store.",
    )
    o2o_pos_config_ids = fields.One2many("pos.config", "warehouse_id", string="Points of Sale")
    o2o_pos_config_count = fields.Integer(compute="_compute_o2o_pos_config_count")
    o2o_pickup_enabled = fields.Boolean(
        string="Pickup Enabled",
        compute="_compute_o2o_pickup_enabled",
        inverse="_inverse_o2o_pickup_enabled",
        search="_search_o2o_pickup_enabled",
        help="Website customers can choose this store for click & collect.",
    )

    def _compute_o2o_pos_config_count(self):
        counts = dict(
            self.env["pos.config"]._read_group(
                [("warehouse_id", "in", self.ids)], ["warehouse_id"], ["__count"]
            )
        )
        for warehouse in self:
            warehouse.o2o_pos_config_count = counts.get(warehouse, 0)

    def _o2o_pickup_carriers(self):
        return self.env["delivery.carrier"].sudo().search([("delivery_type", "=", "in_store")])

    def _compute_o2o_pickup_enabled(self):
        enabled = self._o2o_pickup_carriers().warehouse_ids
        for warehouse in self:
            warehouse.o2o_pickup_enabled = warehouse in enabled

    def _inverse_o2o_pickup_enabled(self):
        carriers = self._o2o_pickup_carriers().filtered(
            lambda c: not c.company_id or c.company_id in self.company_id
        )
        for warehouse in self:
            command = 4 if warehouse.o2o_pickup_enabled else 3
            carriers.write({"warehouse_ids": [(command, warehouse.id)]})

    def _search_o2o_pickup_enabled(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        enabled_ids = self._o2o_pickup_carriers().warehouse_ids.ids
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", enabled_ids)]

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses.filtered("o2o_is_store")._o2o_ensure_store_team()
        return warehouses

    def write(self, vals):
        res = super().write(vals)
        if vals.get("o2o_is_store") or "name" in vals:
            self.filtered("o2o_is_store")._o2o_ensure_store_team()
        return res

    def _o2o_ensure_store_team(self):
        """Give each store its own sales channel, and its points of sale that channel."""
        for store in self:
            if not store.o2o_team_id:
                store.o2o_team_id = self.env["crm.team"].sudo().create(store._prepare_o2o_team_vals())
            elif store.o2o_team_id.name != store.name:
                store.o2o_team_id.sudo().name = store.name
            store.o2o_pos_config_ids.filtered(lambda c: not c.crm_team_id).sudo().write(
                {"crm_team_id": store.o2o_team_id.id}
            )

    def _prepare_o2o_team_vals(self):
        self.ensure_one()
        return {
            "name": self.name,
            "o2o_channel_type": "store",
            "o2o_store_id": self.id,
            "company_id": self.company_id.id,
        }

    def action_o2o_open_pos_configs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("point_of_sale.action_pos_config_kanban")
        action.update(
            {
                "domain": [("warehouse_id", "=", self.id)],
                "context": {"default_warehouse_id": self.id},
                "name": self.env._("Points of Sale of %s", self.name),
            }
        )
        return action

    def action_o2o_open_map(self):
        """Open the store on OpenStreetMap: coordinates if set, else the address."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self._o2o_map_url(), "target": "new"}

    def _o2o_map_url(self):
        self.ensure_one()
        if self.o2o_latitude or self.o2o_longitude:
            return f"https://www.openstreetmap.org/?mlat={self.o2o_latitude}&mlon={self.o2o_longitude}#map=17/{self.o2o_latitude}/{self.o2o_longitude}"
        return "https://www.openstreetmap.org/search?query=" + url_quote_plus(
            self.partner_id._display_address(without_company=True).replace("\n", ", ")
        )
