"""skaug: uncertainty-guided synthetic data augmentation for tabular data."""

from skaug._augmentor import DriftAugmentor
from skaug._sampler import UncertaintySampler
from skaug.encoding import TabularEncoder
from skaug.report import Augmentation, AugmentationReport

__version__ = "0.1.0.dev0"

__all__ = [
    "Augmentation",
    "AugmentationReport",
    "DriftAugmentor",
    "TabularEncoder",
    "UncertaintySampler",
    "__version__",
]
