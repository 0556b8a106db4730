// Time as the caller hands it in. Classes that wait (batchers, debouncers, the periodic refresh)
// take a Clock so that tests move time themselves instead of sleeping and hoping the machine is
// not busy; the product passes nothing and gets the system clock.

export interface Clock {
  /** Milliseconds, as Date.now(). */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
