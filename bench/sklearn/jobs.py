"""scikit-learn's side of `npm run bench`: the same work as edgeseg's, on the
same files, each job printing one JSON line. Run with Debian's python3 (the
python3-sklearn package); the benchmark skips these rows when it is missing.

    /usr/bin/python3 bench/sklearn/jobs.py <job> [args...]

Jobs: version | kmeans | logistic | pca | ward | score_latency |
score_throughput | read | pipeline (see each function for its arguments).
Times are measured inside the job, after the data is loaded, except
`pipeline` and `read`, which time everything (reading the CSV included) as
edgeseg's side does. CSV is read with the reader named (pyarrow, polars or
pandas' C engine), as a user with that library installed would read it.
"""
import json
import os
import platform
import resource
import sys
import time

import numpy as np


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(x_file, d, rows=None):
    X = np.fromfile(x_file, dtype='<f8').reshape(-1, int(d))
    return X[: int(rows)] if rows else X


def version():
    import pandas
    import sklearn
    from threadpoolctl import threadpool_info
    blas = next((f"{i['internal_api']} {i.get('version')} {i.get('architecture')}, {i['num_threads']} threads"
                 for i in threadpool_info() if i['user_api'] == 'blas'), 'unknown BLAS')
    versions = {'python': platform.python_version(), 'sklearn': sklearn.__version__, 'numpy': np.__version__,
                'blas': blas, 'pandas': pandas.__version__}
    readers = ['pandas']
    for name in ('pyarrow', 'polars'):
        try:
            versions[name] = __import__(name).__version__
            readers.append(name)
        except Exception:
            pass
    return {'versions': versions, 'readers': readers}


def kmeans(x_file, d, k, restarts, seed, rows=None):
    """KMeans(k, n_init=restarts, random_state=seed): Lloyd, tol 1e-4, max_iter 300 — edgeseg's defaults."""
    from sklearn.cluster import KMeans
    X = load(x_file, d, rows)
    t = time.perf_counter()
    km = KMeans(n_clusters=int(k), n_init=int(restarts), random_state=int(seed)).fit(X)
    ms = (time.perf_counter() - t) * 1000
    return {'ms': ms, 'inertia': float(km.inertia_), 'iterations': int(km.n_iter_), 'peakRssMB': peak_rss_mb()}


def logistic(x_file, y_file, d, C, reps=1, optimum=1, rows=None):
    """
    LogisticRegression(C) with its defaults (lbfgs, tol 1e-4; max_iter 1000),
    the median of `reps` fits after a warm-up fit; then (when `optimum` is 1) newton-cg at tol
    1e-10 for the exact optimum the
    coefficients are checked against (lbfgs stops on a relative decrease of
    the loss, which on one-hot columns summing to the intercept can leave it
    far from the optimum along that flat direction).
    """
    import warnings
    from sklearn.linear_model import LogisticRegression
    X = load(x_file, d, rows)
    y = np.fromfile(y_file, dtype=np.uint8)[: X.shape[0]]
    LogisticRegression(C=float(C), max_iter=1000).fit(X, y)  # warm-up, as edgeseg's side does
    times = []
    for _ in range(int(reps)):
        t = time.perf_counter()
        lr = LogisticRegression(C=float(C), max_iter=1000).fit(X, y)
        times.append((time.perf_counter() - t) * 1000)
    out = {'ms': float(np.median(times)), 'coef': lr.coef_[0].tolist(), 'intercept': float(lr.intercept_[0]),
           'iterations': int(lr.n_iter_[0]), 'accuracy': float(lr.score(X, y))}
    if not int(optimum):
        return out
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        t = time.perf_counter()
        ref = LogisticRegression(C=float(C), solver='newton-cg', tol=1e-10, max_iter=10000).fit(X, y)
        ref_ms = (time.perf_counter() - t) * 1000
    out['optimum'] = {'ms': ref_ms, 'coef': ref.coef_[0].tolist(), 'intercept': float(ref.intercept_[0])}
    return out


def pca(x_file, d, reps=1):
    """PCA(2): fit, then transform every row; the fastest of `reps` (a context row)."""
    from sklearn.decomposition import PCA
    X = load(x_file, d)
    fit_ms = transform_ms = None
    for _ in range(int(reps)):
        t = time.perf_counter()
        p = PCA(n_components=2).fit(X)
        t1 = time.perf_counter()
        p.transform(X)
        t2 = time.perf_counter()
        fit_ms = min(fit_ms or 1e18, (t1 - t) * 1000)
        transform_ms = min(transform_ms or 1e18, (t2 - t1) * 1000)
    return {'fitMs': fit_ms, 'transformMs': transform_ms, 'explained': p.explained_variance_ratio_.tolist()}


def ward(x_file, d, rows, k, reps=1):
    """AgglomerativeClustering(k, linkage='ward') on the first `rows` rows; the fastest of `reps` (a context row)."""
    from sklearn.cluster import AgglomerativeClustering
    X = load(x_file, d, rows)
    best = None
    for _ in range(int(reps)):
        t = time.perf_counter()
        labels = AgglomerativeClustering(n_clusters=int(k), linkage='ward').fit_predict(X)
        ms = (time.perf_counter() - t) * 1000
        best = ms if best is None else min(best, ms)
    return {'ms': best, 'sizes': sorted(np.bincount(labels).tolist(), reverse=True)}


def fitted_scorer(csv_file):
    """
    The work edgeseg's scorer does, fitted on the CSV: a ColumnTransformer
    (standardised numbers, one-hot region and channel, standardised loyalty
    rank), then the nearest of 5 k-means centroids, the logistic head's
    probability and the 2-D PCA projection. No imputers (the records are
    complete; they would only add time on scikit-learn's side). Returns the
    raw rows (an object array, as a caller has them) and the scoring function.
    """
    from sklearn.cluster import KMeans
    from sklearn.compose import ColumnTransformer
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
    num, cat, y = read_columns(csv_file, 'pandas')
    data = np.empty((len(y), 9), dtype=object)
    data[:, :6] = num
    data[:, 6:] = cat
    ct = ColumnTransformer([
        ('num', StandardScaler(), list(range(6))),
        ('onehot', OneHotEncoder(handle_unknown='ignore', sparse_output=False), [6, 7]),
        ('tier', make_pipeline(OrdinalEncoder(categories=[TIERS]), StandardScaler()), [8]),
    ]).fit(data)
    X = ct.transform(data)
    km = KMeans(n_clusters=5, n_init=10, random_state=0).fit(X)
    lr = LogisticRegression(max_iter=1000).fit(X, y)
    pca = PCA(n_components=2).fit(X)

    def score(rows):
        xt = ct.transform(rows)
        return km.predict(xt), lr.predict_proba(xt), pca.transform(xt)

    return data, score


def score_latency(csv_file, calls):
    """One record per call, wall time per call: `calls` calls on 1,000 distinct one-row arrays, after 50 warm-up calls."""
    data, score = fitted_scorer(csv_file)
    rows = [data[i:i + 1] for i in range(min(1000, len(data)))]
    for r in rows[:50]:
        score(r)
    n = int(calls)
    t = time.perf_counter()
    for i in range(n):
        score(rows[i % len(rows)])
    return {'nsPerRecord': (time.perf_counter() - t) / n * 1e9}


def score_throughput(csv_file, batch, passes):
    """Batched: the whole pipeline on arrays of `batch` rows, `passes` passes over the data after one warm-up batch; wall time."""
    data, score = fitted_scorer(csv_file)
    b = int(batch)
    batches = [data[i:i + b] for i in range(0, len(data) - b + 1, b)]
    score(batches[0])
    done = 0
    t = time.perf_counter()
    for _ in range(int(passes)):
        for rows in batches:
            score(rows)
            done += len(rows)
    return {'recordsPerSec': done / (time.perf_counter() - t), 'batch': b}


NUMERIC = ['age', 'annual_income', 'spending_score', 'visits_per_month', 'avg_basket', 'tenure_months']
CATEGORIES = ['region', 'channel', 'loyalty_tier']
TIERS = ['Bronze', 'Silver', 'Gold', 'Platinum']


def read_frame(path, reader):
    """The CSV as the reader's own table: pandas' C engine, pyarrow's or polars' (both multithreaded)."""
    if reader == 'pandas':
        import pandas as pd
        return pd.read_csv(path, engine='c')
    if reader == 'pyarrow':
        from pyarrow import csv as pacsv
        return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    if reader == 'polars':
        import polars as pl
        return pl.read_csv(path)
    raise ValueError(f'unknown reader {reader}')


def read_columns(path, reader):
    """
    The generator's CSV read by `reader`, then as scikit-learn takes it: numbers
    as a float64 matrix (blanks as NaN), categories as an object matrix (blanks
    as NaN), the label as 0/1.
    """
    frame = read_frame(path, reader)
    if reader == 'pandas':
        num = frame[NUMERIC].to_numpy(dtype=np.float64)
        cat = frame[CATEGORIES].to_numpy(dtype=object)
        y = (frame['purchased'] == 'yes').to_numpy()
    elif reader == 'pyarrow':
        import pyarrow as pa
        num = np.column_stack([frame.column(c).cast(pa.float64()).to_numpy() for c in NUMERIC])
        cat = np.column_stack([arrow_levels(frame.column(c)) for c in CATEGORIES])
        y = arrow_levels(frame.column('purchased')) == 'yes'
    else:
        import polars as pl
        num = frame.select([pl.col(c).cast(pl.Float64) for c in NUMERIC]).to_numpy()
        cat = np.column_stack([arrow_levels(frame[c].to_arrow()) for c in CATEGORIES])
        y = arrow_levels(frame['purchased'].to_arrow()) == 'yes'
    return num, cat, y.astype(np.int8)


def arrow_levels(column):
    """
    A text column as an object array (missing as NaN), built from its
    dictionary: one Python string per level, not per row, which is how a
    user who knows Arrow would hand a low-cardinality column to scikit-learn.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    encoded = pa.chunked_array(column).combine_chunks().dictionary_encode()
    levels = np.array(encoded.dictionary.to_pylist() + [np.nan], dtype=object)
    return levels[pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)]


def read(csv_file, reader):
    """`read_frame` alone, timed, its library imported first (as edgeseg's side has its reader loaded)."""
    __import__(reader)
    user = os.times().user
    t = time.perf_counter()
    frame = read_frame(csv_file, reader)
    ms = (time.perf_counter() - t) * 1000
    user_ms = (os.times().user - user) * 1000
    return {'ms': ms, 'userMs': user_ms, 'rows': int(frame.shape[0]), 'reader': reader, 'peakRssMB': peak_rss_mb()}


def pipeline(csv_file, out_file, seed=42, reader='pandas'):
    """
    edgeseg's `train` on the generator's CSV, step for step: read (with
    `reader`, into the arrays scikit-learn takes); stratified
    80/20 split; median / most-frequent imputation, standardised numerics and
    loyalty rank, one-hot region and channel; k-means for k = 2..8 with 10
    restarts each, scored by silhouette on a 4,000-row sample, Davies-Bouldin
    and Calinski-Harabasz, best silhouette chosen; PCA to 2-D and every
    training row projected; a logistic head (C=1, lbfgs) with 5-fold stratified
    cross-validation (out-of-fold scores, per-fold accuracy / precision /
    recall / F1 / ROC-AUC / PR-AUC / Brier), the max-F1 threshold on the
    out-of-fold scores, a final fit and held-out metrics; segment profiles
    (means per segment); held-out rows assigned to segments and their
    silhouette; the model written as JSON.
    """
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss,
                                 calinski_harabasz_score, davies_bouldin_score, f1_score,
                                 precision_recall_curve, precision_score, recall_score,
                                 roc_auc_score, silhouette_score)
    from sklearn.model_selection import StratifiedKFold, train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

    seed = int(seed)
    t0 = time.perf_counter()
    timings = {}
    last = [t0]

    def lap(name):
        t = time.perf_counter()
        timings[name] = round((t - last[0]) * 1000)
        last[0] = t

    num, cat, y = read_columns(csv_file, reader)
    lap('read')

    tr, te = train_test_split(np.arange(len(y)), test_size=0.2, random_state=seed, stratify=y)
    numeric = make_pipeline(SimpleImputer(strategy='median'), StandardScaler())
    onehot = make_pipeline(SimpleImputer(strategy='most_frequent'), OneHotEncoder(handle_unknown='ignore', sparse_output=False))
    tier = make_pipeline(SimpleImputer(strategy='most_frequent'), OrdinalEncoder(categories=[TIERS]), StandardScaler())

    def encode(rows, fit):
        parts = [(numeric, num[rows]), (onehot, cat[rows][:, :2]), (tier, cat[rows][:, 2:])]
        return np.ascontiguousarray(np.hstack([(p.fit_transform(x) if fit else p.transform(x)) for p, x in parts]), dtype=np.float64)

    Xtr = encode(tr, True)
    Xte = encode(te, False)
    ytr, yte = y[tr], y[te]
    lap('encode')

    candidates, fits = [], {}
    for k in range(2, 9):
        km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(Xtr)
        fits[k] = km
        candidates.append({
            'k': k, 'inertia': float(km.inertia_),
            'silhouette': float(silhouette_score(Xtr, km.labels_, sample_size=min(4000, len(ytr)), random_state=seed)),
            'daviesBouldin': float(davies_bouldin_score(Xtr, km.labels_)),
            'calinskiHarabasz': float(calinski_harabasz_score(Xtr, km.labels_)),
        })
    best = max(candidates, key=lambda c: (c['silhouette'], -c['k']))
    km = fits[best['k']]
    lap('segments')

    pca = PCA(n_components=2).fit(Xtr)
    proj = pca.transform(Xtr)
    lap('pca')

    def metrics(yy, p, t):
        pred = p >= t
        return {'accuracy': accuracy_score(yy, pred), 'precision': precision_score(yy, pred, zero_division=0),
                'recall': recall_score(yy, pred), 'f1': f1_score(yy, pred), 'rocAuc': roc_auc_score(yy, p),
                'prAuc': average_precision_score(yy, p), 'brier': brier_score_loss(yy, p)}

    oof = np.empty(len(ytr))
    per_fold = []
    for a, b in StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(Xtr, ytr):
        lr = LogisticRegression(C=1.0, max_iter=1000).fit(Xtr[a], ytr[a])
        p = lr.predict_proba(Xtr[b])[:, 1]
        oof[b] = p
        per_fold.append(metrics(ytr[b], p, 0.5))
    prec, rec, thr = precision_recall_curve(ytr, oof)
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-300), 0)[:-1]
    threshold = float(thr[int(np.argmax(f1))])
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(Xtr, ytr)
    p_test = lr.predict_proba(Xte)[:, 1]
    test = metrics(yte, p_test, threshold)
    at_half = metrics(yte, p_test, 0.5)
    lap('targets')

    labels = km.labels_
    profiles = [{'size': int((labels == s).sum()), 'means': num[tr][labels == s].mean(axis=0).tolist()} for s in range(best['k'])]
    test_labels = km.predict(Xte)
    test_sil = float(silhouette_score(Xte, test_labels, sample_size=min(4000, len(yte)), random_state=seed))
    model = {
        'centroids': km.cluster_centers_.tolist(), 'candidates': candidates, 'profiles': profiles,
        'weights': lr.coef_[0].tolist(), 'intercept': float(lr.intercept_[0]), 'threshold': threshold,
        'cv': per_fold, 'test': test, 'testAtHalf': at_half, 'testSilhouette': test_sil,
        'projection': {'mean': pca.mean_.tolist(), 'components': pca.components_.tolist(), 'sample': proj[:150].tolist()},
    }
    with open(out_file, 'w') as f:
        json.dump(model, f)
    lap('export')
    return {'ms': (time.perf_counter() - t0) * 1000, 'timings': timings, 'k': best['k'],
            'testAuc': test['rocAuc'], 'peakRssMB': peak_rss_mb(), 'reader': reader}


JOBS = {'version': version, 'kmeans': kmeans, 'logistic': logistic, 'pca': pca, 'ward': ward,
        'score_latency': score_latency, 'score_throughput': score_throughput, 'read': read, 'pipeline': pipeline}

if __name__ == '__main__':
    print(json.dumps(JOBS[sys.argv[1]](*sys.argv[2:])))
