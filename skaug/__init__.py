"""skaug: uncertainty-guided synthetic data augmentation for tabular data."""

from skaug._augmentor import DriftAugmentor
from skaug._sampler import UncertaintySampler
from skaug._version import __version__
from skaug.encoding import TabularEncoder
from skaug.report import Augmentation, AugmentationReport

__all__ = [
    "Augmentation",
    "AugmentationReport",
    "DriftAugmentor",
    "TabularEncoder",
    "UncertaintySampler",
    "__version__",
]
