// The ledger of sign-up webhooks: one SQLite-backed Durable Object that
// remembers every processed `webhook-id` with its first answer (idempotency),
// and the outbox of scored events to forward.
//
// Why a Durable Object: idempotency needs a read-then-write that two requests
// cannot interleave, and KV is eventually consistent (a replay seconds later in
// another location could miss the first write). A Durable Object runs one call
// at a time against strongly consistent storage, so `record` is atomic.
//
// Why alarms for retries (not ctx.waitUntil): waitUntil lives only as long as
// the request's isolate (about 30 s after the response), so a receiver that is
// down for an hour would lose events. An alarm is durable: it survives
// restarts and deploys and can wake the object minutes or hours later. Each
// delivery first takes a lease (attempt counted, next attempt scheduled), so a
// crash mid-fetch retries later instead of losing or hot-looping the event;
// delivery is at-least-once, and receivers de-duplicate on `webhook-id`.
//
// One object (named "signup") holds everything: sign-ups are low-volume and a
// single object handles hundreds of calls a second. Shard by id hash if not.
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.ts';
import { signer } from '../webhooks/verify.ts';

/** Seconds to wait after failed attempt n (1-based) before attempt n + 1; the Standard Webhooks schedule. */
export const RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18000, 36000];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
export const FORWARD_TIMEOUT_MS = 10_000;
/** How long a processed webhook-id is remembered (senders retry for about a day). */
export const REMEMBER_MS = 7 * 24 * 3600_000;
/** Events whose forwarding failed for good are kept this long for an operator. */
export const KEEP_FAILED_MS = 30 * 24 * 3600_000;
export const FORWARDED_TYPE = 'signup.scored';
/** The hourly drift check's alert (worker/monitor/alerts.ts), queued with queueEvent. */
export const DRIFT_EVENT = 'model.drift';

/**
 * The secret an outgoing event is signed with: alerts with ALERT_SECRET, so the
 * receiver of alerts cannot sign forwarded sign-ups nor the other way round
 * (FORWARD_SECRET when ALERT_SECRET is unset, as before it existed); everything
 * else is a forwarded sign-up, stored under its incoming type.
 */
export function signingSecret(
  env: Pick<Env, 'ALERT_SECRET' | 'FORWARD_SECRET'>,
  type: string,
): [name: string, secret: string | undefined] {
  if (type === DRIFT_EVENT)
    return env.ALERT_SECRET ? ['ALERT_SECRET', env.ALERT_SECRET] : ['FORWARD_SECRET', env.FORWARD_SECRET];
  return ['FORWARD_SECRET', env.FORWARD_SECRET];
}

export type ForwardState = 'pending' | 'delivered' | 'failed';

export interface RecordInput {
  id: string;
  /** SHA-256 of the raw body: the same id with another body is a conflict, not a replay. */
  bodyHash: string;
  type: string;
  /** The answer (JSON text) returned now and to every replay. */
  response: string;
  /** Forward the scored event here (null: not forwarded). */
  forwardUrl: string | null;
}

export type RecordOutcome = { outcome: 'first' | 'replay'; response: string } | { outcome: 'conflict' };

export interface LedgerEvent {
  id: string;
  type: string;
  receivedAt: string;
  forward: null | {
    state: ForwardState;
    /** Origin only: a URL's path or query may hold a token. */
    target: string;
    attempts: number;
    nextAttemptAt: string | null;
    lastError: string | null;
    deliveredAt: string | null;
  };
}

type Row = {
  id: string;
  body_hash: string;
  type: string;
  received_at: number;
  response: string;
  forward_url: string | null;
  forward_body: string | null;
  forward_state: ForwardState | null;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  delivered_at: number | null;
};

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class WebhookLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS events (
      id TEXT PRIMARY KEY,
      body_hash TEXT NOT NULL,
      type TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      response TEXT NOT NULL,
      forward_url TEXT,
      forward_body TEXT,
      forward_state TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      last_error TEXT,
      delivered_at INTEGER
    )`);
    this.sql.exec('CREATE INDEX IF NOT EXISTS events_due ON events (forward_state, next_attempt_at)');
  }

  private row(id: string): Row | null {
    return (this.sql.exec<Row>('SELECT * FROM events WHERE id = ?', id).toArray()[0] as Row | undefined) ?? null;
  }

  /** A replay's stored answer, a conflict, or null when the id is new. */
  lookup(id: string, bodyHash: string): RecordOutcome | null {
    const row = this.row(id);
    if (!row) return null;
    return row.body_hash === bodyHash ? { outcome: 'replay', response: row.response } : { outcome: 'conflict' };
  }

  /** Stores a processed webhook once; a repeated id gets the first answer and changes nothing. */
  async record(input: RecordInput): Promise<RecordOutcome> {
    const seen = this.lookup(input.id, input.bodyHash);
    if (seen) return seen;
    const now = Date.now();
    let forwardBody: string | null = null;
    if (input.forwardUrl) {
      const scored = JSON.parse(input.response) as Record<string, unknown>;
      forwardBody = JSON.stringify({
        type: FORWARDED_TYPE,
        timestamp: new Date(now).toISOString(),
        data: { ...scored, sourceType: input.type },
      });
    }
    this.sql.exec(
      `INSERT INTO events (id, body_hash, type, received_at, response, forward_url, forward_body, forward_state, attempts, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
      input.id,
      input.bodyHash,
      input.type,
      now,
      input.response,
      input.forwardUrl,
      forwardBody,
      input.forwardUrl ? 'pending' : null,
      input.forwardUrl ? now : null,
    );
    await this.schedule();
    return { outcome: 'first', response: input.response };
  }

  /**
   * Queues an event of ours (a `model.drift` alert, say) for delivery to `url`
   * through the same outbox, signing and retries as forwarded sign-ups. An id
   * already queued changes nothing.
   */
  async queueEvent(input: { id: string; type: string; url: string; data: unknown }): Promise<void> {
    const now = Date.now();
    const body = JSON.stringify({ type: input.type, timestamp: new Date(now).toISOString(), data: input.data });
    this.sql.exec(
      `INSERT INTO events (id, body_hash, type, received_at, response, forward_url, forward_body, forward_state, attempts, next_attempt_at)
       VALUES (?, '', ?, ?, '', ?, ?, 'pending', 0, ?) ON CONFLICT (id) DO NOTHING`,
      input.id,
      input.type,
      now,
      input.url,
      body,
      now,
    );
    await this.schedule();
  }

  /** Events for an operator, newest first; `state` filters by forwarding state. */
  list(options: { state?: ForwardState; limit?: number } = {}): LedgerEvent[] {
    const limit = Math.max(1, Math.min(500, Math.floor(options.limit ?? 100)));
    const rows = options.state
      ? this.sql
          .exec<Row>(
            'SELECT * FROM events WHERE forward_state = ? ORDER BY received_at DESC LIMIT ?',
            options.state,
            limit,
          )
          .toArray()
      : this.sql.exec<Row>('SELECT * FROM events ORDER BY received_at DESC LIMIT ?', limit).toArray();
    return (rows as Row[]).map((r) => this.describe(r));
  }

  get(id: string): LedgerEvent | null {
    const row = this.row(id);
    return row ? this.describe(row) : null;
  }

  /**
   * Queues a failed event for delivery again, from attempt 1. `forwardUrl`
   * (the worker's current FORWARD_URL) replaces the stored target when given,
   * so an operator can fix the configuration and then replay.
   */
  async replay(
    id: string,
    forwardUrl: string | null,
  ): Promise<{ ok: true; event: LedgerEvent } | { ok: false; reason: 'not-found' | 'not-failed' }> {
    const row = this.row(id);
    if (!row) return { ok: false, reason: 'not-found' };
    if (row.forward_state !== 'failed') return { ok: false, reason: 'not-failed' };
    const now = Date.now();
    this.sql.exec(
      "UPDATE events SET forward_state = 'pending', attempts = 0, next_attempt_at = ?, forward_url = ? WHERE id = ?",
      now,
      forwardUrl || row.forward_url,
      id,
    );
    await this.schedule();
    return { ok: true, event: this.get(id)! };
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sql.exec(
      "DELETE FROM events WHERE (forward_state IS NULL OR forward_state = 'delivered') AND received_at < ?",
      now - REMEMBER_MS,
    );
    this.sql.exec("DELETE FROM events WHERE forward_state = 'failed' AND received_at < ?", now - KEEP_FAILED_MS);
    const due = this.sql
      .exec<{ id: string }>(
        "SELECT id FROM events WHERE forward_state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 25",
        now,
      )
      .toArray();
    // deliver() never throws: a throwing alarm would be retried by the runtime and re-send the whole batch.
    await Promise.all(due.map((r) => this.deliver(String(r.id))));
    await this.schedule();
  }

  /** One attempt at forwarding one event, under a lease. */
  private async deliver(id: string): Promise<void> {
    const row = this.row(id);
    if (row?.forward_state !== 'pending' || !row.forward_url || !row.forward_body) return;
    const attempts = row.attempts + 1;
    // The lease: should this attempt never finish, the event is retried at this time.
    const delay = RETRY_DELAYS_SECONDS[attempts - 1] ?? 600;
    this.sql.exec(
      'UPDATE events SET attempts = ?, next_attempt_at = ? WHERE id = ?',
      attempts,
      Date.now() + delay * 1000 * (0.9 + 0.2 * Math.random()),
      id,
    );

    let error: string;
    try {
      const [name, secret] = signingSecret(this.env, row.type);
      const wh = signer(secret);
      if (!wh) throw new Error(`${name} is not set to a whsec_ secret`);
      const msgId = `scored_${id}`;
      const at = new Date();
      const res = await fetch(row.forward_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': msgId,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': wh.sign(msgId, at, row.forward_body),
          'user-agent': 'edgeseg-forwarder',
        },
        body: row.forward_body,
        redirect: 'manual',
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => {});
      if (res.ok) {
        this.sql.exec(
          "UPDATE events SET forward_state = 'delivered', delivered_at = ?, next_attempt_at = NULL, last_error = NULL WHERE id = ?",
          Date.now(),
          id,
        );
        return;
      }
      error = `HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error;
      error =
        err?.name === 'TimeoutError'
          ? `no answer within ${FORWARD_TIMEOUT_MS / 1000} s`
          : String(err?.message ?? err).slice(0, 200);
    }
    if (attempts >= MAX_ATTEMPTS) {
      this.sql.exec(
        "UPDATE events SET forward_state = 'failed', next_attempt_at = NULL, last_error = ? WHERE id = ?",
        error,
        id,
      );
      console.warn(
        `forwarding webhook ${id} to ${originOf(row.forward_url)} failed after ${attempts} attempts (${error}); kept for replay`,
      );
    } else {
      this.sql.exec('UPDATE events SET last_error = ? WHERE id = ?', error, id);
    }
  }

  /** The alarm: the next due delivery, else a daily clean-up while anything is stored. */
  private async schedule(): Promise<void> {
    const next = this.sql
      .exec<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM events WHERE forward_state = 'pending'")
      .one().at;
    if (next !== null) {
      await this.ctx.storage.setAlarm(next);
      return;
    }
    const any = this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM events').one().n;
    if (any > 0) await this.ctx.storage.setAlarm(Date.now() + 24 * 3600_000);
    else await this.ctx.storage.deleteAlarm();
  }

  private describe(r: Row): LedgerEvent {
    return {
      id: r.id,
      type: r.type,
      receivedAt: iso(r.received_at)!,
      forward: r.forward_state
        ? {
            state: r.forward_state,
            target: r.forward_url ? originOf(r.forward_url) : '',
            attempts: r.attempts,
            nextAttemptAt: iso(r.next_attempt_at),
            lastError: r.last_error,
            deliveredAt: iso(r.delivered_at),
          }
        : null,
    };
  }
}
