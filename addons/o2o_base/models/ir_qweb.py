from odoo import models

from ..utils import qr_data_uri


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _prepare_environment(self, values):
        # Templates (reports, e-mails, portal) render a QR code with
        # <img t-att-src="o2o_qr_data_uri(code)"/>.
        values.setdefault("o2o_qr_data_uri", qr_data_uri)
        return super()._prepare_environment(values)
