from odoo import api, fields, models
from odoo.exceptions import UserError


class O2oLoyaltyAdjust(models.TransientModel):
    """A manager's correction of a member's points, with the reason kept in the history."""

    _name = "o2o.loyalty.adjust"
    _description = "Adjust member points"

    card_id = fields.Many2one(
        "loyalty.card", required=True, readonly=True, domain=[("o2o_is_member", "=", True)]
    )
    partner_id = fields.Many2one(related="card_id.partner_id")
    current_points = fields.Float(related="card_id.points", string="Current Balance")
    points = fields.Float(
        string="Points to Add (or Remove)", required=True, help="Negative to remove points."
    )
    reason = fields.Char(required=True, help="Shown in the member's history and kept for audit.")

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        if self.env.context.get("active_model") == "loyalty.card" and self.env.context.get("active_id"):
            vals.setdefault("card_id", self.env.context["active_id"])
        return vals

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("o2o_base.group_o2o_manager"):
            raise UserError(self.env._("Only O2O managers can adjust member points."))
        if not self.points:
            raise UserError(self.env._("Enter the points to add, or a negative number to remove."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the points are adjusted."))
        self.card_id._o2o_adjust(self.points, self.reason.strip())
        self.card_id.message_post(
            body=self.env._(
                "%(points)s points adjusted by %(user)s: %(reason)s",
                points=self.points,
                user=self.env.user.name,
                reason=self.reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
