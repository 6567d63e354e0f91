// `npm run bench -- gateway-overhead`: MCP tools/call through the gateway vs direct and plain
// Caddy (with observability on and off), and against the design's floor — Caddy with
// forward_auth to a trivial Node responder — for the tool-policy route and the header-only
// 2026-07-28 path, with the gateway processes' CPU per call. Env: BENCH_CLIENTS (16), BENCH_MS
// per round (3000), BENCH_ROUNDS (3).
import { measureGatewayOverhead } from './_gateway-overhead.js';
import { measureGatewayFloor } from './_gateway-floor.js';

const options = {
  concurrency: Number(process.env.BENCH_CLIENTS ?? 16),
  durationMs: Number(process.env.BENCH_MS ?? 3000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
};
const overhead = await measureGatewayOverhead(options);
const floor = await measureGatewayFloor(options);
process.stdout.write(`${JSON.stringify({ benchmark: 'gateway-overhead', node: process.version, ...overhead, against_floor: floor })}
`);
