"""skorch callbacks: uncertainty-guided synthesis during training."""

from skaug.callbacks._adaptive_synthesis import AdaptiveSynthesis

__all__ = ["AdaptiveSynthesis"]
