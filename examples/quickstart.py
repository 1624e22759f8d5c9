"""
Quick start: synthetic rows and their uncertainty
=================================================

The two building blocks of skaug on the breast-cancer data that ships with
scikit-learn:

1. a conditional :class:`~skaug.models.TabularVAE` learns the table and samples
   new rows of a chosen class;
2. an :class:`~skaug.models.MCDropoutClassifier` scores how uncertain a model is
   about each row (the variance of its MC-dropout predictions).

We check that the synthetic rows look like real ones (a classifier can hardly tell
them apart, the per-column distributions match), and we compare the uncertainty
of real and synthetic rows. ``UncertaintySampler`` combines both steps to put new
rows where the model is uncertain.
"""

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score, train_test_split

from skaug.models import MCDropoutClassifier, TabularVAE

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

# %%
# A conditional VAE over the table
# --------------------------------
vae = TabularVAE(random_state=0).fit(X_train, y_train)
X_syn, y_syn = vae.sample(len(X_train), random_state=0)
print(f"sampled {len(X_syn)} rows; labels {np.bincount(y_syn).tolist()}")

# %%
# How realistic are they?
# -----------------------
# A random forest that tries to tell real from synthetic rows: 0.5 AUC means it
# cannot, 1.0 means it always can.
both = pd.concat([X_train, X_syn], ignore_index=True)
is_syn = np.r_[np.zeros(len(X_train)), np.ones(len(X_syn))]
auc = cross_val_score(
    RandomForestClassifier(random_state=0), both, is_syn, cv=5, scoring="roc_auc"
).mean()
ks = np.mean([ks_2samp(X_train[c], X_syn[c]).statistic for c in X.columns])
print(f"real-vs-synthetic detection AUC: {auc:.3f}   mean per-column KS: {ks:.3f}")

# Do synthetic rows of class k look like class k to a model trained on real data?
forest = RandomForestClassifier(random_state=0).fit(X_train, y_train)
agreement = np.mean(forest.predict(X_syn) == y_syn)
print(f"synthetic rows classified as their label: {agreement:.3f}")

# %%
# Uncertainty of real and synthetic rows
# --------------------------------------
# The uncertainty model works on the VAE's encoded space, where every column is
# scaled; that is also where skaug's sampler scores synthetic rows.
encode = vae.encoder_.transform
clf = MCDropoutClassifier(max_epochs=100, random_state=0).fit(encode(X_train), y_train)
table = pd.DataFrame(
    {
        "rows": ["real (test)", "synthetic"],
        "accuracy": [
            clf.score(encode(X_test), y_test),
            clf.score(encode(X_syn), y_syn),
        ],
        "mean MC-dropout variance": [
            clf.predict_uncertainty(encode(X_test)).mean(),
            clf.predict_uncertainty(encode(X_syn)).mean(),
        ],
    }
)
print(table.to_string(index=False, float_format="%.4f"))
