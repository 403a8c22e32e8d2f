from odoo import api, models
from odoo.exceptions import AccessError, UserError


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Let O2O managers merge customers, which Odoo leaves to administrators in practice.

        Odoo allows different e-mails only to administrators. An O2O manager who may edit
        the customers may merge different e-mails when they share one normalised phone:
        the same person often leaves different e-mails on different channels.

        A contact with a user is a login: merging it moves the user onto the kept contact,
        whose e-mail then receives the user's password resets. Only administrators merge
        such contacts, and only when the e-mails are the same, whoever asks.
        """
        if self.env.su:
            return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if partners.with_context(active_test=False).user_ids:
            self._o2o_check_merge_logins(partners)
            return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        if not self.env.user.has_group("o2o_base.group_o2o_manager"):
            return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
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
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=False)

    def _o2o_check_merge_logins(self, partners):
        if not self.env.user._is_admin():
            logins = partners.with_context(active_test=False).user_ids.partner_id
            raise AccessError(
                self.env._(
                    "%(contacts)s: a contact linked to a user can only be merged by an administrator.",
                    contacts=", ".join(logins.mapped("name")),
                )
            )
        if len(set(partners.mapped("email"))) > 1:
            raise UserError(
                self.env._(
                    "All contacts must have the same email when one of them is linked to a user: "
                    "the user's password resets go to the kept contact's email."
                )
            )

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        # Odoo moves every many2one in SQL whatever the user's rights; the apps' own steps
        # (website visitors, loyalty cards) read records a customer manager may not read.
        return super(BasePartnerMergeAutomaticWizard, self.sudo())._update_foreign_keys(
            src_partners.sudo(), dst_partner.sudo()
        )
