"""Uninstall the o2o addons from a database as a retailer would (Apps > Uninstall), one at a time,
dependents first, and check that each leaves nothing of its own behind: no table, column, index,
constraint, sequence or view of PostgreSQL, no record of Odoo's (model, field, menu, data).

    python3 tools/o2o_uninstall.py -c odoo.conf --addons-path=... -d DB [--db_host ...]

`./o2o test` runs it on a database the tests installed. Prints one line per addon, ``PASS <addon>``
or ``FAIL <addon>: <what is left>``, and exits 1 when one failed.
"""

import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

# Names of what an o2o addon creates in PostgreSQL (Odoo names a field's column after the field,
# an index or constraint after its table and column; ours all start with o2o_).
LEFTOVER_QUERIES = {
    "table": "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'o2o\\_%'",
    "column": "SELECT table_name || '.' || column_name FROM information_schema.columns "
    "WHERE table_schema = 'public' AND column_name LIKE 'o2o\\_%'",
    "index": "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'o2o\\_%'",
    "constraint": "SELECT conname FROM pg_constraint WHERE conname LIKE 'o2o\\_%'",
    "sequence": "SELECT sequence_name FROM information_schema.sequences WHERE sequence_name LIKE 'o2o\\_%'",
    "view": "SELECT table_name FROM information_schema.views "
    "WHERE table_schema = 'public' AND table_name LIKE 'o2o\\_%'",
}


def database_objects(cr):
    found = set()
    for kind, query in LEFTOVER_QUERIES.items():
        cr.execute(query)
        found |= {(kind, row[0]) for row in cr.fetchall()}
    return found


# What an addon is made of in Odoo. Business records of its demo or data that Odoo cannot delete
# (a store with stock moves, a product sold) stay, as Odoo keeps them for every addon.
STRUCTURE_MODELS = (
    "ir.model",
    "ir.model.fields",
    "ir.model.fields.selection",
    "ir.model.constraint",
    "ir.model.relation",
    "ir.model.access",
    "ir.rule",
    "ir.ui.view",
    "ir.ui.menu",
    "ir.actions.act_window",
    "ir.actions.server",
    "ir.actions.report",
    "ir.actions.client",
    "ir.cron",
    "ir.asset",
    "res.groups",
    "queue.job.channel",
    "queue.job.function",
)


def odoo_records(env, module):
    """Odoo's records of ``module``'s structure still there: models, fields, views, menus, actions,
    rights, crons, job channels."""
    env.cr.execute(
        "SELECT model, name FROM ir_model_data WHERE module = %s AND model IN %s", [module, STRUCTURE_MODELS]
    )
    left = [f"{model} {module}.{name}" for model, name in env.cr.fetchall()]
    prefix = module.replace("o2o_", "o2o.", 1)
    env.cr.execute("SELECT model FROM ir_model WHERE model = %s OR model LIKE %s", [prefix, prefix + ".%"])
    left += [f"model {row[0]}" for row in env.cr.fetchall() if row[0] not in env]
    return left


def installed_o2o(env):
    """Installed o2o addons, each after every o2o addon that depends on it."""
    modules = env["ir.module.module"].search([("name", "=like", "o2o\\_%"), ("state", "=", "installed")])
    order = []

    def visit(module):
        if module in order:
            return
        for dependent in modules.filtered(
            lambda m, name=module.name: name in m.dependencies_id.mapped("name")
        ):
            visit(dependent)
        order.append(module)

    for module in modules.sorted("name"):
        visit(module)
    return order


def main(argv):
    config.parse_config(argv)
    odoo.netsvc.init_logger()
    dbname = config["db_name"]
    if not dbname:
        print("FAIL: no database (-d)", flush=True)
        return 1
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        steps = [(module.id, module.name) for module in installed_o2o(env)]
    if not steps:
        print("FAIL: no o2o addon is installed", flush=True)
        return 1
    failed = 0
    for module_id, name in steps:
        with Registry(dbname).cursor() as cr:
            before = database_objects(cr)
        try:
            with Registry(dbname).cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["ir.module.module"].browse(module_id).button_immediate_uninstall()
        except Exception as error:  # noqa: BLE001 - reported as this addon's failure, then stop
            print(f"FAIL {name}: uninstall raised {type(error).__name__}: {error}", flush=True)
            return 1
        with Registry(dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            state = env["ir.module.module"].browse(module_id).state
            after = database_objects(cr)
            owners = owners_left(env)
            left = sorted(
                f"{kind} {what}" for kind, what in (after & before) if not owned(owners, kind, what)
            )
            left += odoo_records(env, name)
        if state != "uninstalled" or left:
            failed += 1
            print(f"FAIL {name}: state {state}; left behind: {', '.join(left) or 'nothing'}", flush=True)
        else:
            print(f"PASS {name}", flush=True)
    return 1 if failed else 0


def owners_left(env):
    """(tables, columns, names) of what the o2o addons still installed own."""
    installed = env["ir.module.module"].search([("name", "=like", "o2o\\_%"), ("state", "=", "installed")])
    tables, columns, names = set(), set(), set(installed.mapped("name"))
    for module in installed:
        tables |= set(getattr(sys.modules.get(f"odoo.addons.{module.name}"), "RAW_TABLES", ()))
    for model in env.registry.values():
        if model._abstract:
            continue
        tables.add(model._table)  # a table, or the SQL view of a report (_auto = False)
        if not model._auto:
            continue
        for field in model._fields.values():
            if field.store and field.column_type:
                columns.add(f"{model._table}.{field.name}")
                names.add(field.name)
            if field.type == "many2many" and field.store:
                tables.add(field.relation)
    return tables, columns, names


def owned(owners, kind, name):
    """True when the o2o addons still installed own database object ``name``: a table or column of
    their models' (or of their RAW_TABLES), or an index, constraint, sequence or view named after
    one of their tables, fields or themselves."""
    tables, columns, names = owners
    if kind == "table":
        return name in tables
    if kind == "column":
        return name in columns
    return any(owner in name for owner in tables | names if owner.startswith("o2o_"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
