// Theme and sidebar, remembered in localStorage (theme-boot.js applies them before paint).
import { $ } from './dom.js';

function remember(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage blocked: the choice lasts for this page only.
  }
}

function showTheme() {
  const dark = document.documentElement.dataset.theme === 'dark';
  $('#theme-toggle').setAttribute('aria-label', dark ? 'Switch to light theme' : 'Switch to dark theme');
  $('#theme-toggle').textContent = dark ? '☀' : '☾';
}

function showSidebar() {
  const collapsed = document.documentElement.dataset.sidebar === 'collapsed';
  const toggle = $('#sidebar-toggle');
  toggle.setAttribute('aria-expanded', String(!collapsed));
  toggle.setAttribute('aria-label', collapsed ? 'Expand sidebar' : 'Collapse sidebar');
}

export function setUpComfort() {
  showTheme();
  showSidebar();
  $('#theme-toggle').addEventListener('click', () => {
    const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    remember('mcpgw.theme', next);
    showTheme();
  });
  $('#sidebar-toggle').addEventListener('click', () => {
    const collapsed = document.documentElement.dataset.sidebar !== 'collapsed';
    if (collapsed) document.documentElement.dataset.sidebar = 'collapsed';
    else delete document.documentElement.dataset.sidebar;
    remember('mcpgw.sidebar', collapsed ? 'collapsed' : 'open');
    showSidebar();
  });
}
