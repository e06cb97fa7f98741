// The text boxes of every visible figure on a page, and which of them overlap or run past
// the figure's edge (tests/test_book.py, tests/test_live.py). A box is the screen rectangle of
// one piece of text Plotly drew: a legend entry, an annotation, an axis or tick label, a slider
// label. Transparent text (the hidden Plotly title, see widgets/display.py) does not count.
(root) => {
  const KINDS = [
    ["legend", ".legend .legendtext"],
    ["annotation", ".annotation-text-g text, .annotation text"],
    ["axis title", "g[class^='g-'][class$='title'] text"],
    ["tick", "g.xtick > text, g.ytick > text, g[class$='tick'] > text"],
    ["data label", "g.textpoint text"],
    ["slider", ".slider-container text"],
    ["title", ".g-gtitle text, .g-gtitle-subtitle text"],
  ];
  const SLACK = 1.5; // px: anti-aliasing, rounding
  const visible = (el) => {
    if (!el.textContent.trim()) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || +s.opacity === 0) return false;
      if (e.tagName === "FIGURE") break;
    }
    const fill = getComputedStyle(el).fill || "";
    if (/rgba\([^)]*,\s*0\)$/.test(fill) || el.getAttribute("fill-opacity") === "0") return false;
    const op = el.style.fillOpacity || getComputedStyle(el).fillOpacity;
    if (op !== "" && +op === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  // every pair of boxes whose text overlaps
  const overlapping = (list) => {
    const found = [];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i], b = list[j];
        const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
        const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        if (w > SLACK && h > SLACK) found.push(`${a.kind} "${a.text}" / ${b.kind} "${b.text}"`);
      }
    }
    return found;
  };
  // figures a reader can see (not those inside a closed solution or dropdown)
  const figures = [...(root || document).querySelectorAll(".js-plotly-plot")].filter(
    (d) => d.getBoundingClientRect().width > 0
      && (!d.checkVisibility || d.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
      && [...d.querySelectorAll(".main-svg")].some((s) => s.getBoundingClientRect().height > 0)
  );
  return figures.map((plot, index) => {
    const frame = plot.getBoundingClientRect();
    const boxes = [];
    const seen = new Set();
    for (const [kind, sel] of KINDS) {
      for (const el of plot.querySelectorAll(sel)) {
        if (seen.has(el) || !visible(el)) continue;
        seen.add(el);
        const r = el.getBoundingClientRect();
        boxes.push({ kind, text: el.textContent.trim().slice(0, 40),
          x0: r.left, y0: r.top, x1: r.right, y1: r.bottom });
      }
    }
    // the HTML slider's step labels under the plot (widgets/display.py): the extent of
    // their text, which must fit the figure as well
    const fig0 = plot.closest("figure");
    const labelFrame = fig0 ? fig0.getBoundingClientRect() : frame;
    const stepBoxes = [];
    for (const el of fig0 ? fig0.querySelectorAll(".widgets-step-labels span") : []) {
      const range = document.createRange();
      range.selectNodeContents(el);
      const r = range.getBoundingClientRect();
      if (r.width > 0) stepBoxes.push({ kind: "step label", text: el.textContent.trim(),
        x0: r.left, y0: r.top, x1: r.right, y1: r.bottom });
    }
    const overlaps = overlapping(stepBoxes).concat(overlapping(boxes));
    const cut = boxes
      .filter((b) => b.x0 < frame.left - SLACK || b.x1 > frame.right + SLACK
        || b.y0 < frame.top - SLACK || b.y1 > frame.bottom + SLACK)
      .map((b) => `${b.kind} "${b.text}"`)
      .concat(stepBoxes.filter((b) => b.x0 < labelFrame.left - SLACK
        || b.x1 > labelFrame.right + SLACK).map((b) => `step label "${b.text}"`));
    const fig = plot.closest("figure");
    const title = fig && fig.querySelector(".widgets-fig-title");
    return { index, title: title ? title.textContent.slice(0, 60) : (plot.id || ""),
      width: Math.round(frame.width), boxes: boxes.length + stepBoxes.length, overlaps, cut };
  });
}
