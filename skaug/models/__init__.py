"""The neural (skorch) and statistical models that skaug builds on."""

from skaug.models._vae import TabularVAE

__all__ = ["TabularVAE"]
