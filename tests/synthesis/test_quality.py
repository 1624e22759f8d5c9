import numpy as np
import pytest

from skaug._synthesis.quality import (
    ClassKS,
    detection_auc,
    ks_by_class,
    label_agreement,
    mean_ks,
    pool_drift,
)


def test_ks_is_measured_against_the_rows_of_the_same_class():
    rng = np.random.RandomState(0)
    real = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(5, 1, (200, 2))]
    real_y = np.r_[np.zeros(200), np.ones(200)]
    # synthetic class-1 rows like the real class-1 rows: small KS
    fake = rng.normal(5, 1, (100, 2))
    (part,) = ks_by_class(real, real_y, fake, np.ones(100))
    assert part.label == 1 and (part.n_real, part.n_synthetic) == (200, 100)
    assert part.ks < 0.2
    # labelled as class 0 instead, the same rows are far off
    assert ks_by_class(real, real_y, fake, np.zeros(100))[0].ks > 0.9


def test_mean_ks_weights_classes_by_their_synthetic_rows():
    real = np.arange(8.0).reshape(-1, 1)
    real_y = np.array([0] * 4 + [1] * 4)
    fake = np.array([[0.0], [1.0], [2.0], [3.0], [100.0]])
    fake_y = np.array([0, 0, 0, 0, 1])
    assert mean_ks(real, real_y, fake, fake_y) == pytest.approx((4 * 0 + 1 * 1) / 5)
    assert np.isnan(mean_ks(real, real_y, fake, np.full(5, 9)))


def test_pool_drift_bound_is_never_below_the_sampling_noise():
    tiny = [ClassKS(0, 5, 5, 0.6)]
    ks, bound = pool_drift(tiny, max_ks=0.3)
    assert ks == 0.6 and bound > 0.6  # 5 rows a side cannot show drift
    large = [ClassKS(0, 2000, 2000, 0.6)]
    assert pool_drift(large, max_ks=0.3) == (0.6, 0.3)
    assert pool_drift([], max_ks=0.3) == (0.0, 0.3)


def test_detection_auc_tells_shifted_rows_and_not_copies():
    rng = np.random.RandomState(0)
    real = rng.normal(size=(300, 3))
    same = rng.normal(size=(300, 3))
    shifted = rng.normal(loc=1.5, size=(300, 3))
    assert detection_auc(real, same) < 0.6
    assert detection_auc(real, shifted) > 0.85


def test_detection_auc_sees_joint_structure_a_linear_detector_misses():
    # same marginals, opposite correlation: a tree detector finds it
    rng = np.random.RandomState(0)
    a = rng.normal(size=600)
    real = np.c_[a, a + 0.1 * rng.normal(size=600)]
    b = rng.normal(size=600)
    fake = np.c_[b, -b + 0.1 * rng.normal(size=600)]
    assert detection_auc(real, fake) > 0.9


def _two_blobs(n=200, seed=0):
    rng = np.random.RandomState(seed)
    real_y = np.r_[np.zeros(n // 2, int), np.ones(n // 2, int)]
    real = rng.normal(size=(n, 2)) + 3 * real_y[:, None]
    return real, real_y


def test_label_agreement_tells_right_labels_from_wrong_ones():
    real, real_y = _two_blobs()
    fake, fake_y = _two_blobs(seed=1)
    right = label_agreement(real, real_y, fake, fake_y)
    assert right["synthetic"] > 0.9 and right["real"] > 0.9
    assert set(right["per_class"]) == {0, 1}
    assert right["per_class"][1]["n_synthetic"] == 100
    # class-1 rows labelled 0: the class-0 agreement collapses, class 1 holds
    fake_y[fake_y == 1] = 0
    wrong = label_agreement(real, real_y, fake, fake_y)
    assert set(wrong["per_class"]) == {0}
    assert wrong["per_class"][0]["synthetic"] < 0.6
    assert wrong["per_class"][0]["real"] > 0.9


def test_label_agreement_of_a_class_the_real_rows_lack():
    real, real_y = _two_blobs()
    out = label_agreement(real, real_y, real[:10], np.full(10, 7))
    assert out["per_class"][7]["synthetic"] == 0.0
    assert np.isnan(out["per_class"][7]["real"])


def test_label_agreement_needs_two_classes_of_two_rows():
    real, real_y = _two_blobs()
    assert label_agreement(real, np.zeros(200, int), real, real_y) is None
    one_row = real_y.copy()
    one_row[0] = 2  # a class with a single row cannot be cross-fitted
    assert label_agreement(real, one_row, real, real_y) is None
