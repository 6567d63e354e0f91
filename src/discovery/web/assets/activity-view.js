// "Activity": one inline SVG sparkline per service (calls, and denials in red, per hour over the
// last day) and the most called tools. Drawn from /ui/api/activity; text via textContent only.
import { $, h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 160;
const HEIGHT = 28;

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Polyline points for counts, scaled to the chart (the highest bucket touches the top). */
export function sparkPoints(counts, max) {
  const step = counts.length > 1 ? WIDTH / (counts.length - 1) : 0;
  return counts.map((c, i) => `${(i * step).toFixed(1)},${(HEIGHT - 1 - (max ? (c / max) * (HEIGHT - 2) : 0)).toFixed(1)}`).join(' ');
}

function sparkline(s) {
  const max = Math.max(1, ...s.calls);
  const chart = svg('svg', { class: 'sparkline', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `${s.service}: ${s.total} calls, ${s.denials.reduce((a, b) => a + b, 0)} denied in the last 24 hours` });
  chart.append(svg('polyline', { class: 'calls', points: sparkPoints(s.calls, max) }));
  if (s.denials.some((d) => d > 0)) chart.append(svg('polyline', { class: 'denials', points: sparkPoints(s.denials, max) }));
  return chart;
}

export function renderActivity(activity) {
  const section = $('#activity');
  section.hidden = activity.services.length === 0;
  $('#activity-services').replaceChildren(
    ...activity.services.map((s) =>
      h('li', { dataset: { service: s.service } },
        h('span', { class: 'name' }, s.service),
        sparkline(s),
        h('span', { class: 'muted', 'data-field': 'total' }, `${s.total} calls`),
      ),
    ),
  );
  $('#activity-tools').replaceChildren(
    ...(activity.topTools.length
      ? activity.topTools.map((t) => h('li', { dataset: { tool: `${t.service}/${t.tool}` } }, `${t.service} · ${t.tool}`, h('span', { class: 'muted' }, ` — ${t.calls} calls`)))
      : [h('li', { class: 'muted' }, 'No tool was called yet.')]),
  );
}
