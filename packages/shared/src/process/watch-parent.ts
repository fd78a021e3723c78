/**
 * Calls `onGone` once when the process that started this one is gone, however it died (exit, crash, SIGKILL):
 * `baton dev` starts its Node children with an IPC channel, whose end the kernel closes when the orchestrator
 * dies, so the child sees `disconnect`. Without an IPC channel (started by a shell, docker, systemd …) there is
 * no parent to watch and this does nothing; returns whether it watches. The channel is unref'd: it never keeps
 * the process alive by itself.
 */
export function watchParent(onGone: () => void, proc: NodeJS.Process = process): boolean {
  const channel = proc.channel;
  if (!channel || !proc.connected) return false;
  channel.unref();
  proc.once('disconnect', onGone);
  return true;
}
