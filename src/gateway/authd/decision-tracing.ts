// authd's decision as a span of the caller's trace: the parent comes from the W3C
// `traceparent`/`tracestate` headers Caddy passes on (Trace Context §3), spans go to an OTLP/HTTP
// collector (JSON) in batches. Off unless tracing.otlp_endpoint is set; no identity in spans.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { IncomingHttpHeaders } from 'node:http';
import type { Settings } from '../../core/config/settings.js';
import { VERSION } from '../../core/version.js';

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id of a valid traceparent header, for the audit line (all-zero ids are invalid). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const id = traceparent ? TRACEPARENT.exec(traceparent.trim())?.[1] : undefined;
  return id && !/^0+$/.test(id) ? id : undefined;
}

export interface DecisionSpanAttributes {
  service?: string;
  method?: string | null;
  tool?: string | null;
}

export class DecisionTracing {
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly tracer: Tracer;

  private constructor(private readonly provider: BasicTracerProvider) {
    this.tracer = provider.getTracer('mcpgw-authd', VERSION);
  }

  static fromSettings(settings: Settings): DecisionTracing | undefined {
    const endpoint = settings.tracing.otlp_endpoint;
    if (!endpoint) return undefined;
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': settings.tracing.service_name, 'service.version': VERSION }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }), { scheduledDelayMillis: 1000 })],
    });
    return new DecisionTracing(provider);
  }

  /** A span for one /verify, child of the request's traceparent when it has one. */
  start(headers: IncomingHttpHeaders, attributes: DecisionSpanAttributes): Span {
    const parent = this.propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    return this.tracer.startSpan(
      'mcpgw.authorize',
      { kind: SpanKind.SERVER, attributes: { 'mcpgw.service': attributes.service ?? '' } },
      parent,
    );
  }

  end(span: Span, status: number, call?: DecisionSpanAttributes): void {
    span.setAttribute('http.response.status_code', status);
    span.setAttribute('mcpgw.decision', status < 300 ? 'allow' : 'deny');
    if (call?.method) span.setAttribute('mcp.method.name', call.method);
    if (call?.tool) span.setAttribute('mcpgw.tool', call.tool);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  /** Export what is buffered and stop. */
  async close(): Promise<void> {
    await this.provider.shutdown();
  }
}
