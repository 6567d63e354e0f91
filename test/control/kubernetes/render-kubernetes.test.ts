// `mcpgw render --kubernetes`: every object it renders passes the Kubernetes schemas
// (kubernetes-models, and the Gateway API models for the HTTPRoute); the files a pod mounts,
// laid out as the kubelet and the image lay them out, load as this checkout; the probes point at
// the node's health endpoints; the core is pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ServiceAccount, ConfigMap, Service } from 'kubernetes-models/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { loadProject } from '../../../src/core/config/project.js';
import { NODE_HEALTH_PATH } from '../../../src/control/processes/gateway-node.js';
import { checkoutWith, runCli, REPO_ROOT } from '../../../testkit/cli.js';
import { writeVolume } from '../../../testkit/mounted-volume.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  ServiceAccount,
  ConfigMap,
  Service,
  StatefulSet,
  PodDisruptionBudget,
  HorizontalPodAutoscaler,
  NetworkPolicy,
  HTTPRoute,
};

const FILES = {
  'mcpgw.yaml': '# the team gateway\ngateway: { listen: 127.0.0.1:8080 }\nlimits:\n  redis: { url: "${env:REDIS_URL}" }\nsearch: { embedder: none }\n',
  'scopes.yml': 'groups:\n  agents: [tools]\nscopes:\n  tools:\n    servers:\n      "*": { tools: ["*"] }\n',
  'registry.d/weather.yaml': 'name: weather\nupstream: https://weather.example.com:8443/mcp\nheaders:\n  X-Api-Key: "${env:WEATHER_KEY}"\n',
  'registry.d/memory.yaml': 'name: memory\ncommand: node /opt/servers/memory.js\n',
};

type Kube = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: any };

test('render --kubernetes -o DIR: every object passes the Kubernetes schemas, a pod loads its mounted files as this checkout, probes hit /livez and /readyz', async (t) => {
  const checkout = await checkoutWith(FILES);
  const out = await mkdtemp(join(tmpdir(), 'mcpgw-k8s-'));
  t.after(async () => {
    await checkout.cleanup();
    await rm(out, { recursive: true, force: true });
  });
  const run = await runCli(['render', '--kubernetes', '--image', 'registry.example.com/mcpgw:1', '--public-url', 'https://mcp.example.com', '--replicas', '3', '-o', out], { cwd: checkout.dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /stdio services \(memory\)/, 'says that stdio commands must be in the image');

  const kustomization = parse(await readFile(join(out, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  assert.deepEqual(kustomization.resources.sort(), (await readdir(out)).filter((f) => f !== 'kustomization.yaml').sort());
  const objects = await Promise.all(kustomization.resources.map(async (f) => parse(await readFile(join(out, f), 'utf8')) as Kube));
  const kinds = objects.map((o) => o.kind).sort();
  assert.deepEqual(kinds, ['ConfigMap', 'ConfigMap', 'HTTPRoute', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'Service', 'ServiceAccount', 'StatefulSet']);
  for (const o of objects) {
    const Model = MODELS[o.kind];
    assert.ok(Model, `a schema for ${o.kind}`);
    assert.doesNotThrow(() => new Model(o as never).validate(), `${o.kind}/${o.metadata.name} passes the schema`);
  }

  const byName = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
  const sts = byName('StatefulSet', 'mcpgw');
  const container = sts.spec.template.spec.containers[0];
  assert.deepEqual(container.args, ['up', '--foreground']);
  assert.equal(container.image, 'registry.example.com/mcpgw:1');
  assert.equal(container.readinessProbe.httpGet.path, NODE_HEALTH_PATH.ready);
  assert.equal(container.livenessProbe.httpGet.path, NODE_HEALTH_PATH.live);
  assert.ok(container.resources.requests.cpu && container.resources.requests.memory, 'resource requests');
  assert.deepEqual(
    container.env.filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => [e.name, e.valueFrom.secretKeyRef.name]),
    [['REDIS_URL', 'mcpgw-secrets'], ['WEATHER_KEY', 'mcpgw-secrets']],
    'secrets are references to a Secret, never values',
  );
  assert.equal(sts.spec.serviceName, 'mcpgw-peers');
  assert.equal(byName('Service', 'mcpgw-peers').spec.clusterIP, 'None');
  assert.equal(byName('HorizontalPodAutoscaler', 'mcpgw').spec.scaleTargetRef.kind, 'StatefulSet');
  const egress = byName('NetworkPolicy', 'mcpgw').spec.egress.flatMap((r: any) => r.ports.map((p: any) => p.port));
  assert.ok(egress.includes(8443) && egress.includes(6379) && egress.includes(53), `egress to the upstream, Redis and DNS: ${egress}`);

  // The pod's view: the two ConfigMap volumes as the kubelet writes them, the checkout's links as the image makes them.
  const pod = await mkdtemp(join(tmpdir(), 'mcpgw-pod-'));
  t.after(() => rm(pod, { recursive: true, force: true }));
  await writeVolume(join(pod, 'config'), byName('ConfigMap', 'mcpgw-config').data);
  await writeVolume(join(pod, 'registry'), byName('ConfigMap', 'mcpgw-registry').data);
  const root = join(pod, 'srv');
  await writeVolume(root, {}); // an empty directory
  await symlink(join(pod, 'config', 'mcpgw.yaml'), join(root, 'mcpgw.yaml'));
  await symlink(join(pod, 'config', 'scopes.yml'), join(root, 'scopes.yml'));
  await symlink(join(pod, 'registry'), join(root, 'registry.d'));
  const loaded = await loadProject(root);
  assert.deepEqual(loaded.services.map((s) => s.name).sort(), ['memory', 'weather']);
  assert.equal(loaded.settings.gateway.public_url, 'https://mcp.example.com');
  assert.equal(loaded.settings.node.health_listen, `0.0.0.0:${container.ports.find((p: any) => p.name === 'health').containerPort}`);
  assert.equal(loaded.settings.node.peers, '{node}.mcpgw-peers.mcpgw.svc.cluster.local:8080');
  assert.equal(loaded.settings.identity.api_keys_file, '/etc/mcpgw/keys/keys.json');
  assert.equal(loaded.settings.audit.stdout, true);
  assert.match(byName('ConfigMap', 'mcpgw-config').data['mcpgw.yaml'], /^# the team gateway/, "the checkout's comments stay");
});

test('render --kubernetes refuses a replica count that is not a whole number ≥ 1 (exit 1, nothing written)', async (t) => {
  const checkout = await checkoutWith(FILES);
  t.after(checkout.cleanup);
  const run = await runCli(['render', '--kubernetes', '--replicas', '0', '-o', join(checkout.dir, 'k8s')], { cwd: checkout.dir });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /--replicas "0" is not a whole number/);
  await assert.rejects(readdir(join(checkout.dir, 'k8s')));
});

test('the Kubernetes render core is pure: no file, process or network module', async () => {
  for (const file of ['render-manifests.ts', 'workload.ts', 'cluster-settings.ts']) {
    const source = await readFile(join(REPO_ROOT, 'src', 'control', 'kubernetes', file), 'utf8');
    assert.doesNotMatch(source, /from 'node:/, `${file} imports no node: module`);
  }
});
