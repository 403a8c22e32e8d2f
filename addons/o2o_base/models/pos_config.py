from odoo import api, models


class PosConfig(models.Model):
    """Each point of sale belongs to a store (its warehouse), ships from it and sells
    through the store's channel."""

    _inherit = "pos.config"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._o2o_complete_store_vals(vals)
        configs = super().create(vals_list)
        configs._o2o_set_store_team()
        return configs

    def write(self, vals):
        self._o2o_complete_store_vals(vals)
        res = super().write(vals)
        if "warehouse_id" in vals or "crm_team_id" in vals:
            self._o2o_set_store_team()
        return res

    @api.model
    def _o2o_complete_store_vals(self, vals):
        # Choosing the store chooses where the goods leave from.
        if vals.get("warehouse_id") and "picking_type_id" not in vals:
            store = self.env["stock.warehouse"].browse(vals["warehouse_id"])
            if store.pos_type_id:
                vals["picking_type_id"] = store.pos_type_id.id

    def _o2o_set_store_team(self):
        for config in self:
            store = config.warehouse_id
            if store.o2o_is_store and not config.crm_team_id:
                store._o2o_ensure_store_team()
                config.crm_team_id = store.o2o_team_id
