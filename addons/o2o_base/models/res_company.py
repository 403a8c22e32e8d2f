from odoo import Command, api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _o2o_demo_retailer(self):
        """Demo data only: the company of the demo retailer, "o2o Việt Nam", ready to sell.

        Odoo's Vietnamese localisation (``l10n_vn``, which ``./o2o run`` installs with the demo)
        brings a demo company with the Vietnamese chart of accounts, VAT rates and the dong: the
        demo retailer is that company. Without it, a company of our own gets Odoo's generic
        chart. Either way Odoo's own demo company (My Company, in dollars) is left as it is,
        and the retailer gets Vietnamese and English, a website of its own (the one served by
        default), VAT included in its prices, a pricelist in dong, paying at the store when
        collecting, and the online payment of Odoo's demo provider in test mode where
        ``payment_demo`` is installed.
        """
        env = self.env
        company = env.ref("o2o_base.company_o2o_vn", raise_if_not_found=False)
        if company:
            return company
        vietnam = env.ref("base.vn")
        company = env.ref("base.demo_company_vn", raise_if_not_found=False)
        if not company:
            dong = env.ref("base.VND")
            dong.active = True
            company = self.create({"name": "o2o Việt Nam", "country_id": vietnam.id, "currency_id": dong.id})
            env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
            # Odoo's generic chart is written for dollars: the retailer keeps the dong.
            company.write({"currency_id": dong.id, "account_fiscal_country_id": vietnam.id})
        company.write(
            {
                "name": "o2o Việt Nam",
                "street": "72 Lê Thánh Tôn",
                "street2": "Bến Nghé",
                "city": "Hồ Chí Minh",
                "zip": "71006",
                "state_id": env.ref("base.state_vn_VN-SG").id,
                "phone": "+84 28 3822 1234",
                "email": "hello@o2o-demo.example.com",
                "website": "https://o2o-demo.example.com",
                "vat": False,
            }
        )
        env["ir.model.data"]._update_xmlids(
            [{"xml_id": "o2o_base.company_o2o_vn", "record": company, "noupdate": True}]
        )
        # The warehouse Odoo made with the company (named after it) is the retailer's central one.
        central = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        central.write({"name": env._("Central Warehouse"), "code": "KHO"})
        # Retail prices include VAT: the 10% rate, included in the price.
        vat = company.account_sale_tax_id or env["account.tax"].search(
            [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 10)], limit=1
        )
        included = vat.copy(
            {
                "name": env._("VAT 10% (included)"),
                "description": env._("VAT 10% incl."),
                "price_include_override": "tax_included",
            }
        )
        company.account_sale_tax_id = included
        env["ir.model.data"]._update_xmlids(
            [{"xml_id": "o2o_base.tax_vat10_included", "record": included, "noupdate": True}]
        )
        # Vietnamese and English on the retailer's website: Vietnamese by default, English for
        # visitors whose browser asks for it (or who pick it in the footer).
        env["res.lang"]._activate_lang("vi_VN")
        env["ir.module.module"].search([("state", "=", "installed")])._update_translations("vi_VN")
        vietnamese, english = env.ref("base.lang_vi_VN"), env.ref("base.lang_en")
        website = env["website"].create(
            {
                "name": "o2o Việt Nam",
                "company_id": company.id,
                "sequence": 1,
                "default_lang_id": vietnamese.id,
                "language_ids": [Command.set([vietnamese.id, english.id])],
                "show_line_subtotals_tax_selection": "tax_included",
            }
        )
        pricelist = env["product.pricelist"].create(
            {
                "name": env._("Retail price (VND)"),
                "currency_id": company.currency_id.id,
                "company_id": company.id,
                "website_id": website.id,
                "selectable": True,
            }
        )
        records = [
            {"xml_id": "o2o_base.website_o2o_vn", "record": website, "noupdate": True},
            {"xml_id": "o2o_base.pricelist_o2o_vn", "record": pricelist, "noupdate": True},
        ]
        # Online payment with Odoo's demo provider (test mode), where payment_demo is installed,
        # and paying when collecting at the store (website_sale_collect's way).
        demo = env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        if demo and demo.state != "disabled":
            records.append(self._o2o_demo_provider_copy(demo, company, "test", "payment_provider_demo_vn"))
        on_site = env.ref("website_sale_collect.payment_provider_on_site")
        records.append(
            self._o2o_demo_provider_copy(on_site, company, "enabled", "payment_provider_on_site_vn")
        )
        env["ir.model.data"]._update_xmlids(records)
        return company

    @api.model
    def _o2o_demo_provider_copy(self, provider, company, state, xmlid):
        """Demo data only: ``provider`` for ``company``, published in ``state`` (its xml id row)."""
        copy = provider.copy({"company_id": company.id})
        copy.write(
            {
                "state": state,
                "is_published": True,
                "payment_method_ids": [Command.set(provider.payment_method_ids.ids)],
            }
        )
        return {"xml_id": f"o2o_base.{xmlid}", "record": copy, "noupdate": True}

    @api.model
    def _o2o_demo_odoo_catalogue_on_odoo_website(self):
        """Demo data only: Odoo's own demo products, shop categories and delivery methods,
        published for every website, stay on Odoo's demo website: the retailer's shop shows
        its own catalogue (not a desk at 825 ₫, priced in dollars and shown in dong). Called by
        each o2o addon's demo, as the modules they depend on bring demo products of their own.
        """
        retailer = self.env.ref("o2o_base.company_o2o_vn", raise_if_not_found=False)
        odoo_website = self.env.ref("website.default_website", raise_if_not_found=False)
        if not retailer or not odoo_website:
            return
        self.env["product.template"].with_context(active_test=False).search(
            [("website_id", "=", False), ("company_id", "!=", retailer.id)]
        ).write({"website_id": odoo_website.id})
        self.env["delivery.carrier"].with_context(active_test=False).search(
            [("website_id", "=", False), ("company_id", "!=", retailer.id)]
        ).write({"website_id": odoo_website.id})
        ours = self.env["product.public.category"].search(
            [("website_id", "=", False), ("product_tmpl_ids.company_id", "=", retailer.id)]
        )
        (self.env["product.public.category"].search([("website_id", "=", False)]) - ours).write(
            {"website_id": odoo_website.id}
        )
