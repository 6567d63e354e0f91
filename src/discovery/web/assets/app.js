// The page: sign-in state, the services view kept live by the server's event stream, and the
// person's changes (each answered by the server, which checks rights and CSRF).
import * as api from './api.js';
import { $, $$, h, toast } from './dom.js';
import { setUpComfort } from './comfort.js';
import { openEditDialog, openToolsDialog, setUpEditDialog, setUpToolsDialog } from './dialogs.js';
import { renderCards, renderStats, tickAges } from './services-view.js';
import { renderLimits } from './limits-view.js';
import { renderActivity } from './activity-view.js';

const page = { view: undefined, filter: 'all', text: '', events: undefined };

const actions = {
  async toggle(service, input) {
    input.disabled = true;
    try {
      const result = await api.setEnabled(service.name, input.checked);
      toast(`${service.name}: ${input.checked ? 'enabled' : 'disabled'} — ${result.gateway}`);
    } catch (err) {
      input.checked = !input.checked;
      toast(err.message, 'error');
    } finally {
      input.disabled = false;
    }
  },
  tools: (service) => openToolsDialog(service),
  edit: (service) => openEditDialog(service),
  async refresh(service, button) {
    button.disabled = true;
    button.textContent = 'Checking…';
    try {
      await api.refresh(service.name);
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      button.disabled = false;
      button.textContent = 'Check now';
    }
  },
  async disconnect(service, button) {
    button.disabled = true;
    try {
      const result = await api.disconnect(service.name);
      toast(result.removed ? `${service.name}: your account is disconnected` : `${service.name}: you had not connected an account`);
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      button.disabled = false;
    }
  },
};

function draw() {
  if (!page.view) return;
  renderStats(page.view.stats);
  renderCards(page.view, page.filter, page.text, actions);
  $('#register').hidden = !page.view.mayRegister;
}

function showSignIn(message, provider = true) {
  $('#registry').hidden = true;
  $('#who').hidden = true;
  $('#register').hidden = true;
  $('#signin').hidden = false;
  // Without a provider there is nowhere to send people: the operator uses the one-time link.
  $('#signin-link').hidden = !provider;
  $('#signin-operator').hidden = provider;
  if (message) $('#signin-message').textContent = message;
  $('#live').textContent = '';
}

function connectLive() {
  page.events?.close();
  const events = new EventSource('/ui/api/events');
  page.events = events;
  events.addEventListener('registry', (e) => {
    page.view = JSON.parse(e.data);
    $('#live').textContent = '● live';
    $('#live').dataset.state = 'live';
    draw();
  });
  events.addEventListener('notice', (e) => {
    const notice = JSON.parse(e.data);
    toast(`Gateway: ${notice.message}`, notice.ok ? 'info' : 'error');
  });
  events.addEventListener('signed-out', () => {
    events.close();
    showSignIn('Your session ended. Sign in again to continue.');
  });
  events.onerror = () => {
    $('#live').textContent = 'reconnecting…';
    $('#live').dataset.state = 'down';
  };
}

async function showLimits() {
  try {
    renderLimits(await api.limits());
  } catch (err) {
    toast(err.message, 'error');
  }
}

async function showActivity() {
  try {
    renderActivity(await api.activity());
  } catch (err) {
    toast(err.message, 'error');
  }
}

async function findTools(query) {
  const list = $('#find-results');
  if (!query.trim()) return list.replaceChildren();
  try {
    const found = await api.search(query);
    list.replaceChildren(
      ...(found.results.length
        ? found.results.map((r) =>
            h('li', {},
              h('button', { type: 'button', class: 'link', onclick: () => openToolsDialog(page.view.services.find((s) => s.name === r.server) ?? { name: r.server }, r.tool) }, `${r.server} · ${r.tool}`),
              h('p', {}, r.description),
            ),
          )
        : [h('li', { class: 'muted' }, 'No tool you may call matches.')]),
    );
  } catch (err) {
    toast(err.message, 'error');
  }
}

function wire() {
  setUpComfort();
  setUpToolsDialog();
  setUpEditDialog();
  for (const button of $$('[data-filter]')) {
    button.addEventListener('click', () => {
      page.filter = button.dataset.filter;
      for (const b of $$('[data-filter]')) b.setAttribute('aria-pressed', String(b === button));
      draw();
    });
  }
  $('#filter-text').addEventListener('input', (e) => {
    page.text = e.target.value.trim();
    draw();
  });
  $('#find-form').addEventListener('submit', (e) => {
    e.preventDefault();
    findTools($('#find-query').value);
  });
  $('#register').addEventListener('click', () => openEditDialog());
  $('#limits-refresh').addEventListener('click', showLimits);
  $('#activity-refresh').addEventListener('click', showActivity);
  $('#sign-out').addEventListener('click', async () => {
    await api.signOut();
    page.events?.close();
    showSignIn('You are signed out.');
  });
  setInterval(tickAges, 10_000);
}

async function start() {
  wire();
  const error = new URLSearchParams(location.search).get('error');
  try {
    const who = await api.me();
    $('#who-subject').textContent = who.subject;
    $('#who-groups').textContent = who.groups.join(', ') || 'no groups';
    $('#who').hidden = false;
    $('#signin').hidden = true;
    $('#registry').hidden = false;
    page.view = await api.services();
    draw();
    connectLive();
    showLimits();
    showActivity();
  } catch (err) {
    if (err.status === 401) return showSignIn(error ? `Sign-in failed: ${error}` : undefined, err.details?.provider !== false);
    toast(err.message, 'error');
  }
}

start();
