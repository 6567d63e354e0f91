// Dialogs: a service's tools (with search through the `mcpgw find` engine), and the form that
// edits a service or registers a new one.
import * as api from './api.js';
import { $, h, toast } from './dom.js';
import { jsonTree } from './json-tree.js';

function toolEntry(tool, open) {
  return h('details', { class: 'tool', open, dataset: { tool: tool.name } },
    h('summary', {},
      h('span', { class: 'tool-name' }, tool.name),
      tool.allowed === undefined ? null : h('span', { class: `badge ${tool.allowed ? 'ok' : ''}`, title: tool.allowed ? 'scopes.yml lets you call it' : 'scopes.yml does not let you call it' }, tool.allowed ? 'you may call' : 'not granted'),
    ),
    h('p', { class: 'tool-desc' }, tool.description || 'No description'),
    h('div', { class: 'schema' }, h('h4', {}, 'Input schema'), jsonTree(tool.inputSchema ?? {})),
  );
}

let current;

async function runToolSearch(query) {
  const list = $('#tools-list');
  if (!query.trim()) return list.replaceChildren(...current.tools.map((t) => toolEntry(t, false)));
  try {
    const found = await api.search(query, current.service);
    const byName = new Map(current.tools.map((t) => [t.name, t]));
    const hits = found.results.map((r) => byName.get(r.tool) ?? { name: r.tool, description: r.description, inputSchema: r.inputSchema, allowed: true });
    list.replaceChildren(...(hits.length ? hits.map((t, i) => toolEntry(t, i === 0)) : [h('p', { class: 'muted' }, 'No tool you may call matches.')]));
    $('#tools-note').textContent = found.warnings.join(' ');
  } catch (err) {
    toast(err.message, 'error');
  }
}

export async function openToolsDialog(service, focusTool) {
  const dialog = $('#tools-dialog');
  $('#tools-title').textContent = `Tools of ${service.name}`;
  $('#tools-query').value = '';
  $('#tools-list').replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  $('#tools-note').textContent = '';
  dialog.showModal();
  try {
    current = await api.tools(service.name);
    $('#tools-note').textContent = current.tools.length
      ? `${current.tools.length} tool(s)${current.withheld.length ? `; ${current.withheld.length} waiting for approval` : ''}`
      : 'No tools known yet — check the service, or wait for the next probe.';
    $('#tools-list').replaceChildren(...current.tools.map((t) => toolEntry(t, t.name === focusTool)));
    dialog.querySelector(`[data-tool="${CSS.escape(focusTool ?? '')}"]`)?.scrollIntoView({ block: 'nearest' });
  } catch (err) {
    $('#tools-list').replaceChildren(h('p', { class: 'error' }, err.message));
  }
}

export function setUpToolsDialog() {
  const dialog = $('#tools-dialog');
  let timer;
  $('#tools-query').addEventListener('input', (e) => {
    clearTimeout(timer);
    timer = setTimeout(() => runToolSearch(e.target.value), 250);
  });
  dialog.querySelector('form').addEventListener('submit', (e) => {
    e.preventDefault();
    runToolSearch($('#tools-query').value);
  });
  dialog.querySelector('.close').addEventListener('click', () => dialog.close());
}

const splitTags = (text) => text.split(',').map((t) => t.trim()).filter(Boolean);

/** `service` undefined: register a new one. */
export function openEditDialog(service) {
  const dialog = $('#edit-dialog');
  const form = $('#edit-form');
  form.reset();
  $('#edit-error').textContent = '';
  $('#edit-title').textContent = service ? `Edit ${service.name}` : 'Register a service';
  $('#name-field').hidden = Boolean(service);
  $('#transport-field').hidden = Boolean(service);
  form.elements.name.required = !service;
  form.elements.upstream.required = !service;
  if (service) {
    form.elements.description.value = service.description;
    form.elements.tags.value = service.tags.join(', ');
    form.elements.upstream.value = service.upstreams[0] ?? '';
  }
  form.onsubmit = async (e) => {
    e.preventDefault();
    const f = form.elements;
    const fields = { description: f.description.value, tags: splitTags(f.tags.value) };
    if (f.upstream.value) fields.upstream = f.upstream.value;
    try {
      const result = service
        ? await api.edit(service.name, fields)
        : await api.register({ ...fields, name: f.name.value, transport: f.transport.value });
      dialog.close();
      toast(`${service ? service.name : f.name.value}: saved — ${result.gateway}`);
    } catch (err) {
      $('#edit-error').textContent = err.message;
    }
  };
  dialog.showModal();
}

export function setUpEditDialog() {
  const dialog = $('#edit-dialog');
  for (const b of dialog.querySelectorAll('.close')) b.addEventListener('click', () => dialog.close());
}
