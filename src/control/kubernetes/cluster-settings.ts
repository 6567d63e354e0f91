// The checkout's mcpgw.yaml as a pod runs it: the gateway on the pod address, health for the
// kubelet, peers through the headless Service, state in an emptyDir, API keys from the Secret,
// audit lines on stdout. Comments and every other setting stay as written. Pure.
import { parseDocument } from 'yaml';

export const POD = {
  checkout: '/srv/mcpgw',
  configDir: '/etc/mcpgw/config',
  registryDir: '/etc/mcpgw/registry',
  keysDir: '/etc/mcpgw/keys',
  stateDir: '/var/lib/mcpgw',
  gatewayPort: 8080,
  healthPort: 8090,
} as const;

export interface ClusterNames {
  name: string;
  namespace: string;
  /** The headless Service through which nodes reach each other. */
  peersService: string;
  /** Where agents reach the gateway (its tokens' audience), if known. */
  publicUrl?: string;
}

export function clusterSettingsYaml(checkoutYaml: string, names: ClusterNames): { text: string; warnings: string[] } {
  const doc = parseDocument(checkoutYaml);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  const warnings: string[] = [];
  doc.setIn(['gateway', 'listen'], `0.0.0.0:${POD.gatewayPort}`);
  if (names.publicUrl) doc.setIn(['gateway', 'public_url'], names.publicUrl);
  else if (!doc.hasIn(['gateway', 'public_url']) && !doc.hasIn(['gateway', 'domain'])) {
    warnings.push('mcpgw.yaml has no gateway.public_url: tokens and RFC 9728 metadata would name the pod address — pass --public-url https://mcp.example.com');
  }
  doc.setIn(['node', 'health_listen'], `0.0.0.0:${POD.healthPort}`);
  doc.setIn(['node', 'peers'], `{node}.${names.peersService}.${names.namespace}.svc.cluster.local:${POD.gatewayPort}`);
  doc.setIn(['identity', 'api_keys_file'], `${POD.keysDir}/keys.json`);
  doc.setIn(['audit', 'stdout'], true);
  doc.set('state_dir', POD.stateDir);
  return { text: doc.toString(), warnings };
}
