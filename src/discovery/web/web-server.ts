// `mcpgw web`: the registry in a browser, served under /ui/ behind Caddy. People sign in
// through the configured OpenID provider; every API call is checked against scopes.yml here,
// whatever the page shows; changes need the session's CSRF token and a same-origin request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Project } from '../../core/config/project.js';
import { httpErrorAnswer } from '../../core/errors.js';
import { publicUrl } from '../../core/config/settings.js';
import { RegistryService } from '../../control/registry/registry-service.js';
import type { ChangeOutcome } from '../../control/registry/registry-service.js';
import { listenOn } from '../../core/http/listen.js';
import { UI_PATH } from '../../core/wire/contract.js';
import { clearCookie, LOGIN_COOKIE, parseCookies, SESSION_COOKIE, setCookie } from './cookies.js';
import { CsrfError, LoginFailedError, NotSignedInError, WebError } from './errors.js';
import { headerValue, readJsonBody, redirect, sendError, sendJson } from '../../core/http/http-messages.js';
import { sendAsset, setSecurityHeaders } from './static-assets.js';
import { LiveChannel } from './live-channel.js';
import { editRequestSchema, parseRequest, personOf, registerRequestSchema, WEB_REGISTRATION_COMMENT } from './registry-actions.js';
import { loadRegistryState } from './registry-state.js';
import { sameSecret, SessionStore, type WebSession } from './session-store.js';
import { searchTools, toolsOf } from './tools-api.js';
import { limitsOfPerson } from './limits-api.js';
import { activityFor } from './activity-api.js';
import { newCodeVerifier, WebLogin } from './web-login.js';
import { redeemSignInToken, SIGNIN_PATH } from './signin-link.js';
import { sendErrorPage, type ErrorPage } from './error-page.js';
import { CONNECT_CALLBACK_PATH, CONNECT_PATH, WebConnections } from './upstream-connections.js';

export interface WebServerOptions {
  root: string;
  /** host:port; default web.listen of mcpgw.yaml. Port 0 picks a free port. */
  listen?: string;
  log?: (line: string) => void;
}

export interface RunningWebServer {
  url: string;
  port: number;
  live: LiveChannel;
  close(): Promise<void>;
}

const LOGIN_COOKIE_SECONDS = 600;
/** The API's requests are small forms (a registration, an edit). */
const MAX_BODY_BYTES = 64 * 1024;

function loginFor(project: Project): WebLogin | undefined {
  const provider = project.settings.identity.providers[0];
  const clientId = project.settings.web.client_id ?? provider?.client_id;
  if (!provider || !clientId) return undefined;
  return new WebLogin({ provider, clientId, redirectUri: `${publicUrl(project.settings)}${UI_PATH}/callback` });
}

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`web: ${line}\n`));
  const root = options.root;
  // One registry service for the process: the current project (one watcher), rules, one apply queue.
  const registry = await RegistryService.open(root);
  const project = registry.project;
  const origin = new URL(publicUrl(project.settings)).origin;
  const sessions = new SessionStore(project.settings.web.session_ttl);
  const login = loginFor(project);
  if (!login) log('warning: no identity provider with a client id in mcpgw.yaml — nobody can sign in (there is no default password)');
  const connections = new WebConnections(() => registry.project);
  const live = new LiveChannel(() => loadRegistryState(registry), log);
  live.watch(project);
  registry.onChange(() => live.changed());
  // Applies run after the answer (see changed()); their outcome reaches pages as a notice.
  registry.onAfterAnswerApply((outcome) => {
    for (const w of outcome.warnings) log(`warning: ${w}`);
    if (outcome.error) log(outcome.message);
    live.notice({ ok: !outcome.error, gateway: outcome.message });
  });

  const sessionOf = (req: IncomingMessage): WebSession | undefined => sessions.get(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
  const requireSession = (req: IncomingMessage): WebSession => {
    const session = sessionOf(req);
    if (!session) throw new NotSignedInError(undefined, { provider: Boolean(login) });
    return session;
  };
  /** Changes: SameSite=Lax already keeps cross-site POSTs cookie-less; the token and Origin make sure. */
  const requireChange = (req: IncomingMessage): WebSession => {
    const session = requireSession(req);
    const from = req.headers.origin;
    if (from !== undefined && from !== origin) throw new CsrfError(`requests from ${from} may not change anything here`);
    if (!sameSecret(session.csrf, headerValue(req, 'x-csrf-token'))) throw new CsrfError('the CSRF token is missing or wrong — reload the page');
    return session;
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === UI_PATH || path === `${UI_PATH}/index.html`) return redirect(res, `${UI_PATH}/`);
    if (path === `${UI_PATH}/healthz`) return sendJson(res, 200, { ok: true, sessions: live.size });
    if (method === 'GET' && path === `${UI_PATH}/`) {
      await sendAsset(res, 'index.html');
      return;
    }
    if (method === 'GET' && path.startsWith(`${UI_PATH}/assets/`)) {
      if (!(await sendAsset(res, path.slice(`${UI_PATH}/assets/`.length)))) sendError(res, new WebError('ERR_NOT_FOUND', `no asset ${path}`, 'not-found'));
      return;
    }
    if (method === 'GET' && path === SIGNIN_PATH) {
      // The operator's one-time link (`mcpgw up`, `mcpgw web --link`): exchanged once for a session.
      if (!(await redeemSignInToken(project.stateDir, url.searchParams.get('token')))) return sendErrorPage(res, PAGES.linkInvalid);
      const session = sessions.create({ subject: 'local operator', groups: [] }, { operator: true });
      log('signed in: the local operator (one-time link)');
      return redirect(res, `${UI_PATH}/`, { 'set-cookie': setCookie(SESSION_COOKIE, session.id, (session.expiresAt - Date.now()) / 1000) });
    }
    if (method === 'GET' && path === `${UI_PATH}/login`) {
      if (!login) return sendErrorPage(res, PAGES.noProvider);
      const pending = sessions.startLogin(newCodeVerifier());
      return redirect(res, await login.authorizationUrl(pending), { 'set-cookie': setCookie(LOGIN_COOKIE, pending.state, LOGIN_COOKIE_SECONDS) });
    }
    if (method === 'GET' && path === `${UI_PATH}/callback`) {
      const state = url.searchParams.get('state') ?? undefined;
      // The state must be the one this browser started with, or someone is pushing a sign-in on it.
      if (!login || !state || parseCookies(req.headers.cookie).get(LOGIN_COOKIE) !== state) throw new LoginFailedError('this sign-in was not started in this browser — start again');
      const pending = sessions.takeLogin(state);
      if (!pending) throw new LoginFailedError('the sign-in took too long or was already used — start again');
      const identity = await login.finish(url, pending);
      const session = sessions.create(identity);
      log(`signed in: ${identity.subject} (groups: ${identity.groups.join(', ') || 'none'})`);
      return redirect(res, `${UI_PATH}/`, {
        'set-cookie': [setCookie(SESSION_COOKIE, session.id, (session.expiresAt - Date.now()) / 1000), clearCookie(LOGIN_COOKIE)],
      });
    }
    if (method === 'GET' && path === CONNECT_CALLBACK_PATH) {
      const result = await connections.finish(requireSession(req), url);
      log(`connected: ${result.subject} to ${result.service}`);
      return redirect(res, `${UI_PATH}/?connected=${encodeURIComponent(result.service)}`);
    }
    const connect = method === 'GET' ? new RegExp(`^${CONNECT_PATH}/([a-z0-9-]+)$`).exec(path) : null;
    if (connect) return redirect(res, await connections.start(requireSession(req), connect[1]!));
    if (method === 'POST' && path === `${UI_PATH}/logout`) {
      const session = requireChange(req);
      session.expiresAt = 0; // also ends its live stream
      sessions.delete(session.id);
      return sendJson(res, 200, { ok: true }, { 'set-cookie': clearCookie(SESSION_COOKIE) });
    }
    if (path.startsWith(`${UI_PATH}/api/`)) return api(req, res, url, method);
    sendErrorPage(res, { ...PAGES.notFound, message: `There is no page at ${path}.` });
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const path = url.pathname.slice(`${UI_PATH}/api`.length);
    if (method === 'GET') {
      const session = requireSession(req);
      if (path === '/me') return sendJson(res, 200, { subject: session.subject, groups: session.groups, operator: Boolean(session.operator), rights: registry.rightsOf(personOf(session)), csrf: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() });
      if (path === '/events') return live.open(res, session);
      if (path === '/services') return sendJson(res, 200, (await loadRegistryState(registry)).viewFor(personOf(session)));
      if (path === '/limits') return sendJson(res, 200, await limitsOfPerson(registry.project, session));
      if (path === '/activity') return sendJson(res, 200, await activityFor(registry, personOf(session)));
      if (path === '/search') return sendJson(res, 200, await searchTools(registry, personOf(session), url.searchParams.get('q') ?? '', url.searchParams.get('server') || undefined));
      const tools = /^\/services\/([a-z0-9-]+)\/tools$/.exec(path);
      if (tools) return sendJson(res, 200, await toolsOf(registry, personOf(session), tools[1]!));
    }
    if (method === 'POST') {
      const person = personOf(requireChange(req));
      const body = await readJsonBody(req, MAX_BODY_BYTES, { empty: {} });
      // The page's request passes through Caddy, whose reload would cut it: apply once it is answered.
      const apply = { after: new Promise((resolve) => res.once('close', resolve)) };
      if (path === '/services') {
        const request = parseRequest(registerRequestSchema, body);
        return changed(res, await registry.register(person, [{ fields: { ...request, path: request.path || undefined }, comment: WEB_REGISTRATION_COMMENT }], { apply }));
      }
      const disconnect = /^\/services\/([a-z0-9-]+)\/disconnect$/.exec(path);
      if (disconnect) return sendJson(res, 200, await connections.disconnect(requireChange(req), disconnect[1]!));
      const m = /^\/services\/([a-z0-9-]+)(?:\/(enable|disable|refresh))?$/.exec(path);
      if (m) {
        const [, name, verb] = m as unknown as [string, string, string | undefined];
        if (verb === 'enable' || verb === 'disable') return changed(res, await registry.setEnabled(person, [name], verb === 'enable', { apply }));
        if (verb === 'refresh') {
          await registry.refresh(person, name);
          live.changed();
          return sendJson(res, 200, { changed: false, probed: name });
        }
        return changed(res, await registry.edit(person, name, parseRequest(editRequestSchema, body), { apply }));
      }
    }
    sendError(res, new WebError('ERR_NOT_FOUND', `no API ${method} ${url.pathname}`, 'not-found'));
  }

  /** The change is written; its apply follows the answer (the outcome reaches pages as a notice). */
  function changed(res: ServerResponse, outcome: ChangeOutcome): void {
    const didChange = outcome.changes.some((c) => c.changed);
    sendJson(res, 200, { changed: didChange, gateway: didChange ? 'applying to the gateway…' : 'no change' });
    if (didChange) live.changed();
  }

  const server: Server = createServer((req, res) => {
    setSecurityHeaders(res);
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.end();
      const answer = httpErrorAnswer(err);
      if (answer.status >= 500) log(`error: ${answer.body.message}`);
      if (err instanceof LoginFailedError) {
        // A person lands here from the provider: show the page with the reason, not raw JSON.
        log(`sign-in failed: ${err.message}`);
        return redirect(res, `/ui/?error=${encodeURIComponent(err.message)}`, { 'set-cookie': clearCookie(LOGIN_COOKIE) });
      }
      // The page's own API calls get JSON it can show; a browser tab gets a page with a next step.
      if (new URL(req.url ?? '/', origin).pathname.startsWith(`${UI_PATH}/api/`)) return sendJson(res, answer.status, answer.body);
      sendErrorPage(res, { status: answer.status, title: answer.status >= 500 ? 'Something went wrong' : 'This request was refused', message: answer.body.message, next: answer.status >= 500 ? 'reload the page; if it stays, the operator finds the reason in `.mcpgw/logs/web.log` (`mcpgw status`)' : 'go back to the registry and try again' });
    });
  });
  const bound = await listenOn(server, options.listen ?? project.settings.web.listen);
  return {
    url: `${bound.url}/ui/`,
    port: bound.port,
    live,
    close: async () => {
      live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry.close();
    },
  };
}

/** The pages a person can land on outside the app: each says what to do next. */
const PAGES: Record<'noProvider' | 'linkInvalid' | 'notFound', ErrorPage> = {
  noProvider: {
    status: 503,
    title: 'No identity provider is set up',
    message: 'This gateway names no OpenID provider with a client id in mcpgw.yaml, so there is no sign-in page to send you to (and no default password).',
    next: 'the operator signs in with the one-time link `mcpgw up` printed — or a new one from `mcpgw web --link` in the checkout. To let people sign in, add identity.providers (issuer, audience, client_id) to mcpgw.yaml (README: Web UI).',
  },
  linkInvalid: {
    status: 403,
    title: 'This sign-in link does not work',
    message: 'A sign-in link works once, for 15 minutes; this one was already used, replaced by a newer link, or expired.',
    next: 'run `mcpgw web --link` in the gateway\'s checkout (or `mcpgw -C <checkout> web --link`) and open the link it prints.',
  },
  notFound: { status: 404, title: 'Nothing here', message: 'There is no such page.', next: 'go back to the registry.' },
};
