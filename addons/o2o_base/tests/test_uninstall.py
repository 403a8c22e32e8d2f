import importlib
import re

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "o2o")
class TestUninstall(TransactionCase):
    """Uninstalling an o2o addon leaves nothing behind: Odoo drops its models' tables and its
    fields' columns (and the indexes on them); what an addon creates itself in ``init`` is listed
    in its ``RAW_TABLES`` and dropped by its uninstall hook. Checked for every o2o addon
    installed, on the database as the install left it."""

    def _o2o_modules(self):
        modules = self.env["ir.module.module"].search(
            [("name", "=like", "o2o_%"), ("state", "=", "installed")]
        )
        return {module.name: importlib.import_module(f"odoo.addons.{module.name}") for module in modules}

    def _model_tables(self):
        tables = set()
        for model in self.env.registry.values():
            if not model._abstract and model._auto:
                tables.add(model._table)
            for field in model._fields.values():
                if field.type == "many2many" and field.store and getattr(field, "relation", None):
                    tables.add(field.relation)
        return tables

    def _tables(self, like):
        self.env.cr.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE %s", [like]
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def test_every_raw_table_is_dropped_by_its_addon(self):
        modules = self._o2o_modules()
        self.assertIn("o2o_base", modules)
        raw = {name: set(getattr(module, "RAW_TABLES", ())) for name, module in modules.items()}
        unowned = self._tables("o2o\\_%") - self._model_tables() - set().union(*raw.values())
        self.assertFalse(unowned, "tables no model and no uninstall hook owns")
        for name, tables in raw.items():
            if not tables:
                continue
            with self.subTest(addon=name), self.env.cr.savepoint(flush=False) as savepoint:
                self.assertLessEqual(tables, self._tables("o2o\\_%"))
                modules[name].uninstall_hook(self.env)
                self.assertFalse(tables & self._tables("o2o\\_%"), f"{name}'s uninstall hook drops them")
                savepoint.rollback()

    def test_indexes_on_odoo_tables_go_with_the_addon(self):
        """An o2o index on a table of Odoo's is on a column of an o2o field (dropped with it) or
        dropped by the addon's uninstall hook."""
        ours = self._model_tables() & self._tables("o2o\\_%")
        self.env.cr.execute(
            "SELECT indexname, tablename, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public' AND indexname LIKE 'o2o\\_%%'"
        )
        modules = self._o2o_modules()
        for index, table, definition in self.env.cr.fetchall():
            columns = re.sub(r"'[^']*'", "", definition.split(" ON ", 1)[1])  # no string literals
            if table in ours or "o2o_" in columns:
                continue  # on our table, or on one of our columns
            with self.subTest(index=index), self.env.cr.savepoint(flush=False) as savepoint:
                for module in modules.values():
                    if hasattr(module, "uninstall_hook"):
                        module.uninstall_hook(self.env)
                self.env.cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index])
                self.assertFalse(self.env.cr.fetchall(), f"{index} on {table} outlives the addons")
                savepoint.rollback()
