// Parses a YAML file into data plus a way to find where each field stands, and turns
// schema failures (zod) into located issues.
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import type { ZodIssue, ZodType, ZodTypeDef } from 'zod';
import type { ConfigIssue } from './issues.js';

export type PathSegment = string | number;

export interface ParsedYaml {
  file: string;
  doc: Document.Parsed;
  data: unknown;
  /** Line/column of the node at `path` (or of its nearest existing parent). */
  locate(path: readonly PathSegment[], keyOf?: string): { line: number; column: number };
}

export function parseYaml(file: string, text: string): { parsed?: ParsedYaml; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => ({
        code: 'E_YAML_SYNTAX',
        severity: 'error' as const,
        file,
        ...position(e.pos[0]),
        message: e.message.split('\n')[0] ?? 'invalid YAML',
        hint: e.code === 'DUPLICATE_KEY' ? 'remove the repeated key' : 'fix the YAML syntax (indentation, quotes, colons)',
      })),
    };
  }
  const locate = (path: readonly PathSegment[], keyOf?: string) => {
    // Walk down as far as the path exists; report the deepest node found.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (!isNode(node) || !node.range) continue;
      if (keyOf !== undefined && depth === path.length && isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === keyOf);
        if (pair && isNode(pair.key) && pair.key.range) return position(pair.key.range[0]);
      }
      if (depth === path.length && depth > 0) {
        // Point at the key of the field, which is where people look.
        const parent = doc.getIn(path.slice(0, depth - 1), true) ?? (depth === 1 ? doc.contents : undefined);
        const last = path[depth - 1];
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
          if (pair && isNode(pair.key) && pair.key.range) return position(pair.key.range[0]);
        }
      }
      return position(node.range[0]);
    }
    return { line: 1, column: 1 };
  };
  return { parsed: { file, doc, data: doc.toJS(), locate }, issues: [] };
}

export function fieldName(path: readonly PathSegment[]): string {
  return path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg),
    '',
  );
}

/** Hints keyed by field name (last path segment) so messages tell how to fix. */
export type HintTable = Record<string, string>;

export function zodIssuesToConfigIssues(parsed: ParsedYaml, zodIssues: ZodIssue[], hints: HintTable): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const zi of zodIssues) {
    if (zi.code === 'unrecognized_keys') {
      for (const key of zi.keys) {
        const path = [...zi.path, key];
        out.push({
          code: 'E_UNKNOWN_FIELD',
          severity: 'error',
          file: parsed.file,
          ...parsed.locate(zi.path, key),
          field: fieldName(path),
          message: `unknown field "${key}"`,
          hint: hints[`unknown:${fieldName(zi.path)}`] ?? 'remove it or check the spelling (see README: file formats)',
        });
      }
      continue;
    }
    const named = [...zi.path].reverse().filter((s): s is string => typeof s === 'string');
    // A custom check may carry its own fix (params.hint); otherwise the table's, by field name.
    const own = zi.code === 'custom' && typeof zi.params?.hint === 'string' ? zi.params.hint : undefined;
    const hint = own ?? [fieldName(zi.path), ...named].map((k) => hints[k]).find((h) => h !== undefined);
    const missing = zi.code === 'invalid_type' && zi.received === 'undefined';
    const code = zi.code === 'custom' && typeof zi.params?.code === 'string' ? zi.params.code : undefined;
    out.push({
      code: code ?? (missing ? 'E_MISSING_FIELD' : 'E_INVALID_VALUE'),
      severity: 'error',
      file: parsed.file,
      ...parsed.locate(zi.path),
      field: fieldName(zi.path),
      message: missing ? 'is required' : describeZodIssue(zi, valueAt(parsed.data, zi.path)),
      hint,
    });
  }
  return out;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg as string];
  }
  return cur;
}

function describeZodIssue(zi: ZodIssue, value: unknown): string {
  const shown = value === undefined ? '' : `${JSON.stringify(value)?.slice(0, 80)} `;
  switch (zi.code) {
    case 'invalid_type':
      return `${shown}is ${zi.received}, expected ${zi.expected}`;
    case 'invalid_enum_value':
      return `${shown}is not one of ${zi.options.map((o) => JSON.stringify(o)).join(', ')}`;
    case 'invalid_union':
      return `${shown}has the wrong shape`;
    case 'custom':
      // Custom checks word their own message and must not echo values (they may be secrets).
      return zi.message;
    default:
      return `${shown}${zi.message.charAt(0).toLowerCase()}${zi.message.slice(1)}`;
  }
}

/** Validate parsed YAML against a schema; returns data or located issues. */
export function validateYaml<T>(parsed: ParsedYaml, schema: ZodType<T, ZodTypeDef, unknown>, hints: HintTable): { value?: T; issues: ConfigIssue[] } {
  const result = schema.safeParse(parsed.data ?? {});
  if (result.success) return { value: result.data, issues: [] };
  return { issues: zodIssuesToConfigIssues(parsed, result.error.issues, hints) };
}
