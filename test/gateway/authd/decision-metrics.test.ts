// authd's decision metrics, scraped from a real authd's metrics listener on a private port:
// exact counts per bounded label tuple, the latency histogram's buckets, and labels that follow a
// reload (a tool or service that becomes known, or unknown, is labelled so from its next call on).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startAuthd, type RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { createApiKey } from '../../../src/core/identity/api-keys.js';
import { everythingServiceYaml, gatewayProject } from '../../../testkit/gateway-project.js';
import { freePort } from '../../../testkit/ports.js';
import { eventually } from '../../helpers/eventually.js';

const BUCKETS = ['0.0001', '0.00025', '0.0005', '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '1', '+Inf'];

describe('authd decision metrics', () => {
  let project: { dir: string; cleanup(): Promise<void> };
  let authd: RunningAuthd;
  let key: string;

  /** One /verify as Caddy's forward_auth sends it: a tools/call of `tool` on `service`; the status. */
  const verify = (service: string, tool: string) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: {} } });
      const headers = { authorization: `Bearer ${key}`, 'x-mcpgw-service': service, 'x-mcpgw-body': body, 'x-forwarded-method': 'POST', 'x-forwarded-uri': `/${service}/mcp` };
      const req = request(`${authd.url}/verify`, { headers, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('timeout', () => req.destroy(new Error(`authd /verify did not answer within 10 s (${service} ${tool})`)));
      req.on('error', reject);
      req.end();
    });
  /** The value of one exported line (`name{labels}`), or undefined when it is absent. */
  const scrape = async () => {
    const text = await (await fetch(authd.metricsUrl!, { signal: AbortSignal.timeout(10_000) })).text();
    return (line: string) => {
      const found = text.split('\n').find((l) => l.startsWith(`${line} `));
      return found === undefined ? undefined : Number(found.slice(line.length + 1));
    };
  };
  const decisions = (service: string, tool: string, decision: string, reason: string) => `mcpgw_decisions_total{service="${service}",method="tools/call",tool="${tool}",decision="${decision}",reason="${reason}"}`;
  /** An unknown service's calls are not classified: method and tool are "none". */
  const UNKNOWN_SERVICE = 'mcpgw_decisions_total{service="other",method="none",tool="none",decision="deny",reason="unknown_service"}';
  const TOOLS = 'tools:\n  - name: echo\n';

  before(async () => {
    project = await gatewayProject({ issuer: 'http://127.0.0.1:1/unused-issuer', audience: 'http://127.0.0.1:18081', gatewayListen: '127.0.0.1:18081' });
    await writeFile(join(project.dir, 'registry.d', 'everything.yaml'), `${everythingServiceYaml()}${TOOLS}`);
    ({ key } = await createApiKey(join(project.dir, '.mcpgw', 'keys.json'), 'ci-bot', ['developers']));
    authd = await startAuthd({ root: project.dir, log: () => {}, metricsListen: `127.0.0.1:${await freePort()}` });
  });
  after(async () => {
    await authd?.close();
    await project?.cleanup();
  });

  test('each call counts once under its bounded labels, and the latency histogram has every bucket, cumulative up to the count', async () => {
    for (let i = 0; i < 3; i++) assert.equal(await verify('everything', 'echo'), 200);
    assert.equal(await verify('everything', 'not-a-tool-4711'), 403);
    assert.equal(await verify('nowhere', 'echo'), 403);
    let value = await scrape();
    assert.equal(value(decisions('everything', 'echo', 'allow', 'granted')), 3);
    assert.equal(value(decisions('everything', 'other', 'deny', 'forbidden')), 1);
    assert.equal(value(UNKNOWN_SERVICE), 1);
    const series = (le: string, service: string, decision: string) => `mcpgw_decision_duration_seconds_bucket{le="${le}",service="${service}",decision="${decision}"}`;
    assert.equal(value('mcpgw_decision_duration_seconds_count{service="everything",decision="allow"}'), 3);
    assert.equal(value('mcpgw_decision_duration_seconds_count{service="everything",decision="deny"}'), 1);
    assert.equal(value('mcpgw_decision_duration_seconds_count{service="other",decision="deny"}'), 1);
    assert.equal(value('mcpgw_decision_duration_seconds_count{service="other",decision="allow"}'), undefined, 'no empty series');
    const counts = BUCKETS.map((le) => value(series(le, 'everything', 'allow')));
    assert.ok(counts.every((c, i) => c !== undefined && (i === 0 || c >= counts[i - 1]!)), `cumulative buckets: ${counts.join(' ')}`);
    assert.equal(counts.at(-1), 3);
    assert.ok(value('mcpgw_decision_duration_seconds_sum{service="everything",decision="allow"}')! > 0);
    // A second scrape adds nothing that was not called, and later calls add to the same series.
    assert.equal(await verify('everything', 'echo'), 200);
    value = await scrape();
    assert.equal(value(decisions('everything', 'echo', 'allow', 'granted')), 4);
    assert.equal(value('mcpgw_decision_duration_seconds_count{service="everything",decision="allow"}'), 4);
    assert.equal(value(decisions('everything', 'other', 'deny', 'forbidden')), 1);
  });

  test('after a reload, a tool and a service that became known are labelled by name, and one that went away as "other"', async () => {
    assert.equal(await verify('everything', 'new-tool'), 403);
    assert.equal(await verify('later', 'echo'), 403);
    await writeFile(join(project.dir, 'registry.d', 'everything.yaml'), `${everythingServiceYaml()}${TOOLS}  - name: new-tool\n`);
    await writeFile(join(project.dir, 'registry.d', 'later.yaml'), 'name: later\nupstream: http://127.0.0.1:9/mcp\n');
    await eventually(async () => assert.ok(authd.source.current.services.has('later') && authd.source.current.services.get('everything')?.tools?.length === 2, 'registry.d reloaded'), 20_000);
    assert.equal(await verify('everything', 'new-tool'), 403);
    assert.equal(await verify('later', 'echo'), 403);
    let value = await scrape();
    assert.equal(value(decisions('everything', 'new-tool', 'deny', 'forbidden')), 1, 'the tool the definition now names');
    assert.equal(value(decisions('everything', 'other', 'deny', 'forbidden')), 2, 'the call before the reload stays "other"');
    assert.equal(value(decisions('later', 'other', 'deny', 'forbidden')), 1, 'the service the registry now defines (echo is not one of its tools)');
    assert.equal(value(UNKNOWN_SERVICE), 2, 'its call before the reload stays "other" (one more than the first test)');
    assert.equal(value('mcpgw_decision_duration_seconds_count{service="later",decision="deny"}'), 1);
    // The service goes away again: its next call counts as "other".
    await rm(join(project.dir, 'registry.d', 'later.yaml'));
    await eventually(async () => assert.ok(!authd.source.current.services.has('later'), 'registry.d reloaded without later'), 20_000);
    assert.equal(await verify('later', 'echo'), 403);
    value = await scrape();
    assert.equal(value(UNKNOWN_SERVICE), 3);
    assert.equal(value('mcpgw_decision_duration_seconds_count{service="later",decision="deny"}'), 1);
  });
});
