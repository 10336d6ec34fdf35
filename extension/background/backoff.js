/**
 * Reconnect delays for the native port: exponential backoff with jitter ("equal jitter":
 * half of the exponential step is fixed, half is random), capped.
 * Pure: the random number is an argument.
 */

/** Default policy: 0.5 s, 1 s, 2 s, ... up to 30 s between attempts. */
export const DEFAULT_BACKOFF = Object.freeze({baseMs: 500, maxMs: 30_000});

/**
 * Delay before reconnect attempt number `attempt` (0 for the first retry).
 * @param {number} attempt  failed attempts so far (non-negative integer)
 * @param {number} random   a number in [0, 1)
 * @param {{baseMs: number, maxMs: number}} [policy]
 * @returns {number} milliseconds, an integer in [step/2, step] where step = min(maxMs, baseMs * 2^attempt)
 */
export function reconnectDelay(attempt, random, policy = DEFAULT_BACKOFF) {
  const n = Number.isSafeInteger(attempt) && attempt > 0 ? Math.min(attempt, 30) : 0;
  const r = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0;
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** n);
  return Math.round(step / 2 + (step / 2) * r);
}
