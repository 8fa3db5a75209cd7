// The SQLite behind the bench's MONITOR stand-in (d1-stand-in.js): the schema
// from migrations/ (a text binding) applied once, then each batch of
// statements run in one transaction, as D1 runs a batch. Never deployed.
import { DurableObject } from 'cloudflare:workers';

export class Store extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    const exists = sql.exec("SELECT name FROM sqlite_master WHERE name = 'counts'").toArray().length > 0;
    if (!exists)
      for (const s of env.SCHEMA.replace(/^\s*--.*$/gm, '').split(/;\s*\n(?=\s*(?:CREATE|INSERT|DROP|$))/))
        if (s.trim()) sql.exec(s);
  }
  batch(statements) {
    return this.ctx.storage.transactionSync(() =>
      statements.map((s) => {
        const cursor = this.ctx.storage.sql.exec(s.sql, ...s.params);
        const results = cursor.toArray();
        return { results, success: true, meta: { changes: cursor.rowsWritten } };
      }),
    );
  }
}

export default { fetch: () => new Response(null, { status: 204 }) };
