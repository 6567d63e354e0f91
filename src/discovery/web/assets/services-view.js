// The services page: statistics, filters and one card per service, drawn from the view the
// server sends (and re-sends live). Controls the person lacks the right for are disabled.
import { $, age, h } from './dom.js';

const STATUS_TEXT = { healthy: 'healthy', unhealthy: 'unhealthy', 'auth-required': 'needs auth', timeout: 'timed out', unknown: 'not checked yet' };

export function hasIssue(s) {
  return s.enabled && (s.status !== 'healthy' || s.gated || s.withheld > 0);
}

export function matches(s, filter, text) {
  if (filter === 'enabled' && !s.enabled) return false;
  if (filter === 'disabled' && s.enabled) return false;
  if (filter === 'issues' && !hasIssue(s)) return false;
  if (!text) return true;
  const hay = [s.name, s.path, s.description, ...s.tags].join(' ').toLowerCase();
  return text.toLowerCase().split(/\s+/).every((w) => hay.includes(w));
}

export function renderStats(stats) {
  for (const key of ['services', 'enabled', 'healthy', 'tools']) $(`#stat-${key}`).textContent = String(stats[key]);
}

function rightNote(s, right) {
  return `You need the registry right "${right}" in scopes.yml to change ${s.name}`;
}

function healthLine(s) {
  const status = s.enabled ? s.status : 'disabled';
  return h('dl', { class: 'health' },
    h('div', {}, h('dt', {}, 'Health'), h('dd', {}, h('span', { class: `status status-${status}`, 'data-field': 'status', title: s.reason || undefined }, s.enabled ? STATUS_TEXT[s.status] ?? s.status : 'disabled'))),
    h('div', {}, h('dt', {}, 'Latency'), h('dd', { 'data-field': 'latency' }, s.latencyMs === undefined ? '–' : `${s.latencyMs} ms`)),
    h('div', {}, h('dt', {}, 'Checked'), h('dd', {}, h('time', { 'data-field': 'checked', datetime: s.checkedAt, title: s.checkedAt }, age(s.checkedAt)))),
    h('div', {}, h('dt', {}, 'Tools'), h('dd', { 'data-field': 'tools' }, s.toolCount === undefined ? '–' : String(s.toolCount))),
  );
}

/** One card. `actions` are the page's handlers: toggle, tools, edit, refresh. */
export function serviceCard(s, actions) {
  const canToggle = s.enabled ? s.may.disable : s.may.enable;
  const switchId = `switch-${s.name}`;
  return h('article', { class: `card${s.enabled ? '' : ' off'}`, dataset: { service: s.name }, 'aria-labelledby': `title-${s.name}` },
    h('header', {},
      h('div', { class: 'title' }, h('h3', { id: `title-${s.name}` }, s.name), h('code', { class: 'path' }, s.path)),
      h('label', { class: 'switch', for: switchId, title: canToggle ? undefined : rightNote(s, s.enabled ? 'disable' : 'enable') },
        h('input', { type: 'checkbox', role: 'switch', id: switchId, checked: s.enabled, disabled: !canToggle, 'aria-label': `Enabled: ${s.name}`, onchange: (e) => actions.toggle(s, e.target) }),
        h('span', { class: 'track', 'aria-hidden': 'true' }),
      ),
    ),
    h('p', { class: 'desc' }, s.description || h('span', { class: 'muted' }, 'No description')),
    s.tags.length ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, s.tags.map((t) => h('li', {}, t))) : null,
    healthLine(s),
    s.reason && s.enabled && s.status !== 'healthy' ? h('p', { class: 'reason' }, s.reason) : null,
    s.gated ? h('p', { class: 'reason' }, 'Route withheld: failing its health check (health.gate)') : null,
    h('footer', {},
      h('button', { type: 'button', onclick: () => actions.tools(s), 'aria-label': `Tools of ${s.name}` }, `Tools${s.toolCount === undefined ? '' : ` (${s.toolCount})`}`),
      h('button', { type: 'button', class: 'ghost', disabled: !s.may.edit, title: s.may.edit ? undefined : rightNote(s, 'register'), onclick: () => actions.edit(s), 'aria-label': `Edit ${s.name}` }, 'Edit'),
      h('button', { type: 'button', class: 'ghost', disabled: !s.enabled || !s.may.refresh, title: s.may.refresh ? undefined : rightNote(s, 'register'), onclick: (e) => actions.refresh(s, e.target), 'aria-label': `Check ${s.name} now` }, 'Check now'),
      // delegated_oauth: the person's own account at the service's authorization server (GET /ui/connect/<name>).
      s.connect ? h('a', { class: 'button ghost', href: `/ui/connect/${encodeURIComponent(s.name)}`, 'aria-label': `Connect your ${s.name} account`, title: 'calls through the gateway act as you there once you connect' }, 'Connect') : null,
      s.connect && actions.disconnect ? h('button', { type: 'button', class: 'ghost', onclick: (e) => actions.disconnect(s, e.target), 'aria-label': `Disconnect your ${s.name} account` }, 'Disconnect') : null,
      s.usable ? null : h('span', { class: 'badge', title: 'scopes.yml grants you no calls to this server' }, 'view only'),
      s.remote ? h('span', { class: 'badge', title: `a service of the federation peer ${s.remote}: read-only here` }, `remote: ${s.remote}`) : null,
    ),
  );
}

export function renderCards(view, filter, text, actions) {
  const shown = view.services.filter((s) => matches(s, filter, text));
  $('#cards').replaceChildren(...shown.map((s) => serviceCard(s, actions)));
  $('#empty').hidden = shown.length > 0;
  $('#empty').textContent = view.services.length === 0 ? 'No services are registered yet (or none you may see).' : 'No service matches.';
}

/** Refresh the "checked … ago" texts between live updates. */
export function tickAges() {
  for (const t of document.querySelectorAll('time[data-field="checked"]')) t.textContent = age(t.getAttribute('datetime'));
}
