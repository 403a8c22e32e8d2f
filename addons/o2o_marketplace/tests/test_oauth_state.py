from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install", "o2o")
class TestOauthState(MarketplaceCase):
    """The authorisation callback changes credentials only for the manager's own, fresh, unused
    authorisation of that very shop; every refusal is a 4xx page saying why."""

    def _authorize(self, shop):
        """Authorize clicked in the web client (this test's session) -> the consent page's URL."""
        action = self.make_jsonrpc_request(
            "/web/dataset/call_button/o2o.marketplace.shop/action_authorize",
            {
                "model": "o2o.marketplace.shop",
                "method": "action_authorize",
                "args": [[shop.id]],
                "kwargs": {},
            },
        )
        return action["url"]

    def _callback(self, consent_url):
        """The marketplace approves at once: the path of our callback it redirects to."""
        consent = requests.get(consent_url, allow_redirects=False, timeout=10)
        self.assertEqual(consent.status_code, 302, consent.text)
        location = consent.headers["Location"]
        self.assertIn("/o2o/marketplace/oauth/", location)
        return location[location.index("/o2o/marketplace/oauth/") :]

    @staticmethod
    def _replace(path, **params):
        parts = urlsplit(path)
        query = dict(parse_qsl(parts.query)) | params
        return f"{parts.path}?{urlencode(query)}"

    def _tokens(self, shop):
        shop.invalidate_recordset()
        return shop.token_id.access_token, shop.token_id.refresh_token

    def test_oauth_state_flow_stores_the_tokens_once(self):
        for marketplace in ("shopee", "lazada"):
            with self.subTest(marketplace=marketplace):
                shop = self.shops[marketplace]
                shop.token_id.unlink()
                self.authenticate("o2o_manager", "o2o_manager")
                path = self._callback(self._authorize(shop))
                state = dict(parse_qsl(urlsplit(path).query))["state"]
                self.assertFalse(state.startswith(f"{shop.id}."), "a random nonce, not the shop's id")
                self.assertGreaterEqual(len(state), 40)
                response = self.url_open(path, allow_redirects=False)
                self.assertIn(response.status_code, (302, 303), response.text)
                access, refresh = self._tokens(shop)
                self.assertTrue(self.sim.access_valid(self.sim_shops[marketplace], access))
                # the same callback again (a replay): refused, nothing changed
                response = self.url_open(path, allow_redirects=False)
                self.assertEqual(response.status_code, 400)
                self.assertIn("already used", response.text)
                self.assertEqual(self._tokens(shop), (access, refresh))

    def test_oauth_state_is_bound_to_the_session_and_the_user_and_expires(self):
        shop = self.shops["lazada"]
        before = self._tokens(shop)
        self.authenticate("o2o_manager", "o2o_manager")
        first, second = self._authorize(shop), self._authorize(shop)
        self.assertNotEqual(
            dict(parse_qsl(urlsplit(first).query))["state"], dict(parse_qsl(urlsplit(second).query))["state"]
        )
        path = self._callback(first)
        # another browser session of the same manager
        self.authenticate("o2o_manager", "o2o_manager")
        response = self.url_open(path, allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        self.assertIn("another browser session", response.text)
        # another manager
        new_test_user(
            self.env,
            login="o2o_manager_2",
            groups="base.group_user,o2o_base.group_o2o_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        path = self._callback(self._authorize(shop))
        self.authenticate("o2o_manager_2", "o2o_manager_2")
        self.assertEqual(self.url_open(path, allow_redirects=False).status_code, 403)
        # too late
        self.authenticate("o2o_manager", "o2o_manager")
        path = self._callback(self._authorize(shop))
        self.env["o2o.marketplace.oauth.state"].search([]).write(
            {"expires_at": datetime.utcnow() - timedelta(seconds=1)}
        )
        self.env.flush_all()
        response = self.url_open(path, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn("expired", response.text)
        # forged, missing, no code, unknown marketplace
        self.assertEqual(
            self.url_open(self._replace(path, state="forged"), allow_redirects=False).status_code, 400
        )
        self.assertEqual(self.url_open("/o2o/marketplace/oauth/lazada?code=x").status_code, 400)
        path = self._callback(self._authorize(shop))
        response = self.url_open(self._replace(path, code=""), allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn("did not send an authorisation code", response.text)
        self.assertEqual(self.url_open("/o2o/marketplace/oauth/ebay?code=x&state=y").status_code, 404)
        self.assertEqual(self._tokens(shop), before, "no refused callback changed the credentials")

    def test_oauth_state_for_managers_only(self):
        shop = self.shops["tiktok"]
        with self.assertRaises(UserError):
            shop.with_user(self.o2o_user).action_authorize()
        with self.assertRaises(UserError):  # not from a web session: nothing to bind the state to
            shop.with_user(self.o2o_manager).action_authorize()
        self.authenticate("o2o_user", "o2o_user")
        state = self.env["o2o.marketplace.oauth.state"].with_user(self.o2o_user)._o2o_issue(shop, "sid")
        response = self.url_open(f"/o2o/marketplace/oauth/tiktok?code=x&state={state}")
        self.assertEqual(response.status_code, 403)
        # the code exchange itself, for the configured shop
        shop.token_id.unlink()
        shop._o2o_connect(self.sim.issue_code(self.sim_shops["tiktok"]))
        self.assertTrue(shop.token_id.access_token)

    def test_oauth_state_refuses_another_shops_tokens(self):
        # Shopee names the authorised shop in the callback: another shop of the same partner app
        shop = self.shops["shopee"]
        mine = self.sim_shops["shopee"]
        other = self.sim.add_shop("shopee", app_key=mine.app_key, app_secret=mine.app_secret)
        before = self._tokens(shop)
        self.authenticate("o2o_manager", "o2o_manager")
        path = self._callback(self._authorize(shop))
        path = self._replace(path, shop_id=other.shop_id, code=self.sim.issue_code(other))
        response = self.url_open(path, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn(f"authorised shop {other.shop_id}", response.text)
        self.assertEqual(self._tokens(shop), before)
        self.assertEqual(shop.shop_external_id, mine.shop_id)
        # Lazada tells only in the tokens: a code of another seller of the same app
        shop = self.shops["lazada"]
        mine = self.sim_shops["lazada"]
        other = self.sim.add_shop("lazada", app_key=mine.app_key, app_secret=mine.app_secret)
        before = self._tokens(shop)
        path = self._callback(self._authorize(shop))
        response = self.url_open(self._replace(path, code=self.sim.issue_code(other)), allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn(f"authorised shop {other.shop_id}", response.text)
        self.assertEqual(self._tokens(shop), before)
