"""The connector's own runner of queued and failed items is gone: queue_job runs them."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("o2o_marketplace.ir_cron_o2o_marketplace_jobs", raise_if_not_found=False)
    if cron:
        cron.unlink()
