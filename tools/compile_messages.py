"""Compile the .po catalogues to .mo with polib, so no system gettext is needed."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "unionworks" / "locale"

for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
