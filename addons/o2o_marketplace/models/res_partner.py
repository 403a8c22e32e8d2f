import phonenumbers

from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2o_marketplace_buyer_key = fields.Char(
        "Marketplace buyer",
        index="btree_not_null",
        copy=False,
        help="marketplace:buyer id of the buyer account this customer uses on a marketplace.",
    )

    @api.model
    def _o2o_marketplace_buyers(self, shop, buyers):
        """The customer of each marketplace order's buyer (a list, in order), for a page in one pass:
        the known buyer account, else the customer with the same phone or e-mail (o2o_base: one
        customer across channels), else a new customer, created once per buyer account.

        Marketplaces often mask phone and e-mail (``******78``): masked values are never used to
        match or stored.
        """
        company = shop.company_id
        keys = [buyer.external_id and f"{shop.marketplace}:{buyer.external_id}" for buyer in buyers]
        found = {}
        if any(keys):
            for partner in self.sudo().search_fetch(
                [
                    ("o2o_marketplace_buyer_key", "in", list({key for key in keys if key})),
                    ("company_id", "in", [False, company.id]),
                ],
                ["o2o_marketplace_buyer_key", "commercial_partner_id"],
                order="id",
            ):
                found.setdefault(partner.o2o_marketplace_buyer_key, partner.commercial_partner_id)
        countries = {}
        anonymous = {}  # key: vals of a new buyer account without phone or e-mail, created together
        for key, buyer in zip(keys, buyers, strict=True):
            if key and (key in found or key in anonymous):
                continue
            vals = self._o2o_marketplace_buyer_vals(shop, buyer, countries)
            if "phone" in vals or "email" in vals:
                customer = self.sudo()._o2o_find_or_create_customer(
                    vals, company=company, channel_label=shop._marketplace_label(), complete=True
                )
                if key and not customer.o2o_marketplace_buyer_key:
                    customer.sudo().o2o_marketplace_buyer_key = key
            elif key:
                anonymous[key] = dict(vals, o2o_marketplace_buyer_key=key)
                continue
            else:
                customer = self.sudo().create(vals)  # a buyer the marketplace does not identify
            if key:
                found[key] = customer
            else:
                found[id(buyer)] = customer
        if anonymous:
            # Claimed first (in one order, so two jobs wait for each other instead of deadlocking),
            # so that two jobs importing the same new buyer create one customer.
            claims = sorted(anonymous)
            self.env.cr.execute(
                SQL(
                    """INSERT INTO o2o_customer_claim (company_id, key) VALUES %s
                       ON CONFLICT (company_id, key) DO UPDATE SET claimed_at = now() AT TIME ZONE 'UTC'""",
                    SQL(", ").join(SQL("(%s, %s)", company.id, "buyer:" + key) for key in claims),
                )
            )
            created = self.sudo().create([anonymous[key] for key in claims])
            found.update(zip(claims, created, strict=True))
        return [found[key] if key else found[id(buyer)] for key, buyer in zip(keys, buyers, strict=True)]

    @api.model
    def _o2o_marketplace_buyer_vals(self, shop, buyer, countries):
        """res.partner values of a new customer for ``buyer`` (masked values left out)."""
        company = shop.company_id
        phone = self._o2o_marketplace_phone(buyer.phone, shop.region or company.country_id.code)
        email = buyer.email if buyer.email and "*" not in buyer.email and "@" in buyer.email else None
        code = (buyer.country_code or "").upper()
        if code and code not in countries:
            countries[code] = self.env["res.country"].search([("code", "=", code)], limit=1)
        vals = {
            "name": buyer.name
            if buyer.name and "*" not in buyer.name
            else self.env._(
                "%(marketplace)s buyer %(id)s",
                marketplace=shop._marketplace_label(),
                id=buyer.external_id or "",
            ),
            "phone": phone,
            "email": email,
            "street": buyer.street,
            "street2": buyer.street2,
            "city": buyer.city,
            "zip": buyer.zip,
            "country_id": (countries.get(code) or company.country_id).id,
            "company_id": False,
        }
        return {k: v for k, v in vals.items() if v}

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
