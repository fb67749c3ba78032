export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The shell's convention: 128 + the signal number. */
export const SIGNAL_EXIT_CODES: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Resolves on the first SIGINT or SIGTERM (and remembers which), so a command can finish its
 * work and print its summary instead of dying by the signal. dispose() removes the handlers.
 */
export function onStopSignal(): { promise: Promise<StopSignal>; readonly signal: StopSignal | undefined; dispose(): void } {
  let got: StopSignal | undefined;
  let dispose = (): void => undefined;
  const promise = new Promise<StopSignal>((resolve) => {
    const on = (s: StopSignal) => (): void => {
      got ??= s;
      resolve(s);
    };
    const int = on('SIGINT');
    const term = on('SIGTERM');
    process.on('SIGINT', int);
    process.on('SIGTERM', term);
    dispose = () => {
      process.off('SIGINT', int);
      process.off('SIGTERM', term);
    };
  });
  return {
    promise,
    get signal() {
      return got;
    },
    dispose: () => dispose(),
  };
}
