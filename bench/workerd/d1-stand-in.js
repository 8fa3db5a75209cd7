// The bench's MONITOR binding on bare workerd (bench/edge.ts): the D1 calls the
// worker makes — prepare, bind, run/all/first and batch — carried over RPC to a
// SQLite-backed Durable Object (d1-store.js) that runs the same SQL. Local D1
// (Miniflare) needs Miniflare's own services, which the bench's hand-written
// workerd config does not start; this keeps the flush's real work (SQLite upserts,
// one transaction per batch) off the request path as D1 does. Never deployed.
class Statement {
  constructor(db, sql, params = []) {
    this.db = db;
    this.sql = sql;
    this.params = params;
  }
  bind(...params) {
    return new Statement(this.db, this.sql, params);
  }
  async all() {
    return (await this.db.batch([this]))[0];
  }
  async run() {
    return this.all();
  }
  async first(column) {
    const row = (await this.all()).results[0] ?? null;
    return row && column ? row[column] : row;
  }
}

class StandIn {
  constructor(store) {
    this.store = store;
  }
  prepare(sql) {
    return new Statement(this, sql);
  }
  batch(statements) {
    return this.store.getByName('monitor').batch(statements.map((s) => ({ sql: s.sql, params: s.params })));
  }
}

export default function makeBinding(env) {
  return new StandIn(env.store);
}
