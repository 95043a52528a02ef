"""SVG images for WeasyPrint: label halos drawn under the text, as browsers draw them.

The map (handbook.views) keeps its labels readable over lines with a halo: a wide light stroke
that ``paint-order: stroke`` paints *under* the letters. WeasyPrint does not know
``paint-order`` and paints the stroke over the letters, which hides them. PDF cannot paint a
text's stroke first either, so each such text element is drawn twice: a copy with the stroke
and no fill, then the text itself with the fill and no stroke. The picture is the one the site
shows; nothing else in the SVG changes.

Only simple selectors in the SVG's ``<style>`` (``text``, ``.halo``, ``text.halo``, comma
lists) and ``style`` attributes are looked at; that is what the handbook's map uses.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
PAINT_ORDER_STROKE = re.compile(r"paint-order\s*:\s*stroke\b")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def halo_selectors(stylesheet: str) -> list[tuple[str | None, str | None]]:
    """(tag, class) pairs of the rules that set ``paint-order: stroke``."""
    selectors = []
    for selector_list, declarations in RULE.findall(stylesheet):
        if not PAINT_ORDER_STROKE.search(declarations):
            continue
        for selector in selector_list.split(","):
            match = re.fullmatch(r"\s*([a-zA-Z][\w-]*)?(?:\.([\w-]+))?\s*", selector)
            if match and (match.group(1) or match.group(2)):
                selectors.append((match.group(1), match.group(2)))
    return selectors


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def has_halo(element: ET.Element, selectors: list[tuple[str | None, str | None]]) -> bool:
    if PAINT_ORDER_STROKE.search(element.get("style", "")):
        return True
    classes = element.get("class", "").split()
    return any((tag is None or tag == local_name(element.tag)) and (cls is None or cls in classes)
               for tag, cls in selectors)


def with_style(element: ET.Element, declaration: str) -> None:
    style = element.get("style", "").strip().rstrip(";")
    element.set("style", f"{style};{declaration}" if style else declaration)


def halos_under_text(svg: bytes) -> bytes:
    """*svg* with every text that has a ``paint-order: stroke`` halo drawn as halo, then text."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(svg)
    stylesheet = "".join("".join(style.itertext()) for style in root.iter(f"{{{SVG_NS}}}style"))
    selectors = halo_selectors(stylesheet)
    changed = False
    for parent in list(root.iter()):
        for index in reversed(range(len(parent))):
            text = parent[index]
            if local_name(text.tag) != "text" or not has_halo(text, selectors):
                continue
            halo = copy.deepcopy(text)
            halo.attrib.pop("id", None)
            with_style(halo, "fill:none")
            with_style(text, "stroke:none")
            parent.insert(index, halo)
            changed = True
    if not changed:
        return svg
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
