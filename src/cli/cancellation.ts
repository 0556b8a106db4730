// Ctrl-C (SIGINT) and SIGTERM during a CLI command: abort what runs on the hosts (their remote
// processes end with their channels), then let the command finish its report and exit.

export async function withCancellation<T>(work: (signal: AbortSignal) => Promise<T>, onCancel?: () => void): Promise<T> {
  const abort = new AbortController();
  const cancel = () => {
    onCancel?.();
    abort.abort();
  };
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    return await work(abort.signal);
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

/**
 * Ctrl-C (or SIGTERM) during a capture: the first stops tcpdump, so that what it caught is still
 * summed up and saved; a second closes at once. Returns what removes the handlers again.
 */
export function stopOnSignals(capture: () => { stop(): unknown; close(): unknown } | undefined): () => void {
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) void capture()?.stop();
    else void capture()?.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
