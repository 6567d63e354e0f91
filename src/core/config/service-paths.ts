// Which gateway paths services may take, decided as Caddy matches them: case-insensitively,
// each service on `<path>` and `<path>/*`, plus the exact legacy-SSE message paths apply
// routes to SSE services (from the state dir's cache). Two services Caddy cannot tell apart,
// one inside another, a reserved path, or another service's SSE message path: each is an error
// here, so `validate`, `apply`, the CLI, the web UI and the registry server all refuse it.
import type { ConfigIssue } from './issues.js';
import type { ParsedYaml } from './yaml-document.js';
import { RESERVED_PATHS } from '../wire/contract.js';

/** Name and path as written, read even when the file does not validate, so cross-file checks still run. */
export interface ServiceIdentity {
  file: string;
  name: string;
  path: string;
}

/** How Caddy's path matcher compares: case folded. */
export function routeKey(path: string): string {
  return path.toLowerCase();
}

/** `inner` is `outer` or lies under it, as Caddy matches `outer` and `outer/*`. */
export function pathCovers(outer: string, inner: string): boolean {
  const o = routeKey(outer);
  const i = routeKey(inner);
  return i === o || i.startsWith(`${o}/`);
}

const caseNote = (a: string, b: string) => (a === b ? '' : ' (Caddy matches paths without regard to case)');

/**
 * Problems between services: names, paths, reserved paths, nesting, SSE message paths.
 * `sseEndpoints`: service name → the exact path its SSE upstream announced (apply's cache).
 */
export function crossServiceIssues(services: readonly ServiceIdentity[], parsed: Map<string, ParsedYaml>, sseEndpoints: Readonly<Record<string, string>> = {}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const firstByPath = new Map<string, ServiceIdentity>();
  const firstByName = new Map<string, ServiceIdentity>();
  const at = (svc: ServiceIdentity, field: string) => parsed.get(svc.file)?.locate([field]) ?? {};
  const pathIssue = (svc: ServiceIdentity, code: string, message: string, hint: string) =>
    issues.push({ code, severity: 'error', file: svc.file, ...at(svc, 'path'), field: 'path', message, hint });
  for (const svc of services) {
    const prevName = firstByName.get(svc.name);
    if (prevName) {
      issues.push({ code: 'E_DUPLICATE_NAME', severity: 'error', file: svc.file, ...at(svc, 'name'), field: 'name', message: `"${svc.name}" is also defined in ${prevName.file}`, hint: 'keep one file per service' });
    } else firstByName.set(svc.name, svc);
    const prevPath = firstByPath.get(routeKey(svc.path));
    if (prevPath) pathIssue(svc, 'E_DUPLICATE_PATH', `"${svc.path}" is already used by ${prevPath.file} ("${prevPath.path}")${caseNote(svc.path, prevPath.path)}`, 'give each service its own path');
    else firstByPath.set(routeKey(svc.path), svc);
    const reserved = RESERVED_PATHS.find((r) => pathCovers(r, svc.path));
    if (reserved) pathIssue(svc, 'E_RESERVED_PATH', `"${svc.path}" is reserved for mcpgw itself (${reserved})`, `choose another path, e.g. /${svc.name}`);
    for (const [owner, endpoint] of Object.entries(sseEndpoints)) {
      if (owner === svc.name || !services.some((s) => s.name === owner)) continue;
      if (pathCovers(svc.path, endpoint) || pathCovers(endpoint, svc.path)) {
        pathIssue(svc, 'E_SSE_ENDPOINT_PATH', `"${svc.path}" would take ${endpoint}, where the SSE service ${owner} receives its legacy clients' messages`, 'choose another path');
      }
    }
  }
  // One path nested inside another would shadow routes (e.g. /a and /a/b, or /A and /a/b).
  for (const a of services) {
    for (const b of services) {
      if (a !== b && routeKey(a.path) !== routeKey(b.path) && pathCovers(a.path, b.path)) {
        pathIssue(b, 'E_NESTED_PATH', `"${b.path}" lies inside "${a.path}" of ${a.file}${caseNote(b.path.slice(0, a.path.length), a.path)}`, 'use sibling paths, not nested ones');
      }
    }
  }
  return issues;
}
