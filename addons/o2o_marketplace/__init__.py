from odoo.tools import SQL

from . import controllers, models, wizards

#: What the addon creates outside its models (``init``): dropped when it is uninstalled.
RAW_TABLES = ("o2o_marketplace_stock_event",)


def uninstall_hook(env):
    """Odoo drops the models' tables and columns; these are ours to drop. queue_job keeps its
    table: take our index off it."""
    from .models.o2o_marketplace_shop_queue import drop_identity_index

    drop_identity_index(env.cr)
    for table in RAW_TABLES:
        env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
