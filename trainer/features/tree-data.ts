// The rows as boosted trees read them: one column per model input, in input
// order, holding the raw number or the category's level index, and NaN for a
// missing value or a spelling that is not one of the input's levels, exactly
// as the scorer's tree values (model/engine/scorer.ts treeValues) read a record.
import type { TreeData } from '../estimators/boosting/boost.ts';
import type { CategoryColumn, NumericColumn } from '../read/table.ts';
import type { Schema } from './schema.ts';

/** Every table row's tree values (`rows` is the table's row count). */
export function treeData(schema: Schema, rows: number): TreeData {
  const used = new Set(schema.features.flatMap((f) => (f.input !== undefined ? [f.input] : [])));
  const columns = schema.bindings.map((b) => {
    if (b.input.type === 'number') return Float64Array.from((b.column as NumericColumn).values.subarray(0, rows));
    const codes = (b.column as CategoryColumn).codes;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const level = codes[r] >= 0 ? b.levelOf![codes[r]] : -1;
      out[r] = level >= 0 ? level : Number.NaN;
    }
    return out;
  });
  return {
    columns,
    // An ordinal category is split by its level order, like a number; others by sets of levels.
    kinds: schema.inputs.map((f) => (f.type === 'category' && !f.ordinal ? 'category' : 'number')),
    levels: schema.inputs.map((f) => (f.type === 'category' ? f.levels.length : 0)),
    use: schema.inputs.map((f) => used.has(f.name)),
  };
}
