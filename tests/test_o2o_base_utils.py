"""o2o_base's plain helpers, without Odoo."""

import pytest
from conftest import load_pure

utils = load_pure("o2o_base", "utils")


@pytest.mark.parametrize(
    ("country", "number", "compact"),
    [
        ("vn", "0100233488", "0100233488"),
        ("VN", "0312687878-001", "0312687878001"),
        ("th", "3101700145405", "3101700145405"),
        ("fr", "whatever", "whatever"),
    ],
)
def test_valid_tax_ids(country, number, compact):
    assert utils.validate_tax_id(country, number) == compact


@pytest.mark.parametrize(
    ("country", "number"), [("vn", "0100233487"), ("vn", "123"), ("th", "3101700145406")]
)
def test_invalid_tax_ids(country, number):
    with pytest.raises(ValueError):
        utils.validate_tax_id(country, number)


def test_qr_formats_and_limits():
    assert utils.qr_image("PICKUP-1").startswith(b"\x89PNG")
    assert b"<svg" in utils.qr_image("PICKUP-1", fmt="svg")
    assert utils.qr_data_uri("PICKUP-1", fmt="svg").startswith("data:image/svg+xml;base64,")
    for bad in ("", "x" * (utils.QR_MAX_LENGTH + 1)):
        with pytest.raises(ValueError):
            utils.qr_image(bad)
    with pytest.raises(ValueError):
        utils.qr_image("x", fmt="gif")
