// `mcpgw find` and `mcpgw index` as a user runs them, on a checkout of ~50 realistic tools.
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempProject } from '../../../testkit/cli.js';

interface FindJson {
  query: string;
  results: { server: string; tool: string; score: number; confidence: 'high' | 'low'; description: string; inputSchema: Record<string, unknown>; url: string }[];
}

describe('mcpgw find', () => {
  let project: { dir: string; cleanup(): Promise<void> };
  before(async () => {
    project = await tempProject('search');
  });
  after(() => project.cleanup());

  const find = async (query: string, ...args: string[]) => {
    const r = await runCli(['find', query, '--json', ...args], { cwd: project.dir });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).data as FindJson;
  };

  it('ranks the forecast tool first for "will it rain tomorrow", which shares no word with any tool', async () => {
    const { results } = await find('will it rain tomorrow');
    assert.equal(`${results[0]?.server}/${results[0]?.tool}`, 'weather/get_forecast');
  });

  it('ranks a stock price tool first for "share price of a company"', async () => {
    const { results } = await find('share price of a company');
    assert.equal(results[0]?.server, 'stocks');
    assert.ok(['get_quote', 'get_price_history'].includes(results[0]!.tool), results[0]!.tool);
  });

  it('prints the documented JSON: query, then server, tool, score, description, inputSchema and gateway url per result', async () => {
    const out = await find('send an email', '--top-k', '3');
    assert.equal(out.query, 'send an email');
    assert.equal(out.results.length, 3);
    const top = out.results[0]!;
    assert.deepEqual(Object.keys(top).sort(), ['confidence', 'description', 'inputSchema', 'score', 'server', 'tool', 'url']);
    assert.equal(top.confidence, 'high');
    assert.equal(`${top.server}/${top.tool}`, 'mail/send_email');
    assert.equal(top.url, 'https://gw.example.com/mail/mcp');
    assert.deepEqual((top.inputSchema as { required: string[] }).required, ['to']);
  });

  it('--server and --tag keep only the matching servers', async () => {
    const byServer = await find('list', '--server', 'files', '--top-k', '10');
    assert.ok(byServer.results.length > 0 && byServer.results.every((r) => r.server === 'files'));
    const byTag = await find('send a message', '--tag', 'communication', '--top-k', '10');
    assert.ok(byTag.results.length > 0 && byTag.results.every((r) => ['mail', 'chat'].includes(r.server)));
  });

  it('--explain names the fields and words that matched and both scores', async () => {
    const r = await runCli(['find', 'translate text into German', '--explain', '--top-k', '1'], { cwd: project.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /translate\/translate_text/);
    assert.match(r.stdout, /text \d+\.\d+ {2}vector -?\d\.\d+ {2}matched name: translate text/);
  });

  it('updates the index when one definition changes, says so on stderr, and finds the new tool', async () => {
    await runCli(['index'], { cwd: project.dir });
    await appendFile(
      join(project.dir, 'registry.d', 'translate.yaml'),
      '- name: spell_check\n  description: Find and correct spelling mistakes in a text\n  inputSchema: {type: object, properties: {text: {type: string}}}\n',
    );
    const r = await runCli(['find', 'fix typos in my essay', '--top-k', '1'], { cwd: project.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /index updated for translate: definitions or snapshots changed/);
    assert.match(r.stdout, /translate\/spell_check/);
    const quiet = await runCli(['find', 'fix typos in my essay', '--quiet'], { cwd: project.dir });
    assert.equal(quiet.stderr, '');
  });

  it('prefers the probe snapshot over static tools', async () => {
    await mkdir(join(project.dir, '.mcpgw', 'snapshots'), { recursive: true });
    const tools = [{ name: 'add_reaction', description: 'React to a chat message with an emoji', inputSchema: { type: 'object' } }];
    await writeFile(join(project.dir, '.mcpgw', 'snapshots', 'chat.json'), JSON.stringify({ service: 'chat', checkedAt: new Date().toISOString(), tools }));
    const out = await find('chat', '--server', 'chat', '--top-k', '10');
    assert.deepEqual(out.results.map((r) => r.tool), ['add_reaction']);
  });

  it('falls back to full text with a warning naming the fix when the openai embeddings endpoint is down', async () => {
    const down = await tempProject('search');
    try {
      const server = createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      await new Promise((r) => server.close(r)); // nothing listens there any more
      const settings = await readFile(join(down.dir, 'mcpgw.yaml'), 'utf8');
      await writeFile(join(down.dir, 'mcpgw.yaml'), `${settings}search:\n  embedder: openai\n  openai: { url: "http://127.0.0.1:${port}/v1", model: nomic-embed-text }\n`);
      const r = await runCli(['find', 'send an email', '--json'], { cwd: down.dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /warning: the embeddings endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings did not answer/);
      assert.match(r.stderr, /searching by full text only; fix: check that .* answers/);
      assert.equal((JSON.parse(r.stdout).data as FindJson).results[0]?.tool, 'send_email');
    } finally {
      await down.cleanup();
    }
  });
});
