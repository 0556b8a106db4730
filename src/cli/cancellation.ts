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
