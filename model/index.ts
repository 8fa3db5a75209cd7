// The one public entry of model/: everything the trainer (Node), the worker
// (workerd), the dashboard, the bench, the examples and the tests use of the
// model contract, its scoring engine and its CSV/JSON I/O. Code outside
// model/ imports this file only.
export * from './contract/types.ts';
export * from './contract/validate.ts';
export * from './contract/upgrade.ts';
export * from './contract/version.ts';
export * from './contract/publish.ts';
export * from './contract/monitoring.ts';
export { parseExpr, compileExpr, exprVariables, ExprError } from './contract/expr.ts';
export type { Expr } from './contract/expr.ts';
export * from './kernels.ts';
export {
  compileModel,
  normaliseLevel,
  projectPoint,
  type BinaryHead,
  type ClassHead,
  type CompiledModel,
} from './engine/compile.ts';
export { compileEncoder, type Encode } from './engine/encoder.ts';
export {
  compileForest,
  forestLogit,
  treeLeaf,
  type CompiledForest,
} from './engine/trees.ts';
export type { LinearScorer } from './engine/linear.ts';
export type { FieldProblem, FieldWarning, ReadOptions } from './engine/read.ts';
export type { ScoreOutcome, ScoreResult } from './engine/score.ts';
export { classProbabilities, type ClassScore } from './engine/explain.ts';
export {
  addTreeShap,
  addTreesShap,
  goesLeft,
  shapScratch,
  treeDepth,
  treeExpectation,
  treesExpectation,
  treeValue,
  type ShapScratch,
} from './engine/treeshap.ts';
export type { Tree } from './contract/trees.ts';
export { headReason, type Contribution, type Reason, type Reasons } from './engine/reasons.ts';
export { createScorer, scoreRecord, scorerFor, Scorer } from './engine/scorer.ts';
export { BLOCK, type BlockWalk } from './engine/tree-block.ts';
export { binsOf, Tally, type Bins } from './engine/tally.ts';
export * from './io/bytes.ts';
export * from './io/csv.ts';
export * from './io/csv-write.ts';
export * from './io/batch.ts';
export * from './io/table-reader.ts';
export * from './io/score-json.ts';
export * from './io/explain-json.ts';
