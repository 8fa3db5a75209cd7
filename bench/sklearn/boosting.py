# The scikit-learn (and LightGBM) side of the boosted-trees rows:
# `python3 bench/sklearn/boosting.py hgb|lightgbm <x> <y> <d> <train_rows>`
# fits on the first train_rows rows with the settings ours uses (100
# iterations, 31 leaves, learning rate 0.1, 255 bins, min 20 rows a leaf, no
# early stopping) and prints the fit's wall time, its CPU time (all threads,
# user + system) and the held-out ROC-AUC as JSON.
import json
import sys
import time

import numpy as np
from sklearn.metrics import roc_auc_score


def load(x_file, y_file, d):
    X = np.fromfile(x_file, dtype=np.float64).reshape(-1, int(d))
    y = np.fromfile(y_file, dtype=np.uint8)[: X.shape[0]]
    return X, y


def hgb(X, y, n):
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_iter=100, max_leaf_nodes=31, learning_rate=0.1, max_bins=255, min_samples_leaf=20,
        early_stopping=False, random_state=0,
    )
    t, c = time.perf_counter(), time.process_time()
    model.fit(X[:n], y[:n])
    return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000, model.predict_proba(X[n:])[:, 1]


def lightgbm(X, y, n):
    try:
        import lightgbm as lgb
    except ImportError:
        return None
    model = lgb.LGBMClassifier(
        n_estimators=100, num_leaves=31, learning_rate=0.1, max_bin=255, min_child_samples=20, verbose=-1,
        random_state=0,
    )
    t, c = time.perf_counter(), time.process_time()
    model.fit(X[:n], y[:n])
    return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000, model.predict_proba(X[n:])[:, 1]


if __name__ == '__main__':
    which, x_file, y_file, d, n = sys.argv[1:6]
    X, y = load(x_file, y_file, d)
    n = int(n)
    out = {'hgb': hgb, 'lightgbm': lightgbm}[which](X, y, n)
    if out is None:
        print(json.dumps(None))
    else:
        ms, cpu_ms, p = out
        print(json.dumps({'ms': ms, 'cpuMs': cpu_ms, 'auc': roc_auc_score(y[n:], p)}))
