// The model contract, imported by both the trainer (Node) and the worker (workerd).
export * from './types.ts';
export * from './validate.ts';
export * from './score.ts';
export * from './version.ts';
export { parseExpr, compileExpr, exprVariables, ExprError } from './expr.ts';
export type { Expr } from './expr.ts';
