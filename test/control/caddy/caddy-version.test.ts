// stream_close_delay only where Caddy has it (≥ 2.7): rendering from a version (pure), and the
// real Debian Caddy 2.6.2 — which would reject the option — detected and served without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectCaddyVersion, parseCaddyVersion, STREAM_CLOSE_DELAY, supportsStreamCloseDelay, withVersionFeatures } from '../../../src/control/caddy/caddy-version.js';
import { renderCaddyConfig } from '../../../src/control/caddy/render.js';
import { settingsSchema } from '../../../src/core/config/settings.js';
import { serviceSchema, type ServiceDefinition } from '../../../src/core/config/service.js';
import type { CaddyConfig, CaddyHandler } from '../../../src/control/caddy/caddy-json.js';
import { CaddyRejectedError, CaddyUnreachableError } from '../../../src/control/caddy/errors.js';
import { startCaddy } from '../../../testkit/caddy.js';

const service = (name: string, yaml: Record<string, unknown>): ServiceDefinition => ({ ...serviceSchema.parse({ name, ...yaml }), file: `registry.d/${name}.yaml` });

function render(version: string | undefined, admin = '127.0.0.1:2019'): CaddyConfig {
  return renderCaddyConfig({
    settings: settingsSchema.parse({ gateway: { listen: '127.0.0.1:0' }, caddy: { admin } }),
    services: [service('weather', { upstream: 'http://127.0.0.1:9/mcp' })],
    caddyVersion: version === undefined ? undefined : parseCaddyVersion(version),
  }).config;
}

const proxies = (config: CaddyConfig): CaddyHandler[] => config.apps.http.servers.mcpgw!.routes.flatMap((r) => r.handle).filter((h) => h.handler === 'reverse_proxy');

test('versions parse from `caddy version` output; 2.7 and later have stream_close_delay', () => {
  assert.deepEqual(parseCaddyVersion('v2.6.2 h1:wKoFIxpmOJLGl3QXoo6PNbYvGW4xLEgo32GPBEjWL8o='), { major: 2, minor: 6, patch: 2 });
  assert.deepEqual(parseCaddyVersion('v2.8.4 h1:…'), { major: 2, minor: 8, patch: 4 });
  assert.equal(parseCaddyVersion('not a version'), undefined);
  assert.deepEqual(['2.6.2', '2.7.0', '2.10.0', '3.0.0'].map((v) => supportsStreamCloseDelay(parseCaddyVersion(v))), [false, true, true, true]);
  assert.equal(supportsStreamCloseDelay(undefined), false, 'an unknown Caddy gets 2.6 features only');
});

test('on Caddy ≥ 2.7 every streaming reverse_proxy gets stream_close_delay; on 2.6 (or unknown) none does', () => {
  const modern = proxies(render('2.7.6')).filter((h) => h.flush_interval === -1);
  assert.ok(modern.length >= 2, 'the service route and the registry route stream');
  assert.ok(modern.every((h) => h.stream_close_delay === STREAM_CLOSE_DELAY));
  for (const old of [render('2.6.2'), render(undefined)]) assert.ok(proxies(old).every((h) => !('stream_close_delay' in h)));
  // The forward_auth subrequest to authd does not stream and is left alone.
  assert.ok(proxies(render('2.7.6')).filter((h) => h.flush_interval !== -1).every((h) => !('stream_close_delay' in h)));
});

test('the real Caddy here (Debian 2.6.2) is detected, runs the rendered config, and would reject stream_close_delay', async (t) => {
  const version = detectCaddyVersion('caddy');
  assert.ok(version, 'caddy version runs');
  assert.equal(supportsStreamCloseDelay(version), version.minor >= 7 || version.major > 2);
  const caddy = await startCaddy();
  t.after(() => caddy.stop());
  const config = render(`${version.major}.${version.minor}.${version.patch}`, caddy.admin);
  await caddy.client.putConfig(config);
  if (!supportsStreamCloseDelay(version)) {
    // Why the option is gated: 2.6 refuses the whole config (and keeps running the last good one).
    // The first push restarted Caddy's admin endpoint; a connection reset then is not an answer.
    const push = async (): Promise<unknown> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await caddy.client.putConfig(withVersionFeatures(config, parseCaddyVersion('2.7.0')));
        } catch (err) {
          if (!(err instanceof CaddyUnreachableError) || attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    await assert.rejects(push(), (err: unknown) => err instanceof CaddyRejectedError && /stream_close_delay/.test(err.message));
  }
});
