// Notices edits to registry.d (enable, disable, remove, register) so the host can start and
// stop children without a restart. Editors and `mcpgw` write by rename, so a burst of events
// is collapsed into one call after a quiet period.
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

export interface RegistryWatch {
  close(): void;
}

export function watchRegistry(registryDir: string, onChange: () => void, debounceMs = 200): RegistryWatch {
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(registryDir, changed);
  } catch {
    // No registry.d yet: watch the checkout for it to appear.
    watcher = watch(dirname(registryDir), changed);
  }
  watcher.on('error', () => {});
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
