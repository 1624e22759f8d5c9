"""The generative and uncertainty models that skaug builds on."""

from skaug.models._bayesian import BayesianClassifier, BayesianRegressor
from skaug.models._copula_gan import CopulaGAN
from skaug.models._gan import TabularGAN
from skaug.models._gaussian_copula import GaussianCopula
from skaug.models._mc_dropout import MCDropoutClassifier, MCDropoutRegressor
from skaug.models._sdv import SDVGenerator
from skaug.models._vae import TabularVAE

__all__ = [
    "BayesianClassifier",
    "BayesianRegressor",
    "CopulaGAN",
    "GaussianCopula",
    "MCDropoutClassifier",
    "MCDropoutRegressor",
    "SDVGenerator",
    "TabularGAN",
    "TabularVAE",
]
