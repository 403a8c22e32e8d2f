from odoo import api, fields, models

from ..const import CHANNEL_TYPES


class CrmTeam(models.Model):
    """A sales team is an O2O channel: the website, a store, a marketplace shop, the back office."""

    _inherit = "crm.team"

    o2o_channel_type = fields.Selection(
        CHANNEL_TYPES,
        string="O2O Channel",
        required=True,
        default="backoffice",
        index=True,
        help="How orders of this team reach the business; drives O2O reporting and customer history.",
    )
    o2o_store_id = fields.Many2one(
        "stock.warehouse",
        string="Store",
        domain="[('o2o_is_store', '=', True)]",
        check_company=True,
        help="For store channels: the store whose point of sale this team sells through.",
    )

    @api.onchange("o2o_channel_type")
    def _onchange_o2o_channel_type(self):
        if self.o2o_channel_type != "store":
            self.o2o_store_id = False
