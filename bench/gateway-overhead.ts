// `npm run bench -- gateway-overhead`: MCP tools/call through the gateway vs direct and plain
// Caddy. Env: BENCH_CLIENTS (16), BENCH_MS per round (3000), BENCH_ROUNDS (3).
import { measureGatewayOverhead } from './_gateway-overhead.js';

const overhead = await measureGatewayOverhead({
  concurrency: Number(process.env.BENCH_CLIENTS ?? 16),
  durationMs: Number(process.env.BENCH_MS ?? 3000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
});
process.stdout.write(`${JSON.stringify({ benchmark: 'gateway-overhead', node: process.version, ...overhead })}\n`);
