"""What WeasyPrint leaves undone of the PDF's tagging (PDF/UA-1), done through its
``finisher`` hook once the pages are drawn: the page margins as artifacts, each link's
description and its place in a Link element, and the charts' alternative texts."""

import pydyf


def _number(reference) -> int:
    return int(bytes(reference).split()[0])


def _margins_as_artifacts(document, pdf) -> None:
    """Marks the text of the page margins (the running heading, "Sida 2 av 30", the demo
    mark) as pagination artifacts.

    WeasyPrint marks it as content but leaves it out of the structure tree: neither
    content nor artifact, which PDF/UA forbids and which each reader handles its own way."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    objects = pdf.objects
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    top = objects[_number(root["K"][0])]  # the Document element
    reached = {_number(kid): True for kid in top["K"]}
    reached[top.number] = False

    def in_tree(number: int) -> bool:
        path = []
        while number not in reached:
            path.append(number)
            number = _number(objects[number]["P"])
        found = reached[number]
        for seen in path:
            reached[seen] = found
        return found

    nums = objects[_number(root["ParentTree"])]["Nums"]
    for index, page in enumerate(pdf.page_references):
        mapping = nums[2 * index + 1]
        outside = {mcid for mcid, ref in enumerate(mapping) if not in_tree(_number(ref))}
        if not outside:
            continue
        items = objects[_number(objects[_number(page)]["Contents"])].stream
        for position, item in enumerate(items):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in outside:
                items[position - 1] = "/Artifact"
                items[position] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in outside:
            mapping[mcid] = "null"


# The isolating characters render_html puts around user text for the print.
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def _links_described(document, pdf, root) -> None:
    """Gives each link the words a screen reader says of it (PDF/UA: the annotation's
    Contents): a reference's "Bilaga 2, bidrag 9", a citation's title, or else its text
    ("2.1 Minimera klimatpåverkan ..." in the contents). WeasyPrint gives the target's
    name ("contribution-12"), also to the parts of a link (a title in <bdi>): they are
    described as their link."""
    parents = {}
    for page in document.pages:
        for _kind, _target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            element = box.element
            if element.tag != "a":
                if not parents:
                    parents = {child: parent for parent in root.iter() for child in parent}
                while element is not None and element.tag != "a":
                    element = parents.get(element)
                if element is None:
                    continue
            words = (
                element.get("data-reference")
                or element.get("title")
                or " ".join("".join(element.itertext()).translate(ISOLATES).split())
            )
            if words:
                annotation["Contents"] = pydyf.String(words)


def _annotations_in_links(pdf) -> None:
    """Moves each link annotation that WeasyPrint puts in another element (the part of a
    link in <bdi>: a title in the contents) to its Link: PDF/UA wants each in a Link."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    objects = pdf.objects
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    nums = objects[_number(root["ParentTree"])]["Nums"]
    positions = {nums[i]: i + 1 for i in range(0, len(nums), 2)}
    for element in tuple(objects):
        if not isinstance(element, pydyf.Dictionary) or element.get("Type") != "/StructElem":
            continue
        if element["S"] == "/Link":
            continue
        for kid in tuple(element["K"]):
            if isinstance(kid, int) or objects[_number(kid)].get("Type") != "/OBJR":
                continue
            link = objects[_number(element["P"])]
            while link.get("S") not in ("/Link", "/Document", None):
                link = objects[_number(link["P"])]
            if link.get("S") != "/Link":
                continue
            element["K"].remove(kid)
            link["K"].append(kid)
            annotation = objects[_number(objects[_number(kid)]["Obj"])]
            nums[positions[annotation["StructParent"]]] = link.reference


SVG = "{http://www.w3.org/2000/svg}"


def _charts_described(pdf, root) -> None:
    """Gives each chart's figure the chart's title and description as its alternative
    text, as screen readers hear the SVG on the web and as the Word file has it.
    WeasyPrint takes the title only."""
    described = {}
    for svg in root.iter(f"{SVG}svg"):
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        if title is not None and title.text and desc is not None and desc.text:
            # WeasyPrint's /Alt is the title's text as it is.
            described.setdefault(title.text, f"{title.text}. {desc.text}")
    if not described:
        return
    for element in pdf.objects:
        if isinstance(element, pydyf.Dictionary) and element.get("S") == "/Figure":
            alt = element.get("Alt")
            if isinstance(alt, pydyf.String) and alt.string in described:
                element["Alt"] = pydyf.String(described[alt.string])


def finish(document, pdf, root) -> None:
    """What WeasyPrint leaves for PDF/UA, done once the pages are drawn (``root``: the
    HTML's root element)."""
    _margins_as_artifacts(document, pdf)
    _links_described(document, pdf, root)
    _annotations_in_links(pdf)
    _charts_described(pdf, root)
