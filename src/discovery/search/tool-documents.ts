// One search document per tool and one per server: the words a person might use for it,
// split into fields the full-text ranker weighs differently, plus what `find` returns.
import type { ToolDefinition } from '../../core/config/service.js';
import { identifierWords, textWords } from './identifier-words.js';

/** The service facts a document needs (a ServiceDefinition has them all). */
export interface IndexedService {
  name: string;
  description: string;
  tags: string[];
  /** Where agents call the service through the gateway. */
  url: string;
}

export interface ToolDocument {
  /** "<server>/<tool>" for tools, "<server>" for the server document. */
  id: string;
  kind: 'tool' | 'server';
  server: string;
  /** The tool's own name ('' for a server document). */
  tool: string;
  tags: string[];
  /** Name split into words: "get_stock_quote" → "get stock quote". */
  nameWords: string;
  description: string;
  /** Parameter names (split) and their descriptions. */
  params: string;
  /** Server name, description and tags: context that every tool of the server shares. */
  serverText: string;
  url: string;
  inputSchema: Record<string, unknown>;
}

export function serverText(service: IndexedService): string {
  return [identifierWords(service.name).join(' '), service.description, service.tags.flatMap(identifierWords).join(' ')].filter(Boolean).join('. ');
}

/** Parameter names and descriptions of a JSON Schema, nested objects and array items included. */
export function parameterText(schema: unknown, depth = 0): string {
  if (!schema || typeof schema !== 'object' || depth > 3) return '';
  const node = schema as { properties?: Record<string, unknown>; items?: unknown };
  const parts: string[] = [];
  for (const [name, prop] of Object.entries(node.properties ?? {})) {
    const { description, enum: values } = (prop ?? {}) as { description?: unknown; enum?: unknown };
    // An enum's values are words of the task ("mode": driving, walking, transit).
    const choices = Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string').slice(0, 20).join(', ') : '';
    parts.push(identifierWords(name).join(' ') + (typeof description === 'string' && description ? `: ${description}` : '') + (choices ? ` (${choices})` : ''));
    const nested = parameterText(prop, depth + 1);
    if (nested) parts.push(nested);
  }
  if (node.items) parts.push(parameterText(node.items, depth + 1));
  return parts.filter(Boolean).join('. ');
}

export function toolDocument(service: IndexedService, tool: ToolDefinition): ToolDocument {
  const description = tool.description ?? '';
  return {
    id: `${service.name}/${tool.name}`,
    kind: 'tool',
    server: service.name,
    tool: tool.name,
    tags: service.tags,
    nameWords: [identifierWords(tool.name).join(' '), tool.title ?? ''].filter(Boolean).join('. '),
    description,
    params: parameterText(tool.inputSchema),
    serverText: serverText(service),
    url: service.url,
    inputSchema: tool.inputSchema,
  };
}

export function serverDocument(service: IndexedService): ToolDocument {
  return {
    id: service.name,
    kind: 'server',
    server: service.name,
    tool: '',
    tags: service.tags,
    nameWords: identifierWords(service.name).join(' '),
    description: service.description,
    params: '',
    serverText: serverText(service),
    url: service.url,
    inputSchema: {},
  };
}

/** Every document of one service: its server document, then one per tool. */
export function serviceDocuments(service: IndexedService, tools: readonly ToolDefinition[]): ToolDocument[] {
  return [serverDocument(service), ...tools.map((tool) => toolDocument(service, tool))];
}

/** The text the embedder reads for a document: what it does matters more than where it lives. */
export function embeddingText(doc: ToolDocument): string {
  return [doc.nameWords, doc.description, doc.kind === 'server' ? doc.serverText : textWords(doc.params).slice(0, 40).join(' ')].filter(Boolean).join('. ');
}
