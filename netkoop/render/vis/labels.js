/* netkoop page labels: unit names on the canvas at a fixed size on screen, placed most
 * important first. A label goes below its unit, else above, right or left of it, preferring
 * a place that covers no other unit's symbol; where all four would overlap a label already
 * placed, the symbol of a more important unit, or reach past the canvas edge, it waits until
 * zooming in makes room. Grids of cells keep the overlap tests short on a national map. */
const netkoopLabels = (function () {
  "use strict";

  const GAP = 3; // px between a unit's symbol and its label
  const PAD = 2; // px kept free between two labels
  const EDGE = 2; // px kept free at the canvas edge
  const CELL = 64; // px per side of a grid cell
  const LINE = 1.25; // height of a label box per pixel of font size

  // L: per unit its text (forum names shortened), font ([size, bold, italic]) and the order
  // labels are placed in; face, colour and halo ([colour, width]) for all.
  function create(L) {
    const n = L.text.length;
    const widths = new Float64Array(n).fill(-1);
    const fonts = L.font.map(
      (f) => (f[2] ? "italic " : "") + (f[1] ? "600 " : "400 ") + f[0] + "px " + L.face,
    );
    let placed = [];

    function width(ctx, i) {
      if (widths[i] < 0) {
        ctx.font = fonts[i];
        widths[i] = ctx.measureText(L.text[i]).width;
      }
      return widths[i];
    }

    function clamp(value, low, high) {
      return Math.max(low, Math.min(high, value));
    }

    // The four places of a label of w by h around a symbol at (x, y) reaching r: below,
    // above, right, left; slid along the edge where the canvas cuts them, as long as they
    // stay beside their unit.
    function spots(x, y, r, w, h, W, H) {
      const across = clamp(x - w / 2, EDGE, W - EDGE - w);
      const upright = clamp(y - h / 2, EDGE, H - EDGE - h);
      const list = [];
      if (across <= x && x <= across + w) {
        list.push([across, y + r + GAP]);
        list.push([across, y - r - GAP - h]);
      }
      if (upright <= y && y <= upright + h) {
        list.push([x + r + GAP, upright]);
        list.push([x - r - GAP - w, upright]);
      }
      return list;
    }

    function cells(box, visit) {
      const x0 = Math.floor(box.x / CELL);
      const x1 = Math.floor((box.x + box.w) / CELL);
      const y0 = Math.floor(box.y / CELL);
      const y1 = Math.floor((box.y + box.h) / CELL);
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) if (visit(cx * 65536 + cy) === false) return false;
      }
      return true;
    }

    function overlaps(a, b) {
      return a.x < b.x + b.w + PAD && b.x < a.x + a.w + PAD && a.y < b.y + b.h + PAD && b.y < a.y + a.h + PAD;
    }

    function add(grid, box) {
      cells(box, (cell) => {
        if (!grid.has(cell)) grid.set(cell, []);
        grid.get(cell).push(box);
      });
    }

    // Whether a box overlaps none of the boxes in a grid that `counts` (by their unit).
    function clear(grid, box, counts) {
      return cells(box, (cell) => {
        const list = grid.get(cell);
        return !list || !list.some((other) => counts(other.i) && overlaps(box, other));
      });
    }

    const always = () => true;

    // Place the labels of `units` (in the order given) whose symbol `where(i)` finds on a
    // canvas of W by H CSS pixels ({x, y, r}, or null for a unit not drawn there). `symbols`
    // lists the units drawn: a label never covers the symbol of a unit of lower `rank` (more
    // important), and covers others only where it has no other place.
    function place(ctx, units, where, W, H, symbols, rank) {
      const grid = new Map();
      const covered = new Map();
      for (const i of symbols) {
        const at = where(i);
        if (at !== null) add(covered, { i: i, x: at.x - at.r, y: at.y - at.r, w: 2 * at.r, h: 2 * at.r });
      }
      placed = [];
      for (const i of units) {
        const at = where(i);
        if (at === null) continue;
        const w = width(ctx, i);
        const h = L.font[i][0] * LINE;
        if (w + 2 * EDGE > W || h + 2 * EDGE > H) continue;
        let chosen = null;
        for (const spot of spots(at.x, at.y, at.r, w, h, W, H)) {
          const box = { i: i, x: spot[0], y: spot[1], w: w, h: h };
          if (box.x < EDGE || box.y < EDGE || box.x + w > W - EDGE || box.y + h > H - EDGE) continue;
          if (!clear(grid, box, always) || !clear(covered, box, (j) => rank(j) < rank(i))) continue;
          if (clear(covered, box, (j) => j !== i)) {
            chosen = box;
            break;
          }
          if (chosen === null) chosen = box;
        }
        if (chosen === null) continue;
        add(grid, chosen);
        placed.push(chosen);
      }
    }

    // Draw the labels placed, in CSS pixels; faded(i) tells which to draw faded.
    function draw(ctx, pixelRatio, faded) {
      ctx.save();
      ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      ctx.strokeStyle = L.halo[0];
      ctx.lineWidth = L.halo[1];
      ctx.fillStyle = L.color;
      for (const box of placed) {
        ctx.font = fonts[box.i];
        ctx.globalAlpha = faded(box.i) ? 0.5 : 1;
        const y = box.y + box.h / 2;
        ctx.strokeText(L.text[box.i], box.x, y);
        ctx.fillText(L.text[box.i], box.x, y);
      }
      ctx.restore();
    }

    // The unit whose label holds a point (CSS pixels of the canvas); -1 if none.
    function at(x, y) {
      for (let k = placed.length - 1; k >= 0; k--) {
        const box = placed[k];
        if (x >= box.x && x <= box.x + box.w && y >= box.y && y <= box.y + box.h) return box.i;
      }
      return -1;
    }

    function boxes() {
      return placed.map((box) => ({ unit: box.i, text: L.text[box.i], x: box.x, y: box.y, w: box.w, h: box.h }));
    }

    return { place: place, draw: draw, at: at, boxes: boxes, count: n };
  }

  return { create: create };
})();
