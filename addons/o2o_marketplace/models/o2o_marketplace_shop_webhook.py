"""A marketplace's push: verified on the raw body, queued, answered at once.

The controller only hands the request over (as payment controllers hand off to
``_handle_notification_data``); what the push asks for runs in a queue job, so the marketplace
gets its answer in milliseconds whatever its API costs (Lazada wants one within 500 ms).
"""

import datetime
import json
import logging

from odoo import SUPERUSER_ID, api, fields, models

from ..adapters import adapter_class
from ..const import WEBHOOK_MAX_AGE_HOURS, WEBHOOK_MAX_AHEAD_MINUTES

_logger = logging.getLogger(__name__)

#: Pushes are a few hundred bytes; anything longer than this is refused before it is read.
MAX_WEBHOOK_BODY = 64 * 1024

#: What a body that is not a push of this marketplace can raise while it is read.
UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, RecursionError)


class O2oMarketplaceShop(models.Model):
    _inherit = "o2o.marketplace.shop"

    @api.model
    def _o2o_webhook_receive(self, marketplace, body, headers, urls):
        """Handle one push to /o2o/marketplace/<marketplace>/webhook; -> (HTTP status, message).

        200: verified and queued (or nothing to do); 400: not a push of this marketplace; 403:
        not signed by a shop we know. An unknown shop and a wrong signature get the same answer,
        so the endpoint tells a stranger nothing about which shops exist."""
        adapter = adapter_class(marketplace)
        try:
            if body.strip():
                json.loads(body)
            events = adapter.parse_webhook(body)
        except UNREADABLE:
            return 400, self.env._("Unreadable push message.")
        if not events:
            # e.g. the marketplace checking that the URL answers: acknowledge, nothing to do
            return 200, None
        refs = {event.shop_external_id for event in events}
        if None in refs:
            return 400, self.env._("Unreadable push message.")  # no shop: not a push we know
        refused = 403, self.env._("Invalid signature.")
        shops = (
            self.sudo()
            .with_context(active_test=False)
            .search([("marketplace", "=", marketplace), ("shop_external_id", "in", list(refs))])
        )
        if len(shops) != len(refs):
            _logger.warning("%s push for an unknown shop refused", marketplace)
            return refused
        for shop in shops:
            if not any(shop._o2o_webhook_verified(adapter, url, body, headers) for url in urls):
                _logger.warning("%s push for shop %s refused: bad signature", marketplace, shop.id)
                return refused
        by_ref = {shop.shop_external_id: shop.with_user(SUPERUSER_ID).sudo() for shop in shops}
        now = fields.Datetime.now()
        oldest = now - datetime.timedelta(hours=WEBHOOK_MAX_AGE_HOURS)
        latest = now + datetime.timedelta(minutes=WEBHOOK_MAX_AHEAD_MINUTES)
        for event in events:
            shop = by_ref[event.shop_external_id]
            if event.sent_at and not oldest <= event.sent_at <= latest:
                # authentic but replayed (or from a clock far off): acknowledged, not acted on
                _logger.warning("%s push for shop %s dated %s ignored", marketplace, shop.id, event.sent_at)
                continue
            if event.kind == "order_status" and event.order_external_id and shop.active:
                shop._o2o_enqueue_order(event.order_external_id)
        return 200, None

    def _o2o_webhook_verified(self, adapter, url, body, headers):
        """The adapter's signature check, where a header it cannot read is a wrong signature."""
        try:
            return adapter.verify_webhook(
                url=url, body=body, headers=headers, app_key=self.app_key, app_secret=self.app_secret
            )
        except UNREADABLE + (UnicodeError,):
            return False
