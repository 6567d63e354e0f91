// Applies the remembered theme and sidebar state before the first paint (no flash).
try {
  const theme = localStorage.getItem('mcpgw.theme') || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  document.documentElement.dataset.theme = theme;
  if (localStorage.getItem('mcpgw.sidebar') === 'collapsed') document.documentElement.dataset.sidebar = 'collapsed';
} catch {
  // Storage blocked: defaults apply.
}
