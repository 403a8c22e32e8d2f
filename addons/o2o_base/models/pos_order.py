from odoo import api, fields, models

from ..const import CHANNEL_TYPES


class PosOrder(models.Model):
    _inherit = "pos.order"

    o2o_channel_type = fields.Selection(
        CHANNEL_TYPES, string="O2O Channel", default="store", readonly=True, index=True
    )
    o2o_store_id = fields.Many2one(
        "stock.warehouse",
        string="Store",
        compute="_compute_o2o_store_id",
        store=True,
        index="btree_not_null",
        help="The store of the point of sale when the order was taken.",
    )

    o2o_revenue = fields.Monetary(
        compute="_compute_o2o_revenue",
        store=True,
        help="Untaxed amount of what was sold in the store itself; lines that settle a sale "
        "order count with that order.",
    )

    @api.depends("lines.price_subtotal", "lines.sale_order_origin_id")
    def _compute_o2o_revenue(self):
        # Stored so that the O2O analysis reads one column instead of aggregating lines.
        for order in self:
            order.o2o_revenue = sum(
                order.lines.filtered(lambda line: not line.sale_order_origin_id).mapped("price_subtotal")
            )

    @api.depends("config_id")
    def _compute_o2o_store_id(self):
        # Depends on the config only: moving a point of sale later does not rewrite history.
        for order in self:
            order.o2o_store_id = order.config_id.warehouse_id

    @api.model
    def _complete_values_from_session(self, session, values):
        values = super()._complete_values_from_session(session, values)
        if not values.get("crm_team_id"):
            store = session.config_id.warehouse_id
            values["crm_team_id"] = store.o2o_team_id.id or self.env["ir.model.data"]._xmlid_to_res_id(
                "sales_team.pos_sales_team"
            )
        return values
