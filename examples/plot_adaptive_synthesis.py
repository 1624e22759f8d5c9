"""
============================================
Synthesis during training: AdaptiveSynthesis
============================================

:class:`~skaug.UncertaintySampler` resamples once, before a classifier sees the
data. :class:`~skaug.callbacks.AdaptiveSynthesis` runs the loop *inside* the
training of a skorch net: every epoch it regenerates a pool of synthetic rows,
scores them with the net's current Monte Carlo dropout uncertainty, and redraws
each training batch from its original rows and a few pool rows, weighted by
``alpha * original_weight + beta / (1 + u)``.

We train the same small net three times on an imbalanced problem (5 % minority,
5 % flipped labels): alone, with class-balancing batch weights only
(``beta=0``: no synthetic rows), and with synthesis. Then we compare learning
curves, test scores and what the callback wrote into the net's history.
"""

# %%
# An imbalanced problem
# ---------------------
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import make_classification
from sklearn.metrics import average_precision_score, balanced_accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring
from skorch.dataset import ValidSplit

from skaug.callbacks import AdaptiveSynthesis

X, y = make_classification(
    n_samples=1000,
    n_features=20,
    n_informative=5,
    n_redundant=5,
    weights=[0.95],
    flip_y=0.05,
    random_state=0,
)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train = scaler.transform(X_train).astype(np.float32)
X_test = scaler.transform(X_test).astype(np.float32)
print(f"minority rows in training: {y_train.sum()} of {len(y_train)}")


# %%
# One net, three ways
# -------------------
# The module has a dropout layer: the callback turns it on (and only it) for
# its Monte Carlo passes. The validation split (20 %, stratified) is never
# augmented; its balanced accuracy is scored after every epoch.
class MLP(torch.nn.Module):
    def __init__(self, n_features=20, hidden=64, dropout=0.2):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(n_features, hidden),
            torch.nn.ReLU(),
            torch.nn.Dropout(dropout),
            torch.nn.Linear(hidden, 2),
        )

    def forward(self, X):
        return self.layers(X)


def make_net(synthesis=None):
    callbacks = [
        (
            "valid_bacc",
            EpochScoring("balanced_accuracy", lower_is_better=False, name="valid_bacc"),
        )
    ]
    if synthesis is not None:
        callbacks.append(("synthesis", synthesis))
    return NeuralNetClassifier(
        MLP,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=40,
        batch_size=64,
        train_split=ValidSplit(5, stratified=True),
        callbacks=callbacks,
        verbose=0,
    )


variants = {
    "plain": None,
    "balanced weights (beta=0)": AdaptiveSynthesis(
        beta=0.0, original_weight="balanced", random_state=0
    ),
    # the default generator is a conditional TabularVAE fitted on the training
    # split when synthesis starts (after one warm-up epoch)
    "AdaptiveSynthesis()": AdaptiveSynthesis(random_state=0),
}
nets = {}
for name, synthesis in variants.items():
    torch.manual_seed(0)  # skorch nets take their seed from torch
    nets[name] = make_net(synthesis).fit(X_train, y_train)

# %%
# Test scores
# -----------
# Scores on the untouched test split. Whether synthesis helps depends on the
# problem: ``benchmarks/bench_adaptive_synthesis.py`` measures it on three.
print(f"{'':28s} bal. acc.  minority F1  avg. precision")
for name, net in nets.items():
    proba = net.predict_proba(X_test)[:, 1]
    pred = (proba >= 0.5).astype(int)
    bacc = balanced_accuracy_score(y_test, pred)
    ap = average_precision_score(y_test, proba)
    print(f"{name:28s} {bacc:9.3f}  {f1_score(y_test, pred):11.3f}  {ap:14.3f}")

# %%
# Learning curves and the callback's history
# ------------------------------------------
# ``synthetic_share`` is the share of synthetic rows in the training batches,
# ``pool_uncertainty`` the mean MC dropout variance of the fresh pool (it falls
# as the net grows confident), ``pool_ks`` the stability check: the pool's mean
# per-column KS statistic against the real rows of the same class.
history = nets["AdaptiveSynthesis()"].history
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
for name, net in nets.items():
    axes[0].plot(net.history[:, "valid_bacc"], label=name)
axes[0].set(xlabel="epoch", ylabel="validation balanced accuracy")
axes[0].legend(fontsize=8)

epochs = [row["epoch"] for row in history if "synthetic_share" in row]
axes[1].plot(epochs, [row["synthetic_share"] for row in history[1:]], "o-")
axes[1].set(xlabel="epoch", ylabel="synthetic share of batch rows")
ax = axes[1].twinx()
ax.plot(epochs, [row["pool_uncertainty"] for row in history[1:]], "s--", color="C3")
ax.set_ylabel("pool uncertainty", color="C3")

axes[2].plot(epochs, [row["pool_ks"] for row in history[1:]], "o-", color="C2")
axes[2].axhline(0.3, color="grey", ls=":", label="max_pool_ks")
axes[2].set(xlabel="epoch", ylabel="pool KS vs real rows", ylim=(0, 0.5))
axes[2].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %%
# What the callback cost
# ----------------------
# ``synthesis_seconds`` per epoch: the generator's fit in the first active
# epoch, then generation, scoring (10 MC passes in one forward) and drawing.
seconds = [row["synthesis_seconds"] for row in history[1:]]
print(f"generator fit epoch: {seconds[0]:.2f} s")
print(f"later epochs: {np.mean(seconds[1:]):.3f} s")
