"""Shared glue for the skorch nets of skaug: parameter checks, seeding, and the
generator protocol.

skorch has no ``random_state`` and validates only the names of its arguments.
:class:`SkaugNetMixin` adds the two things a scikit-learn user expects:

* the new arguments of a subclass are checked against its
  ``_parameter_constraints`` when the net is initialised (skorch calls
  ``_validate_params`` from ``initialize``), with scikit-learn's own messages;
* ``fit`` runs with torch's global RNG forked and seeded from ``random_state``,
  so the same seed gives the same net on the CPU and the caller's RNG is left
  as it was.

It also lets a subclass inject arguments that depend on the data (the number of
input features, of classes, the encoder's column layout) into its module and
criterion without writing them into public parameters, which would make
``get_params`` after ``fit`` differ from what the user passed.

:class:`ConditionalGeneratorMixin` holds what the generative nets
(:class:`~skaug.models.TabularVAE`, :class:`~skaug.models.TabularGAN`) share:
the encoder set-up and the labels in ``fit``, the one-hot condition, and the
chunked, seeded ``sample`` of the generator protocol.
"""

import math
import numbers

import numpy as np
import pandas as pd
import torch
from sklearn.base import clone
from sklearn.utils._param_validation import validate_parameter_constraints
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet
from skorch.dataset import Dataset
from skorch.utils import is_dataset, to_tensor
from torch.utils.data import default_collate

from skaug.encoding import TabularEncoder
from skaug.exceptions import DivergenceError
from skaug.utils._persistence import VersionedPickleMixin
from skaug.utils._random import draw_seed, make_generator, torch_seed
from skaug.utils._validation import check_labels, fit_labels, tabular_input_tags

# Rows generated per forward pass when sampling: bounds memory for large ``n``.
SAMPLE_CHUNK = 65_536


def _to_device(data, device):
    """Arrays (or a dict of arrays) copied into tensors on ``device``."""
    if isinstance(data, dict):
        return {key: _to_device(value, device) for key, value in data.items()}
    if isinstance(data, np.ndarray):
        return torch.tensor(data, device=device)
    return data


class BatchedDataset(Dataset):
    """skorch's :class:`~skorch.dataset.Dataset`, fetched a mini-batch at a time.

    PyTorch's ``DataLoader`` calls ``__getitems__`` with all the indices of a
    batch when a dataset has it; indexing the arrays once per batch instead of
    once per row removes the per-row Python work that dominates small nets.

    On an accelerator (``device`` other than the CPU) the arrays are copied
    there once, when the dataset is made, and every batch is indexed on the
    device instead of being copied to it; on the CPU they stay as they are.
    """

    def __init__(self, X, y=None, length=None, device="cpu"):
        self.device = "cpu" if device is None else device
        if torch.device(self.device).type != "cpu":
            X, y = _to_device(X, self.device), _to_device(y, self.device)
        super().__init__(X, y, length=length)

    def __getitems__(self, indices):
        # tensors, as default_collate would have made them
        Xi, yi = self[np.asarray(indices)]
        return to_tensor(Xi, device=self.device), to_tensor(yi, device=self.device)


def collate_batch(batch):
    """Collate for :class:`BatchedDataset`: its batches come ready-made; a list
    of single rows (from any other dataset) goes through ``default_collate``."""
    if isinstance(batch, list):
        return default_collate(batch)
    return batch


class SkaugNetMixin(VersionedPickleMixin):
    """Mixin for skorch ``NeuralNet`` subclasses; put it first in the bases.

    Besides the parameter checks and the seeding, it stops a training that
    diverges: at the end of every mini-batch, a loss term recorded in the
    history that is not finite (NaN or inf) raises
    :class:`~skaug.exceptions.DivergenceError` naming the net, the epoch and
    the fix, instead of training on with NaN weights. Pickles record the skaug
    version and refuse another ``major.minor`` (see
    :mod:`skaug.utils._persistence`).
    """

    _parameter_constraints: dict = {}

    def _get_param_names(self):
        # skorch lists every instance attribute without a trailing underscore,
        # including its private ``_params_to_validate`` set: keep it out, so
        # that get_params/set_params/clone only see real parameters.
        return [name for name in super()._get_param_names() if name[0] != "_"]

    def _validate_own_params(self):
        """Check the parameters in ``_parameter_constraints``.

        ``initialize`` checks them too (after skorch's own name checks), but
        ``fit`` needs ``random_state`` before that, to seed the initialisation.
        """
        validate_parameter_constraints(
            self._parameter_constraints,
            {name: getattr(self, name) for name in self._parameter_constraints},
            caller_name=type(self).__name__,
        )

    def _validate_params(self):
        super()._validate_params()
        self._validate_own_params()

    def _data_dependent_params(self, prefix):
        """Init arguments for ``prefix`` ('module', 'criterion') read off the data.

        Subclasses return e.g. ``{"n_features": ...}`` for ``"module"``; they
        take precedence over the user's ``module__*`` arguments.
        """
        return {}

    def get_params_for(self, prefix):
        kwargs = super().get_params_for(prefix)
        if prefix in ("iterator_train", "iterator_valid"):
            kwargs.setdefault("collate_fn", collate_batch)
        else:
            kwargs.update(self._data_dependent_params(prefix))
        return kwargs

    def get_dataset(self, X, y=None):
        # skorch's default dataset is swapped for the batched one; a dataset
        # class or instance chosen by the user is left alone.
        if self.dataset is Dataset and not is_dataset(X):
            return BatchedDataset(
                X, y, device=self.device, **self.get_params_for("dataset")
            )
        return super().get_dataset(X, y)

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        super().on_batch_end(net, batch=batch, training=training, **kwargs)
        self._check_divergence()

    def _check_divergence(self):
        """Raise DivergenceError if a loss term of the last batch is not finite."""
        epoch = self.history[-1]
        bad = {
            name: value
            for name, value in epoch["batches"][-1].items()
            if isinstance(value, float) and not math.isfinite(value)
        }
        if not bad:
            return
        terms = ", ".join(f"{name}={value}" for name, value in bad.items())
        raise DivergenceError(
            f"{type(self).__name__} diverged in epoch {epoch['epoch']} of "
            f"{self.max_epochs}: {terms} (not finite), so training was stopped "
            "and the net's weights are unusable. Lower the learning rate (lr="
            f"{self.lr!r}, e.g. 10 times smaller), scale the input features (e.g. "
            "StandardScaler, or the TabularEncoder's numeric_transform="
            '"quantile"), and fit again.'
        )

    def _seeded(self):
        """Context manager: torch's global RNG forked and seeded from
        ``random_state`` (a new seed is drawn on each call, as scikit-learn does
        with a ``RandomState`` instance)."""
        return torch_seed(draw_seed(self.random_state), self.device)


def check_n_samples(n_samples):
    """The number of rows a generator is asked for, as a checked int >= 0."""
    if not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool):
        raise TypeError(f"n_samples must be an int; got {type(n_samples).__name__}.")
    if n_samples < 0:
        raise ValueError(f"n_samples must be >= 0; got {n_samples}.")
    return int(n_samples)


def condition_index(classes, y, n_rows, owner):
    """Indices into ``classes`` of the labels a generator is asked to sample.

    Parameters
    ----------
    classes : ndarray or None
        The generator's ``classes_`` (None when it was fitted without y).
    y : label, array-like of shape (n_rows,) or None
        One label for every row, one label per row, or None.
    n_rows : int
    owner : str
        The generator's class name, for the messages.

    Returns
    -------
    ndarray of shape (n_rows,) or None
        None for an unconditional generator.
    """
    if classes is None:
        if y is not None:
            raise ValueError(
                f"This {owner} was fitted without y (unconditional); it cannot "
                "condition on labels. Fit it with y, or pass y=None."
            )
        return None
    y_arr = np.asarray(y)
    if y_arr.ndim == 0:
        y_arr = np.full(n_rows, y_arr.item(), dtype=classes.dtype)
    if y_arr.shape != (n_rows,):
        raise ValueError(
            f"y must be one label or {n_rows} labels; got shape {y_arr.shape}."
        )
    index = np.clip(np.searchsorted(classes, y_arr), 0, len(classes) - 1)
    unknown = classes[index] != y_arr
    if unknown.any():
        raise ValueError(
            f"Unknown class label(s) {np.unique(y_arr[unknown]).tolist()}; the "
            f"{owner} was fitted on classes {classes.tolist()}."
        )
    return index


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
        self.encoder_ = (
            clone(self.encoder) if self.encoder is not None else self._default_encoder()
        )
        # The encoder validates X (types, inf, sparse, columns) before anything
        # else looks at it.
        Xt = self.encoder_.fit(X, None).transform(X).astype(np.float32)
        n_rows = len(Xt)
        if n_rows < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 samples to fit; got "
                f"{n_rows} sample."
            )
        self.classes_, self.class_prior_, y_index = fit_labels(y, n_rows)
        self.n_features_in_ = self.encoder_.n_features_in_
        if hasattr(self.encoder_, "feature_names_in_"):
            self.feature_names_in_ = self.encoder_.feature_names_in_
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
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

    def _sample(self, n_samples, y, random_state, **kwargs):
        check_is_fitted(self, "encoder_")
        n_samples = check_n_samples(n_samples)
        # random draws on the CPU, then moved to the device: the same seed gives
        # the same rows whatever the device
        generator = make_generator(draw_seed(random_state))
        index = self._sample_labels(n_samples, y, generator)
        self.module_.eval()
        encoded = []
        with torch.no_grad():
            for start in range(0, n_samples, SAMPLE_CHUNK):
                stop = min(start + SAMPLE_CHUNK, n_samples)
                c = None if index is None else self._condition_tensor(index[start:stop])
                raw = self._generate(c, stop - start, generator, **kwargs)
                self._check_generated(raw)
                encoded.append(self._check_generated(self._realise(raw, generator)))
        if encoded:
            X_new = self.encoder_.inverse_transform(
                torch.cat(encoded).numpy().astype(np.float64)
            )
        else:
            # the encoder decodes at least one row: decode one, keep none
            one = np.zeros((1, self.encoder_.n_encoded_features_))
            X_new = self.encoder_.inverse_transform(one)[:0]
        y_new = None if index is None else self.classes_[index]
        if isinstance(X_new, pd.DataFrame):
            X_new = X_new.reset_index(drop=True)
        return X_new, y_new

    def sample(self, n_samples, y=None, random_state=None):
        """Generate new rows.

        Parameters
        ----------
        n_samples : int
            Number of rows.
        y : label, array-like of shape (n_samples,) or None, default=None
            For a conditional model: one label for all rows, one per row, or
            ``None`` to draw labels from ``class_prior_``. Must be ``None`` for
            an unconditional model.
        random_state : int, RandomState instance or None, default=None
            Seeds a private :class:`torch.Generator`; the same seed gives the
            same rows.

        Returns
        -------
        X : DataFrame or ndarray of shape (n_samples, n_features)
            In the format ``fit`` received (same columns and dtypes).
        y : ndarray of shape (n_samples,) or None
            The labels of the rows; ``None`` for an unconditional model.
        """
        return self._sample(n_samples, y, random_state)
