// The pure parts of search: identifier splitting, staleness decisions, rank fusion, scope predicate.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { identifierWords } from '../../../src/discovery/search/identifier-words.js';
import { staleness } from '../../../src/discovery/search/index-freshness.js';
import { rank } from '../../../src/discovery/search/rank.js';
import { scopePredicate } from '../../../src/discovery/search/caller-scope.js';
import { toolDocument } from '../../../src/discovery/search/tool-documents.js';
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

  it('rebuilds only the services whose definition, snapshot or approvals changed', () => {
    const recorded = { settings: '1:10', services: { a: { definition: '1:1' }, b: { definition: '2:2', snapshot: '3:3' }, gone: { definition: '4:4' } } };
    const current = { settings: '1:10', services: { a: { definition: '1:1' }, b: { definition: '2:2', snapshot: '5:5' }, new: { definition: '6:6' } } };
    assert.deepEqual(staleness(recorded, current), { full: false, changed: ['b', 'new'], removed: ['gone'] });
    assert.equal(staleness({ ...recorded, settings: '9:9' }, current).full, true);
    assert.equal(staleness(undefined, current).full, true);
  });

  it('hybrid ranking keeps a tool that only the embedder finds', () => {
    const text = [{ id: 's/a', score: 10 }];
    const vector = [{ id: 's/b', score: 0.9 }, { id: 's/a', score: 0.2 }, { id: 's/c', score: 0.1 }];
    const ranked = rank('hybrid', { text, vector }, { text: 0.5, vector: 0.5, server: 0, vectorFloorRank: 2, words: 0, rerankDepth: 0 });
    assert.deepEqual(ranked.map((h) => h.id).sort(), ['s/a', 's/b']);
    assert.deepEqual(rank('text', { text, vector }).map((h) => h.id), ['s/a']);
  });

  it('the scope predicate allows exactly the tools scopes.yml grants the groups', () => {
    const policy = scopesFileSchema.parse({ groups: { analysts: ['market'] }, scopes: { market: { servers: { stocks: { tools: ['get_*'] } } } } });
    const allow = scopePredicate(policy, ['analysts']);
    assert.equal(allow('stocks', 'get_quote'), true);
    assert.equal(allow('stocks', 'buy_shares'), false);
    assert.equal(allow('weather', 'get_forecast'), false);
    assert.equal(scopePredicate(policy, ['nobody'])('stocks', 'get_quote'), false);
  });
});
