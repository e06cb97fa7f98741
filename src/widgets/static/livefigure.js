// The live explorer's figure (widgets/livefigure.py): draws the figure that the kernel sends
// as JSON (the `figure_json` trait) with plotly.js, and its title and subtitle as HTML above
// the plot, as the HTML book does (widgets/display.py, figure_html).
//
// plotly.js is not part of the widget's state. The widget uses the page's global Plotly if
// there is one; otherwise it asks the kernel once per page with a custom message
// {type: "plotly.js", page}, the kernel answers {type: "plotly.js", version, source}, and
// the bundle is evaluated once and kept on globalThis for every live figure of the page.

const REQUEST = "plotly.js";
const SHARED = "__immunotherapyBookPlotly";
// ask again if no answer came in this time (a kernel busy running cells answers later;
// the kernel answers a page at most once in 5 s, so the requests queued meanwhile cost nothing)
const ASK_AGAIN_MS = 20000;
// say why the plot is missing if plotly.js has not come after this time
const NOTE_AFTER_MS = 4000;

// The layout for the plot's width: on a narrow screen the book's phone layout, from
// widgets/static/figure.js (which LiveFigure puts before this module), as in the HTML book.
function adapt(layout, data, width) {
  const F = globalThis.widgetsFigure;
  return F ? F.adapt(layout, data, width) : layout;
}

function shared() {
  let s = globalThis[SHARED];
  if (!s) {
    // requests sent and answers received are counted (the live-widget test reads them)
    s = { plotly: null, error: null, asked: 0, evaluating: null, requests: 0, answers: 0 };
    s.page = Math.random().toString(36).slice(2) + Date.now().toString(36);
    s.ready = new Promise((resolve, reject) => {
      s.resolve = resolve;
      s.reject = reject;
    });
    s.ready.catch(() => {}); // a failure is shown by each figure, not reported unhandled
    globalThis[SHARED] = s;
  }
  return s;
}

function pagePlotly() {
  const P = globalThis.Plotly;
  return P && typeof P.react === "function" ? P : null;
}

// plotly's min.js is a UMD bundle: given a CommonJS `module` it exports Plotly there (it also
// sets window.Plotly). It is imported as a module from a blob URL, the way anywidget loads this
// file; where a page forbids that, it is evaluated in a function scope instead.
async function evaluate(source) {
  const wrapped =
    "const module = { exports: {} }; const exports = module.exports;\n" +
    source +
    "\n;export default module.exports;\n";
  const url = URL.createObjectURL(new Blob([wrapped], { type: "text/javascript" }));
  let P = null;
  try {
    P = (await import(/* webpackIgnore: true */ /* @vite-ignore */ url)).default;
  } catch (err) {
    const module = { exports: {} };
    new Function("module", "exports", "define", source)(module, module.exports, undefined);
    P = module.exports;
  } finally {
    URL.revokeObjectURL(url);
  }
  if (!P || typeof P.react !== "function") {
    throw new Error("the plotly.js sent by the kernel did not define Plotly");
  }
  return P;
}

function receive(msg) {
  const s = shared();
  if (!msg || msg.type !== REQUEST || typeof msg.source !== "string") return;
  s.answers += 1;
  if (s.plotly || s.evaluating) return; // a second answer (another figure asked too)
  s.evaluating = evaluate(msg.source).then(
    (P) => {
      s.plotly = P;
      s.resolve(P);
    },
    (err) => {
      s.error = err;
      s.reject(err);
    },
  );
}

// Ask the kernel for plotly.js (unless the page has it, or a request is fresh).
function request(model) {
  const s = shared();
  if (s.plotly || s.error) return;
  const P = pagePlotly();
  if (P) {
    s.plotly = P;
    s.resolve(P);
    return;
  }
  if (s.evaluating || Date.now() - s.asked < ASK_AGAIN_MS) return;
  s.asked = Date.now();
  try {
    model.send({ type: REQUEST, page: s.page });
    s.requests += 1;
  } catch (err) {
    // no kernel (a saved notebook shown without one): the note below says so
  }
}

// as the book does (widgets/static/figure.js, put before this module): line breaks kept
function plain(text) {
  const F = globalThis.widgetsFigure;
  if (F) return F.plain(text);
  return (text || "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
}

function element(tag, className) {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

function initialize({ model }) {
  // registered for the model's lifetime, so that an answer reaches the page even if the
  // figure that asked has been removed from view
  model.on("msg:custom", receive);
  return () => model.off("msg:custom", receive);
}

function render({ model, el }) {
  const s = shared();
  el.classList.add("widgets-livefigure");
  const figure = element("figure", "widgets-figure");
  const title = element("p", "widgets-fig-title");
  const subtitle = element("p", "widgets-fig-sub");
  const plot = element("div", "widgets-livefigure-plot");
  const note = element("p", "widgets-livefigure-note");
  note.setAttribute("role", "status");
  figure.append(title, subtitle, plot, note);
  el.append(figure);

  let P = null;
  let queue = Promise.resolve();
  let width = 0;
  let closed = false;

  // the HTML title and subtitle, from a layout (as the book's loader does after each redraw)
  function head(layout) {
    const t = (layout && layout.title) || {};
    title.textContent = plain(t.text);
    subtitle.textContent = plain((t.subtitle || {}).text);
  }

  function spec() {
    try {
      return JSON.parse(model.get("figure_json") || "{}");
    } catch (err) {
      return {};
    }
  }

  function draw(resize) {
    const fig = spec();
    const layout = fig.layout || {};
    if (!P) {
      head(layout);
      return;
    }
    queue = queue
      .then(() => {
        if (closed) return;
        width = plot.clientWidth || el.clientWidth || 0;
        if (layout.uirevision === undefined) layout.uirevision = "live";
        const drawn = adapt(layout, fig.data || [], width);
        // the div's own height, as in the book's HTML: a responsive plot fills its div
        plot.style.height = (drawn.height || 450) + "px";
        return P.react(plot, fig.data || [], drawn, fig.config || {}).then(() =>
          resize ? P.Plots.resize(plot) : null,
        );
      })
      .then(
        () => {
          if (closed) return;
          head(plot.layout);
          note.textContent = "";
        },
        (err) => {
          note.textContent = "The figure could not be drawn: " + err;
        },
      );
  }

  head(spec().layout);
  const redraw = () => draw(false);
  model.on("change:figure_json", redraw);

  const observer = new ResizeObserver(() => {
    const now = plot.clientWidth;
    if (P && now && Math.abs(now - width) > 1) draw(true);
  });
  observer.observe(plot);

  request(model);
  const retry = setInterval(() => request(model), ASK_AGAIN_MS);
  const slow = setTimeout(() => {
    if (!P && !s.error) {
      note.textContent =
        "Waiting for plotly.js from the kernel: the figure is drawn when the notebook's " +
        "kernel is running and has finished the cells before it.";
    }
  }, NOTE_AFTER_MS);
  s.ready.then(
    (loaded) => {
      clearInterval(retry);
      if (closed) return;
      P = loaded;
      draw(false);
    },
    (err) => {
      clearInterval(retry);
      note.textContent = "The figure could not be drawn: plotly.js did not load (" + err + ").";
    },
  );

  return () => {
    closed = true;
    model.off("change:figure_json", redraw);
    clearInterval(retry);
    clearTimeout(slow);
    observer.disconnect();
    if (P) P.purge(plot);
  };
}

export default { initialize, render };
