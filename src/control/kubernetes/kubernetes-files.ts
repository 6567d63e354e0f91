// The I/O around the pure Kubernetes render: read the checkout's files as written, and write the
// objects as YAML (one file per object and a kustomization.yaml, or one stream for stdout).
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import type { Project } from '../../core/config/project.js';
import type { KubernetesInput } from './render-manifests.js';
import type { KubeObject } from './workload.js';

export async function readCheckoutFiles(project: Project): Promise<KubernetesInput['files']> {
  const { settingsFile, scopesFile, registryDir } = project.paths;
  const names = (await readdir(registryDir).catch(() => [] as string[])).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.')).sort();
  const registry: Record<string, string> = {};
  for (const name of names) registry[name] = await readFile(join(registryDir, name), 'utf8');
  return { settings: await readFile(settingsFile, 'utf8').catch(() => ''), scopes: await readFile(scopesFile, 'utf8').catch(() => ''), registry };
}

const fileNameOf = (o: KubeObject, i: number) => `${String(i + 1).padStart(2, '0')}-${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;

/** All objects as one YAML stream (`kubectl apply -f -`). */
export function manifestStream(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

/** One file per object and a kustomization.yaml naming them (`kubectl apply -k DIR`); the paths written. */
export async function writeManifests(dir: string, objects: readonly KubeObject[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = objects.map(fileNameOf);
  for (const [i, o] of objects.entries()) await writeFileAtomic(join(dir, files[i]!), stringify(o, { lineWidth: 0 }));
  await writeFileAtomic(join(dir, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files }));
  return [...files, 'kustomization.yaml'].map((f) => join(dir, f));
}
