from . import controllers, models, wizards


def uninstall_hook(env):
    """queue_job keeps its table: take our index off it."""
    from .models.o2o_marketplace_shop_queue import drop_identity_index

    drop_identity_index(env.cr)
