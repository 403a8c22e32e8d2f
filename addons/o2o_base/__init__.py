from odoo.tools import SQL

from . import controllers, models, wizards

#: What the addon creates outside its models (``init``): dropped when it is uninstalled.
RAW_TABLES = ("o2o_customer_claim",)


def uninstall_hook(env):
    """Odoo drops the models' tables and columns; these are ours to drop."""
    for table in RAW_TABLES:
        env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(table)))
