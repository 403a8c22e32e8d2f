from odoo import api, models
from odoo.exceptions import AccessError


class PosSession(models.Model):
    _inherit = "pos.session"

    @api.model
    def _o2o_pickup_counter_session(self, config_id):
        """The open session of the register ``config_id``, if the caller works at it.

        The register is the caller's: a point of sale user, of a point of sale the record
        rules let them read (their companies), whose session is open. Nothing the client
        says about a session is taken on trust. Returns an empty recordset when the
        register is not open.
        """
        if not self.env.su and not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only point of sale users hand over pickups."))
        try:
            config = self.env["pos.config"].browse(int(config_id)).exists()
        except (TypeError, ValueError):
            config = self.env["pos.config"]
        if not config:
            raise AccessError(self.env._("This point of sale does not exist."))
        config.check_access("read")
        if config.company_id not in self.env.user.company_ids and not self.env.su:
            raise AccessError(self.env._("This point of sale belongs to another company."))
        session = config.sudo().current_session_id
        return session if session.state == "opened" else self.browse()
