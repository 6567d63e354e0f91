// Errors of starting and stopping the gateway's processes (Caddy, authd, the other daemons).
import { McpgwError } from '../../core/errors.js';

/** The Caddy binary is not installed or does not run: the machine lacks it (exit 2). */
export class CaddyMissingError extends McpgwError {
  constructor(binary: string) {
    super('ERR_CADDY_MISSING', `Caddy ("${binary}") is not installed or does not run`, 'unavailable', {
      hint: 'install it with `sudo apt-get install -y caddy` (Debian/Ubuntu; `npm run setup` does this when it may), or set caddy.binary in mcpgw.yaml to its path',
    });
  }
}

/** A process of the gateway could not start, or exited or stayed silent during start-up. */
export class ProcessStartError extends McpgwError {
  constructor(message: string, hint?: string) {
    super('ERR_PROCESS_START', message, 'runtime', { hint });
  }
}

/** `up` while processes of this checkout still run. */
export class GatewayRunningError extends McpgwError {
  constructor(names: string[], file: string) {
    super('ERR_GATEWAY_RUNNING', `the gateway is already running (${names.join(', ')} in ${file})`, 'conflict', {
      hint: 'run `mcpgw down` first, or `mcpgw apply` to push changes',
    });
  }
}
