from odoo import models
from odoo.exceptions import UserError


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Let O2O managers merge customers, which Odoo leaves to administrators in practice.

        Odoo's merge rewrites records of every app (website visitors, payment tokens...)
        that a manager may not read, and allows different e-mails only to administrators.
        An O2O manager who may edit all the customers merges them with those rights, and
        may merge different e-mails when the customers share one normalised phone: the
        same person often leaves different e-mails on different channels.
        """
        if self.env.su or not self.env.user.has_group("o2o_base.group_o2o_manager"):
            return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        partners = self.env["res.partner"].browse(partner_ids).exists()
        partners.check_access("write")
        phones = set(partners.mapped("phone_sanitized"))
        same_phone = len(phones) == 1 and all(phones)
        if extra_checks and not same_phone and len(set(partners.mapped("email"))) > 1:
            raise UserError(
                self.env._(
                    "All contacts must have the same email. Only the Administrator can merge "
                    "contacts with different emails, or an O2O manager customers with the same phone."
                )
            )
        return super(BasePartnerMergeAutomaticWizard, self.sudo())._merge(
            partner_ids, dst_partner=dst_partner and dst_partner.sudo(), extra_checks=False
        )
