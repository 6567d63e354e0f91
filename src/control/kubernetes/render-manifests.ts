// The checkout → Kubernetes objects: ConfigMaps of its files, the nodes' StatefulSet (workload.ts),
// the Services, a PodDisruptionBudget, a HorizontalPodAutoscaler, a NetworkPolicy and a Gateway
// API HTTPRoute example. Secrets are referenced, never rendered. Pure: texts in, objects out.
import { secretReferences } from '../../core/config/secrets.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { clusterSettingsYaml, POD, type ClusterNames } from './cluster-settings.js';
import { statefulSet, type KubeObject } from './workload.js';

export interface KubernetesInput {
  names: ClusterNames;
  image: string;
  replicas: number;
  maxReplicas: number;
  /** The checkout's files as written: mcpgw.yaml, scopes.yml, registry.d (file name → text). */
  files: { settings: string; scopes: string; registry: Record<string, string> };
  services: readonly ServiceDefinition[];
  /** limits.redis.url as written, when counters are shared. */
  redisUrl?: string;
  version: string;
}

export interface KubernetesRender {
  objects: KubeObject[];
  warnings: string[];
}

/** Ports the nodes dial: upstreams, Redis, and HTTPS (identity providers, their JWKS). */
function egressPorts(input: KubernetesInput): number[] {
  const ports = new Set<number>([443]);
  const portOf = (url: string) => {
    try {
      const u = new URL(url);
      return Number(u.port || (u.protocol === 'https:' ? 443 : u.protocol === 'redis:' || u.protocol === 'rediss:' ? 6379 : 80));
    } catch {
      return undefined;
    }
  };
  for (const svc of input.services) for (const url of svc.transport === 'stdio' ? [] : svc.upstreams) ports.add(portOf(url) ?? 443);
  if (input.redisUrl) ports.add(portOf(input.redisUrl) ?? 6379);
  return [...ports].sort((a, b) => a - b);
}

/** `${env:NAME}` references anywhere in the files: the pods get them from the Secret <name>-secrets. */
function envReferences(input: KubernetesInput): string[] {
  const texts = [input.files.settings, input.files.scopes, ...Object.values(input.files.registry)];
  return [...new Set(texts.flatMap((t) => secretReferences(t).filter((r) => r.kind === 'env').map((r) => r.ref)))].sort();
}

export function renderKubernetes(input: KubernetesInput): KubernetesRender {
  const { names } = input;
  const labels = { 'app.kubernetes.io/name': 'mcpgw', 'app.kubernetes.io/instance': names.name };
  const meta = (name: string, extra: Partial<KubeObject['metadata']> = {}) => ({ name, namespace: names.namespace, labels: { ...labels, 'app.kubernetes.io/version': input.version }, ...extra });
  const settings = clusterSettingsYaml(input.files.settings, names);
  const warnings = [...settings.warnings];
  const envSecrets = envReferences(input);
  const fileRefs = [input.files.settings, ...Object.values(input.files.registry)].flatMap((t) => secretReferences(t).filter((r) => r.kind === 'file'));
  if (fileRefs.length) warnings.push(`\${file:…} references (${[...new Set(fileRefs.map((r) => r.ref))].join(', ')}): mount a Secret of your own at those paths (absolute paths; relative ones resolve under ${POD.checkout})`);
  const stdio = input.services.filter((s) => s.transport === 'stdio').map((s) => s.name);
  if (stdio.length) warnings.push(`stdio services (${stdio.join(', ')}) run their command inside each pod: the image must hold it (npx needs registry access at run time — bake the package into the image)`);

  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(names.name), automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${names.name}-config`), data: { 'mcpgw.yaml': settings.text, 'scopes.yml': input.files.scopes } },
    // One key per registry.d file, mounted as the directory: a new file is followed in place, no rollout.
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${names.name}-registry`), data: { ...input.files.registry } },
    statefulSet({ names, image: input.image, replicas: input.replicas, envSecrets, labels }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(names.name),
      spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    },
    {
      // Peers reach each other by pod name; a node that is not ready still owns its sessions.
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(names.peersService),
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: labels, ports: [{ name: 'http', port: POD.gatewayPort, targetPort: 'http', protocol: 'TCP' }] },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(names.name), spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(names.name),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: names.name },
        minReplicas: input.replicas,
        maxReplicas: Math.max(input.replicas, input.maxReplicas),
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        // Scaling in ends the sessions of the pods removed: slowly.
        behavior: { scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] } },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(names.name),
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress', 'Egress'],
        // The gateway port is the front door (authd decides every request); health only from the node's kubelet.
        ingress: [{ ports: [{ port: POD.gatewayPort, protocol: 'TCP' }] }],
        egress: [
          { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
          { to: [{ podSelector: { matchLabels: labels } }], ports: [{ port: POD.gatewayPort, protocol: 'TCP' }] },
          { ports: egressPorts(input).map((port) => ({ port, protocol: 'TCP' })) },
        ],
      },
    },
    {
      // An example: attach to your own Gateway (name, namespace and hostname are yours).
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta(names.name, { annotations: { 'mcpgw.dev/example': 'set parentRefs and hostnames to your Gateway' } }),
      spec: {
        parentRefs: [{ name: 'mcpgw-gateway' }],
        ...(names.publicUrl ? { hostnames: [new URL(names.publicUrl).hostname] } : {}),
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: names.name, port: 80 }] }],
      },
    },
  ];
  return { objects, warnings };
}
