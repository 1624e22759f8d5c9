"""skaug: uncertainty-guided synthetic data augmentation for tabular data."""

from skaug._sampler import UncertaintySampler
from skaug.encoding import TabularEncoder

__version__ = "0.1.0.dev0"

__all__ = ["TabularEncoder", "UncertaintySampler", "__version__"]
