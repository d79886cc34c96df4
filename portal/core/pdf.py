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


def verify_url(number: str) -> str:
    """The public page that confirms a certificate, printed and QR-coded on it."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{settings.SITE_URL}{reverse('verify')}?{urlencode({'number': number})}"


def certificate(
    *,
    title: str,
    number: str,
    rows: list[tuple[str, str]],
    text: str,
    issuer: str,
    number_label: str = "编号",
    verify_url: str = "",
) -> bytes:
    """A one-page certificate: its title, its number, a table of what it
    certifies, a paragraph, the issuer's line over a seal area, and (given
    `verify_url`) a QR code to the public page that confirms it."""
    import io

    import segno
    from fpdf import FPDF

    path, index = cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_title(f"{title} {number}")
    pdf.set_author(issuer)
    pdf.add_page()
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    pdf.set_font("cjk", size=22)
    pdf.cell(0, 16, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 8, f"{number_label}：{number}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    with pdf.table(col_widths=(45, 125), line_height=8, first_row_as_headings=False) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(value)
    pdf.ln(10)
    pdf.set_font("cjk", size=10)
    pdf.multi_cell(0, 6, text)
    pdf.ln(8)
    top = pdf.get_y()
    # The seal area: the office stamps the printed copy inside this circle.
    pdf.set_draw_color(190, 30, 45)
    pdf.ellipse(pdf.w - pdf.r_margin - 42, top, 40, 40)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(pdf.w - pdf.r_margin - 42, top + 16)
    pdf.set_font("cjk", size=8)
    pdf.cell(40, 6, "（盖章）", align="C")
    pdf.set_font("cjk", size=10)
    pdf.set_xy(pdf.l_margin, top + 44)
    pdf.cell(0, 8, issuer, align="R", new_x="LMARGIN", new_y="NEXT")
    if verify_url:
        image = io.BytesIO()
        segno.make(verify_url, error="m").save(image, kind="png", scale=4, border=1)
        image.seek(0)
        pdf.image(image, x=pdf.l_margin, y=top, w=32, h=32)
        pdf.set_xy(pdf.l_margin, top + 33)
        pdf.set_font("cjk", size=7)
        pdf.multi_cell(90, 4, f"扫码或登录 {verify_url.split('?')[0]} 输入编号查验")
    return bytes(pdf.output())
