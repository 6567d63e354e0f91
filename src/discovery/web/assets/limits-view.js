// "Your limits": what the signed-in person may spend per service and tool, and what is left
// now (counted by authd; only declared limits when authd does not answer).
import { $, h } from './dom.js';

function left(l) {
  if (l.remaining === null) return h('span', { class: 'muted' }, '?');
  const low = l.remaining === 0 ? 'limit-spent' : l.remaining <= l.limit / 5 ? 'limit-low' : undefined;
  return h('span', { class: low }, `${l.remaining} of ${l.limit}`);
}

export function renderLimits(report) {
  const section = $('#limits');
  section.hidden = report.limits.length === 0;
  $('#limits-note').textContent = report.live ? `Counted ${report.store === 'redis' ? 'across every gateway node (Redis)' : 'by this gateway node'}.` : report.note ?? '';
  $('#limits-rows').replaceChildren(
    ...report.limits.map((l) =>
      h('tr', { dataset: { limit: l.name } },
        h('th', { scope: 'row' }, l.name),
        h('td', {}, l.declared),
        h('td', {}, l.per === 'caller' ? 'you' : 'all callers'),
        h('td', { class: 'limit-left' }, left(l)),
        h('td', { class: 'muted' }, l.resets_in_s ? `${l.resets_in_s} s` : '–'),
      ),
    ),
  );
}
