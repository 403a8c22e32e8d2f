from odoo import models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare


class LoyaltyCardUpdateBalance(models.TransientModel):
    _inherit = "loyalty.card.update.balance"

    def action_update_card_point(self):
        """A member's balance is corrected as an O2O manager's adjustment, kept in its history."""
        card = self.card_id
        if not card.o2o_is_member:
            return super().action_update_card_point()
        if not self.env.user.has_group("o2o_base.group_o2o_manager"):
            raise AccessError(self.env._("Only O2O managers can adjust member points."))
        difference = self.new_balance - card.points
        if self.new_balance < 0 or not float_compare(difference, 0, precision_digits=2):
            raise ValidationError(
                self.env._("New Balance should be positive and different then old balance.")
            )
        card._o2o_adjust(difference, self.description or self.env._("Balance update"))
        return True
