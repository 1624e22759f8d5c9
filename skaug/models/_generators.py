"""The generator protocol, shared by skaug's generators.

``fit(X, y=None)`` and ``sample(n_samples, y=None, random_state=None) -> (X,
y)``, with the labels of a conditional generator checked or drawn from
``class_prior_``:

* :func:`fit_encoder`: the encoder set-up that every generator over encoded
  tables starts its ``fit`` with;
* :class:`TabularGeneratorMixin`: ``sample`` of the generators that are plain
  estimators (:class:`~skaug.models.GaussianCopula`,
  :class:`~skaug.models.SDVGenerator`), seeded by a numpy Generator;
* :class:`ConditionalGeneratorMixin`: what the generative skorch nets
  (:class:`~skaug.models.TabularVAE`, :class:`~skaug.models.TabularGAN`)
  share: their defaults, the encoder and the labels in ``fit``, the one-hot
  condition, and the chunked, seeded ``sample``.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
import torch
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet

from skaug.encoding import TabularEncoder
from skaug.exceptions import DivergenceError
from skaug.models._docstrings import SAMPLE_PARAMETERS, fill_doc
from skaug.models._sample_requests import (
    condition_index,
    sample_request,
    sample_seed,
)
from skaug.utils._random import make_generator
from skaug.utils._validation import check_labels, fit_labels, tabular_input_tags

# Rows generated per forward pass when sampling: bounds memory for large ``n``.
SAMPLE_CHUNK = 65_536


def fit_encoder(estimator, X, default):
    """Fit the encoder of a generator on ``X`` and return the encoded rows.

    ``estimator.encoder`` (or ``default`` when it is None) is cloned into
    ``encoder_``, fitted and applied to ``X``; ``n_features_in_`` and
    ``feature_names_in_`` are read off it. Fewer than 2 rows are a
    ValueError.
    """
    estimator.encoder_ = (
        clone(estimator.encoder) if estimator.encoder is not None else default
    )
    # The encoder validates X (types, inf, sparse, columns) before anything
    # else looks at it.
    Xt = estimator.encoder_.fit(X, None).transform(X)
    if len(Xt) < 2:
        raise ValueError(
            f"{type(estimator).__name__} needs at least 2 samples to fit; got "
            f"{len(Xt)} sample."
        )
    estimator.n_features_in_ = estimator.encoder_.n_features_in_
    if hasattr(estimator.encoder_, "feature_names_in_"):
        estimator.feature_names_in_ = estimator.encoder_.feature_names_in_
    elif hasattr(estimator, "feature_names_in_"):
        del estimator.feature_names_in_
    return Xt


class TabularGeneratorMixin:
    """``sample`` of the generators that are plain estimators.

    The labels of the rows are checked (``y`` given) or drawn from
    ``class_prior_`` by a numpy Generator seeded from ``random_state``; the
    subclass makes the rows in ``_sample_rows(n_samples, index, seed, rng)``
    (``index``: the class index of every row, or None when unconditional), in
    the format ``fit`` received, and names in ``_fitted_attribute`` the
    attribute that ``fit`` sets last.
    """

    _fitted_attribute = "classes_"

    def __sklearn_tags__(self):
        return tabular_input_tags(super().__sklearn_tags__(), self.random_state)

    @fill_doc(sample_parameters=SAMPLE_PARAMETERS)
    def sample(self, n_samples=None, y=None, random_state=None):
        """Generate new rows.

        Parameters
        ----------
        {sample_parameters}
        random_state : int, RandomState instance or None, default=None
            Seeds the labels drawn from ``class_prior_`` and the rows (see the
            Notes of the class); the same seed gives the same output. ``None``
            uses the estimator's ``random_state``.

        Returns
        -------
        X : DataFrame or ndarray of shape (n_samples, n_features)
            In the format ``fit`` received: a DataFrame with the same columns
            and dtypes (categories included) and a fresh ``RangeIndex``, or an
            ndarray.
        y : ndarray of shape (n_samples,) or None
            The labels of the rows; ``None`` for an unconditional model.
        """
        n_samples, index, seed, rng = self._sample_request(n_samples, y, random_state)
        X_new = self._sample_rows(n_samples, index, seed, rng)
        return X_new, None if index is None else self.classes_[index]

    @available_if(lambda self: hasattr(self, "_sample_encoded_rows"))
    @fill_doc(sample_parameters=SAMPLE_PARAMETERS)
    def sample_encoded(self, n_samples=None, y=None, random_state=None):
        """The rows of :meth:`sample` in the encoder's space, not decoded.

        The same draws as :meth:`sample` with the same arguments, before
        ``encoder_.inverse_transform``: for a caller that works in the
        encoded space (``UncertaintySampler`` scores its candidates there)
        and decodes only the rows it keeps.

        Parameters
        ----------
        {sample_parameters}
        random_state : int, RandomState instance or None, default=None
            As in :meth:`sample`.

        Returns
        -------
        Xt : ndarray of shape (n_samples, n_encoded_features)
            Float64 encoded rows, as many columns as
            ``encoder_.n_encoded_features_``.
        y : ndarray of shape (n_samples,) or None
            The labels of the rows; ``None`` for an unconditional model.
        """
        n_samples, index, _, rng = self._sample_request(n_samples, y, random_state)
        Xt = self._sample_encoded_rows(n_samples, index, rng)
        return Xt, None if index is None else self.classes_[index]

    def _sample_request(self, n_samples, y, random_state):
        """Rows asked, their class indices, the seed and its Generator."""
        check_is_fitted(self, self._fitted_attribute)
        n_samples, y = sample_request(n_samples, y)
        seed = sample_seed(random_state, self)
        rng = np.random.default_rng(seed)
        if self.classes_ is not None and y is None:
            index = rng.choice(len(self.classes_), size=n_samples, p=self.class_prior_)
        else:
            index = condition_index(self.classes_, y, n_samples, type(self).__name__)
        return n_samples, index, seed, rng


class ConditionalGeneratorMixin:
    """Generator protocol for skorch nets over encoded tables; put it before
    :class:`SkaugNetMixin` in the bases.

    It provides ``fit`` / ``partial_fit`` (encoder, labels, then skorch's
    training loop on ``{"x": encoded rows, "c": one-hot labels}``) and
    ``sample(n_samples, y=None, random_state=None) -> (X, y)``. A subclass
    supplies:

    * ``_default_encoder()``: the encoder used when ``encoder=None``;
    * ``_generate(c, n_rows, generator, **kwargs)``: raw generator output for
      ``n_rows`` rows (numeric values, logits for each categorical block) on
      the CPU, drawing its noise from ``generator``; ``c`` is the one-hot
      condition on ``device`` or ``None``;
    * optionally ``_numeric_noise_scale()``: per-column scale of the Gaussian
      noise added to numeric columns when a row is realised (``None``: none).

    Conditioning follows a conditional VAE or GAN: the labels passed to
    ``fit`` become a one-hot vector ``c`` that the module receives with every
    row; ``sample`` asks for given labels or draws them from
    ``class_prior_``.
    """

    _parameter_constraints: dict = {
        "encoder": [HasMethods(["fit", "transform", "inverse_transform"]), None],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    # The defaults of the generative nets; a net's own __init__ names its
    # modules, criterion, learning rate and new parameters.
    def __init__(
        self, module, *, encoder=None, max_epochs=300, batch_size=64, **kwargs
    ):
        self.encoder = encoder
        super().__init__(module, max_epochs=max_epochs, batch_size=batch_size, **kwargs)

    def __sklearn_tags__(self):
        return tabular_input_tags(super().__sklearn_tags__(), self.random_state)

    # A generator is not a predictor: skorch's predict/predict_proba would return
    # the module's output, so they are hidden (hasattr is False, as in
    # scikit-learn).
    @available_if(lambda self: False)
    def predict(self, X):
        raise AttributeError

    @available_if(lambda self: False)
    def predict_proba(self, X):
        raise AttributeError

    def _default_encoder(self):
        return TabularEncoder()

    # -- data-dependent wiring -------------------------------------------------

    def _check_encoder_fitted(self):
        if not hasattr(self, "encoder_"):
            raise AttributeError(
                f"{type(self).__name__} reads its layer sizes off the data: call "
                "fit(X, y) instead of initialize()."
            )

    @property
    def _n_conditions(self):
        return 0 if self.classes_ is None else len(self.classes_)

    def _one_hot(self, y_index):
        eye = np.eye(len(self.classes_), dtype=np.float32)
        return eye[y_index]

    def _net_input(self, Xt, y_index):
        X_dict = {"x": Xt}
        if self.classes_ is not None:
            X_dict["c"] = self._one_hot(y_index)
        return X_dict

    def _condition_tensor(self, index):
        if index is None:
            return None
        return torch.as_tensor(self._one_hot(index), device=self.device)

    def _check_condition(self, y, n_rows):
        """Class indices for ``n_rows`` rows from the ``y`` given to a sampler."""
        return condition_index(self.classes_, y, n_rows, type(self).__name__)

    def _require_y(self, y, method):
        if self.classes_ is not None and y is None:
            raise ValueError(
                f"This {type(self).__name__} is conditional: {method} needs y."
            )

    # -- fit ---------------------------------------------------------------------

    def _fit_encoder_and_labels(self, X, y):
        """Fit ``encoder_`` and set the label attributes; return the encoded
        rows (float32) and the class index of every row (or ``None``)."""
        self._validate_own_params()
        Xt = fit_encoder(self, X, self._default_encoder()).astype(np.float32)
        self.classes_, self.class_prior_, y_index = fit_labels(y, len(Xt))
        return Xt, y_index

    def fit(self, X, y=None, **fit_params):
        """Fit the encoder, then the net on the encoded data.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Training data; mixed types and missing values are handled by the
            encoder.
        y : array-like of shape (n_samples,), default=None
            Class labels. Given, the model is conditional on them.
        **fit_params
            Passed on to skorch's ``fit``.

        Returns
        -------
        self : object
            The fitted model.
        """
        Xt, y_index = self._fit_encoder_and_labels(X, y)
        with self._seeded():
            if not self.warm_start or not self.initialized_:
                self.initialize()
            # skorch's own partial_fit (ours encodes X, which is done here)
            NeuralNet.partial_fit(
                self,
                self._net_input(Xt, y_index),
                None,
                _routing_method="fit",
                **fit_params,
            )
        return self

    def partial_fit(self, X, y=None, classes=None, **fit_params):
        """Train for ``max_epochs`` more epochs on ``X`` without refitting the
        encoder (the first call fits everything, as :meth:`fit`).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
            Labels, from the classes seen by the first fit; required by a
            conditional model.
        classes : ignored
            Present for scikit-learn compatibility; classes are fixed by the
            first fit.
        **fit_params
            Passed on to skorch.

        Returns
        -------
        self : object
            The fitted model.
        """
        if not hasattr(self, "encoder_"):
            return self.fit(X, y, **fit_params)
        Xt = self.encoder_.transform(X).astype(np.float32)
        self._require_y(y, "partial_fit")
        index = self._check_condition(None if y is None else check_labels(y), len(Xt))
        with self._seeded():
            NeuralNet.partial_fit(self, self._net_input(Xt, index), None, **fit_params)
        return self

    # -- sampling ----------------------------------------------------------------

    def _numeric_noise_scale(self):
        return None

    def _realise(self, raw, generator):
        """Turn raw generator output (on the CPU) into one random encoded row
        each: a level drawn from the softmax of each categorical or missing
        block (so that rare levels and missing rates are reproduced), numeric
        columns as generated, plus Gaussian noise where
        ``_numeric_noise_scale`` gives a scale."""
        out = raw.clone()
        sigma = self._numeric_noise_scale()
        for span in self.encoder_.spans_:
            if span.kind == "numeric":
                if sigma is not None:
                    j = span.start
                    noise = torch.randn(len(raw), generator=generator)
                    out[:, j] = raw[:, j] + sigma[j] * noise
            else:
                probs = torch.softmax(raw[:, span.start : span.stop], dim=1)
                level = torch.multinomial(probs, 1, generator=generator).squeeze(1)
                block = torch.zeros_like(probs)
                block[torch.arange(len(raw)), level] = 1.0
                out[:, span.start : span.stop] = block
        return out

    def _sample_labels(self, n_samples, y, generator):
        """Class index of each row to generate (``None`` when unconditional)."""
        if self.classes_ is not None and y is None:
            if not n_samples:
                return np.zeros(0, dtype=np.intp)
            prior = torch.as_tensor(self.class_prior_, dtype=torch.float64)
            return torch.multinomial(
                prior, n_samples, replacement=True, generator=generator
            ).numpy()
        return self._check_condition(y, n_samples)

    def _check_generated(self, rows):
        """``rows``, or DivergenceError when they hold NaN or inf (the weights
        are not finite): never NaN rows from a diverged net."""
        if not torch.isfinite(rows).all():
            raise DivergenceError(
                f"{type(self).__name__} generated non-finite values (NaN or inf): "
                "its weights are not finite. Fit it again with a lower learning "
                f"rate (lr={self.lr!r}) or scaled input."
            )
        return rows

    def _sample_encoded(self, n_samples, y, random_state, **kwargs):
        """Encoded rows (float64, on the CPU) and their class indices."""
        check_is_fitted(self, "encoder_")
        n_samples, y = sample_request(n_samples, y)
        # random draws on the CPU, then moved to the device: the same seed gives
        # the same rows whatever the device
        generator = make_generator(sample_seed(random_state, self))
        index = self._sample_labels(n_samples, y, generator)
        self.module_.eval()
        encoded = [torch.zeros((0, self.encoder_.n_encoded_features_))]
        with torch.no_grad():
            for start in range(0, n_samples, SAMPLE_CHUNK):
                stop = min(start + SAMPLE_CHUNK, n_samples)
                c = None if index is None else self._condition_tensor(index[start:stop])
                raw = self._generate(c, stop - start, generator, **kwargs)
                self._check_generated(raw)
                encoded.append(self._check_generated(self._realise(raw, generator)))
        return torch.cat(encoded).numpy().astype(np.float64), index

    def _sample(self, n_samples, y, random_state, **kwargs):
        encoded, index = self._sample_encoded(n_samples, y, random_state, **kwargs)
        if len(encoded):
            X_new = self.encoder_.inverse_transform(encoded)
        else:
            # the encoder decodes at least one row: decode one, keep none
            one = np.zeros((1, self.encoder_.n_encoded_features_))
            X_new = self.encoder_.inverse_transform(one)[:0]
        y_new = None if index is None else self.classes_[index]
        if isinstance(X_new, pd.DataFrame):
            X_new = X_new.reset_index(drop=True)
        return X_new, y_new

    @fill_doc(sample_parameters=SAMPLE_PARAMETERS)
    def sample_encoded(self, n_samples=None, y=None, random_state=None, **kwargs):
        """The rows of ``sample`` in the encoder's space, not decoded.

        The same draws as ``sample`` with the same arguments, before
        ``encoder_.inverse_transform``: for a caller that works in the
        encoded space and decodes only the rows it keeps.

        Parameters
        ----------
        {sample_parameters}
        random_state : int, RandomState instance or None, default=None
            As in ``sample``.
        **kwargs : dict
            What ``sample`` takes besides (the VAE's ``temperature``).

        Returns
        -------
        Xt : ndarray of shape (n_samples, n_encoded_features)
            Float64 encoded rows, as many columns as
            ``encoder_.n_encoded_features_``.
        y : ndarray of shape (n_samples,) or None
            The labels of the rows; ``None`` for an unconditional model.
        """
        encoded, index = self._sample_encoded(n_samples, y, random_state, **kwargs)
        return encoded, None if index is None else self.classes_[index]

    @fill_doc(sample_parameters=SAMPLE_PARAMETERS)
    def sample(self, n_samples=None, y=None, random_state=None):
        """Generate new rows.

        Parameters
        ----------
        {sample_parameters}
        random_state : int, RandomState instance or None, default=None
            Seeds a private :class:`torch.Generator`; the same seed gives the
            same rows. ``None`` uses the net's ``random_state`` (an int gives
            the same rows on every call, as ``GaussianMixture.sample`` does).

        Returns
        -------
        X : DataFrame or ndarray of shape (n_samples, n_features)
            In the format ``fit`` received (same columns and dtypes).
        y : ndarray of shape (n_samples,) or None
            The labels of the rows; ``None`` for an unconditional model.
        """
        return self._sample(n_samples, y, random_state)
