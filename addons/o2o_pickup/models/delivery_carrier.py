from odoo import models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    def _in_store_get_close_locations(self, partner_address, product_id=None):
        """Every store of the method, nearest first, never none because a geocoder failed.

        Odoo geocodes the shopper's address at every lookup and, when the geocoder fails
        (no network, rate limit, an address it cannot place), lists no store at all. Here
        addresses are geocoded once (see ``res.partner._o2o_geo_localize_once``) and a
        failure only leaves the position unknown: the stores are then listed by the
        shopper's province and city first, then by name, with ``distance`` set to None
        (the selector says the distance is unknown). A store without a position comes
        after the placed ones, with an unknown distance too.
        """
        shopper_placed = bool(partner_address._o2o_geo_localize_once())
        self.warehouse_ids.partner_id._o2o_geo_localize_once()
        # What could be placed is placed: Odoo's own calls would only ask the geocoder again.
        carrier = self.with_context(o2o_geo_localized=True)
        locations = super(DeliveryCarrier, carrier)._in_store_get_close_locations(
            partner_address.with_context(o2o_geo_localized=True), product_id=product_id
        )
        state = partner_address.state_id.code
        city = (partner_address.city or "").strip().casefold()
        addresses = {store.id: store.partner_id for store in self.warehouse_ids}
        for location in locations:
            address = addresses.get(location["id"])
            if address:
                # As the retailer wrote them: Odoo title-cases them ("o2o Store" became "O2O Store").
                location.update(name=address.name, street=address.street or "", city=address.city or "")
            if not (shopper_placed and (location["latitude"] or location["longitude"])):
                location["distance"] = None
            # Owl shows "false" for a store without a postcode.
            location["zip_code"] = location["zip_code"] or ""

        def order(location):
            known = location["distance"] is not None
            return (
                not known,
                location["distance"] if known else 0.0,
                not (state and location["state"] == state),
                (location["city"] or "").strip().casefold() != city,
                location["name"],
            )

        return sorted(locations, key=order)
