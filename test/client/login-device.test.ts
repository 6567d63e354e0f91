// `mcpgw login --device` (RFC 8628) end to end against a real OpenID provider: the CLI prints
// the verification URI and user code, the test plays the user's browser over HTTP (enter the
// code, confirm, log in, consent) and the CLI's polling picks up the tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningAuthd } from '../../src/gateway/authd/authd-server.js';
import { startCliUntil } from '../../testkit/cli.js';
import type { TestIdp } from '../fixtures/oidc/test-idp.js';
import { startLoginSetup, type LoginSetup } from '../fixtures/oidc/login-setup.js';
import { enterCodeAndSignIn } from '../fixtures/oidc/browser.js';
import { authdVerdict } from '../fixtures/oidc/authd-verdict.js';

interface DeviceLogin {
  verificationUri: string;
  userCode: string;
  done: Promise<{ code: number; stderr: string }>;
}

/** Start `mcpgw login --device` and hand back what it tells the user on stderr, and its exit. */
async function startDeviceLogin(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<DeviceLogin> {
  const { match, done } = await startCliUntil(['login', '--device', ...args], /open (http:\/\/\S+) and enter the code (\S+)/, { cwd, env });
  return { verificationUri: match[1]!, userCode: match[2]!, done };
}

describe('mcpgw login --device', () => {
  let idp: TestIdp;
  let project: LoginSetup['project'];
  let authd: RunningAuthd;
  let env: NodeJS.ProcessEnv;
  let cli: LoginSetup['cli'];
  let setup: LoginSetup | undefined;

  before(async () => {
    setup = await startLoginSetup();
    ({ idp, project, authd, env, cli } = setup);
  });
  after(async () => {
    await setup?.close();
  });

  test('prints a verification URI and code; entering it, signing in and consenting stores tokens (0600) that authd accepts', { timeout: 180_000 }, async () => {
    const login = await startDeviceLogin(['-C', project.dir], project.dir, env);
    assert.ok(login.verificationUri.startsWith(`${idp.issuer}/`), login.verificationUri);
    const page = await enterCodeAndSignIn(login.verificationUri, login.userCode, 'alice');
    assert.match(page, /Sign-in Success/);
    const stored = await setup!.assertSignedIn(await login.done);

    const token = await cli('token');
    assert.equal(token.code, 0, token.stderr);
    assert.equal(token.stdout.trim(), stored.access_token);
    assert.equal(await authdVerdict(authd, token.stdout.trim(), 'echo'), 200);
    const who = await cli('whoami', '--json');
    assert.equal(who.code, 0, who.stderr);
    const report = JSON.parse(who.stdout).data;
    assert.equal(report.identity.subject, 'alice');
    assert.deepEqual(report.identity.groups, ['developers']);
  });
});
