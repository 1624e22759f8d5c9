"""The synthetic rows of an augment call: one labelled draw for the classes,
rejection sampling in the regions otherwise."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from skaug import DriftAugmentor
from skaug.models import GaussianCopula

CALLS = []


class RecordingCopula(GaussianCopula):
    """A Gaussian copula that records the labels of each ``sample`` call."""

    def sample(self, n_samples, y=None, random_state=None):
        CALLS.append(None if y is None else np.asarray(y).copy())
        return super().sample(n_samples, y=y, random_state=random_state)


@pytest.fixture
def label_shift():
    X, y = make_classification(
        n_samples=900,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        random_state=0,
    )
    X = pd.DataFrame(X, columns=list("abcd"))
    train, test = slice(0, 500), slice(500, None)
    # the test set keeps a third of classes 1 and 2: both lack rows
    keep = (y[test] == 0) | (np.arange(400) % 3 == 0)
    return X.iloc[train], y[train], X.iloc[test][keep], y[test][keep]


def test_classes_are_drawn_in_one_labelled_call(label_shift):
    X_train, y_train, X_test, y_test = label_shift
    aug = DriftAugmentor(
        generator=RecordingCopula(), target="y", validation_fraction=0
    ).set_params(random_state=0)
    aug.fit(X_train, y_train)
    CALLS.clear()
    result = aug.augment(X_test, y_test)
    regions = result.report.regions
    allocated = regions["allocated"].to_numpy()
    assert (allocated[1:] > 0).all() and allocated[0] == 0
    assert len(CALLS) == 1
    np.testing.assert_array_equal(CALLS[0], np.repeat([0, 1, 2], allocated))
    np.testing.assert_array_equal(regions["added"], allocated)
    assert result.report.acceptance_rate == 1.0
    np.testing.assert_array_equal(
        result.y[len(y_test) :], np.repeat([0, 1, 2], allocated)
    )


def test_subgroup_quotas_draw_the_classes_by_rejection(label_shift):
    X_train, y_train, X_test, y_test = label_shift
    X_train = X_train.assign(g=np.where(X_train["a"] > 0, "p", "q"))
    X_test = X_test.assign(g=np.where(X_test["a"] > 0, "p", "q"))
    aug = DriftAugmentor(
        generator=RecordingCopula(),
        target="y",
        sensitive_features=["g"],
        preserve_subgroups=True,
        validation_fraction=0,
        random_state=0,
    ).fit(X_train, y_train)
    CALLS.clear()
    report = aug.augment(X_test, y_test).report
    # candidates drawn from the class prior, kept by region and subgroup
    assert CALLS and all(labels is None for labels in CALLS)
    assert report.samples_added == report.regions["added"].sum() > 0
    assert report.acceptance_rate < 1.0


def test_rejection_sampling_counts_the_candidates():
    rng = np.random.default_rng(0)
    X_train = rng.normal(size=(400, 2))
    X_test = rng.normal(size=(200, 2))
    X_test = X_test[X_test[:, 0] > 0]
    aug = DriftAugmentor(
        generator="gaussian_copula", target=0, region_method="histogram"
    ).set_params(random_state=0)
    report = aug.fit(X_train).augment(X_test).report
    assert report.samples_added == report.regions["added"].sum() > 0
    # batches hold at least 256 candidates
    assert report.acceptance_rate <= report.samples_added / 256
