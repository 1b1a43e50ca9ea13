"""What the browser tests measure on a page: its width, cells whose words clash, the lines
a text takes (shared by the layout tests of tests/browser/)."""

# Every cell whose words leave its box, or run into another cell's words on the same row:
# the box of a cell's contents (a Range) against the cell's own box and its neighbours'.
CLASHING_CELLS = """tables => {
  const found = [];
  const box = cell => { const range = document.createRange(); range.selectNodeContents(cell);
                        return range.getBoundingClientRect(); };
  const text = cell => cell.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
  for (const table of tables) for (const row of table.rows) {
    const cells = [...row.cells].map(cell => [cell, box(cell), cell.getBoundingClientRect()]);
    for (const [cell, content, own] of cells) {
      if (content.width && (content.left < own.left - 1 || content.right > own.right + 1))
        found.push(`${text(cell)}: ${Math.round(content.width)} px in ${Math.round(own.width)}`);
    }
    for (let i = 0; i < cells.length; i++) for (let j = i + 1; j < cells.length; j++) {
      const [a, b] = [cells[i][1], cells[j][1]];
      if (a.width && b.width && a.left < b.right - 1 && b.left < a.right - 1
          && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        found.push(`${text(cells[i][0])} on ${text(cells[j][0])}`);
    }
  }
  return found;
}"""


# How many lines the words ``part`` of an element's text take on the screen (its first
# occurrence, spaces of any kind alike): the distinct tops of a Range's boxes over them.
LINES_OF = """(element, part) => {
  const nodes = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]);
                              text += walker.currentNode.data; }
  const start = text.replace(/\\s/g, " ").indexOf(part);
  if (start < 0) return 0;
  const at = offset => { for (const [node, from] of nodes.slice().reverse())
                           if (from <= offset) return [node, offset - from]; };
  const range = document.createRange();
  range.setStart(...at(start));
  range.setEnd(...at(start + part.length - 1));
  range.setEnd(range.endContainer, range.endOffset + 1);
  return new Set([...range.getClientRects()].filter(r => r.width)
                 .map(r => Math.round(r.top))).size;
}"""


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def clashing_cells(page, tables="table"):
    return page.locator(tables).evaluate_all(CLASHING_CELLS)


# Every element, other than a table's scrolling box, that is wider inside than it shows:
# what scrolls sideways, or is cut off, where the page was to reflow. A text field's
# own scrolling and what screen readers alone hear (clipped to a pixel) are left out.
CUT_OR_SCROLLING = """() => {
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.matches("input, textarea, select, svg *, .visually-hidden, .visually-hidden *,"
                        + " .visually-hidden-focusable:not(:focus-within)"))
      continue;
    if (element.closest(".table-scroll, .table-responsive")
        && !element.matches(".table-scroll, .table-responsive")) continue;
    const style = getComputedStyle(element);
    if (style.overflowX === "visible" || !element.clientWidth) continue;
    if (element.scrollWidth <= element.clientWidth + 1) continue;
    if (element.matches(".table-scroll, .table-responsive") && element.querySelector("table"))
      continue;
    found.push(`${element.tagName.toLowerCase()}.${[...element.classList].join(".")}: `
               + `${element.scrollWidth} px in ${element.clientWidth}`);
  }
  return found;
}"""


# The innermost elements that reach past the window's right edge (outside a table's box):
# where a page that scrolls sideways does so.
PAST_THE_WINDOW = """() => {
  const past = e => e.getBoundingClientRect().right > window.innerWidth + 1;
  return [...document.body.querySelectorAll("*")]
    .filter(e => past(e) && !e.closest(".table-scroll, .table-responsive")
                 && ![...e.children].some(past))
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} `
              + `"${e.textContent.trim().slice(0, 30)}"`);
}"""


def reflow_problems(page):
    """What keeps the page from reflowing to its window (WCAG 1.4.10): the page wider than
    the window, or an element other than a table's box that scrolls sideways or cuts its
    contents off. Empty when the page reflows."""
    width = page.evaluate("window.innerWidth")
    problems = page.evaluate(CUT_OR_SCROLLING)
    if page_width(page) > width:
        problems.insert(
            0,
            f"page: {page_width(page)} px in {width}: " + ", ".join(page.evaluate(PAST_THE_WINDOW)),
        )
    return problems


# Every element among ``elements`` that a reader cannot see whole without scrolling
# sideways: reaching past the window's edges, or cut off by a box around it that scrolls
# or hides what overflows it (a table's scrolling box).
OUT_OF_SIGHT = """elements => {
  const found = [];
  for (const element of elements) {
    const box = element.getBoundingClientRect();
    if (!box.width) continue;
    let out = box.left < -1 || box.right > window.innerWidth + 1;
    for (let outer = element.parentElement; outer && !out; outer = outer.parentElement) {
      if (getComputedStyle(outer).overflowX === "visible") continue;
      const frame = outer.getBoundingClientRect();
      out = box.left < frame.left - 1 || box.right > frame.right + 1;
    }
    if (out) found.push(`${element.tagName.toLowerCase()} "${element.textContent.trim()
      .replace(/\\s+/g, " ").slice(0, 30)}": ${Math.round(box.left)}–${Math.round(box.right)}`);
  }
  return found;
}"""


def out_of_sight(page, elements):
    """The elements of the selector ``elements`` that do not show whole in the window,
    as a list of descriptions; empty when each can be read without scrolling sideways."""
    return page.locator(elements).evaluate_all(OUT_OF_SIGHT)


def target_sizes(page, elements):
    """The width and height of each element of the selector ``elements`` that shows."""
    return page.locator(elements).evaluate_all(
        "links => links.filter(e => e.getClientRects().length).map(e => {"
        " const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
