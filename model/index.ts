// The one public entry of model/: everything the trainer (Node), the worker
// (workerd), the dashboard, the bench, the examples and the tests use of the
// model contract and its scorer. Code outside model/ imports this file only.
export * from './types.ts';
export * from './validate.ts';
export * from './upgrade.ts';
export * from './version.ts';
export * from './publish.ts';
export { parseExpr, compileExpr, exprVariables, ExprError } from './expr.ts';
export type { Expr } from './expr.ts';
export * from './kernels.ts';
export * from './score.ts';
export * from './csv.ts';
export * from './csv-write.ts';
export * from './batch.ts';
export * from './score-json.ts';
