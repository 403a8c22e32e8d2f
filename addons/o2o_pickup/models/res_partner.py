import hashlib
import logging

from odoo import fields, models

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2o_geo_attempt = fields.Char(
        string="Last Geocoding Attempt",
        copy=False,
        groups="base.group_user",
        help="Day and address of the last attempt to place this address on the map: the store "
        "selector geocodes an address once a day at most, not at every lookup.",
    )

    def _o2o_geo_key(self):
        self.ensure_one()
        address = "|".join(
            str(value or "")
            for value in (self.street, self.zip, self.city, self.state_id.id, self.country_id.id)
        )
        digest = hashlib.sha256(address.encode()).hexdigest()[:16]
        return f"{fields.Date.context_today(self)}:{digest}"

    def _o2o_is_placed(self):
        self.ensure_one()
        return bool(self.partner_latitude or self.partner_longitude)

    def _o2o_geo_localize_once(self):
        """Place the addresses not placed yet, trying each address at most once a day.

        Odoo clears the coordinates when the address changes, so placed addresses are
        kept as they are. A geocoder that fails (no network, rate limit, unknown address)
        leaves the address unplaced and is logged, never raised: the caller works without
        the position. Returns the partners that have a position.
        """
        placed = self.browse()
        for partner in self:
            if partner._o2o_is_placed():
                placed |= partner
                continue
            if not (partner.street or partner.zip or partner.city):
                continue
            key = partner._o2o_geo_key()
            if partner.sudo().o2o_geo_attempt == key:
                continue
            try:
                with self.env.cr.savepoint():
                    partner.geo_localize()
            except Exception as error:  # noqa: BLE001 - any geocoder failure means "position unknown"
                _logger.warning("Geocoding partner %s failed: %s", partner.id, error)
            partner.sudo().o2o_geo_attempt = key
            if partner._o2o_is_placed():
                placed |= partner
        return placed

    def geo_localize(self):
        # The store selector places what it can before calling Odoo's code, which would
        # otherwise ask the geocoder again for each address at every lookup.
        if self.env.context.get("o2o_geo_localized"):
            return True
        return super().geo_localize()
