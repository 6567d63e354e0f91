// The pure parts of search: identifier splitting, tool documents, staleness decisions, rank
// fusion, scope predicate, and the word-by-word match of the bundled word vectors.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { identifierWords } from '../../../src/discovery/search/identifier-words.js';
import { staleness } from '../../../src/discovery/search/index-freshness.js';
import { fuse } from '../../../src/discovery/search/rank.js';
import { textTokens } from '../../../src/discovery/search/text-tokens.js';
import { mayCallTool } from '../../../src/core/policy/registry-access.js';
import { toolDocument } from '../../../src/discovery/search/tool-documents.js';
import { BundledEmbedder } from '../../../src/discovery/search/bundled-embedder.js';
import { scopesFileSchema } from '../../../src/core/config/scopes.js';

describe('search core', () => {
  it('splits snake, kebab and camel case tool names into words', () => {
    assert.deepEqual(identifierWords('get_stock-quote'), ['get', 'stock', 'quote']);
    assert.deepEqual(identifierWords('getPRStatus'), ['get', 'pr', 'status']);
    assert.deepEqual(identifierWords('maps_reverse_geocode2'), ['maps', 'reverse', 'geocode', '2']);
  });

  it('a tool document holds the name words, parameter names and descriptions, and the server context', () => {
    const doc = toolDocument(
      { name: 'stocks', description: 'Market data', tags: ['finance'], url: 'https://gw/stocks/mcp' },
      { name: 'getQuote', description: 'Latest quote', inputSchema: { type: 'object', properties: { tickerSymbol: { type: 'string', description: 'e.g. AAPL' } } } },
    );
    assert.equal(doc.id, 'stocks/getQuote');
    assert.equal(doc.nameWords, 'get quote');
    assert.equal(doc.params, 'ticker symbol: e.g. AAPL');
    assert.equal(doc.serverText, 'stocks. Market data. finance');
  });

  it('a parameter\'s enum values are part of the tool document', () => {
    const doc = toolDocument(
      { name: 'maps', description: '', tags: [], url: 'https://gw/maps/mcp' },
      { name: 'directions', description: 'Route between two places', inputSchema: { type: 'object', properties: { mode: { type: 'string', description: 'How to travel', enum: ['driving', 'walking', 3] } } } },
    );
    assert.equal(doc.params, 'mode: How to travel (driving, walking)');
  });

  it('word-by-word match: a query word the word vectors lack still matches itself', async () => {
    const embedder = await BundledEmbedder.load();
    assert.equal(embedder.knows('zqvexdoc'), false);
    const match = embedder.queryMatcher(['zqvexdoc', 'render']);
    assert.ok(match(['zqvexdoc', 'diagram']) > match(['render', 'diagram']), 'the unknown word counts, and as a rare word');
    assert.ok(match(['render', 'diagram']) > match(['invoice']), 'known words still match by meaning');
  });

  it('rebuilds only the services whose definition, snapshot or approvals changed', () => {
    const recorded = { settings: '1:10', services: { a: { definition: '1:1' }, b: { definition: '2:2', snapshot: '3:3' }, gone: { definition: '4:4' } } };
    const current = { settings: '1:10', services: { a: { definition: '1:1' }, b: { definition: '2:2', snapshot: '5:5' }, new: { definition: '6:6' } } };
    assert.deepEqual(staleness(recorded, current), { full: false, changed: ['b', 'new'], removed: ['gone'] });
    assert.equal(staleness({ ...recorded, settings: '9:9' }, current).full, true);
    assert.equal(staleness(undefined, current).full, true);
  });

  it('rank fusion adds 1 / (60 + rank) per list, keeps a tool only one list finds, and needs no score scale', () => {
    const text = [{ id: 's/a', score: 42 }, { id: 's/c', score: 3 }];
    const vector = [{ id: 's/b', score: 0.91 }, { id: 's/a', score: 0.9 }];
    const fused = fuse({ text, vector });
    assert.deepEqual(fused.map((h) => h.id), ['s/a', 's/b', 's/c']);
    assert.equal(fused[0]!.score, 1 / 61 + 1 / 62);
    assert.deepEqual(fused[0]!.ranks, { text: 1, vector: 2 });
    assert.deepEqual(fuse({ text: text.map((h) => ({ ...h, score: h.score * 1000 })), vector }).map((h) => h.id), fused.map((h) => h.id));
  });

  it('CJK text becomes character pairs, other scripts split into words, English stemmed', () => {
    assert.deepEqual(textTokens('必应搜索'), ['必应', '应搜', '搜索']);
    assert.deepEqual(textTokens('getStockQuote forecasts'), ['stock', 'quot', 'forecast']);
    assert.deepEqual(textTokens('Привет мир'), ['привет', 'мир']);
  });

  it('search shows exactly the tools scopes.yml lets the caller\'s groups call', () => {
    const policy = scopesFileSchema.parse({ groups: { analysts: ['market'] }, scopes: { market: { servers: { stocks: { tools: ['get_*'] } } } } });
    const actor = (groups: string[]) => ({ kind: 'agent' as const, subject: 'ann', groups });
    const allow = (server: string, tool: string) => mayCallTool(policy, actor(['analysts']), server, tool);
    assert.equal(allow('stocks', 'get_quote'), true);
    assert.equal(allow('stocks', 'buy_shares'), false);
    assert.equal(allow('weather', 'get_forecast'), false);
    assert.equal(mayCallTool(policy, actor(['nobody']), 'stocks', 'get_quote'), false);
  });
});
