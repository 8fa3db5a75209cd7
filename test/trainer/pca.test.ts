import { PCA } from 'ml-pca';
import { describe, expect, it } from 'vitest';
import { type Matrix, toRows } from '../../trainer/estimators/matrix.ts';
import { fitPCA, projectRows, symmetricEigen } from '../../trainer/estimators/pca.ts';
import { Rng } from '../../trainer/estimators/rng.ts';

/** Correlated data: independent normals with decreasing scales, mixed by a fixed matrix, then shifted. */
function correlated(n: number, d: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const mix = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.next() * 2 - 1));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, (_, j) => rng.normal() * (d - j));
    for (let j = 0; j < d; j++) {
      let v = 100 + j;
      for (let t = 0; t < d; t++) v += mix[j][t] * z[t];
      data[i * d + j] = v;
    }
  }
  return { data, n, d };
}

describe('fitPCA', () => {
  it('finds the same axes and explained variance as ml-pca, up to sign', () => {
    for (const [n, d] of [
      [300, 5],
      [150, 12],
      [80, 3],
    ]) {
      const X = correlated(n, d, n + d);
      const ours = fitPCA(X, { components: d });
      const oracle = new PCA(toRows(X.data, n, d));
      const axes = oracle.getLoadings().to2DArray();
      const ratios = oracle.getExplainedVariance();
      for (let c = 0; c < d; c++) {
        const dot = axes[c].reduce((s, v, j) => s + v * ours.components[c][j], 0);
        expect(Math.abs(dot), `n=${n} d=${d} axis ${c}`).toBeCloseTo(1, 9);
        expect(ours.explainedVarianceRatio[c]).toBeCloseTo(ratios[c], 12);
      }
    }
  });

  it('projects like ml-pca, up to the sign of each axis', () => {
    const X = correlated(200, 6, 4);
    const pca = fitPCA(X);
    expect(pca.components).toHaveLength(2);
    const ours = projectRows(X, pca);
    const theirs = new PCA(toRows(X.data, X.n, X.d)).predict(toRows(X.data, X.n, X.d), { nComponents: 2 }).to2DArray();
    for (let c = 0; c < 2; c++) {
      const sign = Math.sign(ours[c]) === Math.sign(theirs[0][c]) ? 1 : -1;
      for (let i = 0; i < X.n; i++) expect(ours[i * 2 + c]).toBeCloseTo(sign * theirs[i][c], 8);
    }
  });

  it('returns unit axes whose largest-magnitude entry is positive, and the same fit every time', () => {
    const X = correlated(100, 7, 9);
    const a = fitPCA(X, { components: 3 });
    for (const axis of a.components) {
      expect(Math.hypot(...axis)).toBeCloseTo(1, 12);
      const big = axis.reduce((m, v, j) => (Math.abs(v) > Math.abs(axis[m]) ? j : m), 0);
      expect(axis[big]).toBeGreaterThan(0);
    }
    expect(fitPCA(X, { components: 3 })).toEqual(a);
    expect(a.explainedVarianceRatio[0]).toBeGreaterThanOrEqual(a.explainedVarianceRatio[1]);
  });

  it('centres on the column means', () => {
    const X = { data: Float64Array.from([1, 10, 3, 14, 5, 12]), n: 3, d: 2 };
    expect(Array.from(fitPCA(X, { components: 1 }).mean)).toEqual([3, 12]);
  });

  it('rejects more components than columns', () => {
    expect(() => fitPCA(correlated(10, 3, 1), { components: 4 })).toThrow(/components must be an integer in 1..3/);
  });
});

describe('symmetricEigen', () => {
  it('solves [[2, 1], [1, 2]]: eigenvalues 3 and 1', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0] * vectors[2]).toBeCloseTo(0.5, 14);
  });

  it('reconstructs a random symmetric matrix as V Λ Vᵀ', () => {
    const rng = new Rng(3);
    const d = 25;
    const A = new Float64Array(d * d);
    for (let p = 0; p < d; p++) {
      for (let q = p; q < d; q++) {
        const v = rng.normal();
        A[p * d + q] = v;
        A[q * d + p] = v;
      }
    }
    const { values, vectors } = symmetricEigen(A, d);
    for (let p = 0; p < d; p++) {
      for (let q = 0; q < d; q++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += vectors[p * d + c] * values[c] * vectors[q * d + c];
        expect(s).toBeCloseTo(A[p * d + q], 10);
      }
    }
    for (let c = 1; c < d; c++) expect(values[c]).toBeLessThanOrEqual(values[c - 1]);
  });
});
