// The one public entry of model/: everything the trainer (Node), the worker
// (workerd), the dashboard, the bench, the examples and the tests use of the
// model contract and its scorer. Code outside model/ imports this file only.
export * from './contract/types.ts';
export * from './contract/validate.ts';
export * from './contract/upgrade.ts';
export * from './contract/version.ts';
export * from './contract/publish.ts';
export { parseExpr, compileExpr, exprVariables, ExprError } from './contract/expr.ts';
export type { Expr } from './contract/expr.ts';
export * from './kernels.ts';
export * from './score.ts';
export * from './io/csv.ts';
export * from './io/csv-write.ts';
export * from './io/batch.ts';
export * from './io/score-json.ts';
