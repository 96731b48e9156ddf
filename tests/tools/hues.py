"""hues — the colour family of a fill by its hue alone, with no knowledge of
the renderers' tints, for the test tools that read colours (svg_map_check.py
reads the maps' fills, xlsx_check.py the workbooks'): a quadrant's colour is
checked the way a reader sees it, not by comparing hex codes with the code
under test.

    hue_family("#e53935")   -> "rojo"
    hue_family("FFFB8C00")  -> "naranja"   (ARGB, as in .xlsx styles)

Families (hue in degrees, HLS): rojo 340-15, naranja 15-45, amarillo 45-70,
verde 80-170; gris for a colour without saturation (below 0.15: a light tint
of a colour keeps its saturation in HLS); otro for any other hue or a value
that is not a colour.
"""
import colorsys
import re


def hue_family(colour):
    match = re.fullmatch(r"#?(?:[0-9a-fA-F]{2})?([0-9a-fA-F]{6})", colour or "")
    if not match:
        return "otro"
    r, g, b = (int(match.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    degrees = h * 360
    if s < 0.15:
        return "gris"
    if degrees >= 340 or degrees < 15:
        return "rojo"
    if degrees < 45:
        return "naranja"
    if degrees < 70:
        return "amarillo"
    if 80 <= degrees < 170:
        return "verde"
    return "otro"
