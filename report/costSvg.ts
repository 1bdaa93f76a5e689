// `svmcheck compare --svg`: the comparison as small multiples, one panel per cost, one bar per
// policy (the median), a line to the 90th percentile. Plain SVG text, made without a browser;
// the same comparison gives the same bytes. Colours: the Okabe-Ito palette (colour-blind safe), one
// per policy.
import type { Comparison } from '../check/comparePolicies.js';
import { COST_POLICIES } from '../drivers/costPolicies/costPolicies.js';
import { COST_KEYS, type CostKey } from '../model/costs/costs.js';
import type { CompareHeader } from './costTable.js';

const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#56B4E9',
  '#CC79A7',
  '#000000',
  '#999999',
  '#F0E442',
  // Past Okabe-Ito's eight (and grey): Paul Tol's muted wine and teal.
  '#882255',
  '#44AA99',
];
const COLS = 2;
const PANEL_W = 480;
const NAME_W = 92;
const BAR_W = 250;
const ROW_H = 17;
const TOP = 64;

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const px = (n: number): string => (Math.round(n * 10) / 10).toString();

/** A value as the panel labels it: bytes in KiB or MiB, counts as they are. */
function shown(key: CostKey, v: number): string {
  if (key !== 'bytesCopied' || v === 0) return String(v);
  if (v >= 1024 * 1024) return `${(v / (1024 * 1024)).toFixed(1)} MiB`;
  return `${Math.round(v / 1024)} KiB`;
}

export function costSvg(h: CompareHeader, c: Extract<Comparison, { k: 'measured' }>): string {
  const n = c.policies.length;
  const panelH = 30 + ROW_H * n + 12;
  const rows = Math.ceil(COST_KEYS.length / COLS);
  const width = COLS * PANEL_W + 30;
  const height = TOP + rows * panelH + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${esc(`svmcheck compare: ${h.workload}`)}</text>`,
    `<text x="10" y="40">${esc(`${h.runs} run${h.runs === 1 ? '' : 's'} per policy, seed ${h.seed}, Linux ${h.kernel} rules; bar: median, line: 90th percentile; invariants on`)}</text>`,
  ];
  COST_KEYS.forEach(({ key, label }, i) => {
    const x0 = 10 + (i % COLS) * PANEL_W;
    const y0 = TOP + Math.floor(i / COLS) * panelH;
    const max = Math.max(1, ...c.policies.map((p) => p.p90[key]));
    out.push(`<g id="cost-${key}">`);
    out.push(`<text x="${x0}" y="${y0 + 14}" font-weight="bold">${esc(label)}</text>`);
    out.push(
      `<line x1="${x0 + NAME_W}" y1="${y0 + 22}" x2="${x0 + NAME_W}" y2="${y0 + 24 + ROW_H * n}" stroke="#888888"/>`,
    );
    c.policies.forEach((p, j) => {
      const y = y0 + 24 + j * ROW_H;
      const bar = (p.median[key] / max) * BAR_W;
      const whisker = (p.p90[key] / max) * BAR_W;
      // A policy keeps its colour from chart to chart: its place among all the policies.
      const k = COST_POLICIES.findIndex((x) => x.name === p.policy);
      const colour = PALETTE[(k < 0 ? j : k) % PALETTE.length] ?? '#000000';
      out.push(`<text x="${x0 + NAME_W - 6}" y="${y + 11}" text-anchor="end">${esc(p.policy)}</text>`);
      out.push(
        `<rect x="${x0 + NAME_W}" y="${y + 2}" width="${px(bar)}" height="${ROW_H - 5}" fill="${colour}"><title>${esc(`${p.policy} ${label}: median ${shown(key, p.median[key])}, p90 ${shown(key, p.p90[key])}`)}</title></rect>`,
      );
      if (whisker > bar)
        out.push(
          `<line x1="${px(x0 + NAME_W + bar)}" y1="${y + 7.5}" x2="${px(x0 + NAME_W + whisker)}" y2="${y + 7.5}" stroke="#333333"/>`,
          `<line x1="${px(x0 + NAME_W + whisker)}" y1="${y + 4}" x2="${px(x0 + NAME_W + whisker)}" y2="${y + 11}" stroke="#333333"/>`,
        );
      const v =
        p.median[key] === p.p90[key]
          ? shown(key, p.median[key])
          : `${shown(key, p.median[key])} (${shown(key, p.p90[key])})`;
      out.push(`<text x="${px(x0 + NAME_W + Math.max(bar, whisker) + 4)}" y="${y + 11}">${esc(v)}</text>`);
    });
    out.push('</g>');
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
