"""Every Vietnamese translation an addon ships is loaded by Odoo.

Odoo reads an addon's ``i18n/vi.po`` merged with its ``.pot``: an entry missing from the
template is dropped as obsolete without a word (seen: the demo's categories and delivery
methods stayed in English on the Vietnamese shop), and a code reference without its line
number stops the install (Odoo reads ``code:path:N`` and fails on ``code:path``).
"""

from pathlib import Path

import polib
import pytest

ADDONS = Path(__file__).resolve().parent.parent / "addons"
ADDON_NAMES = sorted(path.parent.parent.name for path in ADDONS.glob("*/i18n/vi.po"))


@pytest.mark.parametrize("addon", ADDON_NAMES)
def test_every_vietnamese_entry_is_in_the_template(addon):
    po = polib.pofile(str(ADDONS / addon / "i18n" / "vi.po"))
    po.merge(polib.pofile(str(ADDONS / addon / "i18n" / f"{addon}.pot")))
    dropped = [entry.msgid for entry in po if entry.obsolete]
    assert not dropped, f"{addon}: in vi.po but not in {addon}.pot, so never loaded: {dropped}"


@pytest.mark.parametrize("addon", ADDON_NAMES)
@pytest.mark.parametrize("name", ["vi.po", "{addon}.pot"])
def test_code_references_carry_a_line_number(addon, name):
    catalog = polib.pofile(str(ADDONS / addon / "i18n" / name.format(addon=addon)))
    bare = [
        (entry.msgid, place)
        for entry in catalog
        for place, line in entry.occurrences
        if place.startswith("code:") and not line.isdigit()
    ]
    assert not bare, f"{addon}/{name}: code references without a line number: {bare}"


def test_every_addon_ships_vietnamese():
    assert ADDON_NAMES == ["o2o_base", "o2o_loyalty", "o2o_marketplace", "o2o_pickup"]
