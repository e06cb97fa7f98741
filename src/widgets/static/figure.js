/* The book's figures in a browser: one script for the HTML book (widgets/display.py writes a
 * call to widgetsFigure.mount for each figure) and for the live explorers in Jupyter.
 *
 * adapt(layout, data, width) is the figure's layout for the width it has. Figures are laid
 * out in Python for the book's text column (about 600 px); on a narrower screen (a phone,
 * below NARROW px) the same figure gets a phone layout: legends move above the plot in rows,
 * wide side margins shrink, long category labels and axis titles wrap onto several lines, and
 * the figure grows taller to hold them. A view can give its own phone layout in
 * layout.meta.narrow (layout changes, applied first, and "extra_height" in px).
 *
 * mount(div, data, layout, config, Plotly, options) draws a figure once the reader comes near
 * it, redraws it with the right layout whenever its width changes, and wires a row of
 * precomputed settings (the static explorer's steps: radio buttons the book writes beside the
 * figure) to the plot.
 */
(function (root) {
  "use strict";
  var NARROW = 520; // px: below this width, the phone layout
  var CHAR = 6.8; // px: mean width of a character of 12 px text
  var LINE = 15; // px: one line of 12 px text
  var LEGEND_ROW = 23; // px: one row of a horizontal legend

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }
  function copy(v) {
    return v === undefined ? v : JSON.parse(JSON.stringify(v));
  }
  function merge(a, b) {
    var out = isObject(a) ? Object.assign({}, a) : {};
    Object.keys(b || {}).forEach(function (k) {
      out[k] = isObject(b[k]) && isObject(out[k]) ? merge(out[k], b[k]) : copy(b[k]);
    });
    return out;
  }
  /* set "title.text", "annotations" or "sliders[0].active" in a layout */
  function setPath(obj, path, value) {
    var keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    var o = obj;
    for (var i = 0; i < keys.length - 1; i++) {
      if (o[keys[i]] === undefined || o[keys[i]] === null) {
        o[keys[i]] = /^\d+$/.test(keys[i + 1]) ? [] : {};
      }
      o = o[keys[i]];
    }
    o[keys[keys.length - 1]] = copy(value);
  }
  /* a Plotly title as text: tags out, spaces collapsed, its line breaks (<br>) kept */
  function plain(t) {
    return String(t || "")
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<[^>]+>/g, " ")
      .replace(/[ \t\r\f]+/g, " ")
      .replace(/ *\n */g, "\n")
      .trim();
  }
  function visibleLength(t) {
    return String(t).replace(/<[^>]+>/g, "").length;
  }
  /* break text into lines of at most `chars` characters (at spaces), keeping its own <br> */
  function wrap(text, chars) {
    var lines = [];
    String(text).split(/<br\s*\/?>/i).forEach(function (line) {
      var current = "";
      line.split(" ").forEach(function (word) {
        if (current && visibleLength(current + " " + word) > chars) {
          lines.push(current);
          current = word;
        } else {
          current = current ? current + " " + word : word;
        }
      });
      lines.push(current);
    });
    return lines;
  }
  function titleText(axis) {
    var t = axis && axis.title;
    return isObject(t) ? t.text : t;
  }
  /* wrap an axis's title to `length` px of axis; returns the lines it gained */
  function wrapTitle(axis, length) {
    var text = titleText(axis);
    if (!text) return 0;
    var lines = wrap(text, Math.floor(length / CHAR));
    if (lines.length < 2) return 0;
    axis.title = Object.assign({}, isObject(axis.title) ? axis.title : {}, {
      text: lines.join("<br>"),
    });
    return lines.length - 1;
  }
  function axisKeys(layout, letter) {
    return Object.keys(layout).filter(function (k) {
      return new RegExp("^" + letter + "axis\\d*$").test(k);
    });
  }
  function span(axis) {
    var d = (axis && axis.domain) || [0, 1];
    return d[1] - d[0];
  }
  /* the legend's entries, as Plotly shows them (one per legend group) */
  function legendEntries(data) {
    var seen = {};
    var names = [];
    (data || []).forEach(function (t) {
      if ((t.visible !== undefined && t.visible !== true) || t.showlegend === false) return;
      var key = t.legendgroup || t.name;
      if (!t.name || seen[key]) return;
      seen[key] = true;
      names.push(plain(t.name));
    });
    return names;
  }
  function legendRows(names, available) {
    if (!names.length) return 0;
    var longest = Math.max.apply(null, names.map(function (n) { return n.length; }));
    var columns = Math.max(1, Math.floor(available / (46 + CHAR * longest)));
    return Math.ceil(names.length / columns);
  }
  /* whether an annotation sits above the top of the plot (a panel title, a note) */
  function textAbovePlot(layout) {
    return (layout.annotations || []).some(function (a) {
      var yref = a.yref || "paper";
      return (yref === "paper" || / domain$/.test(yref)) && (a.y || 0) >= 1;
    });
  }
  /* the categories shown on a categorical axis ("xaxis2", "yaxis"...), in order */
  function categories(layout, data, key) {
    var axis = layout[key] || {};
    if (axis.tickvals && axis.ticktext) {
      return { values: axis.tickvals, labels: axis.ticktext };
    }
    var letter = key.charAt(0);
    var ref = key.replace("axis", "");
    var seen = {};
    var values = [];
    (data || []).forEach(function (t) {
      if (t.visible !== undefined && t.visible !== true) return; // another step's trace
      if ((t[letter + "axis"] || letter) !== ref || !Array.isArray(t[letter])) return;
      var across = letter === "y" ? t.orientation === "h" : t.orientation !== "h";
      if (t.type !== "scatter" && t.type !== undefined && !across) return;
      t[letter].forEach(function (v) {
        if (typeof v === "string" && !seen[v]) {
          seen[v] = true;
          values.push(v);
        }
      });
    });
    return { values: values, labels: values };
  }

  /* A static explorer's steps draw different rows: a category axis in a given order keeps
   * only the categories of the traces shown, or another step's rows would leave gaps. */
  function shownCategories(L, data) {
    axisKeys(L, "x").concat(axisKeys(L, "y")).forEach(function (key) {
      var axis = L[key];
      if (axis.categoryorder !== "array" || !Array.isArray(axis.categoryarray)) return;
      var shown = {};
      categories({}, data, key).values.forEach(function (v) { shown[v] = true; });
      L[key] = Object.assign({}, axis, {
        categoryarray: axis.categoryarray.filter(function (v) { return shown[v]; }),
      });
    });
  }
  /* whether every trace drawn on y axis `key` is markers (with or without error bars) */
  function markersOnly(data, key) {
    var ref = key.replace("axis", "");
    var on = (data || []).filter(function (t) {
      return (t.visible === undefined || t.visible === true) && (t.yaxis || "y") === ref;
    });
    return on.length > 0 && on.every(function (t) {
      return (t.type === undefined || t.type === "scatter") && t.mode === "markers";
    });
  }
  /* On a phone, category labels that would take more than two lines at the left of a plot
   * of markers (a forest plot of trials) go above their rows instead, across the plot's
   * width: each row gets the height of the longest label, the marker and a gap, and the
   * axis range leaves the top label room inside the plot. */
  function labelsAbove(L, key, c, m, width, H, panelExtra) {
    m.l = titleText(L[key]) ? 40 : 16;
    var chars = Math.max(16, Math.floor((width - m.l - m.r - 4) / CHAR));
    var lines = c.labels.map(function (label) {
      // the label's own lines joined into one: "arm<br>cancer" reads "arm, cancer", and
      // "subgroup<br>(source)" reads "subgroup (source)"
      var joined = String(label).split(/<br\s*\/?>/i).reduce(function (a, b) {
        return a + (/^\s*\(/.test(b) ? " " : ", ") + b;
      });
      return wrap(joined, chars);
    });
    var most = Math.max.apply(null, lines.map(function (l) { return l.length; }));
    var pitch = most * LINE + 24; // px per row: the label, the marker and its bar, a gap
    var n = c.values.length;
    var head = Math.max(0.5, (most * LINE + 10) / pitch); // room above the top row, in rows
    var need = (n - 0.5 + head) * pitch;
    var have = H * span(L[key]);
    if (need > have) panelExtra[key] = Math.ceil(need - have);
    var xKey = (L[key].anchor && L[key].anchor !== "free" ? L[key].anchor : "x").replace("x", "xaxis");
    var x0 = ((L[xKey] || {}).domain || [0, 1])[0];
    L[key] = Object.assign({}, L[key], {
      showticklabels: false, autorange: false, range: [-0.5, n - 1 + head],
    });
    L.annotations = (L.annotations || []).concat(c.values.map(function (v, i) {
      return {
        text: lines[i].join("<br>"), x: x0, xref: "paper", xanchor: "left",
        y: v, yref: key.replace("axis", ""), yanchor: "bottom", yshift: 7,
        showarrow: false, align: "left", font: { size: 11 },
      };
    }));
  }

  /* Give panels and the gaps between them more room, in pixels, keeping everything else the
   * same size: new y domains for the axes, and text placed in paper coordinates (panel
   * titles, shapes, a legend) moved with the panel it belongs to. Returns the added height. */
  function restack(L, H, panelExtra, gapExtra) {
    var rows = [];
    axisKeys(L, "y").forEach(function (k) {
      if (L[k].overlaying) return;
      var d = L[k].domain || [0, 1];
      var row = rows.filter(function (r) {
        return Math.abs(r.lo - d[0]) < 1e-6 && Math.abs(r.hi - d[1]) < 1e-6;
      })[0];
      if (!row) rows.push((row = { lo: d[0], hi: d[1], keys: [] }));
      row.keys.push(k);
    });
    rows.sort(function (a, b) { return a.lo - b.lo; });
    for (var i = 1; i < rows.length; i++) if (rows[i].lo < rows[i - 1].hi - 1e-6) return 0;
    function extra(table, row) {
      return Math.max.apply(null, [0].concat(row.keys.map(function (k) { return table[k] || 0; })));
    }
    var olds = [0], news = [0];
    var at = 0;
    rows.forEach(function (row) {
      at += (row.lo - olds[olds.length - 1]) * H + extra(gapExtra, row);
      olds.push(row.lo); news.push(at);
      at += (row.hi - row.lo) * H + extra(panelExtra, row);
      olds.push(row.hi); news.push(at);
    });
    at += (1 - olds[olds.length - 1]) * H;
    olds.push(1); news.push(at);
    var H2 = at;
    if (H2 - H < 0.5) return 0;
    function map(y) {
      if (typeof y !== "number") return y;
      if (y >= 1) return (H2 + (y - 1) * H) / H2;
      if (y <= 0) return (y * H) / H2;
      for (var j = 1; j < olds.length; j++) {
        if (y <= olds[j]) {
          var f = olds[j] > olds[j - 1] ? (y - olds[j - 1]) / (olds[j] - olds[j - 1]) : 0;
          // in a gap, text keeps its distance from the panel below it (a panel title sits
          // just above its panel); in a panel, it keeps its place in proportion
          var lenOld = (olds[j] - olds[j - 1]) * H, lenNew = news[j] - news[j - 1];
          var px = news[j - 1] + f * (j % 2 === 1 ? lenOld : lenNew);
          return px / H2;
        }
      }
      return y;
    }
    rows.forEach(function (row, r) {
      row.keys.forEach(function (k) {
        L[k] = Object.assign({}, L[k], { domain: [news[2 * r + 1] / H2, news[2 * r + 2] / H2] });
      });
    });
    (L.annotations || []).forEach(function (a) {
      if (!a.yref || a.yref === "paper") a.y = map(a.y === undefined ? 0.5 : a.y);
    });
    (L.shapes || []).forEach(function (sh) {
      if (sh.yref === "paper") {
        sh.y0 = map(sh.y0);
        sh.y1 = map(sh.y1);
      }
    });
    if (L.legend && L.legend.yref !== "container" && typeof L.legend.y === "number") {
      L.legend.y = map(L.legend.y);
    }
    return H2 - H;
  }

  /* a legend above the plot, at a desktop width: the top margin holds the legend's rows
   * and a gap, and no more. The layout made in Python leaves room for as many rows as the
   * narrowest column could need; the rest would be an empty band above the legend. */
  function tightTop(L, data, width) {
    var lg = L.legend || {};
    if (L.showlegend === false || lg.orientation !== "h" || !(lg.y >= 1)) return;
    if (lg.yanchor !== "bottom" || textAbovePlot(L)) return;
    var names = legendEntries(data);
    if (names.length < (L.showlegend === true ? 1 : 2)) return;
    var m = Object.assign({ l: 80, r: 80, t: 100, b: 80 }, L.margin || {});
    var tight = Math.max(36, legendRows(names, width - m.l - m.r) * LEGEND_ROW + 14);
    if (m.t <= tight) return;
    L.height = (L.height || 450) - (m.t - tight);
    m.t = tight;
    L.margin = m;
  }

  function adapt(layout, data, width) {
    var L = copy(layout) || {};
    shownCategories(L, data);
    if (!(width > 0 && width < NARROW)) {
      if (width > 0) tightTop(L, data, width);
      return L;
    }
    // the view's own phone layout first (for example panels stacked instead of side by
    // side), with "extra_height" px more height; the rules below then apply to it
    var own = (L.meta && L.meta.narrow) || null;
    if (own) {
      var extraHeight = own.extra_height || 0;
      L = merge(L, own);
      delete L.extra_height;
      L.height = (L.height || 450) + extraHeight;
    }
    var wide = 600;
    var m = (L.margin = Object.assign({ l: 80, r: 80, t: 100, b: 80 }, L.margin || {}));
    var height = L.height || 450;
    var H = height - m.t - m.b; // the plot area's height, before any change
    var grow = 0;
    var panelExtra = {}, gapExtra = {}, gapMore = {};
    var rightAxis = axisKeys(L, "y").some(function (k) { return L[k].side === "right"; });
    // smaller text on a small screen (12 px, Plotly's own default)
    L.font = Object.assign({}, L.font || {}, { size: 12 });
    axisKeys(L, "x").concat(axisKeys(L, "y")).forEach(function (key) {
      if (L[key].type === "log" && !L[key].tickvals && !L[key].minorloglabels) {
        L[key] = Object.assign({}, L[key], { minorloglabels: "none" });
      }
    });

    // 1. a legend goes above the plot, in as many rows as the width needs
    var names = L.showlegend === false ? [] : legendEntries(data);
    if (names.length > (L.showlegend === true ? 0 : 1)) {
      var lg = L.legend || {};
      var onTop = lg.orientation === "h" && (lg.y === undefined || lg.y >= 1);
      var before = onTop ? legendRows(names, wide - m.l - m.r) : 0;
      // at the top of the figure, above any text placed over the plot
      L.legend = Object.assign({}, lg, {
        orientation: "h", x: 0, xanchor: "left", xref: "container",
        y: 1, yanchor: "top", yref: "container",
      });
      // a side legend's room on the right is no longer needed
      if (m.r > 40) m.r = rightAxis ? 60 : 16;
      var after = legendRows(names, width - Math.min(m.l, 0.4 * width) - m.r);
      var extra = (after - before) * LEGEND_ROW + (onTop ? 0 : 12);
      // with no text above the plot, the top margin holds the legend's rows and a gap,
      // and no more (the rest would be an empty band between the legend and the plot)
      var tight = after * LEGEND_ROW + 14;
      if (!textAbovePlot(L) && m.t + extra > tight) extra = tight - m.t;
      if (extra > 0 || !textAbovePlot(L)) {
        m.t += extra;
        grow += extra;
      }
    } else if (m.r > 40 && !rightAxis) {
      m.r = 16;
    }

    // 2. long category labels on the left wrap onto lines, and take at most a share of
    // the width (otherwise Plotly widens the margin until the plot is a sliver)
    var room = Math.round(0.4 * width);
    var chars = Math.max(10, Math.floor((room - 12) / CHAR));
    axisKeys(L, "y").forEach(function (key) {
      var c = categories(L, data, key);
      if (!c.values.length) return;
      var longest = Math.max.apply(null, c.labels.map(function (label) {
        return Math.max.apply(null, String(label).split(/<br\s*\/?>/i).map(visibleLength));
      }));
      if (longest * CHAR + 12 <= room && m.l <= 0.3 * width) return;
      var lines = c.labels.map(function (label) { return wrap(label, chars); });
      // categories are evenly spaced, so every one gets the room the longest label needs
      var most = Math.max.apply(null, lines.map(function (l) { return l.length; }));
      if (most > 2 && markersOnly(data, key) && L[key].autorange !== "reversed") {
        labelsAbove(L, key, c, m, width, H, panelExtra);
        return;
      }
      var need = lines.length * (most * LINE + 6);
      var have = H * span(L[key]);
      if (need > have) panelExtra[key] = Math.ceil(need - have);
      L[key] = Object.assign({}, L[key], {
        tickmode: "array", tickvals: c.values,
        ticktext: lines.map(function (l) { return l.join("<br>"); }),
      });
      m.l = room + (titleText(L[key]) ? 24 : 0);
    });
    if (m.l > 0.45 * width) m.l = room;

    // 3. axis titles wrap to the length of their axis; a title that takes more lines gets
    // them below the plot (the bottom axis) or in the gap below its panel
    var plotWidth = width - m.l - m.r;
    axisKeys(L, "x").forEach(function (key) {
      var more = wrapTitle(L[key], plotWidth * span(L[key])) * LINE;
      if (!more) return;
      var anchor = L[key].anchor && L[key].anchor !== "free" ? L[key].anchor : "y";
      var yKey = anchor.replace("y", "yaxis");
      var bottom = ((L[yKey] || {}).domain || [0, 1])[0] < 0.05;
      if (bottom) {
        m.b += more;
        grow += more;
      } else {
        gapExtra[yKey] = Math.max(gapExtra[yKey] || 0, more);
      }
    });
    // 4. category labels under a bar chart wrap to the width of their bar
    axisKeys(L, "x").forEach(function (key) {
      var c = categories(L, data, key);
      if (!c.values.length) return;
      var cell = Math.floor((plotWidth * span(L[key])) / c.values.length / CHAR);
      var lines = c.labels.map(function (label) { return wrap(label, Math.max(6, cell)); });
      var most = Math.max.apply(null, lines.map(function (l) { return l.length; }));
      var had = Math.max.apply(null, c.labels.map(function (l) {
        return String(l).split(/<br\s*\/?>/i).length;
      }));
      if (most <= had) return;
      L[key] = Object.assign({}, L[key], {
        tickmode: "array", tickvals: c.values, tickangle: 0,
        ticktext: lines.map(function (l) { return l.join("<br>"); }),
      });
      if (((L[(L[key].anchor || "y").replace("y", "yaxis")] || {}).domain || [0, 1])[0] < 0.05) {
        m.b += (most - had) * LINE;
        grow += (most - had) * LINE;
      }
    });

    // 5. text placed by the figure (annotations) wraps to the room it has on its side
    (L.annotations || []).forEach(function (a) {
      if (!a.text || a.showarrow === true) return;
      var x = typeof a.x === "number" ? a.x : 0.5;
      if (a.xref && a.xref !== "paper") {
        // placed on an axis with a fixed range (on a log axis, x and range are in log10)
        var axis = L[a.xref.replace(/ domain$/, "").replace("x", "xaxis")] || {};
        var r = axis.range, d = axis.domain || [0, 1];
        if (/ domain$/.test(a.xref)) x = d[0] + x * (d[1] - d[0]);
        else if (r && r[1] !== r[0]) x = d[0] + ((x - r[0]) / (r[1] - r[0])) * (d[1] - d[0]);
        else return;
      }
      var px = m.l + x * plotWidth; // from the figure's left edge
      var anchor = a.xanchor || "center";
      var roomPx = anchor === "left" ? width - px : anchor === "right" ? px
        : 2 * Math.min(px, width - px);
      var lines = wrap(a.text, Math.max(8, Math.floor((roomPx - 4) / CHAR)));
      if (lines.length < 2) return;
      a.text = lines.join("<br>");
      var more = (lines.length - 1) * LINE;
      var y = a.y === undefined ? 0.5 : a.y;
      if (y >= 1 && a.yanchor === "bottom") {
        m.t += more;
        grow += more;
        return;
      }
      // a panel's title in the gap above the panel: the gap grows by the added lines
      var above = axisKeys(L, "y").filter(function (k) {
        return !L[k].overlaying && ((L[k].domain || [0, 1])[0] > y + 1e-6);
      });
      if (!above.length || (a.yref && a.yref !== "paper")) return;
      var next = above.sort(function (p, q) { return L[p].domain[0] - L[q].domain[0]; })[0];
      gapMore[next] = (gapMore[next] || 0) + more;
    });

    Object.keys(gapMore).forEach(function (k) { gapExtra[k] = (gapExtra[k] || 0) + gapMore[k]; });
    grow += restack(L, H, panelExtra, gapExtra);
    var plotHeightNow = height + grow - m.t - m.b;
    axisKeys(L, "y").forEach(function (key) {
      var more = wrapTitle(L[key], plotHeightNow * span(L[key])) * LINE;
      if (L[key].side === "right") m.r += more;
      else m.l += more;
    });

    L.height = height + grow;
    return L;
  }

  function debounce(f, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(f, ms);
    };
  }

  /* A page's figures are drawn as the reader comes near them, not all while the page loads:
   * a chapter holds up to a dozen, and drawing them all would keep a phone busy for
   * seconds before the page answers a tap. A figure inside a closed solution is drawn when
   * it is opened; before printing, every figure is drawn. */
  var waiting = null;
  function whenNear(div, draw) {
    if (!root.IntersectionObserver) return draw();
    if (!waiting) {
      waiting = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { if (e.isIntersecting) drawNow(e.target); });
      }, { rootMargin: "100% 0px" }); // within a screen's height of the view
      root.addEventListener("beforeprint", function () {
        [].forEach.call(document.querySelectorAll(".plotly-graph-div"), drawNow);
      });
    }
    div.widgetsDraw = draw;
    waiting.observe(div);
  }
  function drawNow(div) {
    var draw = div.widgetsDraw;
    if (waiting) waiting.unobserve(div);
    if (!draw) return;
    delete div.widgetsDraw;
    draw();
  }

  /* options: {title, subtitle: elements to hold the title and subtitle as text;
   * steps: [{label, args}], active: a static explorer's precomputed settings and the one
   * shown; range, output, labels: the HTML slider under the plot (display.figure_html)} */
  function mount(div, data, layout, config, Plotly, options) {
    options = options || {};
    var base = copy(layout);
    var traces = data.slice();
    function width() {
      return div.clientWidth || (div.parentElement && div.parentElement.clientWidth) || 0;
    }
    function head() {
      var t = base.title || {};
      if (options.title) options.title.textContent = plain(t.text);
      if (options.subtitle) options.subtitle.textContent = plain((t.subtitle || {}).text);
    }
    var drawnWidth = null; // the div's width at the last drawing; null before the first
    // the figure follows its div's width (below), not the window's
    config = Object.assign({}, config, { responsive: false });
    function draw() {
      delete div.widgetsDraw; // a step chosen before the figure came near: draw it now
      var w = width();
      var L = adapt(base, traces, w);
      // the width the div has now: Plotly otherwise keeps the width of its first drawing
      // until the window is resized, and a figure whose column narrows without that (a
      // sidebar, a page's late layout) would run past its edge
      if (w > 0) L.width = w;
      drawnWidth = w;
      div.style.height = Math.round(L.height) + "px";
      head();
      return Plotly.react(div, traces, L, config);
    }
    function step(k) {
      var s = options.steps[k];
      var visible = (s.args[0] || {}).visible || [];
      traces = traces.map(function (t, i) {
        return Object.assign({}, t, { visible: visible[i] });
      });
      var changes = s.args[1] || {};
      Object.keys(changes).forEach(function (path) { setPath(base, path, changes[path]); });
      var r = options.range;
      if (r) {
        r.value = k;
        r.setAttribute("aria-valuetext", s.label);
      }
      if (options.output) options.output.textContent = s.label;
      if (options.labels) {
        [].forEach.call(options.labels.children, function (el, i) {
          el.className = i === k ? "current" : "";
        });
      }
      return draw();
    }
    /* a step's label wider than its place under the slider (a long word or number on a
     * phone): the labels go on two rows, alternating, each as wide as two steps, the first
     * and last kept inside the figure's edges; if even that is too narrow, they are listed
     * one per line, in the slider's order */
    function fitLabels() {
      var row = options.labels;
      if (!row) return;
      var spans = [].slice.call(row.children);
      var n = spans.length;
      row.classList.remove("listed");
      // measured with every label bold, as the current one is: the layout then holds
      // whichever step the reader picks, and does not jump when they pick another
      row.classList.add("fitting");
      var fits = false;
      for (var k = 1; k <= 2 && !fits; k++) {
        var m = (k - 1) * 50 + "%";
        spans.forEach(function (el, i) {
          el.style.gridRow = String((i % k) + 1);
          el.style.marginLeft = i === 0 ? "0" : "-" + m;
          el.style.marginRight = i === n - 1 ? "0" : "-" + m;
          el.style.textAlign = k > 1 && i === 0 ? "left" : k > 1 && i === n - 1 ? "right" : "center";
        });
        fits = !spans.some(function (el) { return el.scrollWidth > el.clientWidth + 1; });
      }
      row.classList.remove("fitting");
      if (!fits) row.classList.add("listed"); // too wide: one label per line, in slider order
    }
    var steps = options.steps;
    whenNear(div, function () { return steps ? step(options.active || 0) : draw(); });
    fitLabels();
    // again once the fonts are in, and whenever the row changes width
    if (options.labels && root.ResizeObserver) new ResizeObserver(fitLabels).observe(options.labels);
    if (root.document && document.fonts && document.fonts.ready) document.fonts.ready.then(fitLabels);
    if (steps && options.range) {
      options.range.addEventListener("input", function () { step(+options.range.value); });
    }
    if (steps && options.labels) {
      options.labels.addEventListener("click", function (e) {
        var k = e.target && e.target.getAttribute("data-step");
        if (k !== null && k !== undefined) step(+k);
      });
    }
    // redrawn, with the layout for its new width, whenever the div changes width: the window
    // resized or turned, or the column around the figure narrowed or widened
    var resized = debounce(function () {
      var w = width();
      if (drawnWidth !== null && w > 0 && Math.abs(w - drawnWidth) >= 1) draw();
    }, 100);
    if (root.ResizeObserver) new ResizeObserver(resized).observe(div);
    else window.addEventListener("resize", function () { fitLabels(); resized(); });
  }

  root.widgetsFigure = { NARROW: NARROW, adapt: adapt, mount: mount, wrap: wrap, plain: plain };
})(typeof globalThis !== "undefined" ? globalThis : window);
