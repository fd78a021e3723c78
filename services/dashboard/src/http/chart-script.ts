/** Chart geometry shared by the server-rendered frame and the page's script (viewBox units). */
export const CHART = Object.freeze({ width: 360, height: 150, left: 46, right: 8, top: 22, bottom: 20 });

/** Series colours (the first is also the single-series colour); distinct for the usual colour blindnesses. */
export const CHART_COLORS: readonly string[] = ['#1f6feb', '#d1242f', '#1a7f37', '#bf8700', '#8250df'];

/**
 * The page's chart code (a piece of the inline script): `drawChart(id, series, opts)` draws line series into
 * the `<svg id=…>` frame with SVG elements created through the DOM (no innerHTML, no inline style, so the
 * strict CSP holds): a y grid with labels, the history window (15 minutes) on x, one path per series (gaps where a value is
 * missing), a dot on each series' newest point and a legend. With no point at all it says so.
 */
export function chartScript(): string {
  return `
  // The SVG namespace, taken from the page's own chart frames (the page names no URL but its own).
  const SVGNS = (document.querySelector('svg.chart') || {}).namespaceURI;
  const G = ${JSON.stringify(CHART)};
  const COLORS = ${JSON.stringify(CHART_COLORS)};
  const svgEl = (name, attrs, text) => { const n = document.createElementNS(SVGNS, name);
    for (const k of Object.keys(attrs)) n.setAttribute(k, String(attrs[k])); if (text != null) n.textContent = text; return n; };
  // The top of the y axis: 4 grid steps of 1, 2, 2.5 or 5 × 10^k.
  const niceTop = (max) => { if (!(max > 0)) return 1; const raw = max / 4, p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return 4 * m * p; return 40 * p; };
  const span = (ms) => ms % 60000 === 0 ? ms / 60000 + ' min' : Math.round(ms / 1000) + ' s';
  const drawChart = (id, series, opts) => {
    const svg = document.getElementById(id); if (!svg) return;
    const x0 = opts.now - opts.windowMs, plotW = G.width - G.left - G.right, plotH = G.height - G.top - G.bottom;
    const X = (t) => G.left + plotW * (t - x0) / opts.windowMs;
    let max = 0, points = 0;
    for (const s of series) for (const p of s.points) if (p[1] != null && p[0] >= x0) { points++; if (p[1] > max) max = p[1]; }
    const top = niceTop(max);
    const Y = (v) => G.top + plotH * (1 - v / top);
    const kids = [];
    for (let i = 0; i <= 4; i++) {
      const v = top * i / 4, y = Y(v);
      kids.push(svgEl('line', { x1: G.left, x2: G.width - G.right, y1: y, y2: y, stroke: i ? '#eef0f2' : '#c9ced4' }));
      kids.push(svgEl('text', { x: G.left - 4, y: y + 3, 'text-anchor': 'end', 'font-size': 9, fill: '#59636e' }, opts.format(v)));
    }
    for (const k of [3, 2, 1, 0]) kids.push(svgEl('text', { x: X(opts.now - k * opts.windowMs / 3), y: G.height - 6,
      'text-anchor': k === 3 ? 'start' : k === 0 ? 'end' : 'middle', 'font-size': 9, fill: '#59636e' },
      k ? '-' + span(Math.round(k * opts.windowMs / 3)) : 'now'));
    let lx = G.left;
    series.forEach((s, i) => {
      const color = COLORS[i % COLORS.length];
      let d = '', pen = false, last = null;
      for (const p of s.points) {
        if (p[1] == null || p[0] < x0) { pen = false; continue; }
        const x = X(p[0]).toFixed(1), y = Y(p[1]).toFixed(1);
        d += (pen ? 'L' : 'M') + x + ' ' + y; pen = true; last = [x, y];
      }
      if (d) kids.push(svgEl('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round',
        'stroke-linecap': 'round', class: 'series', 'data-series': s.name }));
      if (last) kids.push(svgEl('circle', { cx: last[0], cy: last[1], r: 2.5, fill: color }));
      if (series.length > 1 || s.name) {
        kids.push(svgEl('rect', { x: lx, y: 5, width: 9, height: 9, rx: 2, fill: color }));
        const label = svgEl('text', { x: lx + 12, y: 13, 'font-size': 10, fill: '#1b1f24' }, s.name);
        kids.push(label); lx += 18 + Math.min(110, 6 * String(s.name).length);
      }
    });
    if (points === 0) kids.push(svgEl('text', { x: G.left + plotW / 2, y: G.top + plotH / 2, 'text-anchor': 'middle',
      'font-size': 11, fill: '#59636e', class: 'empty' }, opts.empty || 'no samples yet'));
    svg.setAttribute('data-points', String(points));
    svg.replaceChildren(...kids);
  };`;
}
