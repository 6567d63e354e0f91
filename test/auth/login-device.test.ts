// `mcpgw login --device` (RFC 8628) end to end against a real OpenID provider: the CLI prints
// the verification URI and user code, the test plays the user's browser over HTTP (enter the
// code, confirm, log in, consent) and the CLI's polling picks up the tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAuthd, type RunningAuthd } from '../../src/auth/authd-server.js';
import { MAIN, TSX, runCli } from '../helpers/cli.js';
import { startTestIdp, type TestIdp } from '../fixtures/oidc/test-idp.js';
import { gatewayProject } from '../fixtures/oidc/gateway-project.js';

const GATEWAY = 'http://127.0.0.1:18090';

interface DeviceLogin {
  verificationUri: string;
  userCode: string;
  done: Promise<{ code: number; stderr: string }>;
}

/** Start `mcpgw login --device` and hand back what it tells the user on stderr, and its exit. */
function startDeviceLogin(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<DeviceLogin> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'login', '--device', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', DISPLAY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const done = new Promise<{ code: number; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code: code ?? 2, stderr })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill(), reject(new Error(`no user code printed: ${stderr}`))), 60_000);
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /open (http:\/\/\S+) and enter the code (\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ verificationUri: m[1]!, userCode: m[2]!, done });
      }
    });
    child.on('exit', () => reject(new Error(`login exited early: ${stderr}`)));
  });
}

class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The first form on a page: where it posts, and the fields it would submit. */
function firstForm(html: string, base: string): { action: string; fields: Map<string, string> } {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no form on the page: ${html.slice(0, 500)}`);
  const fields = new Map<string, string>();
  for (const [input] of form[2]!.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    if (name) fields.set(name, unescape(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? ''));
  }
  return { action: new URL(unescape(form[1]!), base).toString(), fields };
}

/**
 * Play the user on another device: open the verification URI, type the user code, confirm,
 * sign in as `user` and grant consent, following the forms the provider serves. Returns the
 * final page.
 */
async function enterCodeAndSignIn(verificationUri: string, userCode: string, user: string): Promise<string> {
  const jar = new CookieJar();
  let url = verificationUri;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
    jar.take(res);
    init = {};
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url).toString();
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`IdP answered ${res.status} at ${url}: ${html.slice(0, 500)}`);
    if (!html.includes('<form')) return html;
    const { action, fields } = firstForm(html, url);
    if (fields.has('user_code') && !fields.get('user_code')) fields.set('user_code', userCode);
    if (fields.has('login')) {
      fields.set('login', user);
      fields.set('password', 'any-password');
    }
    url = action;
    init = { method: 'POST', body: new URLSearchParams([...fields]).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('too many steps while signing in on the device page');
}

async function verifyTool(authd: RunningAuthd, token: string, tool: string): Promise<number> {
  const res = await fetch(`${authd.url}/verify`, {
    headers: { authorization: `Bearer ${token}`, 'x-mcpgw-service': 'everything', 'x-mcpgw-body': JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool } }) },
  });
  return res.status;
}

describe('mcpgw login --device', () => {
  let idp: TestIdp;
  let project: { dir: string; cleanup(): Promise<void> };
  let configDir: string;
  let authd: RunningAuthd;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(['-C', project.dir, ...args], { cwd: project.dir, env });
  const credentials = async () => JSON.parse(await readFile(join(configDir, 'credentials.json'), 'utf8')).gateways[GATEWAY];

  before(async () => {
    idp = await startTestIdp({ audience: GATEWAY, users: { alice: ['developers'] } });
    project = await gatewayProject({ issuer: idp.issuer, audience: GATEWAY, gatewayListen: '127.0.0.1:18090' });
    configDir = await mkdtemp(join(tmpdir(), 'mcpgw-config-'));
    env = { MCPGW_CONFIG_DIR: configDir };
    authd = await startAuthd({ root: project.dir, log: () => {} });
  });
  after(async () => {
    await authd?.close();
    await idp?.close();
    await project?.cleanup();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  test('prints a verification URI and code; entering it, signing in and consenting stores tokens (0600) that authd accepts', { timeout: 180_000 }, async () => {
    const login = await startDeviceLogin(['-C', project.dir], project.dir, env);
    assert.ok(login.verificationUri.startsWith(`${idp.issuer}/`), login.verificationUri);
    const page = await enterCodeAndSignIn(login.verificationUri, login.userCode, 'alice');
    assert.match(page, /Sign-in Success/);
    const { code, stderr } = await login.done;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /logged in to http:\/\/127\.0\.0\.1:18090 as alice \(groups: developers\)/);
    const info = await stat(join(configDir, 'credentials.json'));
    assert.equal(info.mode & 0o777, 0o600);
    const stored = await credentials();
    assert.equal(stored.kind, 'oidc');
    assert.ok(stored.refresh_token, 'a refresh token (offline_access)');
    assert.equal(await verifyTool(authd, stored.access_token, 'echo'), 200);
    assert.equal(await verifyTool(authd, stored.access_token, 'get-sum'), 403);

    const token = await cli('token');
    assert.equal(token.code, 0, token.stderr);
    assert.equal(token.stdout.trim(), stored.access_token);
    assert.equal(await verifyTool(authd, token.stdout.trim(), 'echo'), 200);
    const who = await cli('whoami', '--json');
    assert.equal(who.code, 0, who.stderr);
    const report = JSON.parse(who.stdout);
    assert.equal(report.identity.subject, 'alice');
    assert.deepEqual(report.identity.groups, ['developers']);
  });
});
