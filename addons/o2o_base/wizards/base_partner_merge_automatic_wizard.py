from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # Odoo lets only administrators merge contacts with different e-mails. The same
        # person often leaves different e-mails on different channels; an O2O manager
        # may merge customers that share one normalised phone number.
        if extra_checks and self.env.user.has_group("o2o_base.group_o2o_manager"):
            partners = self.env["res.partner"].browse(partner_ids)
            phones = set(partners.mapped("phone_sanitized"))
            if len(phones) == 1 and all(phones) and len(partners) == len(partner_ids):
                extra_checks = False
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
