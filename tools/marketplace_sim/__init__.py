"""A local Shopee v2 / Lazada / TikTok Shop API for tests, benchmarks and demos (see core.py)."""

from .core import Faults, MarketplaceHandler, SimListing, SimOrder, SimShop, Simulator


def make_simulator(**kwargs):
    """A :class:`Simulator` serving the three marketplaces (not started)."""
    from . import lazada, shopee, tiktok

    sim = Simulator(**kwargs)
    for module in (shopee, lazada, tiktok):
        sim.register(module.Handler)
    return sim
