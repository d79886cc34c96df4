"""PDFs with Chinese text: the CJK font they embed.

The font comes from the system (Debian's fonts-noto-cjk, which `make` installs,
or fonts-wqy-zenhei), or from CJK_FONT_PATH. fpdf2 embeds the subset a
document uses, so it prints the same everywhere.
"""

import os
from pathlib import Path

from django.conf import settings

# (path, index of the Simplified Chinese face in a collection)
CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
]


class FontMissing(Exception):
    """No CJK font on this server: say so instead of printing empty boxes."""


def cjk_font() -> tuple[str, int]:
    configured = getattr(settings, "CJK_FONT_PATH", "") or os.environ.get("CJK_FONT_PATH", "")
    if configured:
        return configured, 0
    for path, index in CANDIDATES:
        if Path(path).exists():
            return path, index
    raise FontMissing("No CJK font found; install fonts-noto-cjk or set CJK_FONT_PATH.")
