#!/usr/bin/env node
/**
 * Draws deploy/grafana/shipment-tracking.dashboard.json the way its panels lay out, from its own
 * PromQL run against a real Prometheus, and screenshots it in Chromium (playwright-core). For
 * machines without Grafana (this project's CI has none): the queries, grid and units are the
 * dashboard's; the drawing is this script's, not Grafana's.
 *
 *   node deploy/grafana/render-preview.js <prometheus-url> <out.png> [minutes=10]
 *
 * $job and $instance are "all"; $__rate_interval is 1m. Needs Debian's chromium.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { chromium } = require('playwright-core');

const [prometheus, out, minutesArg] = process.argv.slice(2);
if (!prometheus || !out) {
  console.error('usage: render-preview.js <prometheus-url> <out.png> [minutes]');
  process.exit(2);
}
const minutes = Number(minutesArg ?? 10);
const dashboard = JSON.parse(readFileSync(join(__dirname, 'shipment-tracking.dashboard.json'), 'utf8'));
const COLORS = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#f2495c', '#b877d9', '#8ab8ff', '#ffb357'];
const CELL = 54; // px per grid column (24 columns)
const ROW = 32; // px per grid row

function resolve(expr) {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('"$job"', '".*"')
    .replaceAll('"$instance"', '".*"');
}

async function queryRange(expr, start, end, step) {
  const url = new URL('/api/v1/query_range', prometheus);
  url.search = new URLSearchParams({ query: resolve(expr), start, end, step }).toString();
  const body = await (await fetch(url)).json();
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return body.data.result;
}

function legend(format, metric) {
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => metric[name] ?? '');
}

function formatValue(value, unit, decimals) {
  if (!Number.isFinite(value)) return '–';
  if (decimals !== undefined) return value.toFixed(decimals);
  if (unit === 'bytes') return `${(value / 1024 / 1024).toFixed(0)} MiB`;
  if (unit === 's') return value < 1 ? `${(value * 1000).toFixed(value < 0.01 ? 2 : 0)} ms` : `${value.toFixed(2)} s`;
  if (unit === 'reqps' || unit === 'ops') return `${value < 10 ? value.toFixed(2) : value.toFixed(0)}/s`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function timeseries(panel, series, width, height, start, end) {
  const w = width - 24;
  const h = height - 70;
  const all = series.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
  const max = Math.max(...all, 0) * 1.1 || 1;
  const unit = panel.fieldConfig.defaults.unit;
  const x = (t) => ((t - start) / (end - start)) * w;
  const y = (v) => h - (v / max) * h;
  const lines = series
    .map((s, i) => {
      const d = s.points.map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
      return `<path d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5"/>`;
    })
    .join('');
  const grid = [0, 0.5, 1]
    .map((f) => `<line x1="0" x2="${w}" y1="${y(max * f / 1.1)}" y2="${y(max * f / 1.1)}" stroke="#2c3235"/>` +
      `<text x="2" y="${y(max * f / 1.1) - 2}" fill="#8e8e8e" font-size="10">${formatValue(max * f / 1.1, unit)}</text>`)
    .join('');
  const legends = series
    .slice(0, 6)
    .map((s, i) => `<span><i style="background:${COLORS[i % COLORS.length]}"></i>${escape(s.name)}</span>`)
    .join('');
  return `<svg width="${w}" height="${h}">${grid}${lines}</svg><div class="legend">${legends}</div>`;
}

function stat(panel, series) {
  const { unit, decimals } = panel.fieldConfig.defaults;
  const mappings = panel.fieldConfig.defaults.mappings?.[0]?.options ?? {};
  if (series.length === 0) return '<div class="stat">No data</div>';
  return series
    .slice(0, 4)
    .map((s) => {
      const last = s.points.at(-1)?.[1];
      const mapped = mappings[String(last)];
      const text = mapped ? mapped.text : formatValue(last, unit, decimals);
      const color = mapped?.color ?? '#73bf69';
      return `<div class="stat"><b style="color:${color}">${escape(text)}</b><small>${escape(s.name)}</small></div>`;
    })
    .join('');
}

function escape(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

async function main() {
  const end = Math.floor(Date.now() / 1000);
  const start = end - minutes * 60;
  const step = Math.max(5, Math.floor((end - start) / 120));
  const boxes = [];
  for (const panel of dashboard.panels) {
    const { x, y, w, h } = panel.gridPos;
    const style = `left:${x * CELL}px;top:${y * ROW}px;width:${w * CELL - 8}px;height:${h * ROW - 8}px`;
    if (panel.type === 'row') {
      boxes.push(`<div class="row" style="${style}">${escape(panel.title)}</div>`);
      continue;
    }
    const series = [];
    for (const target of panel.targets) {
      for (const result of await queryRange(target.expr, start, end, step)) {
        series.push({
          name: legend(target.legendFormat, result.metric),
          points: result.values.map(([t, v]) => [Number(t), Number(v)]),
        });
      }
    }
    const body =
      panel.type === 'stat'
        ? stat(panel, series)
        : timeseries(panel, series, w * CELL - 8, h * ROW - 8, start, end);
    boxes.push(`<div class="panel" style="${style}"><h3>${escape(panel.title)}</h3>${body}</div>`);
  }
  const height = Math.max(...dashboard.panels.map((p) => (p.gridPos.y + p.gridPos.h) * ROW)) + 40;
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>
    body{margin:0;background:#111217;color:#ccccdc;font:12px Inter,Helvetica,Arial,sans-serif}
    header{padding:8px 12px;font-size:16px;border-bottom:1px solid #2c3235}
    header small{color:#8e8e8e;font-size:11px;margin-left:12px}
    main{position:relative;margin:8px}
    .panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:2px;padding:6px 8px;box-sizing:border-box;overflow:hidden}
    .row{position:absolute;font-size:14px;font-weight:600;padding-top:6px}
    h3{margin:0 0 6px;font-size:12px;font-weight:500}
    .legend span{margin-right:10px;white-space:nowrap;font-size:10px}.legend i{display:inline-block;width:10px;height:3px;margin-right:4px;vertical-align:middle}
    .stat{display:inline-block;margin:4px 12px 0 0;text-align:center}.stat b{display:block;font-size:24px}.stat small{color:#8e8e8e}
    </style></head><body><header>${escape(dashboard.title)}<small>preview of deploy/grafana/${'shipment-tracking.dashboard.json'}: its queries against Prometheus, last ${minutes} min (drawn by render-preview.js, not by Grafana)</small></header>
    <main style="height:${height}px">${boxes.join('')}</main></body></html>`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 24 * CELL + 16, height: height + 60 } });
    await page.setContent(html);
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${out}`);
}

main().catch((error) => {
  console.error(`render-preview: ${error.message}`);
  process.exit(1);
});
