import phonenumbers

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2o_marketplace_buyer_key = fields.Char(
        "Marketplace buyer",
        index="btree_not_null",
        copy=False,
        help="marketplace:buyer id of the buyer account this customer uses on a marketplace.",
    )

    @api.model
    def _o2o_marketplace_buyer(self, shop, buyer):
        """The customer of a marketplace order: the known buyer account, else the customer with the
        same phone or e-mail (o2o_base: one customer across channels), else a new customer.

        Marketplaces often mask phone and e-mail (``******78``): masked values are never used to
        match or stored.
        """
        label = shop._marketplace_label()
        key = buyer.external_id and f"{shop.marketplace}:{buyer.external_id}"
        company = shop.company_id
        if key:
            known = self.sudo().search(
                [("o2o_marketplace_buyer_key", "=", key), ("company_id", "in", [False, company.id])], limit=1
            )
            if known:
                return known.commercial_partner_id
        phone = self._o2o_marketplace_phone(buyer.phone, shop.region or company.country_id.code)
        email = buyer.email if buyer.email and "*" not in buyer.email and "@" in buyer.email else None
        country = buyer.country_code and self.env["res.country"].search(
            [("code", "=", buyer.country_code.upper())], limit=1
        )
        vals = {
            "name": buyer.name
            if buyer.name and "*" not in buyer.name
            else self.env._("%(marketplace)s buyer %(id)s", marketplace=label, id=buyer.external_id or ""),
            "phone": phone,
            "email": email,
            "street": buyer.street,
            "street2": buyer.street2,
            "city": buyer.city,
            "zip": buyer.zip,
            "country_id": (country or company.country_id).id,
            "company_id": False,
        }
        vals = {k: v for k, v in vals.items() if v}
        if phone or email:
            customer = self.sudo()._o2o_find_or_create_customer(
                vals, company=company, channel_label=label, complete=True
            )
        else:
            if key:
                self.env.cr.execute(
                    """
                    INSERT INTO o2o_customer_claim (company_id, key) VALUES (%s, %s)
                    ON CONFLICT (company_id, key) DO UPDATE SET claimed_at = now() AT TIME ZONE 'UTC'
                    """,
                    (company.id, "buyer:" + key),
                )
            customer = self.sudo().create(vals)
        if key and not customer.o2o_marketplace_buyer_key:
            customer.sudo().o2o_marketplace_buyer_key = key
        return customer

    @api.model
    def _o2o_marketplace_phone(self, phone, region):
        """Marketplaces send "84912345678": the country code without "+"."""
        if not phone or "*" in phone:
            return None
        digits = "".join(c for c in phone if c.isdigit())
        code = str(phonenumbers.country_code_for_region((region or "VN").upper()))
        if not phone.strip().startswith(("+", "0")) and digits.startswith(code) and len(digits) > 9:
            return "+" + digits
        return phone
