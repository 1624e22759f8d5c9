"""The neural (skorch) models that skaug builds on."""

from skaug.models._bayesian import BayesianClassifier, BayesianRegressor
from skaug.models._mc_dropout import MCDropoutClassifier, MCDropoutRegressor
from skaug.models._vae import TabularVAE

__all__ = [
    "BayesianClassifier",
    "BayesianRegressor",
    "MCDropoutClassifier",
    "MCDropoutRegressor",
    "TabularVAE",
]
