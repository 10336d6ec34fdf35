/**
 * Outstanding host requests: ids, deadlines and the caller's context (its promise callbacks).
 * Pure bookkeeping: time is an argument, nothing here starts timers or touches the port.
 * The host echoes `id` in its response (PROTOCOL.md, envelope).
 */
export class RequestTable {
  /** @type {Map<number, {id: number, type: string, deadline: number, context: unknown}>} */
  #entries = new Map();
  #nextId;

  /** @param {{firstId?: number}} [options] */
  constructor({firstId = 1} = {}) {
    this.#nextId = firstId;
  }

  /** Number of requests waiting for an answer. */
  get size() {
    return this.#entries.size;
  }

  /**
   * Records a new request and returns its id (ids increase and are never reused in one table).
   * @param {string} type @param {number} now @param {number} timeoutMs @param {unknown} context
   * @returns {number}
   */
  begin(type, now, timeoutMs, context) {
    const id = this.#nextId;
    this.#nextId = id >= Number.MAX_SAFE_INTEGER ? 1 : id + 1;
    this.#entries.set(id, {id, type, deadline: now + timeoutMs, context});
    return id;
  }

  /**
   * Removes and returns the request answered by a response with this id, or `undefined`
   * when no such request is waiting (unknown, already answered or timed out).
   * @param {number} id
   */
  settle(id) {
    const entry = this.#entries.get(id);
    if (entry) this.#entries.delete(id);
    return entry;
  }

  /**
   * Removes and returns every request whose deadline is at or before `now`.
   * @param {number} now
   */
  expire(now) {
    const out = [];
    for (const entry of this.#entries.values()) {
      if (entry.deadline <= now) out.push(entry);
    }
    for (const entry of out) this.#entries.delete(entry.id);
    return out;
  }

  /** Removes and returns every waiting request (the port closed). */
  drain() {
    const out = [...this.#entries.values()];
    this.#entries.clear();
    return out;
  }

  /** Earliest deadline among waiting requests, or `null` when none is waiting. */
  nextDeadline() {
    let min = null;
    for (const entry of this.#entries.values()) {
      if (min === null || entry.deadline < min) min = entry.deadline;
    }
    return min;
  }
}
