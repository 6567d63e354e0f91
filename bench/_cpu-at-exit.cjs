// Preloaded into a child process by bench/find-speed: at exit it writes the CPU time the process
// used (user + system, ms) to stderr, a figure that a busy shared machine disturbs less than wall time.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ncpu-ms ${((user + system) / 1000).toFixed(1)}\n`);
});
