// The gateway nodes as a StatefulSet: every pod a full gateway (`mcpgw up --foreground`: Caddy,
// authd, stdio host, registry server, web UI, prober) — the daemons trust Caddy on loopback, so
// the planes do not scale apart. A StatefulSet gives each pod a stable name (its node id, in its
// session ids) and a DNS name under the headless Service that peers forward sessions to. Pure.
import { POD, type ClusterNames } from './cluster-settings.js';

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, unknown>;

export interface WorkloadInput {
  names: ClusterNames;
  image: string;
  replicas: number;
  /** `${env:NAME}` references of the files: each from the Secret `<name>-secrets`, key NAME. */
  envSecrets: string[];
  labels: Record<string, string>;
}

const probe = (path: string, extra: Record<string, number>) => ({ httpGet: { path, port: 'health' }, timeoutSeconds: 3, ...extra });

export function statefulSet(input: WorkloadInput): KubeObject {
  const { names, labels } = input;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: names.name, namespace: names.namespace, labels },
    spec: {
      serviceName: names.peersService,
      replicas: input.replicas,
      // Nodes do not depend on each other: start and stop them all at once.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: names.name,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }],
          containers: [
            {
              name: 'mcpgw',
              image: input.image,
              args: ['up', '--foreground'],
              env: [
                { name: 'MCPGW_DIR', value: POD.checkout },
                // The node id (in session ids) is the pod name, which peers resolve under the headless Service.
                { name: 'MCPGW_NODE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'XDG_DATA_HOME', value: `${POD.stateDir}/xdg` },
                { name: 'XDG_CONFIG_HOME', value: `${POD.stateDir}/xdg` },
                ...input.envSecrets.map((name) => ({ name, valueFrom: { secretKeyRef: { name: `${names.name}-secrets`, key: name } } })),
              ],
              ports: [
                { name: 'http', containerPort: POD.gatewayPort, protocol: 'TCP' },
                { name: 'health', containerPort: POD.healthPort, protocol: 'TCP' },
              ],
              startupProbe: probe('/livez', { periodSeconds: 2, failureThreshold: 60 }),
              livenessProbe: probe('/livez', { periodSeconds: 10, failureThreshold: 3 }),
              readinessProbe: probe('/readyz', { periodSeconds: 5, failureThreshold: 2 }),
              resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'config', mountPath: POD.configDir, readOnly: true },
                { name: 'registry', mountPath: POD.registryDir, readOnly: true },
                { name: 'keys', mountPath: POD.keysDir, readOnly: true },
                { name: 'state', mountPath: POD.stateDir },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: `${names.name}-config` } },
            { name: 'registry', configMap: { name: `${names.name}-registry` } },
            { name: 'keys', secret: { secretName: `${names.name}-keys`, defaultMode: 0o440 } },
            // Per node, never shared: probe results, tool snapshots, the audit file, Caddy's data.
            { name: 'state', emptyDir: { sizeLimit: '1Gi' } },
            { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          ],
        },
      },
    },
  };
}
