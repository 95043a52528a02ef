"""Running heads and page numbers of the PDF as artefacts; links described for screen readers.

WeasyPrint tags the content of the page margins (the running head and the page number) as
marked content with structure elements of their own, which it leaves out of the structure tree:
in PDF 1.7 an artefact cannot be part of the tree. A screen reader or checker then finds
content that is neither real content nor an artefact. This module rewrites that marked content
as ``/Artifact`` (of type ``/Pagination``), drops it from the tree's parent map and saves the
PDF again, with deterministic ids and compressed object streams.

WeasyPrint also gives each link annotation the ``/Contents`` (the description PDF/UA asks for)
of its target: an address, or for a link within the book the anchor's id, such as
``chapters-regions-skane--remit``. Links within the book get the words of their target instead,
such as "2.1 Remit", from the descriptions the builder collects.
"""

from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator


def reachable_elements(root: pikepdf.Object) -> set[tuple[int, int]]:
    """The object ids of every structure element in the tree under *root*."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(node)
        elif isinstance(node, Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)
    return seen


def orphaned_mcids(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """Per page index, the marked-content ids whose structure elements are not in the tree."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:  # an untagged PDF: no marked content to speak of
        return {}
    in_tree = reachable_elements(root.K)
    nums = root.ParentTree.Nums
    orphans: dict[int, set[int]] = {}
    for i in range(0, len(nums), 2):
        key, value = int(nums[i]), nums[i + 1]
        if key < len(pdf.pages) and isinstance(value, Array):
            lost = {mcid for mcid, element in enumerate(value)
                    if isinstance(element, Dictionary) and element.objgen not in in_tree}
            if lost:
                orphans[key] = lost
                for mcid in lost:
                    value[mcid] = pikepdf.Object.parse(b"null")
    return orphans


MARKED_CONTENT = re.compile(rb"/(\w+) <<\s*/MCID (\d+)\s*>> BDC")
ARTIFACT = b"/Artifact << /Type /Pagination >> BDC"


def as_artifacts(page: pikepdf.Page, mcids: set[int]) -> bytes:
    """The page's content stream, with the marked content of *mcids* turned into artefacts."""
    content = page.Contents.read_bytes()
    found = set()

    def replace(match: re.Match) -> bytes:
        mcid = int(match.group(2))
        if mcid not in mcids:
            return match.group(0)
        found.add(mcid)
        return ARTIFACT

    rewritten = MARKED_CONTENT.sub(replace, content)
    if found == mcids:
        return rewritten
    # Written otherwise than WeasyPrint writes it: the slower, general way.
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if (operator == Operator("BDC") and len(operands) == 2
                and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]
                and int(operands[1].MCID) in mcids):
            operands = [Name.Artifact, Dictionary(Type=Name.Pagination)]
        instructions.append((operands, operator))
    return pikepdf.unparse_content_stream(instructions)


def describe_links(pdf: pikepdf.Pdf, descriptions: dict[str, str]) -> None:
    """Set the ``/Contents`` of every link to a named destination to the words of its target."""
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            destination = annotation.get("/Dest")
            if isinstance(destination, pikepdf.String) and str(destination) in descriptions:
                annotation.Contents = pikepdf.String(descriptions[str(destination)])


def finish_pdf(data: bytes, descriptions: dict[str, str]) -> bytes:
    """The PDF *data* with its page margins as artefacts and its links described."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for index, mcids in orphaned_mcids(pdf).items():
            page = pdf.pages[index]
            page.Contents = pdf.make_stream(as_artifacts(page, mcids))
        describe_links(pdf, descriptions)
        out = io.BytesIO()
        pikepdf.settings.set_flate_compression_level(9)
        try:
            pdf.save(out, compress_streams=True, recompress_flate=True, deterministic_id=True,
                     object_stream_mode=pikepdf.ObjectStreamMode.generate)
        finally:
            pikepdf.settings.set_flate_compression_level(-1)  # qpdf's default again
        return out.getvalue()
