// Legacy SSE (MCP 2024-11-05): the server's first event, `endpoint`, tells the client where to
// POST messages. Many servers (server-everything among them) name an absolute path such as
// `/message?sessionId=…`, which a client resolves against the gateway's origin — outside the
// service prefix. Apply reads that event once per SSE service so render can route the path.
export async function discoverSseEndpoint(url: string, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<string | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: controller.signal });
    if (!res.ok || !res.body) return undefined;
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      const path = endpointPathOf(text);
      if (path !== undefined) return path;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** The path of an `endpoint` event in SSE text, if one is complete; only absolute paths matter. */
export function endpointPathOf(sse: string): string | undefined {
  for (const block of sse.replace(/\r\n/g, '\n').split('\n\n').slice(0, -1)) {
    const lines = block.split('\n');
    if (!lines.some((l) => l === 'event: endpoint' || l === 'event:endpoint')) continue;
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
    if (!data.startsWith('/')) return undefined;
    return new URL(data, 'http://x').pathname;
  }
  return undefined;
}
