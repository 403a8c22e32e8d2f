from odoo import fields, models, tools
from odoo.exceptions import AccessError, UserError

from ..const import MERGE_MAX_PARTNERS


class O2oPartnerDuplicate(models.Model):
    """Customers (top-level contacts) sharing a phone number or an e-mail address."""

    _name = "o2o.partner.duplicate"
    _description = "Possible Duplicate Customers"
    _auto = False
    _order = "partner_count desc, key"
    _rec_name = "key"
    _depends = {
        "res.partner": ["phone_sanitized", "email_normalized", "company_id", "parent_id", "active"],
    }

    key_type = fields.Selection([("phone", "Phone"), ("email", "E-mail")], "Matched On", readonly=True)
    key = fields.Char("Shared Value", readonly=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, help="Set when all these customers belong to one company."
    )
    partner_count = fields.Integer("Customers", readonly=True)
    partner_ids = fields.Many2many(
        "res.partner", string="Possible Duplicates", compute="_compute_partner_ids"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT row_number() OVER (ORDER BY key_type, key, company_id) AS id, *
                  FROM (
                    SELECT 'phone' AS key_type, phone_sanitized AS key,
                           CASE WHEN count(DISTINCT company_id) = 1 THEN min(company_id) END AS company_id,
                           count(*) AS partner_count
                      FROM res_partner
                     WHERE active AND parent_id IS NULL AND phone_sanitized IS NOT NULL
                  GROUP BY phone_sanitized
                    HAVING count(*) > 1
                 UNION ALL
                    SELECT 'email', email_normalized,
                           CASE WHEN count(DISTINCT company_id) = 1 THEN min(company_id) END,
                           count(*)
                      FROM res_partner
                     WHERE active AND parent_id IS NULL AND email_normalized IS NOT NULL
                  GROUP BY email_normalized
                    HAVING count(*) > 1
                ) groups
            )
            """
        )

    def _compute_partner_ids(self):
        Partner = self.env["res.partner"]
        for group in self:
            field = "phone_sanitized" if group.key_type == "phone" else "email_normalized"
            group.partner_ids = Partner.search(
                [(field, "=", group.key), ("parent_id", "=", False)],
                order="id",
            )

    def action_merge(self):
        """Open Odoo's partner merge on this group; the oldest customer is kept by default."""
        self.ensure_one()
        if not self.env.user.has_group("o2o_base.group_o2o_manager"):
            raise AccessError(self.env._("Only O2O managers can merge customers."))
        partners = self.partner_ids
        if len(partners) < 2:
            raise UserError(self.env._("These customers are no longer duplicates."))
        if len(partners) > MERGE_MAX_PARTNERS:
            raise UserError(
                self.env._(
                    "%(count)s customers share %(key)s. Odoo merges at most %(max)s at a time: "
                    "select them in the customer list and merge them in steps.",
                    count=len(partners),
                    key=self.key,
                    max=MERGE_MAX_PARTNERS,
                )
            )
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"dst_partner_id": partners[0].id})
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Customers"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
