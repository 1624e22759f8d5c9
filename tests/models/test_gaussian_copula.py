import pickle
import time

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.utils._param_validation import InvalidParameterError

from skaug.encoding import TabularEncoder
from skaug.models import GaussianCopula


@pytest.fixture(scope="module")
def wine():
    return load_wine(return_X_y=True, as_frame=True)


@pytest.fixture(scope="module")
def fitted_wine(wine):
    X, y = wine
    return GaussianCopula(random_state=0).fit(X, y)


@pytest.fixture
def mixed():
    rng = np.random.default_rng(0)
    n = 600
    base = rng.normal(size=n)
    size = np.where(base > 0, "large", "small").astype(object)
    size[rng.random(n) < 0.15] = None
    X = pd.DataFrame(
        {
            "height": base + 0.3 * rng.normal(size=n),
            "n_kids": rng.poisson(1.5, n) + (base > 1),
            "owner": base + rng.normal(size=n) > 0,
            "colour": pd.Categorical(
                rng.choice(["red", "green", "blue"], n),
                categories=["red", "green", "blue", "pink"],
            ),
            "size": pd.Series(size, dtype="str"),
            "score": pd.array(rng.integers(0, 5, n), dtype="Int64"),
        }
    )
    X.loc[rng.random(n) < 0.2, "height"] = np.nan
    X.loc[rng.random(n) < 0.1, "score"] = pd.NA
    return X


def _detection_auc(real, fake, random_state=0):
    """5-fold AUC of a classifier telling real rows from synthetic ones."""
    data = pd.concat([real, fake], ignore_index=True)
    label = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    clf = RandomForestClassifier(n_estimators=100, random_state=random_state)
    cv = StratifiedKFold(5, shuffle=True, random_state=random_state)
    return cross_val_score(clf, data, label, cv=cv, scoring="roc_auc").mean()


def _mean_ks(real, fake):
    return np.mean([ks_2samp(real[c], fake[c]).statistic for c in real.columns])


def _mean_correlation_error(real, fake):
    return np.abs(real.corr().to_numpy() - fake.corr().to_numpy()).mean()


def test_quality_beats_uniform_noise_on_breast_cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    # Fit on one half and compare with the other: real rows that the copula
    # saw would make the synthetic rows look *more* real than real ones.
    X_fit, X_real, y_fit, _ = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    X_real = X_real.reset_index(drop=True)
    copula = GaussianCopula(random_state=0).fit(X_fit, y_fit)
    X_copula, _ = copula.sample(len(X_real), random_state=1)

    rng = np.random.default_rng(0)
    X_noise = pd.DataFrame(
        rng.uniform(X.min(), X.max(), size=X_real.shape), columns=X.columns
    )
    auc_copula = _detection_auc(X_real, X_copula)
    auc_noise = _detection_auc(X_real, X_noise)
    ks_copula, ks_noise = _mean_ks(X_real, X_copula), _mean_ks(X_real, X_noise)
    # measured: AUC 0.66 vs 1.00, KS 0.05 vs 0.50
    assert auc_noise > 0.95
    assert auc_copula < 0.8
    assert auc_copula < auc_noise - 0.2
    assert ks_copula < 0.1
    assert ks_copula < ks_noise / 4


def test_correlation_structure_is_kept(wine):
    X, _ = wine
    X_new, y_new = GaussianCopula(random_state=0).fit(X).sample(2000, random_state=0)
    assert y_new is None
    rng = np.random.default_rng(0)
    shuffled = X.apply(lambda column: rng.permutation(column.to_numpy()))
    error = _mean_correlation_error(X, X_new)
    error_shuffled = _mean_correlation_error(X, shuffled)
    # measured: 0.05 vs 0.28
    assert error < 0.1
    assert error < error_shuffled / 3


def test_correlation_with_missing_values_uses_observed_pairs():
    rng = np.random.default_rng(0)
    a = rng.normal(size=3000)
    X = pd.DataFrame({"a": a, "b": a + 0.5 * rng.normal(size=3000)})
    true = X.corr().iloc[0, 1]
    X.loc[rng.random(3000) < 0.3, "a"] = np.nan
    X_new, _ = GaussianCopula(random_state=0).fit(X).sample(5000, random_state=0)
    assert X_new.corr().iloc[0, 1] == pytest.approx(true, abs=0.05)
    assert X_new["a"].isna().mean() == pytest.approx(0.3, abs=0.03)


def test_conditional_sampling_gives_rows_of_the_requested_class(wine, fitted_wine):
    X, y = wine
    clf = RandomForestClassifier(random_state=0).fit(X, y)
    for k in fitted_wine.classes_:
        X_k, y_k = fitted_wine.sample(200, y=k, random_state=int(k))
        assert (y_k == k).all()
        # chance is 1/3 on wine; measured 0.995-1.0
        assert (clf.predict(X_k) == k).mean() > 0.9


def test_per_row_labels_are_kept_in_order(fitted_wine):
    labels = np.array([2, 0, 1, 0, 2])
    X_new, y_new = fitted_wine.sample(5, y=labels, random_state=0)
    np.testing.assert_array_equal(y_new, labels)
    assert len(X_new) == 5


def test_sample_draws_labels_from_class_prior(wine, fitted_wine):
    _, y = wine
    _, y_new = fitted_wine.sample(3000, random_state=0)
    expected = y.value_counts(normalize=True).sort_index().to_numpy()
    observed = pd.Series(y_new).value_counts(normalize=True).sort_index().to_numpy()
    np.testing.assert_allclose(observed, expected, atol=0.03)
    np.testing.assert_allclose(fitted_wine.class_prior_, expected)


def test_mixed_dataframe_round_trip(mixed):
    X = mixed
    X_before = X.copy()
    copula = GaussianCopula(random_state=0).fit(X)
    X_new, _ = copula.sample(3000, random_state=0)
    pd.testing.assert_frame_equal(X, X_before)  # input untouched
    assert list(X_new.columns) == list(X.columns)
    assert X_new.dtypes.to_dict() == X.dtypes.to_dict()
    assert isinstance(X_new.index, pd.RangeIndex)
    assert list(X_new["colour"].cat.categories) == ["red", "green", "blue", "pink"]
    assert set(X_new["size"].dropna()) <= {"large", "small"}
    assert X_new["n_kids"].between(X["n_kids"].min(), X["n_kids"].max()).all()
    for column in ["height", "size", "score"]:
        assert X_new[column].isna().mean() == pytest.approx(
            X[column].isna().mean(), abs=0.03
        ), column
    for column in ["owner", "colour"]:
        assert not X_new[column].isna().any()
        expected = X[column].value_counts(normalize=True)
        observed = X_new[column].value_counts(normalize=True).reindex(expected.index)
        np.testing.assert_allclose(observed, expected, atol=0.03)
    # dependence between a numeric and a string column survives the copula
    real = X.groupby("size")["height"].mean()
    fake = X_new.groupby("size")["height"].mean()
    assert fake["large"] - fake["small"] > 0.5 * (real["large"] - real["small"])


def test_numeric_marginals_do_not_depend_on_the_encoder(wine):
    X, _ = wine
    copula = GaussianCopula(
        encoder=TabularEncoder(numeric_transform="standard"), random_state=0
    ).fit(X)
    X_new, _ = copula.sample(len(X), random_state=0)
    assert _mean_ks(X, X_new) < 0.1
    assert (X_new.min() >= X.min()).all() and (X_new.max() <= X.max()).all()


def test_array_in_array_out(wine):
    X, y = wine
    copula = GaussianCopula(random_state=0).fit(X.to_numpy(), y.to_numpy())
    X_new, y_new = copula.sample(10, y=1, random_state=0)
    assert isinstance(X_new, np.ndarray) and X_new.dtype == np.float64
    assert X_new.shape == (10, X.shape[1])
    assert not hasattr(copula, "feature_names_in_")
    assert copula.n_features_in_ == X.shape[1]


def test_zero_samples_give_an_empty_table(mixed):
    copula = GaussianCopula(random_state=0).fit(mixed, mixed["owner"])
    X_new, y_new = copula.sample(0, random_state=0)
    assert X_new.shape == (0, mixed.shape[1])
    assert X_new.dtypes.to_dict() == mixed.dtypes.to_dict()
    assert y_new.shape == (0,)


def test_same_random_state_same_output(mixed):
    y = mixed["owner"].to_numpy()
    first = GaussianCopula(random_state=3).fit(mixed, y)
    second = GaussianCopula(random_state=3).fit(mixed, y)
    np.testing.assert_array_equal(first.correlation_, second.correlation_)
    X1, y1 = first.sample(100, random_state=7)
    X2, y2 = second.sample(100, random_state=7)
    pd.testing.assert_frame_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = first.sample(100, random_state=8)
    assert not X1.equals(X3)


def test_sampling_leaves_the_global_rng_alone(fitted_wine):
    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    fitted_wine.sample(10, random_state=1)
    assert np.random.rand() == expected


def test_clone_and_pickle(fitted_wine):
    params = clone(fitted_wine).get_params()
    assert params["random_state"] == 0 and params["shrinkage"] == 0.01
    restored = pickle.loads(pickle.dumps(fitted_wine))
    X1, y1 = fitted_wine.sample(20, random_state=0)
    X2, y2 = restored.sample(20, random_state=0)
    pd.testing.assert_frame_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_shrinkage_one_makes_columns_independent(wine):
    X, _ = wine
    copula = GaussianCopula(shrinkage=1.0, random_state=0).fit(X)
    n_latent = len(copula.encoder_.spans_)
    assert copula.correlation_.shape == (1, n_latent, n_latent)
    np.testing.assert_allclose(copula.correlation_[0], np.eye(n_latent), atol=1e-12)


def test_correlation_matrices_are_valid(fitted_wine):
    for corr in fitted_wine.correlation_:
        np.testing.assert_allclose(np.diag(corr), 1.0)
        np.testing.assert_allclose(corr, corr.T)
        assert np.linalg.eigvalsh(corr).min() > 0


def test_class_with_one_row_samples_copies_of_it(wine):
    X, y = wine
    y = y.to_numpy().copy()
    y[0] = 7  # a class of one row
    copula = GaussianCopula(random_state=0).fit(X, y)
    n_latent = len(copula.encoder_.spans_)
    np.testing.assert_allclose(copula.correlation_[-1], np.eye(n_latent), atol=1e-12)
    X_new, _ = copula.sample(5, y=7, random_state=0)
    expected = pd.concat([X.iloc[[0]]] * 5, ignore_index=True)
    pd.testing.assert_frame_equal(X_new, expected)


def test_errors(wine, fitted_wine):
    X, y = wine
    with pytest.raises(ValueError, match="Unknown class label"):
        fitted_wine.sample(3, y=5)
    unconditional = GaussianCopula(random_state=0).fit(X)
    with pytest.raises(ValueError, match="unconditional"):
        unconditional.sample(3, y=1)
    with pytest.raises(ValueError, match="n_samples must be >= 0"):
        fitted_wine.sample(-1)
    with pytest.raises(TypeError, match="n_samples must be an int"):
        fitted_wine.sample(2.5)
    with pytest.raises(ValueError, match="one label or 3 labels"):
        fitted_wine.sample(3, y=[0, 1])
    with pytest.raises(NotFittedError):
        GaussianCopula().sample(3)
    with pytest.raises(ValueError, match="different numbers of rows"):
        GaussianCopula().fit(X, y[:-1])
    with pytest.raises(ValueError, match="at least 2 samples"):
        GaussianCopula().fit(X.iloc[:1])
    with pytest.raises(ValueError, match="missing values"):
        GaussianCopula().fit(X, y.where(y > 0))
    with pytest.raises(InvalidParameterError, match="shrinkage"):
        GaussianCopula(shrinkage=1.5).fit(X)
    with pytest.raises(ValueError, match="infinite"):
        GaussianCopula().fit(X.replace(X.iloc[0, 0], np.inf))


@pytest.mark.slow
def test_fits_100k_rows_in_seconds():
    rng = np.random.default_rng(0)
    n = 100_000
    base = rng.normal(size=n)
    columns = {f"f{i}": base + rng.normal(size=n) for i in range(12)}
    columns.update({f"i{i}": rng.poisson(3, n) for i in range(5)})
    columns.update({f"b{i}": base + rng.normal(size=n) > 0 for i in range(4)})
    columns.update(
        {f"c{i}": pd.Categorical(rng.choice(list("abcdefgh"), n)) for i in range(4)}
    )
    X = pd.DataFrame(columns)
    X.loc[rng.random(n) < 0.1, "f0"] = np.nan
    start = time.perf_counter()
    copula = GaussianCopula(random_state=0).fit(X, base > 0)
    copula.sample(n, random_state=0)
    assert time.perf_counter() - start < 20


# ---- mixture of copulas (n_clusters) ----------------------------------------


def _two_blobs(n=800, seed=0):
    # two clusters with opposite correlation: one copula averages them away
    rng = np.random.RandomState(seed)
    a = rng.normal(size=n // 2)
    left = np.c_[a - 4, a + 0.2 * rng.normal(size=n // 2)]
    b = rng.normal(size=n // 2)
    right = np.c_[b + 4, -b + 0.2 * rng.normal(size=n // 2)]
    return pd.DataFrame(np.r_[left, right], columns=["u", "v"])


def test_auto_clusters_large_classes_and_keeps_small_ones_whole():
    X = _two_blobs()
    y = np.r_[np.zeros(780, int), np.ones(20, int)]
    copula = GaussianCopula(random_state=0).fit(X, y)
    assert copula.n_clusters_.tolist() == [7, 1]  # 780 // 100 and 20 rows
    assert copula.correlation_.shape == (8, 2, 2)
    single = GaussianCopula(n_clusters=1, random_state=0).fit(X, y)
    assert single.n_clusters_.tolist() == [1, 1]


def test_kmeans_finds_centres_on_a_subset_of_a_large_class(monkeypatch):
    from skaug.models import _copula_parts

    # two far-apart blobs of 400 rows; centres from 100 of them
    rng = np.random.RandomState(0)
    Xt = np.r_[rng.normal(size=(400, 2)) - 6, rng.normal(size=(400, 2)) + 6]
    monkeypatch.setattr(_copula_parts, "KMEANS_FIT_ROWS", 100)
    labels = _copula_parts.clusters(Xt, 2, seed=0)
    assert labels.shape == (800,)  # every row labelled, not only the subset
    assert len(set(labels[:400])) == 1 and len(set(labels[400:])) == 1
    assert labels[0] != labels[-1]
    np.testing.assert_array_equal(labels, _copula_parts.clusters(Xt, 2, seed=0))


def test_a_mixture_keeps_structure_that_one_copula_loses():
    from skaug._synthesis.quality import detection_auc

    X = _two_blobs()
    held_out = _two_blobs(seed=1).to_numpy()
    aucs = {}
    for n_clusters in (1, "auto"):
        model = GaussianCopula(n_clusters=n_clusters, random_state=0).fit(X)
        X_new, _ = model.sample(len(held_out), random_state=0)
        aucs[n_clusters] = detection_auc(held_out, X_new.to_numpy())
    # measured: 0.89 for one copula, 0.63 for the 8 clusters of "auto"
    assert aucs["auto"] < 0.7 < 0.8 < aucs[1]


def test_no_cluster_is_left_with_a_handful_of_rows():
    rng = np.random.RandomState(0)
    # 3 outliers far away would make a cluster of their own
    X = pd.DataFrame(
        np.r_[rng.normal(size=(400, 2)), [[50, 50]] * 3], columns=list("ab")
    )
    model = GaussianCopula(n_clusters=4, random_state=0).fit(X)
    sizes = [copula.n_samples for _, copula in model._mixtures[0]]
    assert min(sizes) >= 10 and sum(sizes) == 403


def test_mixture_sampling_is_reproducible():
    X = _two_blobs()
    model = GaussianCopula(random_state=0).fit(X)
    first, _ = model.sample(300, random_state=3)
    again, _ = GaussianCopula(random_state=0).fit(X).sample(300, random_state=3)
    pd.testing.assert_frame_equal(first, again)


def test_sample_weight_moves_rows_between_regions_not_within_them():
    X = _two_blobs()
    right = (X["u"] > 0).to_numpy()
    unweighted = GaussianCopula(random_state=0).fit(X)
    weighted = GaussianCopula(random_state=0).fit(X, sample_weight=1 + 3 * right)
    base, _ = unweighted.sample(4000, random_state=0)
    tilted, _ = weighted.sample(4000, random_state=0)
    # the right blob holds half the weight unweighted, 4/5 of it weighted;
    # a cluster's rows go through its class's marginals, so the share moves
    # most of the way (measured 0.71), not all of it
    assert abs((base["u"] > 0).mean() - 0.5) < 0.05
    assert 0.65 < (tilted["u"] > 0).mean() < 0.85
    # each blob keeps its own shape: the right blob's correlation is negative
    blob = tilted[tilted["u"] > 0]
    assert np.corrcoef(blob["u"], blob["v"])[0, 1] < -0.8


def test_unit_sample_weight_changes_nothing():
    X = _two_blobs()
    plain, _ = GaussianCopula(random_state=0).fit(X).sample(200, random_state=1)
    ones = GaussianCopula(random_state=0).fit(X, sample_weight=np.ones(len(X)))
    pd.testing.assert_frame_equal(plain, ones.sample(200, random_state=1)[0])


@pytest.mark.parametrize(
    "weight, message",
    [
        (np.ones(5), "sample_weight.shape"),
        (np.r_[-1.0, np.ones(799)], "Negative values"),
        (np.r_[np.nan, np.ones(799)], "NaN"),
        (np.r_[np.zeros(400), np.ones(400)], "zero for every row of a class"),
    ],
)
def test_bad_sample_weight(weight, message):
    X = _two_blobs()
    y = np.r_[np.zeros(400, int), np.ones(400, int)]
    with pytest.raises(ValueError, match=message):
        GaussianCopula().fit(X, y, sample_weight=weight)


def _one_blob(n_rows=60, seed=0):
    # fewer than 200 rows: one cluster, so only locality can tilt it
    rng = np.random.default_rng(seed)
    u = rng.normal(size=n_rows)
    return pd.DataFrame({"u": u, "v": 0.5 * u + rng.normal(size=n_rows)})


def test_locality_tilts_a_single_copula_toward_heavy_rows():
    X = _one_blob()
    heavy = (X["u"] > 1.0).to_numpy()
    weight = 1 + 9 * heavy
    shares = {}
    for locality in (0.0, 0.8):
        model = GaussianCopula(locality=locality, random_state=0)
        model.fit(X, sample_weight=weight)
        assert model.n_clusters_.tolist() == [1]
        rows, _ = model.sample(4000, random_state=0)
        shares[locality] = (rows["u"] > 1.0).mean()
    # without locality one copula ignores the weights: the real share
    assert abs(shares[0.0] - heavy.mean()) < 0.04
    assert shares[0.8] > shares[0.0] + 0.2
    # values stay within the training range
    assert rows["u"].between(X["u"].min(), X["u"].max()).all()


def test_locality_with_equal_weights_keeps_the_marginals():
    X = _one_blob(n_rows=150)
    local = GaussianCopula(locality=0.8, random_state=0)
    local.fit(X, sample_weight=np.full(len(X), 2.0))
    rows, _ = local.sample(3000, random_state=0)
    for column in X:
        assert ks_2samp(rows[column], X[column]).statistic < 0.08
    # and the draws are no copies of the rows that seed them
    assert not rows["u"].isin(X["u"]).any()


def test_locality_is_inert_without_sample_weight():
    X = _two_blobs()
    plain, _ = GaussianCopula(random_state=0).fit(X).sample(100, random_state=1)
    local = GaussianCopula(locality=0.9, random_state=0).fit(X)
    pd.testing.assert_frame_equal(plain, local.sample(100, random_state=1)[0])


def test_locality_reproducible_with_missing_and_categorical_columns():
    X = _one_blob(n_rows=80).assign(
        c=pd.Categorical(np.r_[["a", "b"] * 40]),
    )
    X.loc[::7, "v"] = np.nan
    weight = np.linspace(1, 5, len(X))
    first, second = (
        GaussianCopula(locality=0.7, random_state=3)
        .fit(X, sample_weight=weight)
        .sample(300, random_state=0)[0]
        for _ in range(2)
    )
    pd.testing.assert_frame_equal(first, second)
    assert first["v"].isna().any() and set(first["c"]) == {"a", "b"}
