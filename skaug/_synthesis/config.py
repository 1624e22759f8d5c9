"""The settings of a synthesis run, frozen."""

from dataclasses import dataclass, fields
from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions

from skaug._synthesis.guidance import SCHEDULES

#: scikit-learn parameter constraints of the config's fields (and of the pool
#: size), shared by the front-ends that take them.
SYNTHESIS_CONSTRAINTS = {
    "n_synthetic": [
        Interval(Real, 0, None, closed="left"),
        Interval(Integral, 0, None, closed="left"),
    ],
    "uncertainty_metric": [StrOptions({"variance", "entropy", "bald"})],
    "n_mc_samples": [Interval(Integral, 1, None, closed="left")],
    "uncertainty_weight": [Interval(Real, 0, None, closed="left")],
    "guidance_schedule": [StrOptions(set(SCHEDULES)), callable],
    "latent_temperature": [Interval(Real, 0, None, closed="neither")],
    "support_quantile": [Interval(Real, 0, 1, closed="right"), None],
    "selection": [StrOptions({"plausible", "uncertain"})],
    "device": [str, object],
}


@dataclass(frozen=True)
class SynthesisConfig:
    """What the engine needs from a front-end's parameters.

    Field names are the estimators' parameter names, so a front-end builds it
    with :meth:`from_params`. Frozen and made of plain values, so that it is a
    stable key for ``memory=`` caching. ``verbose`` is not part of it: the
    output of a fit does not depend on it, and a cache must not either.

    Attributes
    ----------
    n_mc_samples : int
        Stochastic passes per uncertainty score.
    uncertainty_metric : str
        ``"variance"``, ``"entropy"`` or ``"bald"``.
    uncertainty_weight : float
        Final weight of the generator's uncertainty term (0: plain generator).
    guidance_schedule : str or callable
        Curriculum of that weight over the generator's epochs.
    latent_temperature : float
        Temperature of the last latent-exploration round.
    support_quantile : float or None
        Stability guard's quantile (``None``: no guard).
    selection : str
        How the exploration keeps candidates: ``"plausible"`` or
        ``"uncertain"``.
    device : str or torch.device
        Where the nets run.
    """

    n_mc_samples: int = 20
    uncertainty_metric: str = "variance"
    uncertainty_weight: float = 1.0
    guidance_schedule: object = "linear"
    latent_temperature: float = 2.0
    support_quantile: float | None = 0.99
    selection: str = "plausible"
    device: object = "cpu"

    @classmethod
    def from_params(cls, params):
        """The config of an estimator's ``get_params()`` (other keys ignored).

        Examples
        --------
        >>> from skaug._synthesis.config import SynthesisConfig
        >>> SynthesisConfig.from_params({"n_mc_samples": 5, "alpha": 1.0})
        ... # doctest: +ELLIPSIS
        SynthesisConfig(n_mc_samples=5, uncertainty_metric='variance', ...)
        """
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in params.items() if k in names})
