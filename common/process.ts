import type { Logger } from './logger.js';

/** A stop that hangs must not keep a broken process alive. */
const STOP_DEADLINE_MS = 10_000;

/**
 * How a server process ends. SIGINT/SIGTERM stop it cleanly (exit 0). An error nothing caught is logged with its
 * stack, then the process stops the same way with exit 1 rather than keep serving in an unknown state; the
 * supervisor (docker's restart policy, systemd) starts it again. Returns the stop, for a failed start.
 */
export function stopOnSignalsAndFatalErrors(log: Logger, stop: () => Promise<void>): (code: number) => Promise<void> {
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(code), STOP_DEADLINE_MS).unref();
    try {
      await stop();
    } catch (error) {
      log.error('stop failed', { message: error instanceof Error ? error.message : String(error) });
    }
    process.exit(code);
  };
  const fatal = (kind: string) => (error: unknown) => {
    log.error(`${kind}: stopping`, error instanceof Error ? { message: error.message, stack: error.stack } : { reason: String(error) });
    void shutdown(1);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
  return shutdown;
}
