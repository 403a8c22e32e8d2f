from odoo import api, fields, models

from ..const import CHANNEL_TYPES


class SaleOrder(models.Model):
    _inherit = "sale.order"

    o2o_channel_type = fields.Selection(
        CHANNEL_TYPES,
        string="O2O Channel",
        compute="_compute_o2o_channel_type",
        store=True,
        index=True,
        help="Website orders are website channel; others take the channel of their sales team.",
    )
    o2o_store_id = fields.Many2one(
        "stock.warehouse",
        string="Store",
        compute="_compute_o2o_store_id",
        store=True,
        index="btree_not_null",
        help="The store the order is fulfilled from, when its warehouse is a store.",
    )

    @api.depends("website_id", "team_id.o2o_channel_type")
    def _compute_o2o_channel_type(self):
        for order in self:
            if order.website_id:
                order.o2o_channel_type = "website"
            else:
                order.o2o_channel_type = order.team_id.o2o_channel_type or "backoffice"

    @api.depends("warehouse_id.o2o_is_store")
    def _compute_o2o_store_id(self):
        for order in self:
            order.o2o_store_id = order.warehouse_id if order.warehouse_id.o2o_is_store else False

    def action_confirm(self):
        res = super().action_confirm()
        self.filtered("website_id")._o2o_link_guest_customer()
        return res

    def _o2o_is_guest_checkout_partner(self, partner):
        """A partner the website checkout created for a visitor who is not logged in.

        Website checkout creates it as the website's public user; a customer created by
        staff, or one with a login, is never relinked.
        """
        self.ensure_one()
        return (
            not partner.parent_id
            and partner.create_uid == self.website_id.user_id
            and not partner.with_context(active_test=False).user_ids
        )

    def _o2o_link_guest_customer(self):
        """Attach a guest checkout to the existing customer with the same phone or e-mail.

        The guest's address becomes an address of that customer, so the order keeps the
        address and e-mail the shopper typed (and nothing of the customer is shown to
        the guest), while history, reports and loyalty follow one customer.
        """
        Partner = self.env["res.partner"].sudo()
        for order in self:
            guest = order.partner_id.sudo()
            if not order._o2o_is_guest_checkout_partner(guest):
                continue
            phone = guest.mobile or guest.phone
            customer = Partner._o2o_find_customer(
                phone=phone, email=guest.email, company=order.company_id, exclude=guest | guest.child_ids
            )
            if not customer:
                Partner._o2o_claim_identity(phone=phone, email=guest.email, company=order.company_id)
                continue
            guest.write({"parent_id": customer.id, "type": "other"})
            customer.message_post(
                body=self.env._(
                    "Website order %(order)s placed as a guest was linked to this customer by phone "
                    "or e-mail; the address entered at checkout was kept as %(address)s.",
                    order=order._get_html_link(),
                    address=guest._get_html_link(),
                ),
                subtype_xmlid="mail.mt_note",
            )
