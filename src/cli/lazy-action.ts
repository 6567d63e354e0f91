// The lazy CLI's one mechanism: a command file declares its name, options and help statically and
// points its action at a function of its `*-actions.ts` module, which loads only when the command
// runs — so `mcpgw --help` and `--version` load no feature code (test/cli/module-load.test.ts).

/** The action `name` of the module `load` imports, loaded when commander calls it. */
export function lazyAction<M extends Record<K, (...args: never[]) => Promise<void>>, K extends keyof M & string>(load: () => Promise<M>, name: K): (...args: Parameters<M[K]>) => Promise<void> {
  return async (...args) => (await load())[name](...args);
}
