"""Run the same work in several real transactions at once, as concurrent requests would."""

import threading

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tools import mute_logger


def run_concurrently(dbname, work, names=("a", "b"), context=None, timeout=120):
    """Call ``work(env)`` once per name, each in its own committed transaction.

    Every transaction takes its snapshot before any of them runs ``work``, and each is
    retried on serialization failures exactly as Odoo retries a request. Needs the registry
    in test mode (an HttpCase), so that other threads may use it.

    :return: {name: (result, attempts)}, or {name: (message, attempts)} for a UserError
    """
    barrier = threading.Barrier(len(names))
    results, errors = {}, []

    def transaction(name):
        attempts = []
        try:
            with sql_db.db_connect(dbname).cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, dict(context or {}))

                def attempt():
                    if not attempts:
                        cr.execute("SELECT 1")  # the snapshot of the first attempt
                        barrier.wait(timeout=30)
                    attempts.append(1)
                    return work(env)

                results[name] = (retrying(attempt, env), len(attempts))
        except UserError as error:
            results[name] = (str(error), len(attempts))
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)

    threads = [threading.Thread(target=transaction, args=(name,)) for name in names]
    # The losing transaction's serialization failure is logged by odoo.sql_db, as in production.
    with mute_logger("odoo.sql_db"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=timeout)
    if errors:
        raise errors[0]
    return results
