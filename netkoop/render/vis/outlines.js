/* netkoop page outlines: the polygons of places drawn under the network, in canvas units.
 * One pass over the coordinates traces every outline into the path of its fill colour (and
 * Land outlines into the path of Land borders), so a frame of 400 Kreise fills and strokes a
 * few paths, not hundreds; borders keep their width on screen whatever the zoom. The rings
 * are decoded for the pointer only when it first moves over the map. */
const netkoopOutlines = (function () {
  "use strict";

  // Smaller places are drawn first, so that Land borders lie over Kreis borders.
  const DRAW_ORDER = { gemeinde: 0, kreis: 1, land: 2 };

  // Even-odd crossing test of a point against all rings of one outline (holes included).
  function inside(rings, x, y) {
    let hit = false;
    for (const ring of rings) {
      const n = ring.length / 2;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const xi = ring[2 * i];
        const yi = ring[2 * i + 1];
        const xj = ring[2 * j];
        const yj = ring[2 * j + 1];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
      }
    }
    return hit;
  }

  // O: the page data of the outlines; colours: the fill of each choropleth class.
  function create(O, colours) {
    const q = O.quantum;
    const xy = O.xy;
    const levels = O.levels;
    const n = O.rings.length;
    const filled = levels.length > 1 ? (level) => level !== "land" : () => true;
    // Per level, the paths of its fills by colour (their edges are its borders too) and,
    // for Land outlines drawn as borders only, one path of borders.
    const fills = levels.map(() => new Map());
    const borders = levels.map(() => null);
    const boxes = new Float64Array(4 * n);
    const counts = {};
    let x = 0;
    let y = 0;
    let read = 0; // the next value of xy
    for (let k = 0; k < n; k++) {
      const l = O.level[k];
      const level = levels[l];
      counts[level] = (counts[level] || 0) + 1;
      let path;
      if (filled(level)) {
        const code = O.classes ? O.classes[k] : -1;
        const colour = code >= 0 ? colours[code] : O.fill;
        if (!fills[l].has(colour)) fills[l].set(colour, new Path2D());
        path = fills[l].get(colour);
      } else {
        if (borders[l] === null) borders[l] = new Path2D();
        path = borders[l];
      }
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (const count of O.rings[k]) {
        for (let p = 0; p < count; p++) {
          x += xy[read++];
          y += xy[read++];
          const cx = x * q;
          const cy = y * q;
          if (p === 0) path.moveTo(cx, cy);
          else path.lineTo(cx, cy);
          if (cx < x0) x0 = cx;
          if (cy < y0) y0 = cy;
          if (cx > x1) x1 = cx;
          if (cy > y1) y1 = cy;
        }
        path.closePath();
      }
      boxes.set([x0, y0, x1, y1], 4 * k);
    }

    // The default view frames the outlines of units (the places of the network), not the
    // context around them such as a whole Land.
    const bounds = [Infinity, Infinity, -Infinity, -Infinity];
    const framed = O.unit.some((u) => u >= 0);
    for (let k = 0; k < n; k++) {
      if (framed && O.unit[k] < 0) continue;
      bounds[0] = Math.min(bounds[0], boxes[4 * k]);
      bounds[1] = Math.min(bounds[1], boxes[4 * k + 1]);
      bounds[2] = Math.max(bounds[2], boxes[4 * k + 2]);
      bounds[3] = Math.max(bounds[3], boxes[4 * k + 3]);
    }

    let rings = null; // per outline its rings in canvas units, once the pointer needs them

    function decode() {
      rings = [];
      let px = 0;
      let py = 0;
      let i = 0;
      for (let k = 0; k < n; k++) {
        const own = [];
        for (const count of O.rings[k]) {
          const ring = new Float64Array(count * 2);
          for (let p = 0; p < count; p++) {
            px += xy[i++];
            py += xy[i++];
            ring[2 * p] = px * q;
            ring[2 * p + 1] = py * q;
          }
          own.push(ring);
        }
        rings.push(own);
      }
    }

    let hovered = -1;
    let hoverPath = null;
    let frames = 0; // frames drawn
    const order = levels.map((level, l) => l).sort((a, b) => DRAW_ORDER[levels[a]] - DRAW_ORDER[levels[b]]);

    function draw(ctx, scale) {
      ctx.save();
      ctx.globalAlpha = O.opacity;
      for (const l of order) {
        for (const [colour, path] of fills[l]) {
          ctx.fillStyle = colour;
          ctx.fill(path, "evenodd");
        }
      }
      ctx.globalAlpha = 1;
      ctx.lineJoin = "round";
      for (const l of order) {
        const style = O.style[levels[l]];
        ctx.strokeStyle = style.color;
        ctx.lineWidth = style.width / scale;
        for (const path of fills[l].values()) ctx.stroke(path);
        if (borders[l] !== null) ctx.stroke(borders[l]);
      }
      if (hoverPath !== null) {
        ctx.strokeStyle = O.hover.color;
        ctx.lineWidth = O.hover.width / scale;
        ctx.stroke(hoverPath);
      }
      ctx.restore();
      frames++;
    }

    // The outline under a canvas point: the smallest place that holds it (a Land outline
    // only where no Kreis or Gemeinde outline does); -1 if none.
    function at(point) {
      let best = -1;
      let rank = -1;
      for (let k = 0; k < n; k++) {
        const b = 4 * k;
        if (point.x < boxes[b] || point.x > boxes[b + 2] || point.y < boxes[b + 1] || point.y > boxes[b + 3]) continue;
        const r = 2 - DRAW_ORDER[levels[O.level[k]]];
        if (r <= rank) continue;
        if (rings === null) decode();
        if (!inside(rings[k], point.x, point.y)) continue;
        best = k;
        rank = r;
      }
      return best;
    }

    // Outline k (or -1: none) is under the pointer; tell whether that changed.
    function hover(k) {
      if (k === hovered) return false;
      hovered = k;
      hoverPath = null;
      if (k >= 0) {
        hoverPath = new Path2D();
        for (const ring of rings[k]) {
          hoverPath.moveTo(ring[0], ring[1]);
          for (let p = 2; p < ring.length; p += 2) hoverPath.lineTo(ring[p], ring[p + 1]);
          hoverPath.closePath();
        }
      }
      return true;
    }

    return { draw: draw, at: at, hover: hover, bounds: bounds, drawn: () => (frames ? Object.assign({}, counts) : null) };
  }

  return { create: create };
})();
