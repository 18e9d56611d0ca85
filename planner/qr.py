"""QR codes of our own addresses, as inline SVG (segno)."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, scale: int = 4, title: str | None = None) -> SafeString:
    """The SVG of a QR code for ``url``, safe to inline: segno writes it from our own address
    (medium error correction, readable from a printed sheet) and escapes the title."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, title=title))
