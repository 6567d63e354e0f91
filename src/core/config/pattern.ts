// `*` wildcards in names (servers, methods, tools): `*` matches any run of characters.
const cache = new Map<string, RegExp>();

export function matchesPattern(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === value;
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
    cache.set(pattern, re);
  }
  return re.test(value);
}

export function matchesAny(patterns: readonly string[], value: string): boolean {
  for (const p of patterns) if (matchesPattern(p, value)) return true;
  return false;
}
