"""
Bridging a drifted test set with DriftAugmentor
===============================================

:class:`~skaug.DriftAugmentor` compares a test set with the training data it is
meant to resemble. When the test set has drifted, it adds a bounded number of
synthetic rows, drawn from a generator trained on the training data only and
constrained to the regions where the test set lacks training mass, and it
reports how much the drift dropped.

This example

1. builds two drift scenarios from the breast-cancer data that ships with
   scikit-learn: a covariate shift (the test set lacks small tumours) and a
   label-prior shift (the test set lacks benign tumours);
2. fits a ``DriftAugmentor`` on the training part and ``augment``\\ s the
   drifted test part, then reads its report as text, as a table, as a region
   table and as a figure;
3. scores a classifier trained on the training data on the original test rows
   and on the augmented rows.

It is used on its own (fit on training data, then augment a test set), never as
a step of a ``Pipeline`` before a predictor. And augmenting a test set changes
what an evaluation measures: the augmented set is partly synthetic, and its
score says how the model does on a mixture of the drifted test set and rows
that look like the training data. Report the score on the original test rows
too.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skaug import DriftAugmentor

# One torch thread keeps the timings steady.
torch.set_num_threads(1)
started = time.perf_counter()

# %%
# A covariate shift
# -----------------
# We keep the ten ``mean ...`` columns of the breast-cancer data and split the
# rows in half, stratified on the label. The first half is the training data.
# From the second half we build a drifted test set: only tumours whose mean
# radius is above the 40th percentile of that half are kept, as if the test
# data came from a clinic that sees larger tumours.
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X = X[[c for c in X.columns if c.startswith("mean ")]]
y = y.to_numpy()  # 0 = malignant, 1 = benign
X_train, X_pool, y_train, y_pool = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
radius = X_pool["mean radius"]
larger = (radius > radius.quantile(0.4)).to_numpy()
X_test, y_test = X_pool[larger], y_pool[larger]
print(f"train: {len(X_train)} rows, test: {len(X_test)} rows")
print(
    f"mean radius, median: train {X_train['mean radius'].median():.1f}, "
    f"test {X_test['mean radius'].median():.1f}"
)

# %%
# Fit on the training data, augment the test set
# ----------------------------------------------
# The drift is measured on ``mean radius`` with the Kolmogorov-Smirnov
# statistic. ``region_method="histogram"`` cuts that column into quantile bins
# of the training values; the bins the test set lacks get synthetic rows, in
# proportion to their deficit, up to ``augmentation_factor * len(X_test)``
# rows. The generator is the default, ``"auto"``: on a table this small, a
# Gaussian copula (a mixture of copulas per class), fitted jointly with the
# labels, so the synthetic rows come with labels. A fifth of the training rows
# is held out to measure its quality (``generator_quality_``), labels included.
augmentor = DriftAugmentor(
    target="mean radius",
    region_method="histogram",
    augmentation_factor=0.5,
    random_state=0,
)
augmentor.fit(X_train, y_train)
result = augmentor.augment(X_test, y_test)
report = result.report
print(report)

# %%
# The report as a table: the drift of the target before and after, and an
# ``overall`` row (with one target, the same numbers).
print(report.to_frame())

# %%
# Per region: its deficit (share of training rows the test set lacks there),
# the rows allocated to it and the rows actually added.
print(report.regions)
print(f"generator quality: {augmentor.generator_quality_}")

# %%
# The test rows come first, in order, with their index; the synthetic rows
# follow with a fresh index, and ``is_synthetic`` tells them apart.
print(result.X.tail(3))
print(f"synthetic rows: {int(result.is_synthetic.sum())} of {len(result.X)}")

# %%
# The same drift, measured on every feature
# ------------------------------------------
# With ``target=None`` every column is compared and the overall drift is their
# mean. The regions then come from a train-vs-test classifier
# (``region_method="density_ratio"``): clusters of training rows scored by the
# density ratio ``p_test / p_train``. Selecting on the radius drifted the
# correlated size columns (perimeter, area) as well.
augmentor_all = DriftAugmentor(augmentation_factor=0.5, random_state=0).fit(
    X_train, y_train
)
result_all = augmentor_all.augment(X_test, y_test)
print(result_all.report)
print(result_all.report.to_frame().round(3))

fig, axes = plt.subplots(1, 2, figsize=(12, 4), width_ratios=(1, 4))
report.plot(ax=axes[0])
result_all.report.plot(ax=axes[1])
fig.tight_layout()
plt.show()

# %%
# What the classifier's score now measures
# ----------------------------------------
# A classifier trained on the training data is scored three ways: on the
# original (drifted) test rows, on the augmented set (test rows plus synthetic
# rows with the labels the generator drew), and on the synthetic rows alone.
# The second number is not "the test score, corrected": it is the score on a
# different population, part real and part generated to look like the
# training data. Report both, and say which is which.
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)


def scores(res):
    """Accuracy and the share of benign rows on each part of an augmentation."""
    pred = model.predict(res.X)
    parts = {
        "original test rows": ~res.is_synthetic,
        "augmented rows": np.ones(len(res.is_synthetic), dtype=bool),
        "synthetic rows only": res.is_synthetic,
    }
    return pd.DataFrame(
        {
            "rows": [int(m.sum()) for m in parts.values()],
            "benign share": [res.y[m].mean() for m in parts.values()],
            "accuracy": [accuracy_score(res.y[m], pred[m]) for m in parts.values()],
        },
        index=list(parts),
    ).round(3)


# The synthetic rows are small tumours, nearly all benign and easy to classify,
# so the score on the augmented rows is higher than on the original test rows:
# the augmented set is easier, not the model better.
print(scores(result))

# %%
# A label-prior shift
# -------------------
# Now the test set keeps every malignant tumour of the second half but only a
# quarter of the benign ones. With ``target="y"`` the drift is measured on the
# labels, each class is a region, and the conditional generator is asked for
# rows of the missing class directly (no rejection: acceptance rate 1).
rng = np.random.RandomState(0)
benign = np.flatnonzero(y_pool == 1)
keep = np.sort(
    np.r_[np.flatnonzero(y_pool == 0), rng.choice(benign, len(benign) // 4, False)]
)
X_test_y, y_test_y = X_pool.iloc[keep], y_pool[keep]
print(f"labels: train {np.bincount(y_train)}, test {np.bincount(y_test_y)}")

augmentor_y = DriftAugmentor(target="y", augmentation_factor=0.5, random_state=0)
augmentor_y.fit(X_train, y_train)
result_y = augmentor_y.augment(X_test_y, y_test_y)
print(result_y.report)
print(result_y.report.regions)
print(f"labels after: {np.bincount(result_y.y)}")
# Accuracy depends on the class mix, so it moves with the labels that were
# added: again a different population, not a corrected score.
print(scores(result_y))

print(f"\ntotal wall time: {time.perf_counter() - started:.0f} s")
