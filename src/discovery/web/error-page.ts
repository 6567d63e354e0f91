// What a person sees when something goes wrong outside the page's own API calls: an HTML page
// that says what happened and what to do next — never raw JSON in a browser tab.
import type { ServerResponse } from 'node:http';

export interface ErrorPage {
  status: number;
  title: string;
  /** What happened, in a sentence. */
  message: string;
  /** What to do next: plain text; `code` spans in backticks are shown as code. */
  next: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const withCode = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');

/** Pure: the page's HTML (styles from the UI's own stylesheet; no script). */
export function errorPageHtml(page: ErrorPage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} — mcpgw</title><link rel="stylesheet" href="/ui/assets/styles.css"></head>
<body><main class="error-page" data-status="${page.status}">
<h1>${escapeHtml(page.title)}</h1>
<p class="what">${withCode(page.message)}</p>
<p class="next"><strong>Next:</strong> ${withCode(page.next)}</p>
<p><a class="button" href="/ui/">Back to the registry</a></p>
</main></body></html>
`;
}

export function sendErrorPage(res: ServerResponse, page: ErrorPage, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(errorPageHtml(page));
}
