/**
 * Waits for an effect that happens in the background (an event applied by a consumer): retries `check` until it
 * passes, up to `timeoutMs` (generous: tests assert what happens, not how fast), then fails with its last error.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
