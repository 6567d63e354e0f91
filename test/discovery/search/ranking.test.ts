// What the ranking promises a user, in process over a checkout of realistic tools: no answer
// without evidence, words the word vectors never saw (names, typos, compounds), CJK text, and an
// OpenAI-compatible embedder (a mock embedder model on a real loopback HTTP server) changing results.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempProject } from '../../../testkit/cli.js';
import { openIndex, type OpenedIndex } from '../../../src/discovery/search/index-update.js';
import { findTools } from '../../../src/discovery/search/find-tools.js';
import { editDistance } from '../../../src/discovery/search/term-corrections.js';

const extraServices = {
  'deepwiki.yaml': `name: deepwiki
description: Read documentation wikis
upstream: http://127.0.0.1:9/mcp
tools:
- name: deepwiki_fetch
  description: Fetch a repository's generated documentation page and return it as Markdown
  inputSchema: {type: object, properties: {url: {type: string}}}
- name: mindmap
  description: Turn a Markdown outline into an interactive diagram
  inputSchema: {type: object, properties: {markdown: {type: string}}}
- name: calculate
  description: Evaluate an arithmetic expression
  inputSchema: {type: object, properties: {expression: {type: string}}}
`,
  'bing-cn.yaml': `name: bing-cn
description: 中文必应搜索
upstream: http://127.0.0.1:9/mcp
tools:
- name: bing_search
  description: 使用必应搜索指定的关键词，并返回搜索结果列表，包括标题、链接和摘要
  inputSchema: {type: object, properties: {query: {type: string}}}
- name: fetch_webpage
  description: 根据提供的ID获取对应网页的内容
  inputSchema: {type: object, properties: {id: {type: string}}}
`,
  'trends.yaml': `name: trends
description: Trending lists
upstream: http://127.0.0.1:9/mcp
tools:
- name: get-douban-rank
  description: 获取豆瓣实时热门榜单
  inputSchema: {type: object, properties: {}}
- name: get_trending_topics
  description: Get the current trending topics and trends on social media
  inputSchema: {type: object, properties: {limit: {type: number}}}
- name: plot_trend_chart
  description: Draw a line chart of a trend over time
  inputSchema: {type: object, properties: {data: {type: array}}}
`,
};

const top = async (opened: OpenedIndex, query: string) => (await findTools(opened, query, { topK: 3 })).results.map((r) => `${r.server}/${r.tool}`);

describe('ranking', () => {
  let project: { dir: string; cleanup(): Promise<void> };
  let opened: OpenedIndex;
  before(async () => {
    project = await tempProject('search');
    for (const [file, text] of Object.entries(extraServices)) await writeFile(join(project.dir, 'registry.d', file), text);
    opened = await openIndex(project.dir);
  });
  after(() => project.cleanup());

  it('a query with no evidence (gibberish) returns no results', async () => {
    assert.deepEqual((await findTools(opened, 'zxqvbn', { topK: 10 })).results, []);
    assert.deepEqual((await findTools(opened, 'qqxjzv vvbnmr', { topK: 10 })).results, []);
  });

  it('a tool name the word vectors do not know is found by that word', async () => {
    assert.equal((await top(opened, 'deepwiki'))[0], 'deepwiki/deepwiki_fetch');
    assert.equal((await top(opened, 'mindmap'))[0], 'deepwiki/mindmap');
  });

  it('tolerates a typo and finds a compound written as two words', async () => {
    assert.equal((await top(opened, 'caculate 17 * 4'))[0], 'deepwiki/calculate');
    assert.equal((await top(opened, 'mind map'))[0], 'deepwiki/mindmap');
    assert.equal(editDistance('caculate', 'calculate', 2), 1);
    assert.equal(editDistance('recieve', 'receive', 2), 1);
    assert.equal(editDistance('zxqvbn', 'search', 2), 3);
  });

  it('a CJK description matches a CJK query', async () => {
    assert.equal((await top(opened, '必应搜索'))[0], 'bing-cn/bing_search');
    assert.equal((await top(opened, '获取网页内容'))[0], 'bing-cn/fetch_webpage');
    const [explained] = (await findTools(opened, '必应搜索', { topK: 1, explain: true })).results;
    assert.equal(explained?.confidence, 'high');
    assert.deepEqual(explained?.explain?.matched.description, ['必应', '应搜', '搜索']);
  });

  it('a name the word vectors lack leads: the cosine of the rest of the query ("current trends") is left out', async () => {
    const { results } = await findTools(opened, 'current trends in douban', { topK: 3, explain: true });
    assert.equal(results[0]?.tool, 'get-douban-rank', JSON.stringify(results.map((r) => r.tool)));
    assert.ok(results.every((r) => r.explain?.ranks.vector === undefined), 'no vector list');
    // A number the vectors lack names nothing: the cosine list stays.
    const withNumber = await findTools(opened, 'current trends of 2025', { topK: 3, explain: true });
    assert.ok(withNumber.results.some((r) => r.explain?.ranks.vector !== undefined));
  });

  it('results the words back are high confidence', async () => {
    const { results } = await findTools(opened, 'weather forecast for a city', { topK: 1 });
    assert.equal(results[0]?.tool, 'get_forecast');
    assert.equal(results[0]?.confidence, 'high');
  });
});

/**
 * A mock embedder model (no model can run here): a real HTTP server answering the OpenAI
 * /v1/embeddings shape with deterministic vectors — one dimension per concept, so that texts
 * that share no word but mean the same ("umbrella", "precipitation") point the same way.
 */
const CONCEPTS = [/umbrella|rain|precipitation|forecast|weather/i, /money|invoice|payment|bill/i, /mail|letter|email/i, /map|route|directions/i];
function mockVector(text: string): number[] {
  const v = CONCEPTS.map((re) => (re.test(text) ? 1 : 0));
  return [...v, 0.05]; // never all zero
}

describe('OpenAI-compatible embedder', () => {
  let project: { dir: string; cleanup(): Promise<void> };
  let server: Server;
  const inputs: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        const { input } = JSON.parse(body) as { input: string[] };
        inputs.push(...input);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ object: 'list', data: input.map((text, index) => ({ object: 'embedding', index, embedding: mockVector(text) })) }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    project = await tempProject('search');
    const port = (server.address() as { port: number }).port;
    const settings = await readFile(join(project.dir, 'mcpgw.yaml'), 'utf8');
    await writeFile(join(project.dir, 'mcpgw.yaml'), `${settings}search:\n  embedder: openai\n  openai: { url: "http://127.0.0.1:${port}/v1", model: mock-concepts }\n`);
  });
  after(async () => {
    await project.cleanup();
    await new Promise((r) => server.close(r));
  });

  it('mock embedder model: a query sharing no word with the tool finds it by the served vectors, and full text alone does not', async () => {
    const opened = await openIndex(project.dir);
    assert.match(opened.index.manifest.embedder, /^openai:http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings#mock-concepts$/);
    assert.ok(inputs.length > 10, 'the index was embedded through the endpoint');
    const query = 'do I need an umbrella tomorrow';
    const hybrid = await findTools(opened, query, { topK: 3 });
    assert.equal(hybrid.results[0]?.server, 'weather', JSON.stringify(hybrid.results));
    assert.ok(inputs.includes(query), 'the query was embedded by the endpoint');
    // No word of the query is in any weather tool's text: the text ranker alone misses them, and
    // the embedder's results are marked as vouched for by meaning only.
    const text = await findTools(opened, query, { topK: 3, mode: 'text' });
    assert.ok(text.results.every((r) => r.server !== 'weather'), JSON.stringify(text.results));
    assert.equal(hybrid.results[0]?.confidence, 'low');
  });
});
