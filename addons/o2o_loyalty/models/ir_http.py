from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The shop's and portal's widgets of o2o_loyalty speak the visitor's language."""
        return super()._get_translation_frontend_modules_name() + ["o2o_loyalty"]
