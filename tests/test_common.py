"""scikit-learn's estimator checks over every public skaug estimator.

Fast settings (few epochs, few MC passes) keep the checks quick, as
imbalanced-learn's ``_set_checking_parameters`` does. A check that cannot hold
is listed in ``EXPECTED_FAILED_CHECKS`` with the reason; nothing is skipped
silently.
"""

import importlib.util

import pytest
from imblearn.utils.estimator_checks import estimator_checks_generator
from sklearn.utils.estimator_checks import parametrize_with_checks

from skaug import UncertaintySampler
from skaug.models import MCDropoutClassifier, TabularVAE
from skaug.utils.discovery import all_estimators

# Enough training for the classifier/regressor checks' accuracy bars (0.83
# accuracy, R^2 0.5), still fast.
_FAST_UNCERTAINTY = {"max_epochs": 5, "lr": 0.02, "n_mc_samples": 3, "random_state": 0}

_FAST_SAMPLER = {
    "estimator": MCDropoutClassifier(max_epochs=5, lr=0.02),
    "generator": TabularVAE(max_epochs=5),
    "n_mc_samples": 3,
    "random_state": 0,
}

FAST_PARAMS = {
    "UncertaintySampler": _FAST_SAMPLER,
    "GaussianCopula": {"random_state": 0},
    "TabularGAN": {"max_epochs": 2, "random_state": 0},
    "CopulaGAN": {"max_epochs": 2, "random_state": 0},
    "DriftAugmentor": {"generator": "gaussian_copula", "random_state": 0},
    "TabularVAE": {"max_epochs": 2, "random_state": 0},
    "MCDropoutClassifier": _FAST_UNCERTAINTY,
    "MCDropoutRegressor": _FAST_UNCERTAINTY,
    "BayesianClassifier": _FAST_UNCERTAINTY,
    "BayesianRegressor": _FAST_UNCERTAINTY,
}

# Reasons shared by every skorch net: they come from skorch's NeuralNet itself.
_SKORCH_NET = {
    "check_no_attributes_set_in_init": (
        "skorch's NeuralNet.__init__ sets history_, initialized_ and "
        "virtual_params_ (and the private _params_to_validate); skaug cannot "
        "change that without forking skorch"
    ),
}

EXPECTED_FAILED_CHECKS = {
    "TabularVAE": {**_SKORCH_NET},
    "TabularGAN": {**_SKORCH_NET},
    "CopulaGAN": {**_SKORCH_NET},
    "MCDropoutClassifier": {**_SKORCH_NET},
    "MCDropoutRegressor": {**_SKORCH_NET},
    "BayesianClassifier": {**_SKORCH_NET},
    "BayesianRegressor": {**_SKORCH_NET},
}


# SDVGenerator.fit needs the optional SDV library: without it every check that
# fits would fail on the ImportError (that path is tested in test_sdv.py).
_SKIPPED = set() if importlib.util.find_spec("sdv") else {"SDVGenerator"}


def _instances():
    for name, cls in all_estimators():
        if name not in _SKIPPED:
            yield cls(**FAST_PARAMS.get(name, {}))


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


def test_all_estimators_are_found():
    names = {name for name, _ in all_estimators()}
    assert {"TabularEncoder", "TabularVAE", "MCDropoutClassifier"} <= names


@parametrize_with_checks(
    list(_instances()), expected_failed_checks=_expected_failed_checks
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


SAMPLERS = [UncertaintySampler(**_FAST_SAMPLER)]

EXPECTED_FAILED_IMBLEARN_CHECKS = {
    "UncertaintySampler": {},
}


# imbalanced-learn's own parametrize_with_checks hands pytest a generator, which
# pytest deprecates; the same checks are listed here.
IMBLEARN_CHECKS = [
    pair
    for sampler in SAMPLERS
    for pair in estimator_checks_generator(
        sampler,
        legacy=True,
        expected_failed_checks=EXPECTED_FAILED_IMBLEARN_CHECKS.get(
            type(sampler).__name__, {}
        ),
        mark="xfail",
    )
]


def _check_id(value):
    if hasattr(value, "get_params"):
        return type(value).__name__
    return getattr(value, "func", value).__name__


@pytest.mark.parametrize("estimator, check", IMBLEARN_CHECKS, ids=_check_id)
def test_imblearn_compatible_sampler(estimator, check):
    check(estimator)


@pytest.mark.parametrize("name, cls", all_estimators())
def test_every_expected_failure_has_a_reason(name, cls):
    expected = {
        **EXPECTED_FAILED_CHECKS.get(name, {}),
        **EXPECTED_FAILED_IMBLEARN_CHECKS.get(name, {}),
    }
    for check, reason in expected.items():
        assert check.startswith("check_") and len(reason) > 20, (name, check)
