// A JSON value as nested <details>: objects and arrays fold, the top two levels start open.
import { h } from './dom.js';

export function jsonTree(value, key, depth = 0) {
  const label = key === undefined ? null : h('span', { class: 'json-key' }, `${key}: `);
  if (value === null || typeof value !== 'object') {
    return h('div', { class: 'json-leaf' }, label, h('span', { class: `json-${value === null ? 'null' : typeof value}` }, JSON.stringify(value)));
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return h('div', { class: 'json-leaf' }, label, brackets.join(''));
  return h('details', { class: 'json-node', open: depth < 2 },
    h('summary', {}, label, `${brackets[0]} ${entries.length} ${Array.isArray(value) ? 'items' : 'keys'} ${brackets[1]}`),
    h('div', { class: 'json-children' }, entries.map(([k, v]) => jsonTree(v, k, depth + 1))),
  );
}
