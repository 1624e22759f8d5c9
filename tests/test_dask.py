"""Scale-out: an alpha/beta search on a Dask cluster through joblib's backend.

The cluster is a ``distributed.LocalCluster`` on the loopback interface (two
worker processes, one thread each, no dashboard); the search must give the
same results as with ``n_jobs=1`` (log loss: any change in a synthetic row
would show).
"""

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from joblib import parallel_backend
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skaug import UncertaintySampler
from skaug.models import MCDropoutClassifier, TabularVAE

distributed = pytest.importorskip("distributed")

GRID = {"aug__alpha": [0.5, 2.0], "aug__beta": [0.5, 1.0]}


def _search(n_jobs):
    X, y = make_classification(
        n_samples=120, n_features=5, weights=[0.8], random_state=0
    )
    sampler = UncertaintySampler(
        estimator=MCDropoutClassifier(max_epochs=3),
        generator=TabularVAE(max_epochs=3),
        n_mc_samples=3,
        random_state=0,
    )
    pipe = Pipeline([("aug", sampler), ("clf", LogisticRegression())])
    search = GridSearchCV(
        pipe,
        GRID,
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="neg_log_loss",
        n_jobs=n_jobs,
    )
    return search.fit(X, y)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_grid_search_on_dask_matches_sequential(client):
    expected = _search(n_jobs=1)
    with distributed.get_task_stream(client) as tasks, parallel_backend("dask"):
        got = _search(n_jobs=-1)
    # the fits ran as tasks on the cluster's workers
    assert len(tasks.data) >= len(GRID["aug__alpha"]) * len(GRID["aug__beta"])
    for key in ["mean_test_score", *[f"split{k}_test_score" for k in range(3)]]:
        np.testing.assert_array_equal(got.cv_results_[key], expected.cv_results_[key])
    assert got.best_params_ == expected.best_params_
