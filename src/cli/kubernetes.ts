// `mcpgw render --kubernetes`: parse the options, call the pure render, print or write. No logic.
import type { Project } from '../core/config/project.js';
import { VERSION } from '../core/version.js';
import type { CliContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';

export interface KubernetesOptions {
  out?: string;
  namespace: string;
  name: string;
  image?: string;
  replicas: string;
  maxReplicas: string;
  publicUrl?: string;
}

function count(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} ${JSON.stringify(value)} is not a whole number of at least 1`, EXIT.INVALID, `e.g. ${flag} 3`);
  return n;
}

export async function renderKubernetesCommand(ctx: CliContext, project: Project, opts: KubernetesOptions): Promise<void> {
  const [{ renderKubernetes }, files] = await Promise.all([import('../control/kubernetes/render-manifests.js'), import('../control/kubernetes/kubernetes-files.js')]);
  const replicas = count('--replicas', opts.replicas);
  const { objects, warnings } = renderKubernetes({
    names: { name: opts.name, namespace: opts.namespace, peersService: `${opts.name}-peers`, publicUrl: opts.publicUrl },
    image: opts.image ?? `mcpgw:${VERSION}`,
    replicas,
    maxReplicas: Math.max(replicas, count('--max-replicas', opts.maxReplicas)),
    files: await files.readCheckoutFiles(project),
    services: project.services,
    redisUrl: project.settings.limits.redis?.url,
    version: VERSION,
  });
  for (const w of warnings) ctx.out.warn(w);
  if (opts.out) {
    const written = await files.writeManifests(opts.out, objects);
    if (ctx.out.options.json) return ctx.out.json({ written, warnings });
    return ctx.out.info(`wrote ${written.length} files to ${opts.out} — kubectl apply -k ${opts.out}`);
  }
  if (ctx.out.options.json) return ctx.out.json({ objects, warnings });
  process.stdout.write(files.manifestStream(objects));
}
