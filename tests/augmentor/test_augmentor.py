"""DriftAugmentor end to end: fit, augment, transform and their invariants."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from skaug import DriftAugmentor
from skaug.models import TabularVAE


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    rng = np.random.RandomState(0)
    order = rng.permutation(len(X))
    train, test = order[:350], order[350:]
    return X.iloc[train], y.iloc[train], X.iloc[test], y.iloc[test]


def _augmentor(**params):
    return DriftAugmentor(
        **{"generator": "gaussian_copula", "random_state": 0, **params}
    )


def _check_invariants(result, X_test, factor=0.2):
    n = len(X_test)
    X_out = result.X
    if isinstance(X_out, pd.DataFrame):
        pd.testing.assert_frame_equal(X_out.iloc[:n], X_test)
        assert X_out.index.is_unique
    else:
        np.testing.assert_array_equal(X_out[:n], X_test)
    n_added = len(X_out) - n
    assert n_added == result.is_synthetic.sum() == result.report.samples_added
    assert not result.is_synthetic[:n].any() and result.is_synthetic[n:].all()
    assert n_added <= int(factor * n)


def test_no_drift_returns_the_test_set_unchanged(cancer):
    X_train, _, X_test, _ = cancer
    aug = _augmentor().fit(X_train)
    result = aug.augment(X_test)
    # a random split of 350 and 219 rows has a mean KS of 0.07 (noise) above
    # the default drift_threshold of 0.05: the significance test stops it
    assert not result.report.augmented and result.report.limited_by == "significance"
    assert result.X is X_test and result.report.samples_added == 0
    result = aug.set_params(drift_threshold=0.1).augment(X_test)
    assert "at or below drift_threshold" in result.report.reason
    assert result.X is X_test and result.report.samples_added == 0


def test_label_shift_is_reduced_with_target_y(cancer):
    X_train, y_train, X_test, y_test = cancer
    keep = (y_test == 1).to_numpy() | (np.arange(len(y_test)) % 4 == 0)
    X_shift, y_shift = X_test[keep], y_test[keep]
    aug = _augmentor(target="y", augmentation_factor=0.3).fit(X_train, y_train)
    result = aug.augment(X_shift, y_shift)
    _check_invariants(result, X_shift, factor=0.3)
    assert result.report.drift_reduction > 0
    # the rows go to the class the test set lacks
    assert (result.y[len(y_shift) :] == 0).all()
    np.testing.assert_array_equal(result.y[: len(y_shift)], y_shift)


@pytest.mark.parametrize(
    "region_method, target",
    [("density_ratio", None), ("histogram", "mean radius"), ("density_ratio", 0)],
)
def test_covariate_shift_on_one_feature_is_reduced(cancer, region_method, target):
    X_train, _, X_test, _ = cancer
    X_shift = X_test[X_test["mean radius"] > X_train["mean radius"].quantile(0.3)]
    aug = _augmentor(target=target, region_method=region_method).fit(X_train)
    result = aug.augment(X_shift)
    _check_invariants(result, X_shift)
    assert result.report.augmented
    assert result.report.drift_reduction > 0
    assert 0 < result.report.acceptance_rate <= 1
    assert result.report.regions["added"].sum() == result.report.samples_added


def test_mixed_dataframe_keeps_dtypes_and_categories():
    rng = np.random.default_rng(0)
    n = 600
    X = pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "income": rng.lognormal(10, 1, n),
            "region": pd.Categorical(rng.choice(["n", "s", "e", "w"], n)),
            "member": rng.random(n) < 0.4,
        }
    )
    X.loc[rng.random(n) < 0.1, "income"] = np.nan
    train, test = X.iloc[:400], X.iloc[400:]
    test = test[test["age"] > 40]
    aug = _augmentor(target="age", region_method="histogram").fit(train)
    result = aug.augment(test)
    _check_invariants(result, test)
    assert result.report.augmented
    pd.testing.assert_series_equal(result.X.dtypes, X.dtypes)
    assert list(result.X["region"].cat.categories) == ["e", "n", "s", "w"]
    n_test = len(test)
    assert result.X.index[:n_test].tolist() == test.index.tolist()
    assert result.X.index[n_test:].tolist() == list(
        range(600, len(result.X) + 600 - n_test)
    )


def test_same_seed_same_augmentation_and_transform_is_deterministic(cancer):
    X_train, _, X_test, _ = cancer
    X_shift = X_test[X_test["mean radius"] > X_train["mean radius"].median()]
    a = _augmentor(random_state=5).fit(X_train)
    b = _augmentor(random_state=5).fit(X_train)
    pd.testing.assert_frame_equal(a.transform(X_shift), b.transform(X_shift))
    pd.testing.assert_frame_equal(a.transform(X_shift), a.transform(X_shift))


@pytest.mark.parametrize(
    "params, fit_y, match",
    [
        ({"augmentation_factor": 0.0}, False, "augmentation_factor"),
        ({"augmentation_factor": 1.5}, False, "augmentation_factor"),
        ({"drift_threshold": -1.0}, False, "drift_threshold"),
        ({"target": "no such column"}, False, "not a column of X"),
        ({"target": "y"}, False, "needs y"),
        ({"region_method": "histogram"}, False, "bins a single target"),
        ({"preserve_subgroups": True}, False, "needs sensitive_features"),
        ({"sensitive_features": ["nope"]}, False, "not a column of X"),
    ],
)
def test_bad_parameters_are_named(cancer, params, fit_y, match):
    X_train, y_train, _, _ = cancer
    with pytest.raises(ValueError, match=match):
        _augmentor(**params).fit(X_train, y_train if fit_y else None)


def test_column_mismatch_and_missing_labels_are_refused(cancer):
    X_train, y_train, X_test, y_test = cancer
    aug = _augmentor().fit(X_train)
    with pytest.raises(ValueError, match="lacked: 'radius'; training columns"):
        aug.augment(X_test.rename(columns={"mean radius": "radius"}))
    with pytest.raises(ValueError, match="training columns it lacks: 'mean"):
        aug.augment(X_test.iloc[:, :5])
    with pytest.raises(ValueError, match="fitted without labels"):
        aug.augment(X_test, y_test)
    with pytest.raises(ValueError, match="needs y"):
        _augmentor(target="y").fit(X_train, y_train).augment(X_test)


def test_inputs_are_not_modified(cancer):
    X_train, _, X_test, _ = cancer
    X_shift = X_test[X_test["mean radius"] > X_train["mean radius"].median()]
    before_train, before_test = X_train.copy(), X_shift.copy()
    _augmentor().fit(X_train).augment(X_shift)
    pd.testing.assert_frame_equal(X_train, before_train)
    pd.testing.assert_frame_equal(X_shift, before_test)


def test_report_renders_as_json_table_and_figure(cancer):
    X_train, _, X_test, _ = cancer
    X_shift = X_test[X_test["mean radius"] > X_train["mean radius"].median()]
    report = _augmentor().fit(X_train).augment(X_shift).report
    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert data["samples_added"] == report.samples_added
    assert data["drift_reduction"] == pytest.approx(report.drift_reduction)
    assert {"detection_auc", "mean_ks"} <= set(data["generator_quality"])
    table = report.to_frame()
    assert len(table) == len(report.per_feature) + 1
    assert "overall" in table.index and {"before", "after", "reduction"} <= set(
        table.columns
    )
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = report.plot()
    assert len(ax.patches) == 2 * len(report.per_feature)


def test_set_output_pandas_with_array_input_builds_a_fresh_index():
    rng = np.random.default_rng(0)
    X_train = rng.normal(size=(400, 3))
    X_test = rng.normal(size=(150, 3))
    X_test = X_test[X_test[:, 0] > -0.3]
    aug = _augmentor().set_output(transform="pandas").fit(X_train)
    out = aug.transform(X_test)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["x0", "x1", "x2"]
    assert out.index.tolist() == list(range(len(out)))
    assert len(out) > len(X_test)


def test_the_default_generator_is_auto_and_says_which_and_why(cancer):
    X_train, _, X_test, _ = cancer
    aug = DriftAugmentor(random_state=0)
    assert aug.generator == "auto"
    aug.fit(X_train)
    assert aug.generator_name_.startswith("gaussian_copula (auto: 350 training rows")
    assert type(aug.generator_).__name__ == "GaussianCopula"
    X_shift = X_test[X_test["mean radius"] > X_train["mean radius"].median()]
    report = aug.augment(X_shift).report
    assert report.generator == aug.generator_name_ and "harder to tell" in str(report)


def test_vae_generator_is_trained_on_training_rows(cancer):
    X_train, y_train, X_test, _ = cancer
    aug = DriftAugmentor(generator="vae", random_state=0).fit(X_train, y_train)
    assert aug.generator_.classes_.tolist() == [0, 1]
    assert 0.5 <= aug.generator_quality_["detection_auc"] <= 1.0
    X_shift = X_test[X_test["mean radius"] > X_train["mean radius"].median()]
    result = aug.augment(X_shift)
    _check_invariants(result, X_shift)


def _shifted(seed=0):
    rng = np.random.default_rng(seed)
    X_train = rng.normal(size=(300, 2))
    X_test = rng.normal(size=(150, 2))
    return X_train, X_test[X_test[:, 0] > -0.3]


# a 2-epoch VAE fills few of its regions' rows; the shortfall is not the point
@pytest.mark.filterwarnings("ignore:Only .* allocated rows:UserWarning")
def test_verbose_shows_bars_for_the_generator_fit_and_the_generation(capsys):
    X_train, X_test = _shifted()
    aug = DriftAugmentor(
        generator=TabularVAE(max_epochs=2), validation_fraction=0, random_state=0
    )
    aug.set_params(verbose=1).fit(X_train).augment(X_test)
    err = capsys.readouterr().err
    assert "generator" in err  # the VAE's epoch bar
    assert "generation" in err  # the rejection-sampling bar
    aug.set_params(verbose=0).fit(X_train).augment(X_test)
    assert capsys.readouterr().err == ""


def test_region_method_is_read_at_each_augment(cancer):
    # benchmarks/bench_drift.py reuses one fitted generator for both methods
    X_train, _, X_test, _ = cancer
    X_shift = X_test[X_test["mean radius"] > X_train["mean radius"].quantile(0.3)]
    aug = _augmentor(target="mean radius").fit(X_train)
    density = aug.augment(X_shift).report
    histogram = aug.set_params(region_method="histogram").augment(X_shift).report
    assert "lower" not in density.regions.columns
    assert "lower" in histogram.regions.columns


def test_regions_the_test_set_fills_get_no_rows_when_overlap_is_small():
    # little overlap: the train-vs-test classifier separates the samples and
    # every training row's own deficit is near 1; the regions' counts still
    # say where the test set lacks rows
    rng = np.random.default_rng(0)
    train = np.r_[rng.normal(size=(870, 2)), rng.normal([6, 0], 0.5, size=(130, 2))]
    test = np.r_[
        rng.normal([6, 2], 0.5, size=(250, 2)), rng.normal([0, 6], 1, size=(250, 2))
    ]
    aug = _augmentor(n_regions=6, augmentation_factor=0.4)
    report = aug.fit(pd.DataFrame(train)).augment(pd.DataFrame(test)).report
    table = report.regions
    assert report.samples_added == 200
    assert (table.loc[table["test_share"] >= table["train_share"], "added"] == 0).all()
    np.testing.assert_allclose(
        table["deficit"], np.maximum(table["train_share"] - table["test_share"], 0)
    )
