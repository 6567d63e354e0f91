// Validates responses against the official MCP Registry OpenAPI document kept in
// test/fixtures/registry-api (see its SOURCES.md), with ajv's JSON Schema 2020-12 dialect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'registry-api');
const openapi = parse(readFileSync(join(FIXTURES, 'openapi.yaml'), 'utf8')) as { $id: string };
// `example` and other OpenAPI annotations are not JSON Schema keywords: strict mode off.
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(openapi);

export type ComponentName = 'ServerList' | 'ServerResponse' | 'ServerDetail';

/** The errors of `value` against a component schema of the official OpenAPI, or [] when it conforms. */
export function schemaErrors(component: ComponentName, value: unknown): string[] {
  const validate = ajv.getSchema(`${openapi.$id}#/components/schemas/${component}`);
  if (!validate) throw new Error(`no component ${component} in the OpenAPI fixture`);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
