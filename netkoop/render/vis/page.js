/* netkoop page script: builds the vis-network view from the embedded data.
 * Every text that comes from data enters the page as a text node (textContent) or as canvas
 * text, never as HTML, so a name written as markup shows as written and runs nothing. */
(function () {
  "use strict";

  const api = { ready: false, errors: [] };
  window.netkoop = api;
  window.addEventListener("error", (event) => api.errors.push(String(event.message)));

  const D = JSON.parse(document.getElementById("netkoop-data").textContent);
  const T = D.text;
  // Digits are grouped from five on (DIN 5008), so years such as 2016 stay as written.
  const NUMBER = new Intl.NumberFormat(D.locale, { maximumFractionDigits: 3 });
  const SHORT_NUMBER = new Intl.NumberFormat(D.locale, { maximumFractionDigits: 3, useGrouping: false });
  const U = D.units;
  const R = D.ties;
  const F = D.flows;
  const UK = D.unitKinds;
  const TK = D.tieKinds;
  // A survey: units' answers (1 answered, 0 asked without answering, -1 not asked) and ties'
  // confirmation (0 no survey, 1 both sides, 2 the other side did not report it, 3 the other
  // side did not answer); null without a survey.
  const S = D.survey;
  const ANSWER = U.responded || null;
  const CONFIRMED = R.confirmed || null;
  const nU = U.id.length;
  const nT = R.from.length;
  const nF = F ? F.a.length : 0;
  // A date slider (null without dates): its days, when each unit and tie exists (codes into
  // DS.dates, ISO days that compare as text) and the key figures of every day.
  const DS = D.slider;
  // Outlines drawn under the network (null without them), with their choropleth (or null).
  const O = D.outlines;
  const CH = D.choropleth;
  // Units left off the map as places: Länder whose outline shows them.
  const CONTEXT = new Uint8Array(nU);
  for (const i of D.context) CONTEXT[i] = 1;

  // Commuter pairs by status: 0 no tie (the gap), 1 tied, 2 newly tied (comparisons).
  const FLOW_COLOR = ["rgba(215,38,38,0.55)", "rgba(84,104,140,0.30)", "rgba(0,150,60,0.6)"];
  const FLOW_KEYS = ["flow_gap", "flow_tied", "flow_new"];
  const ADDED = "#00a650";
  const REMOVED_OPACITY = 0.4;
  const SVGNS = "http://www.w3.org/2000/svg";
  // How far each vis-network shape reaches from its centre, in units of its size.
  const REACH = { dot: 1, square: 1.42, triangle: 1.16, hexagon: 1, star: 1, diamond: 1 };
  // Room kept free around the drawing in the default view (CSS px, sides and top/bottom):
  // labels of units at the edge fit in it.
  const FIT_MARGIN = [56, 30];

  // --- small DOM helpers --------------------------------------------------------------------

  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      for (const key of Object.keys(props)) {
        const value = props[key];
        if (value === undefined || value === null) continue;
        if (key === "text") node.textContent = value;
        else if (key === "class") node.className = value;
        else if (key === "on") for (const ev of Object.keys(value)) node.addEventListener(ev, value[ev]);
        else node.setAttribute(key, value);
      }
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVGNS, tag);
    for (const key of Object.keys(attrs)) node.setAttribute(key, String(attrs[key]));
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
  }

  function shown(value) {
    if (value === null || value === undefined) return null;
    if (typeof value === "boolean") return value ? T.yes : T.no;
    if (typeof value === "number") return (Math.abs(value) >= 10000 ? NUMBER : SHORT_NUMBER).format(value);
    return String(value);
  }

  function darker(hex, factor) {
    const n = parseInt(hex.slice(1), 16);
    const part = (shift) => Math.round(((n >> shift) & 255) * factor);
    return "rgb(" + part(16) + "," + part(8) + "," + part(0) + ")";
  }

  function heading(text) {
    return el("h2", { text: text });
  }

  // --- legend symbols -----------------------------------------------------------------------

  function polygon(points) {
    return points.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" ");
  }

  function shapeSymbol(shape, color) {
    const box = svgEl("svg", { width: 18, height: 18, viewBox: "0 0 18 18", "aria-hidden": "true" });
    const style = { fill: color, stroke: darker(color, 0.7), "stroke-width": 1 };
    let node;
    const ring = (count, radius, start, inner) => {
      const pts = [];
      for (let i = 0; i < count * (inner ? 2 : 1); i++) {
        const r = inner && i % 2 ? inner : radius;
        const a = start + (i * Math.PI * 2) / (count * (inner ? 2 : 1));
        pts.push([9 + r * Math.cos(a), 9 + r * Math.sin(a)]);
      }
      return polygon(pts);
    };
    if (shape === "square") node = svgEl("rect", Object.assign({ x: 3, y: 3, width: 12, height: 12 }, style));
    else if (shape === "triangle") node = svgEl("polygon", Object.assign({ points: "9,2 16,15 2,15" }, style));
    else if (shape === "star") node = svgEl("polygon", Object.assign({ points: ring(5, 8, -Math.PI / 2, 3.4) }, style));
    else if (shape === "hexagon") node = svgEl("polygon", Object.assign({ points: ring(6, 7.5, 0) }, style));
    else if (shape === "diamond") node = svgEl("polygon", Object.assign({ points: "9,1 17,9 9,17 1,9" }, style));
    else node = svgEl("circle", Object.assign({ cx: 9, cy: 9, r: 6.5 }, style));
    box.appendChild(node);
    return box;
  }

  function outlineSymbol(style) {
    const box = svgEl("svg", { width: 18, height: 18, viewBox: "0 0 18 18", "aria-hidden": "true" });
    box.appendChild(
      svgEl("circle", {
        cx: 9, cy: 9, r: 6.5, fill: "#e9e9e9", stroke: style.color, "stroke-width": 2,
        "stroke-dasharray": style.dashes.map((d) => Math.max(1, d * 0.8)).join(" "),
      }),
    );
    return box;
  }

  function oneSided(j) {
    return CONFIRMED !== null && CONFIRMED[j] >= 2;
  }

  function lineSymbol(color, dashes, width, arrow, glow) {
    const box = svgEl("svg", { width: 36, height: 14, viewBox: "0 0 36 14", "aria-hidden": "true" });
    if (glow) box.appendChild(svgEl("line", { x1: 2, y1: 7, x2: 34, y2: 7, stroke: glow, "stroke-width": 7, "stroke-opacity": 0.45 }));
    const attrs = { x1: 2, y1: 7, x2: arrow ? 28 : 34, y2: 7, stroke: color, "stroke-width": width || 2 };
    if (dashes && dashes.length) attrs["stroke-dasharray"] = dashes.map((d) => Math.max(1, d / 2)).join(" ");
    box.appendChild(svgEl("line", attrs));
    if (arrow) box.appendChild(svgEl("polygon", { points: "26,2 35,7 26,12", fill: color }));
    return box;
  }

  function haloSymbol(halo) {
    const box = svgEl("svg", { width: 36, height: 14, viewBox: "0 0 36 14", "aria-hidden": "true" });
    const attrs = { x1: 2, y1: 7, x2: 34, y2: 7, stroke: halo.color, "stroke-width": 9 };
    if (halo.dashes.length) attrs["stroke-dasharray"] = halo.dashes.map((d) => d * 1.5).join(" ");
    box.appendChild(svgEl("line", attrs));
    box.appendChild(svgEl("line", { x1: 2, y1: 7, x2: 34, y2: 7, stroke: "#555", "stroke-width": 2 }));
    return box;
  }

  // --- vis data -----------------------------------------------------------------------------

  const kindColors = UK.map((k) => ({
    background: k.color,
    border: darker(k.color, 0.7),
    highlight: { background: k.color, border: "#111" },
    hover: { background: k.color, border: "#111" },
  }));

  const unitItems = new Array(nU);
  for (let i = 0; i < nU; i++) {
    const kind = UK[U.kind[i]];
    const item = {
      id: i,
      x: U.x[i],
      y: U.y[i],
      shape: kind.shape,
      size: U.size[i],
      color: kindColors[U.kind[i]],
    };
    if (ANSWER !== null && ANSWER[i] === 0) item.noAnswer = true; // ringed: see drawRings
    if (U.status[i] === 1) {
      item.borderWidth = 4;
      item.color = Object.assign({}, kindColors[U.kind[i]], { border: ADDED });
    } else if (U.status[i] === 2) {
      item.opacity = REMOVED_OPACITY;
      item.shapeProperties = { borderDashes: [4, 4] };
    }
    unitItems[i] = item;
  }

  // Whether a tie joins each commuter pair: as drawn, or on the day the slider shows.
  const flowTied = F ? Int8Array.from(F.tied) : new Int8Array(0);
  const flowWidth = new Float64Array(nF);
  for (let k = 0; k < nF; k++) flowWidth[k] = (1 + 11 * Math.sqrt(F.total[k] / F.largest)) * F.widthScale;

  const edgeItems = [];
  for (let j = 0; j < nT; j++) {
    if (R.from[j] < 0 || R.to[j] < 0) continue;
    const kind = TK[R.kind[j]];
    const item = {
      id: "t" + j,
      from: R.from[j],
      to: R.to[j],
      width: R.widths[R.width[j]],
      color: { color: kind.color, highlight: kind.color, hover: kind.color, inherit: false },
      dashes: kind.dashes.length ? kind.dashes : false,
      ix: j,
    };
    if (kind.directed) item.arrows = { to: { enabled: true, scaleFactor: 0.6 } };
    if (oneSided(j)) {
      // Dashed and lighter in the kind's colour: only one side reported the tie.
      item.dashes = S.style.oneSided.dashes;
      item.color = Object.assign({}, item.color, { opacity: S.style.oneSided.opacity });
    }
    const curve = R.curve[j];
    if (curve !== 0) {
      const roundness = Math.abs(curve) * R.curveStep;
      item.smooth = { enabled: true, type: curve > 0 ? "curvedCW" : "curvedCCW", roundness: roundness };
    }
    if (R.status[j] === 1) {
      item.width = item.width * 1.6 + 1;
      item.shadow = { enabled: true, color: ADDED, size: 18, x: 0, y: 0 };
    } else if (R.status[j] === 2) {
      item.dashes = [3, 6];
      item.color = Object.assign({}, item.color, { opacity: REMOVED_OPACITY });
    }
    edgeItems.push(item);
  }

  // --- filters ------------------------------------------------------------------------------

  const state = {
    unitKind: UK.map(() => true),
    tieKind: TK.map(() => true),
    land: D.lands.map(() => true),
    noLand: true,
    status: [true, true, true],
    noAnswer: true,
    bothSides: true,
    oneSided: true,
    flows: Boolean(F),
    minCommuters: F ? F.minCommuters : 0,
  };
  const nodeOn = new Uint8Array(nU);
  // Which units and ties exist on the day shown: all of them without a date slider.
  const unitNow = new Uint8Array(nU).fill(1);
  const tieNow = new Uint8Array(nT).fill(1);

  // The change filter hides ties by status, and units only when added or removed.
  function computeNodes() {
    for (let i = 0; i < nU; i++) {
      const land = U.land[i];
      nodeOn[i] =
        !CONTEXT[i] &&
        state.unitKind[U.kind[i]] &&
        (land < 0 ? state.noLand : state.land[land]) &&
        (U.status[i] === 0 || state.status[U.status[i]]) &&
        (ANSWER === null || ANSWER[i] !== 0 || state.noAnswer)
          ? 1
          : 0;
    }
  }

  function edgeOn(item) {
    if (!nodeOn[item.from] || !nodeOn[item.to]) return false;
    if (!state.tieKind[R.kind[item.ix]] || !state.status[R.status[item.ix]]) return false;
    if (CONFIRMED === null) return true;
    const confirmed = CONFIRMED[item.ix];
    return confirmed === 0 || (confirmed === 1 ? state.bothSides : state.oneSided);
  }

  // Shown: let through by the filters and existing on the day shown.
  function unitShown(i) {
    return nodeOn[i] === 1 && unitNow[i] === 1;
  }

  function tieShown(item) {
    return tieNow[item.ix] === 1 && edgeOn(item);
  }

  function flowOn(k) {
    return state.flows && unitShown(F.a[k]) && unitShown(F.b[k]) && F.total[k] >= state.minCommuters;
  }

  // --- the days of the date slider: which units and ties exist, which ties begin or end ---
  // The filters choose what vis-network holds (its data views); the day shown hides what does
  // not exist then. Hiding goes to vis-network's items directly, and only for those that
  // change: through the data sets it would take seconds for a national network.

  // Per tie: 1 began since the previous position, 2 ends before the next one, 3 both.
  const tieMark = new Uint8Array(nT);
  let markedTies = []; // the ties with a mark
  let day = DS ? DS.start : 0; // the position shown
  let pairTies = null; // per commuter pair: the ties that join its two units

  function during(first, last, when) {
    return DS.dates[first] <= when && when <= DS.dates[last];
  }

  // Take the units and ties of position p, and mark the ties that begin or end around it.
  function datesOn(p) {
    day = p;
    const when = DS.days[p];
    const before = p > 0 ? DS.days[p - 1] : null;
    const after = p < DS.days.length - 1 ? DS.days[p + 1] : null;
    for (let i = 0; i < nU; i++) unitNow[i] = during(DS.units.first[i], DS.units.last[i], when) ? 1 : 0;
    for (let j = 0; j < nT; j++) {
      const first = DS.dates[DS.ties.first[j]];
      const last = DS.dates[DS.ties.last[j]];
      const on = first <= when && when <= last;
      tieNow[j] = on ? 1 : 0;
      tieMark[j] = on ? (before !== null && first > before ? 1 : 0) | (after !== null && last < after ? 2 : 0) : 0;
    }
    markedTies = [];
    for (let j = 0; j < nT; j++) if (tieMark[j]) markedTies.push(j);
    retie();
  }

  const pairKey = (a, b) => (a < b ? a * nU + b : b * nU + a);

  // A commuter pair is tied on a day when one of the ties existing then joins its units.
  function retie() {
    if (!F) return;
    if (pairTies === null) {
      const index = new Map();
      for (let k = 0; k < nF; k++) index.set(pairKey(F.a[k], F.b[k]), k);
      pairTies = Array.from({ length: nF }, () => []);
      for (let j = 0; j < nT; j++) {
        const k = index.get(pairKey(R.from[j], R.to[j]));
        if (k !== undefined) pairTies[k].push(j);
      }
    }
    for (let k = 0; k < nF; k++) flowTied[k] = pairTies[k].some((j) => tieNow[j] === 1) ? 1 : 0;
  }

  // Bring vis-network's units and ties in line with the day shown: hidden when they do not
  // exist then. This sets the option vis-network draws by; through the data sets (or
  // setOptions) it would take seconds for a national network. Items the filters bring back
  // come from the data sets, shown, and are set here too.
  function syncDay() {
    if (!DS) return;
    const body = network.body;
    for (const id of Object.keys(body.nodes)) {
      const node = body.nodes[id];
      node.options.hidden = unitNow[node.id] === 0;
    }
    for (const id of Object.keys(body.edges)) {
      const edge = body.edges[id];
      edge.options.hidden = tieNow[Number(String(edge.id).slice(1))] === 0;
    }
    body.emitter.emit("_dataUpdated");
  }

  if (DS) datesOn(DS.start);

  computeNodes();
  const nodes = new vis.DataSet(unitItems);
  const edges = new vis.DataSet(edgeItems);
  const nodeView = new vis.DataView(nodes, { filter: (item) => nodeOn[item.id] === 1 });
  const edgeView = new vis.DataView(edges, { filter: edgeOn });

  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, D.vis);
  Object.assign(api, { data: D, nodes, edges, nodeView, edgeView, network });
  syncDay();

  function requestRedraw() {
    network.body.emitter.emit("_requestRedraw");
  }

  function apply() {
    computeNodes();
    nodeView.refresh();
    edgeView.refresh();
    syncDay();
    requestRedraw();
    if (focus !== null) {
      if (unitShown(focus.unit)) focusUnit(focus.unit, false);
      else clearFocus();
    }
  }

  // What is drawn: units and ties are vis-network items, commuter pairs the overlay's lines.
  api.counts = function () {
    let units = 0;
    for (let i = 0; i < nU; i++) if (unitShown(i)) units++;
    let ties = 0;
    for (const item of edgeItems) if (tieShown(item)) ties++;
    let flows = 0;
    for (let k = 0; k < nF; k++) if (flowOn(k)) flows++;
    return {
      nodes: units,
      ties: ties,
      flows: flows,
      edges: ties + flows,
      drawnNodes: network.body.nodeIndices.length,
      drawnTies: network.body.edgeIndices.length,
    };
  };

  // --- the commuter overlay: lines on vis-network's canvas, under the ties ------------------

  // Flows are batched by status and width class: one canvas path per batch is far faster
  // than one vis-network edge per pair, and switching the overlay costs one redraw.
  let flowBatches = [];

  function batchFlows() {
    flowBatches = [];
    if (!F) return;
    let low = Infinity;
    let high = -Infinity;
    for (const w of flowWidth) {
      low = Math.min(low, w);
      high = Math.max(high, w);
    }
    const levels = 6;
    const level = (w) => (high > low ? Math.round(((w - low) / (high - low)) * (levels - 1)) : 0);
    for (const status of [1, 2, 0]) {
      const byLevel = Array.from({ length: levels }, () => []);
      for (let k = 0; k < nF; k++) if (flowTied[k] === status) byLevel[level(flowWidth[k])].push(k);
      byLevel.forEach((items, l) => {
        if (!items.length) return;
        const width = high > low ? low + ((high - low) * l) / (levels - 1) : low;
        flowBatches.push({ color: FLOW_COLOR[status], width: width, items: Int32Array.from(items) });
      });
    }
  }
  batchFlows();

  function strokeFlow(ctx, bodyNodes, k) {
    const a = bodyNodes[F.a[k]];
    const b = bodyNodes[F.b[k]];
    if (!a || !b) return;
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
  }

  // While a large drawing moves, only units and ties are drawn, to stay fluid.
  function moving() {
    const renderer = network.renderer;
    return D.big && renderer && (renderer.dragging || renderer.zooming);
  }

  function drawFlows(ctx) {
    const bodyNodes = network.body.nodes;
    ctx.save();
    ctx.lineCap = "round";
    for (const batch of flowBatches) {
      ctx.beginPath();
      for (const k of batch.items) if (flowOn(k)) strokeFlow(ctx, bodyNodes, k);
      ctx.strokeStyle = batch.color;
      ctx.lineWidth = batch.width;
      ctx.stroke();
    }
    ctx.restore();
  }

  // Ties that begin or end around the day shown get a halo under them, over the flows: green
  // for new, dashed orange for ending (ending wins for a tie that does both).
  function drawHalos(ctx) {
    const body = network.body;
    ctx.save();
    for (const j of markedTies) {
      const edge = body.edges["t" + j];
      if (!edge || edge.options.hidden || !edge.from || !edge.to) continue;
      if (edge.from.options.hidden || edge.to.options.hidden) continue;
      const halo = tieMark[j] & 2 ? DS.style.ending : DS.style.fresh;
      const via = edge.edgeType.getViaNode ? edge.edgeType.getViaNode() : null;
      ctx.beginPath();
      ctx.moveTo(edge.from.x, edge.from.y);
      if (via && via.x !== undefined) ctx.quadraticCurveTo(via.x, via.y, edge.to.x, edge.to.y);
      else ctx.lineTo(edge.to.x, edge.to.y);
      const width = edge.options.width * 2.5 + DS.style.size;
      ctx.setLineDash(halo.dashes.map((d) => (d * width) / 3));
      ctx.strokeStyle = halo.color;
      ctx.lineWidth = width;
      ctx.stroke();
    }
    ctx.restore();
  }

  // --- the map under the network: outlines, choropleth, the default view ------------------

  const outlines = O ? netkoopOutlines.create(O, CH ? CH.colours : []) : null;

  // Frame the units shown (and the outlines of units) with room for labels at the sides.
  function fitView() {
    const width = container.clientWidth;
    const height = container.clientHeight;
    if (!width || !height) return;
    const box = outlines ? outlines.bounds.slice() : [Infinity, Infinity, -Infinity, -Infinity];
    const body = network.body.nodes;
    for (let i = 0; i < nU; i++) {
      const node = body[i];
      if (!node || !unitShown(i)) continue;
      const r = node.options.size;
      box[0] = Math.min(box[0], node.x - r);
      box[1] = Math.min(box[1], node.y - r);
      box[2] = Math.max(box[2], node.x + r);
      box[3] = Math.max(box[3], node.y + r);
    }
    if (!Number.isFinite(box[0])) return;
    const scale = Math.min(
      (width - 2 * FIT_MARGIN[0]) / Math.max(box[2] - box[0], 1),
      (height - 2 * FIT_MARGIN[1]) / Math.max(box[3] - box[1], 1),
      1,
    );
    network.moveTo({ position: { x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2 }, scale: scale, animation: false });
  }
  fitView();
  network.on("stabilizationIterationsDone", fitView);

  // The outline under the pointer (DOM coordinates), or -1.
  function outlineAt(dom) {
    return outlines ? outlines.at(network.DOMtoCanvas(dom)) : -1;
  }

  function outlineRows(k) {
    const rows = [[T.outline_level, T["level_" + O.levels[O.level[k]]]], [T.id, O.id[k]]];
    const code = CH ? O.classes[k] : -1;
    if (code >= 0) {
      if (CH.values[k] !== null) rows.push([CH.label, shown(CH.values[k])]);
      rows.push([T.choropleth_class, CH.classLabels[code]]);
    }
    return rows;
  }

  function hoverOutline(k) {
    if (outlines && outlines.hover(k)) requestRedraw();
  }

  // --- labels: drawn by the page at a fixed size, most important first, never overlapping ---

  const LS = D.labels;
  const labelText = U.name.slice();
  for (const entry of LS.short) labelText[entry[0]] = entry[1];
  const labels = netkoopLabels.create({
    text: labelText,
    font: U.kind.map((k) => UK[k].font),
    face: LS.face,
    color: LS.color,
    halo: LS.halo,
  });
  const labelRank = new Int32Array(nU);
  LS.order.forEach((i, r) => {
    labelRank[i] = r;
  });

  // Where a unit's symbol is on screen (CSS px) and how far it reaches; null when not drawn.
  function symbolAt(i, width, height, scale) {
    if (!unitShown(i)) return null;
    const node = network.body.nodes[i];
    if (!node || node.options.hidden) return null;
    const p = network.canvasToDOM({ x: node.x, y: node.y });
    if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) return null;
    return { x: p.x, y: p.y, r: node.options.size * (REACH[node.options.shape] || 1) * scale + 1 };
  }

  // With a unit selected, only its neighbourhood is labelled: the unit itself first.
  function drawLabels(ctx) {
    if (moving()) return;
    const width = container.clientWidth;
    const height = container.clientHeight;
    const scale = network.getScale();
    let order = LS.order;
    if (focus !== null) {
      const others = focus.nodes.filter((i) => i !== focus.unit).sort((a, b) => labelRank[a] - labelRank[b]);
      order = [focus.unit].concat(others);
    }
    const spots = new Array(nU);
    const where = (i) => {
      if (spots[i] === undefined) spots[i] = symbolAt(i, width, height, scale);
      return spots[i];
    };
    const symbols = focus !== null ? focus.nodes : network.body.nodeIndices;
    labels.place(ctx, order, where, width, height, symbols, (i) => labelRank[i]);
    labels.draw(ctx, network.canvas.pixelRatio || window.devicePixelRatio || 1, (i) => U.status[i] === 2);
  }
  api.labels = labels.boxes;
  api.outlines = () => (outlines ? outlines.drawn() : null);

  network.on("beforeDrawing", (ctx) => {
    if (outlines) outlines.draw(ctx, network.getScale());
    if (moving()) return;
    if (F && state.flows) drawFlows(ctx);
    if (DS && markedTies.length) drawHalos(ctx);
  });

  // The commuter pair under the pointer (DOM coordinates), or -1.
  function flowAt(dom) {
    if (!F || !state.flows) return -1;
    const p = network.DOMtoCanvas(dom);
    const scale = network.getScale();
    const bodyNodes = network.body.nodes;
    let best = -1;
    let bestDistance = Infinity;
    for (let k = 0; k < nF; k++) {
      if (!flowOn(k)) continue;
      const a = bodyNodes[F.a[k]];
      const b = bodyNodes[F.b[k]];
      if (!a || !b) continue;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const length = dx * dx + dy * dy;
      const t = length > 0 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length)) : 0;
      const ex = a.x + t * dx - p.x;
      const ey = a.y + t * dy - p.y;
      const distance = Math.sqrt(ex * ex + ey * ey);
      const reach = Math.max(4 / scale, flowWidth[k] / 2);
      if (distance <= reach && distance < bestDistance) {
        best = k;
        bestDistance = distance;
      }
    }
    return best;
  }

  // --- tooltips and the selection panel -----------------------------------------------------

  const tip = document.getElementById("tip");

  function unitName(i) {
    return i >= 0 ? U.name[i] : "";
  }

  function unitRows(i) {
    const rows = [[T.kind, UK[U.kind[i]].label]];
    rows.push([T.id, U.id[i]]);
    if (U.land[i] >= 0) rows.push([T.land, D.lands[U.land[i]].name]);
    if (U.parent[i] >= 0) rows.push([T.parent, unitName(U.parent[i])]);
    if (U.status[i] === 1) rows.push([T.change, T.status_added]);
    if (U.status[i] === 2) rows.push([T.change, T.status_removed]);
    const details = D.unitDetails;
    for (let c = 0; c < details.labels.length; c++) {
      const value = detailValue(c, i);
      if (value !== null) rows.push([details.labels[c], value]);
    }
    return rows;
  }

  // A unit's value of one tooltip column. On a day of the date slider its ties and partners
  // are counted among the ties existing then, its coordination office follows its dates,
  // and the other figures, measured on the opening day, show on that day only.
  function detailValue(c, i) {
    const details = D.unitDetails;
    const key = details.keys[c];
    const value = details.values[c][i];
    if (DS) {
      if (DS.live.includes(key)) return shown(liveFigures(i)[key]);
      if (DS.opening.includes(key) && day !== DS.start) return null;
      const office = DS.office;
      if (key === "coordination_office" && office && value !== null) {
        return during(office.first[i], office.last[i], DS.days[day]) ? value : office.none;
      }
    }
    return shown(value);
  }

  function liveFigures(i) {
    const partners = new Set();
    let degree = 0;
    for (const item of incidentLists().ties[i]) {
      if (!tieNow[item.ix]) continue;
      degree++;
      partners.add(item.from === i ? item.to : item.from);
    }
    return { degree: degree, neighbours: partners.size };
  }

  function flowInfo(k) {
    const a = unitName(F.a[k]);
    const b = unitName(F.b[k]);
    return {
      title: a + " ↔ " + b,
      rows: [
        [a + " → " + b, shown(F.ab[k])],
        [b + " → " + a, shown(F.ba[k])],
        [T.both, shown(F.total[k])],
        [T.tie, flowTied[k] === 0 ? T.gap : T.tied],
      ],
    };
  }

  function edgeInfo(id) {
    const item = edges.get(id);
    if (!item) return null;
    const k = item.ix;
    const kind = TK[R.kind[k]];
    const arrow = kind.directed ? " → " : " – ";
    const rows = [[T.kind, kind.label]];
    if (R.status[k] === 1) rows.push([T.change, T.status_added]);
    if (R.status[k] === 2) rows.push([T.change, T.status_removed]);
    if (tieMark[k] & 1) rows.push([T.change, T.slider_new]);
    if (tieMark[k] & 2) rows.push([T.change, T.slider_ending]);
    const details = D.tieDetails;
    for (let c = 0; c < details.labels.length; c++) {
      const value = shown(details.values[c][k]);
      if (value !== null) rows.push([details.labels[c], value]);
    }
    return { title: unitName(R.from[k]) + arrow + unitName(R.to[k]), rows: rows };
  }

  function rowsList(rows) {
    const list = el("dl");
    for (const row of rows) {
      list.appendChild(el("dt", { text: row[0] }));
      list.appendChild(el("dd", { text: row[1] }));
    }
    return list;
  }

  function showTip(title, rows, at) {
    tip.replaceChildren(el("strong", { text: title }), rowsList(rows));
    tip.hidden = false;
    const box = container.getBoundingClientRect();
    const x = Math.min(at.x + 14, box.width - tip.offsetWidth - 6);
    const y = at.y + 14 + tip.offsetHeight > box.height ? at.y - tip.offsetHeight - 10 : at.y + 14;
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = Math.max(4, y) + "px";
  }

  function hideTip() {
    tip.hidden = true;
  }

  let hovering = false; // a unit or tie is under the pointer
  network.on("hoverNode", (p) => {
    hovering = true;
    hoverOutline(-1);
    showTip(U.name[p.node], unitRows(p.node), p.pointer.DOM);
  });
  network.on("hoverEdge", (p) => {
    const info = edgeInfo(p.edge);
    if (!info) return;
    hovering = true;
    showTip(info.title, info.rows, p.pointer.DOM);
  });
  const leave = () => {
    hovering = false;
    hideTip();
  };
  container.addEventListener("mouseleave", () => hoverOutline(-1));
  network.on("blurNode", leave);
  network.on("blurEdge", leave);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  let pending = null;
  // Under the pointer, in this order: a label (its unit), a commuter pair, an outline.
  container.addEventListener("mousemove", (event) => {
    if (hovering) return;
    const box = container.getBoundingClientRect();
    const dom = { x: event.clientX - box.left, y: event.clientY - box.top };
    if (pending === null) {
      requestAnimationFrame(() => {
        const at = pending;
        pending = null;
        if (hovering) return;
        const i = labels.at(at.x, at.y);
        const k = i < 0 ? flowAt(at) : -1;
        const o = i < 0 && k < 0 ? outlineAt(at) : -1;
        hoverOutline(o);
        if (i >= 0) showTip(U.name[i], unitRows(i), at);
        else if (k >= 0) {
          const info = flowInfo(k);
          showTip(info.title, info.rows, at);
        } else if (o >= 0) showTip(O.name[o], outlineRows(o), at);
        else hideTip();
      });
    }
    pending = dom;
  });
  container.addEventListener("mouseleave", leave);

  // --- neighbourhood highlight --------------------------------------------------------------

  let incident = null; // per unit: the tie items and commuter pairs that touch it
  let focus = null;

  function incidentLists() {
    if (incident === null) {
      incident = { ties: Array.from({ length: nU }, () => []), flows: Array.from({ length: nU }, () => []) };
      for (const item of edgeItems) {
        incident.ties[item.from].push(item);
        if (item.to !== item.from) incident.ties[item.to].push(item);
      }
      for (let k = 0; k < nF; k++) {
        incident.flows[F.a[k]].push(k);
        incident.flows[F.b[k]].push(k);
      }
    }
    return incident;
  }

  function focusUnit(i, move) {
    const around = new Set([i]);
    const lists = incidentLists();
    const ties = lists.ties[i].filter(tieShown);
    const flows = lists.flows[i].filter(flowOn);
    for (const item of ties) around.add(item.from === i ? item.to : item.from);
    for (const k of flows) around.add(F.a[k] === i ? F.b[k] : F.a[k]);
    focus = { unit: i, nodes: Array.from(around), edges: ties.map((e) => e.id), flows: flows };
    api.focus = {
      unit: U.id[i],
      units: focus.nodes.map((n) => U.id[n]),
      ties: focus.edges.length,
      flows: flows.length,
    };
    network.selectNodes([i], true);
    showSelection(i, ties, flows);
    if (move) {
      network.focus(i, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 350 } });
    }
    requestRedraw();
  }

  function clearFocus() {
    focus = null;
    api.focus = null;
    network.unselectAll();
    selection.hidden = true;
    selection.replaceChildren();
    requestRedraw();
  }

  // Units asked that did not answer get a dashed ring around them, whatever their shape.
  const noAnswer = [];
  if (ANSWER !== null) for (let i = 0; i < nU; i++) if (ANSWER[i] === 0) noAnswer.push(i);

  function drawRings(ctx, ids) {
    const outline = S.style.noAnswer;
    const body = network.body.nodes;
    ctx.save();
    ctx.strokeStyle = outline.color;
    ctx.lineWidth = outline.width;
    ctx.setLineDash(outline.dashes);
    for (const i of ids) {
      const node = body[i];
      if (!node || !unitShown(i)) continue;
      const radius = node.options.size * (REACH[node.options.shape] || 1) + 2 + outline.width;
      ctx.beginPath();
      ctx.arc(node.x, node.y, radius, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.restore();
  }
  api.rings = () => noAnswer.filter(unitShown).map((i) => U.id[i]);

  network.on("afterDrawing", (ctx) => {
    if (focus === null) {
      if (noAnswer.length) drawRings(ctx, noAnswer);
      drawLabels(ctx);
      return;
    }
    // Fade everything, then draw the neighbourhood again on top of the veil.
    const a = network.DOMtoCanvas({ x: 0, y: 0 });
    const b = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.8)";
    ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
    ctx.lineCap = "round";
    const body = network.body;
    for (const k of focus.flows) {
      ctx.beginPath();
      strokeFlow(ctx, body.nodes, k);
      ctx.strokeStyle = FLOW_COLOR[flowTied[k]];
      ctx.lineWidth = flowWidth[k];
      ctx.stroke();
    }
    ctx.restore();
    const drawn = focus.edges.map((id) => body.edges[id]).filter((e) => e && e.connected);
    for (const edge of drawn) edge.draw(ctx);
    for (const edge of drawn) edge.drawArrows(ctx);
    const labels = [];
    for (const id of focus.nodes) {
      const node = body.nodes[id];
      if (!node) continue;
      const done = node.draw(ctx);
      if (done && done.drawExternalLabel) labels.push(done.drawExternalLabel);
    }
    for (const label of labels) label();
    if (noAnswer.length) drawRings(ctx, focus.nodes.filter((n) => ANSWER[n] === 0));
    drawLabels(ctx);
  });

  network.on("click", (p) => {
    const i = p.nodes.length ? p.nodes[0] : labels.at(p.pointer.DOM.x, p.pointer.DOM.y);
    if (i >= 0) focusUnit(i, false);
    else if (p.edges.length === 0) clearFocus();
  });

  const selection = document.getElementById("selection");

  function unitButton(i, extra) {
    return el(
      "li",
      null,
      [
        el("button", { class: "link", type: "button", text: U.name[i], on: { click: () => reveal(i) } }),
        extra ? el("span", { class: "what", text: extra }) : null,
      ],
    );
  }

  function showSelection(i, ties, flows) {
    const list = el("ul");
    const limit = 60;
    for (const item of ties.slice(0, limit)) {
      const other = item.from === i ? item.to : item.from;
      const label = TK[R.kind[item.ix]].label;
      list.appendChild(unitButton(other, oneSided(item.ix) ? label + " · " + T.one_sided_short : label));
    }
    const sorted = flows.slice().sort((x, y) => F.total[y] - F.total[x]);
    for (const k of sorted.slice(0, limit)) {
      const other = F.a[k] === i ? F.b[k] : F.a[k];
      const what = shown(F.total[k]) + " " + T.flow + (flowTied[k] === 0 ? " · " + T.gap_short : "");
      list.appendChild(unitButton(other, what));
    }
    selection.replaceChildren(
      el("button", { class: "close", type: "button", text: "×", title: T.clear, "aria-label": T.clear, on: { click: clearFocus } }),
      heading(T.selected),
      el("h3", { text: U.name[i] }),
      rowsList(unitRows(i)),
      ties.length + flows.length ? heading(T.partners_list) : null,
      list,
    );
    selection.querySelector("dl").className = "figures";
    selection.hidden = false;
  }

  // Show a unit even if filters hide it, then highlight it.
  function reveal(i) {
    if (DS && !unitNow[i]) {
      const p = nearestDay(i);
      if (p < 0) return;
      pause();
      showDay(p);
    }
    let changed = false;
    if (!state.unitKind[U.kind[i]]) {
      state.unitKind[U.kind[i]] = true;
      changed = true;
    }
    const land = U.land[i];
    if (land < 0 && !state.noLand) {
      state.noLand = true;
      changed = true;
    } else if (land >= 0 && !state.land[land]) {
      state.land[land] = true;
      changed = true;
    }
    if (!state.status[U.status[i]]) {
      state.status[U.status[i]] = true;
      changed = true;
    }
    if (ANSWER !== null && ANSWER[i] === 0 && !state.noAnswer) {
      state.noAnswer = true;
      changed = true;
    }
    if (changed) {
      syncBoxes();
      apply();
    }
    focusUnit(i, true);
  }
  api.reveal = (id) => {
    const i = U.id.indexOf(id);
    if (i >= 0) reveal(i);
    return i >= 0;
  };
  api.clearFocus = clearFocus;

  // --- side panel ---------------------------------------------------------------------------

  document.getElementById("title").textContent = D.title;
  const subtitle = [];
  if (D.referenceDate) subtitle.push(T.reference_date + " " + D.referenceDate);
  subtitle.push(T["layout_" + (D.layout === "geographic" ? "geo" : D.layout)]);
  document.getElementById("subtitle").textContent = subtitle.join(" · ");
  document.title = D.title;

  const search = document.getElementById("search");
  const results = document.getElementById("results");
  search.placeholder = T.search;
  search.setAttribute("aria-label", T.search);
  let folded = null;
  const fold = (s) =>
    s.toLocaleLowerCase(D.locale).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss");

  function matches(query) {
    if (folded === null) folded = U.name.map(fold);
    const q = fold(query.trim());
    if (!q) return [];
    const first = [];
    const later = [];
    for (let i = 0; i < nU && first.length < 12; i++) {
      if (CONTEXT[i]) continue;
      const name = folded[i];
      if (name.startsWith(q) || U.id[i].toLowerCase() === q) first.push(i);
      else if (later.length < 12 && (name.includes(q) || U.id[i].toLowerCase().startsWith(q))) later.push(i);
    }
    return first.concat(later).slice(0, 12);
  }

  function showMatches() {
    const hits = matches(search.value);
    results.replaceChildren();
    if (!search.value.trim()) return;
    if (!hits.length) results.appendChild(el("div", { class: "none", text: T.no_match }));
    for (const i of hits) {
      results.appendChild(
        el("button", { type: "button", text: U.name[i] + " (" + U.id[i] + ")", on: { click: () => reveal(i) } }),
      );
    }
  }
  search.addEventListener("input", showMatches);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      const hits = matches(search.value);
      if (hits.length) reveal(hits[0]);
    }
  });

  function figures() {
    const list = el("dl", { class: "figures" });
    for (const row of DS ? DS.headline[day] : D.headline) {
      list.appendChild(el("dt", { text: row.label }));
      const value = el("dd", { "data-key": row.key });
      if (row.base !== null && row.base !== row.value) {
        value.appendChild(el("span", { class: "was", text: row.base + " → " }));
      }
      value.appendChild(document.createTextNode(row.value));
      list.appendChild(value);
    }
    if (F) {
      list.appendChild(el("dt", { text: T.flow_pairs }));
      const drawn = DS ? flowsNow() : nF;
      const pairs = DS ? DS.pairs[day] : F.pairs;
      list.appendChild(el("dd", { "data-key": "flow_pairs", text: shown(drawn) + " / " + shown(pairs) }));
    }
    document.getElementById("figures").replaceChildren(heading(T.metrics), list);
  }

  // The commuter pairs drawn whose units both exist on the day shown.
  function flowsNow() {
    let count = 0;
    for (let k = 0; k < nF; k++) if (unitNow[F.a[k]] && unitNow[F.b[k]]) count++;
    return count;
  }

  const boxes = [];
  const counters = new Map(); // the count beside a filter, by group and key

  function checkbox(group, key, checked, onChange) {
    const box = el("input", { type: "checkbox", "data-filter": group, "data-key": key });
    box.checked = checked;
    box.addEventListener("change", () => onChange(box.checked));
    return box;
  }

  function filterRow(group, key, symbol, label, count, get, set) {
    const box = checkbox(group, key, get(), (on) => {
      set(on);
      apply();
    });
    boxes.push({ box: box, get: get });
    const number = count === null ? null : el("span", { class: "count", text: shown(count) });
    if (number !== null) counters.set(group + ":" + key, number);
    return el("label", { class: "row" }, [box, symbol, el("span", { text: label }), number]);
  }

  // The legend's counts of the units and ties that exist on the day shown.
  function recount() {
    const put = (group, key, n) => {
      const number = counters.get(group + ":" + key);
      if (number) number.textContent = shown(n);
    };
    const kinds = UK.map(() => 0);
    const lands = D.lands.map(() => 0);
    let noAnswer = 0;
    for (let i = 0; i < nU; i++) {
      if (!unitNow[i] || CONTEXT[i]) continue;
      kinds[U.kind[i]]++;
      if (U.land[i] >= 0) lands[U.land[i]]++;
      if (ANSWER !== null && ANSWER[i] === 0) noAnswer++;
    }
    const ties = TK.map(() => 0);
    let bothSides = 0;
    let oneSided = 0;
    for (let j = 0; j < nT; j++) {
      if (!tieNow[j]) continue;
      ties[R.kind[j]]++;
      if (CONFIRMED !== null && CONFIRMED[j] === 1) bothSides++;
      else if (CONFIRMED !== null && CONFIRMED[j] >= 2) oneSided++;
    }
    UK.forEach((kind, k) => put("unitKind", kind.key, kinds[k]));
    D.lands.forEach((land, k) => put("land", land.code, lands[k]));
    TK.forEach((kind, k) => put("tieKind", kind.key, ties[k]));
    put("survey", "noAnswer", noAnswer);
    put("survey", "bothSides", bothSides);
    put("survey", "oneSided", oneSided);
  }

  function syncBoxes() {
    for (const entry of boxes) entry.box.checked = entry.get();
  }

  function allNone(list, setAll) {
    const button = (text, on) =>
      el("button", {
        type: "button",
        text: text,
        on: {
          click: () => {
            setAll(on);
            syncBoxes();
            apply();
          },
        },
      });
    return el("div", { class: "links" }, [button(T.all, true), button(T.none, false)]);
  }

  function legendUnits() {
    const section = document.getElementById("legend-units");
    section.appendChild(heading(T.unit_kinds));
    UK.forEach((kind, k) => {
      if (kind.count === 0) return; // only context (Länder shown by their outline)
      section.appendChild(
        filterRow("unitKind", kind.key, shapeSymbol(kind.shape, kind.color), kind.label, kind.count,
          () => state.unitKind[k], (on) => { state.unitKind[k] = on; }),
      );
    });
  }

  function legendTies() {
    const section = document.getElementById("legend-ties");
    if (!TK.length) return;
    section.appendChild(heading(T.tie_kinds));
    TK.forEach((kind, k) => {
      const label = kind.label + (kind.directed ? " (" + T.directed + ")" : "");
      section.appendChild(
        filterRow("tieKind", kind.key, lineSymbol(kind.color, kind.dashes, 2, kind.directed), label, kind.count,
          () => state.tieKind[k], (on) => { state.tieKind[k] = on; }),
      );
    });
    const widths = el("div", { class: "note widths" }, [el("span", { text: T.intensity + ":" })]);
    [["occasional", 1], ["regular", 2.2], ["intensive", 3.6]].forEach((entry) => {
      widths.appendChild(lineSymbol("#555", [], entry[1] * 1.3, false));
      widths.appendChild(el("span", { text: T[entry[0]] }));
    });
    section.appendChild(widths);
  }

  function legendStatus() {
    if (!D.diff) return;
    const section = document.getElementById("legend-status");
    section.hidden = false;
    section.appendChild(heading(T.change));
    const symbols = [
      lineSymbol("#555", [], 2, false),
      lineSymbol("#555", [], 3, false, ADDED),
      lineSymbol("#999", [6, 12], 2, false),
    ];
    ["unchanged", "added", "removed"].forEach((key, s) => {
      section.appendChild(
        filterRow("status", key, symbols[s], T[key], null, () => state.status[s], (on) => { state.status[s] = on; }),
      );
    });
  }

  function legendSurvey() {
    if (!S) return;
    const section = document.getElementById("legend-survey");
    section.hidden = false;
    section.appendChild(heading(T.survey));
    if (S.noAnswer !== null) {
      section.appendChild(
        filterRow("survey", "noAnswer", outlineSymbol(S.style.noAnswer), T.no_answer, S.noAnswer,
          () => state.noAnswer, (on) => { state.noAnswer = on; }),
      );
    }
    if (S.oneSided !== null) {
      section.appendChild(
        filterRow("survey", "bothSides", lineSymbol("#555", [], 2, false), T.both_sides, S.bothSides,
          () => state.bothSides, (on) => { state.bothSides = on; }),
      );
      const dashed = lineSymbol("#555", S.style.oneSided.dashes, 2, false);
      dashed.lastChild.setAttribute("stroke-opacity", String(S.style.oneSided.opacity));
      section.appendChild(
        filterRow("survey", "oneSided", dashed, T.one_sided, S.oneSided,
          () => state.oneSided, (on) => { state.oneSided = on; }),
      );
    }
  }

  function legendFlows() {
    if (!F) return;
    const section = document.getElementById("legend-flows");
    section.hidden = false;
    section.appendChild(heading(T.flows));
    const show = checkbox("flows", "show", state.flows, (on) => {
      state.flows = on;
      apply();
    });
    boxes.push({ box: show, get: () => state.flows });
    section.appendChild(el("label", { class: "row" }, [show, el("span", { text: T.show_flows })]));
    const minimum = el("input", { type: "number", min: String(F.minCommuters), step: "1", "data-filter": "minCommuters" });
    minimum.value = String(F.minCommuters);
    minimum.addEventListener("change", () => {
      const value = Number(minimum.value);
      state.minCommuters = Number.isFinite(value) ? Math.max(value, F.minCommuters) : F.minCommuters;
      apply();
    });
    section.appendChild(el("label", { class: "row" }, [el("span", { text: T.min_commuters }), minimum]));
    section.appendChild(el("p", { class: "note", text: F.rule }));
    const present = DS ? new Set([0, 1]) : new Set(F.tied);
    [1, 0, 2].forEach((status) => {
      if (!present.has(status)) return;
      section.appendChild(
        el("div", { class: "row" }, [lineSymbol(FLOW_COLOR[status], [], 5, false), el("span", { text: T[FLOW_KEYS[status]] })]),
      );
    });
  }

  function legendSize() {
    const section = document.getElementById("legend-size");
    section.appendChild(heading(T.size));
    const size = D.size;
    if (size.fixed) {
      section.appendChild(el("p", { class: "note", text: T.size_fixed }));
      return;
    }
    section.appendChild(el("p", { class: "note", text: fill(T.size_means, { what: size.label }) }));
    section.appendChild(
      el("p", { class: "note", text: T.largest + ": " + shown(size.max) + " (" + unitName(size.maxUnit) + ")" }),
    );
  }

  function swatch(colour) {
    const box = svgEl("svg", { width: 18, height: 14, viewBox: "0 0 18 14", "aria-hidden": "true" });
    box.appendChild(
      svgEl("rect", { x: 1, y: 1, width: 16, height: 12, fill: colour, "fill-opacity": O.opacity, stroke: "#888", "stroke-width": 0.6 }),
    );
    return box;
  }

  // The map's legend: the choropleth's classes with their counts of places, then the borders.
  function legendMap() {
    if (!O) return;
    const section = document.getElementById("legend-map");
    section.hidden = false;
    if (CH) {
      section.appendChild(heading(CH.label));
      section.appendChild(el("p", { class: "note", text: CH.schemeLabel }));
      const counts = CH.colours.map(() => 0);
      for (const code of O.classes) if (code >= 0) counts[code]++;
      CH.colours.forEach((colour, c) => {
        section.appendChild(
          el("div", { class: "row", "data-class": String(c) }, [
            swatch(colour), el("span", { text: CH.classLabels[c] }), el("span", { class: "count", text: shown(counts[c]) }),
          ]),
        );
      });
    } else {
      section.appendChild(heading(T.outlines));
    }
    for (const level of ["land", "kreis", "gemeinde"]) {
      if (!O.levels.includes(level)) continue;
      const style = O.style[level];
      section.appendChild(
        el("div", { class: "row", "data-border": level }, [lineSymbol(style.color, [], style.width * 1.2, false), el("span", { text: T["border_" + level] })]),
      );
    }
  }

  function legendLands() {
    if (D.lands.length < 2) return;
    const section = document.getElementById("legend-lands");
    section.appendChild(heading(T.laender));
    section.appendChild(
      allNone(D.lands, (on) => {
        state.land = state.land.map(() => on);
        state.noLand = on;
      }),
    );
    const grid = el("div", { class: "lands" });
    D.lands.forEach((land, k) => {
      grid.appendChild(
        filterRow("land", land.code, null, land.name, land.count, () => state.land[k], (on) => { state.land[k] = on; }),
      );
    });
    if (U.land.some((l) => l < 0)) {
      grid.appendChild(filterRow("land", "none", null, T.no_land, null, () => state.noLand, (on) => { state.noLand = on; }));
    }
    section.appendChild(grid);
  }

  function gapList() {
    const gaps = DS && F ? DS.gaps[day] : D.gaps;
    const section = document.getElementById("gaps");
    section.replaceChildren();
    section.hidden = !gaps.length;
    if (!gaps.length) return;
    section.appendChild(heading(T.gap_list));
    for (const gap of gaps) {
      const text = unitName(gap[0]) + " ↔ " + unitName(gap[1]) + ": " + shown(gap[2]);
      section.appendChild(el("button", { type: "button", text: text, on: { click: () => reveal(gap[0]) } }));
    }
  }

  // --- the date slider: a position per day, a play button, the ties that begin or end ------

  const PLAY_STEP = 1000; // milliseconds per position while playing
  let playing = null;
  const controls = { input: null, date: null, play: null, fresh: null, ending: null };

  function sliderPanel() {
    if (!DS) return;
    const last = DS.days.length - 1;
    controls.input = el("input", {
      type: "range", id: "slider-range", min: "0", max: String(last), step: "1", "aria-label": T.as_of,
    });
    controls.input.addEventListener("input", () => {
      pause();
      showDay(Number(controls.input.value));
    });
    controls.date = el("strong", { id: "slider-day" });
    controls.play = el("button", { type: "button", id: "slider-play", on: { click: () => (playing === null ? play() : pause()) } });
    const row = (halo, key) => {
      const label = el("span");
      const count = el("span", { class: "count" });
      controls[key] = { label: label, count: count };
      return el("div", { class: "row", "data-mark": key }, [haloSymbol(halo), label, count]);
    };
    const section = el("section", { id: "slider" }, [
      heading(T.dates_heading),
      el("div", { class: "slider-when" }, [el("span", { text: T.as_of + " " }), controls.date, controls.play]),
      controls.input,
      el("div", { class: "slider-ends" }, [el("span", { text: DS.labels[0] }), el("span", { text: DS.labels[last] })]),
      row(DS.style.fresh, "fresh"),
      row(DS.style.ending, "ending"),
    ]);
    const side = document.getElementById("side");
    side.insertBefore(section, document.getElementById("find"));
    showPlaying();
  }

  // Show position p: its units and ties, their marks, the figures and counts of that day.
  function showDay(p) {
    datesOn(p);
    syncDay();
    batchFlows();
    if (focus !== null) {
      if (unitShown(focus.unit)) focusUnit(focus.unit, false);
      else clearFocus();
    }
    requestRedraw();
    dayShown();
  }

  function dayShown() {
    const last = DS.days.length - 1;
    controls.input.value = String(day);
    controls.input.setAttribute("aria-valuetext", DS.labels[day]);
    controls.date.textContent = DS.labels[day];
    let fresh = 0;
    let ending = 0;
    for (let j = 0; j < nT; j++) {
      if (tieMark[j] & 1) fresh++;
      if (tieMark[j] & 2) ending++;
    }
    controls.fresh.label.textContent = day > 0 ? fill(T.slider_new_since, { date: DS.labels[day - 1] }) : T.slider_new;
    controls.ending.label.textContent = day < last ? fill(T.slider_ending_before, { date: DS.labels[day + 1] }) : T.slider_ending;
    controls.fresh.count.textContent = shown(fresh);
    controls.ending.count.textContent = shown(ending);
    figures();
    gapList();
    recount();
  }

  function play() {
    if (day === DS.days.length - 1) showDay(0);
    playing = setInterval(() => {
      if (day < DS.days.length - 1) showDay(day + 1);
      if (day >= DS.days.length - 1) pause();
    }, PLAY_STEP);
    showPlaying();
  }

  function pause() {
    if (playing !== null) clearInterval(playing);
    playing = null;
    if (DS) showPlaying();
  }

  function showPlaying() {
    controls.play.textContent = playing === null ? "▶ " + T.play : "❚❚ " + T.pause;
    controls.play.setAttribute("aria-pressed", playing === null ? "false" : "true");
  }

  // The position nearest to the one shown on which unit i exists; -1 if none.
  function nearestDay(i) {
    let best = -1;
    for (let p = 0; p < DS.days.length; p++) {
      if (!during(DS.units.first[i], DS.units.last[i], DS.days[p])) continue;
      if (best < 0 || Math.abs(p - day) < Math.abs(best - day)) best = p;
    }
    return best;
  }

  if (DS) {
    api.slider = {
      days: DS.days,
      position: () => day,
      show: (p) => showDay(p),
      playing: () => playing !== null,
      marks: () => {
        const ids = (bit) => Array.from(tieMark.keys()).filter((j) => tieMark[j] & bit);
        return { fresh: ids(1), ending: ids(2) };
      },
    };
  }

  function settings() {
    const section = document.getElementById("settings");
    const physics = checkbox("physics", "on", Boolean(D.physics), (on) => {
      network.setOptions({ physics: { enabled: on } });
    });
    section.appendChild(el("label", { class: "row" }, [physics, el("span", { text: T.physics })]));
  }

  function credits() {
    const footer = document.getElementById("credits");
    if (D.credits.length) footer.appendChild(el("strong", { text: T.sources + ": " }));
    for (const credit of D.credits) {
      const parts = [el("b", { text: credit.name })];
      for (const key of ["credit", "licence", "note"]) {
        if (credit[key]) parts.push(document.createTextNode(" · " + credit[key]));
      }
      if (credit.url && /^https?:\/\//i.test(credit.url)) {
        parts.push(document.createTextNode(" · "));
        parts.push(el("a", { href: credit.url, text: credit.url, rel: "noopener noreferrer", target: "_blank" }));
      } else if (credit.url) {
        parts.push(document.createTextNode(" · " + credit.url));
      }
      footer.appendChild(el("span", { class: "credit" }, parts));
    }
    footer.appendChild(
      el("span", { class: "credit", text: fill(T.made_with, { version: D.version }) + " · vis-network " + D.visVersion + " (Apache-2.0/MIT)" }),
    );
  }

  sliderPanel();
  figures();
  legendUnits();
  legendTies();
  legendStatus();
  legendSurvey();
  legendFlows();
  legendSize();
  legendMap();
  legendLands();
  gapList();
  settings();
  credits();
  if (DS) dayShown();
  // A page made for one unit (render --focus) opens with it selected, as if clicked.
  if (Number.isInteger(D.focus) && unitShown(D.focus)) focusUnit(D.focus, false);

  // Ready once the first frame is on screen and the page can take input.
  network.once("afterDrawing", () => {
    requestAnimationFrame(() => {
      api.ready = true;
      api.readyAt = performance.now();
      document.documentElement.setAttribute("data-ready", "1");
    });
  });
})();
