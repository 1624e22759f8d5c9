"""Docstring text shared by several models, and the decorator that fills it in.

A docstring line that holds only ``{name}`` is replaced by the fragment
``name``, each of its lines indented like the placeholder; so a parameter that
several estimators share is described once and reads the same everywhere.
"""

__all__ = ["fill_doc", "uncertainty_net_docs"]


def fill_doc(**fragments):
    """Decorator: put ``fragments`` in place of the ``{name}`` lines of a docstring.

    Parameters
    ----------
    **fragments : str
        The text of each placeholder, not indented; a fragment that no line of
        the docstring asks for is an error (a misspelt placeholder).

    Returns
    -------
    callable
        The decorator; it returns the class or function it decorates.
    """

    def decorate(obj):
        if obj.__doc__ is None:  # python -OO strips docstrings
            return obj
        lines, used = [], set()
        for line in obj.__doc__.split("\n"):
            stripped = line.strip()
            name = stripped[1:-1]
            if not (stripped == f"{{{name}}}" and name in fragments):
                lines.append(line)  # e.g. a type spec {"a", "b"} stays
                continue
            indent = line[: len(line) - len(line.lstrip())]
            lines += [
                indent + part if part else "" for part in fragments[name].split("\n")
            ]
            used.add(name)
        if set(fragments) - used:
            raise ValueError(
                f"The docstring of {obj.__qualname__} has no line for the "
                f"fragment(s) {sorted(set(fragments) - used)}."
            )
        obj.__doc__ = "\n".join(lines)
        return obj

    return decorate


# -- the generators ------------------------------------------------------------

ENCODER_PARAMETER = """\
encoder : TabularEncoder or None, default=None
    Transformer from the user's data to the encoded float matrix and back
    (it must publish ``spans_``). It is cloned into ``encoder_`` at fit.
    ``None`` uses ``TabularEncoder()``; pass
    ``TabularEncoder(categorical_features=[...])`` to declare columns, or a
    :class:`~sklearn.frozen.FrozenEstimator` around a fitted encoder to
    share one encoding with other models."""

SAMPLE_PARAMETERS = """\
n_samples : int or None, default=None
    Number of rows (0 gives an empty table with the right columns). May be
    left out when ``y`` gives one label per row or counts per class.
y : label, array-like of shape (n_samples,), dict or None, default=None
    For a conditional model: one label for all rows, one per row, a dict
    ``{label: count}`` (exact counts per class, rows grouped by class in
    the dict's order), or ``None`` to draw labels from ``class_prior_``
    (the class frequencies seen in ``fit``). Must be ``None`` for an
    unconditional model."""

GENERATOR_NET_PARAMETERS = """\
verbose : int, default=0
    0 is silent; 1 prints skorch's per-epoch table.
device : str or torch.device, default="cpu"
random_state : int, RandomState instance or None, default=None
    Seeds weight initialisation, mini-batch shuffling and the {noise}
    during ``fit`` (torch's global RNG is forked, so the caller's RNG is left
    untouched). Same seed, same net on the CPU.
**kwargs
    Any other skorch argument."""

LABEL_ATTRIBUTES = """\
classes_ : ndarray or None
    Class labels seen in ``fit``; ``None`` for an unconditional model.
class_prior_ : ndarray or None
    Relative frequency of each class, used when :meth:`sample` gets no
    labels; ``None`` for an unconditional model.
n_features_in_ : int
    Number of input columns.
feature_names_in_ : ndarray of str
    Input column names; only when fitted on a DataFrame with string names."""

GAN_REFERENCES = """\
.. [1] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
.. [2] M. Arjovsky, S. Chintala and L. Bottou, "Wasserstein Generative
   Adversarial Networks", ICML 2017.
.. [3] I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin and A. Courville,
   "Improved Training of Wasserstein GANs", NeurIPS 2017.
.. [4] L. Xu, M. Skoularidou, A. Cuesta-Infante and K. Veeramachaneni,
   "Modeling Tabular Data using Conditional GAN", NeurIPS 2019."""


# -- the uncertainty nets ------------------------------------------------------

_TRAINING_PARAMETERS = """\
optimizer : torch optimizer class, default=torch.optim.Adam
    Configured with ``optimizer__*`` arguments.
lr : float, default=1e-3
    Learning rate.
max_epochs : int, default=100
    Number of training epochs.
batch_size : int, default=128
    Rows per training batch.
train_split : callable or None, default=None
    skorch's internal validation split; ``None`` trains on all rows."""

_CLASSIFIER_SPLIT = """\
    Labels are encoded as ``0..n_classes-1`` before the split, so
    ``skorch.dataset.ValidSplit(5, stratified=True)`` works."""

_BAYESIAN_SPLIT = """\
    The validation loss is the data term only."""

_PASSES = """\
verbose : int, default=0
    Print the training log when positive.
n_mc_samples : int, default=20
    Number of {draws} used by {methods}
    and ``predict_uncertainty``."""

_CLASSIFIER_METRIC = """\
uncertainty_metric : {{"variance", "entropy", "bald"}}, default="variance"
    Default metric of ``predict_uncertainty``: the mean over classes of the
    variance of the class probabilities across {passes}, the entropy of the
    mean prediction, or BALD, the mutual information between the prediction
    and the weights (entropy of the mean minus mean entropy, Houlsby et al.,
    2011). Higher means more uncertain."""

_REGRESSOR_METRIC = """\
uncertainty_metric : {{"variance", "entropy"}}, default="variance"
    Default metric of ``predict_uncertainty``: the variance of the
    prediction across {passes}, or the entropy of a Gaussian with that
    variance, ``0.5 * log(2 * pi * e * var)``. Higher means more uncertain."""

_KL_WEIGHT = """\
kl_weight : float, default=1.0
    Weight of the KL term: the training loss of a batch is
    ``criterion + kl_weight * KL / n_train_samples_``. 1 is the ELBO;
    smaller values fit the data more tightly and shrink the uncertainty."""

_SEEDING = """\
random_state : int, RandomState instance or None, default=None
    Seeds weight initialisation, batch shuffling, {noise} during
    training and the Monte Carlo passes at prediction time; torch's global
    RNG is forked and left as it was. An int gives the same net and the same
    predictions on every call (on the CPU).
**kwargs : dict
    Other skorch arguments: ``device`` (``"cpu"`` or ``"cuda"``),
    ``callbacks``, ``warm_start``, ``iterator_train__*``, ``module__*``,
    ``optimizer__*`` and so on."""

_DATA_ATTRIBUTES = """\
n_features_in_ : int
    Number of features seen during ``fit``.
feature_names_in_ : ndarray of shape (``n_features_in_``,)
    Names of features seen during ``fit``, when X is a DataFrame with
    string column names."""

_CLASSES_ATTRIBUTE = """\
classes_ : ndarray of shape (n_classes,)
    The labels seen in ``fit`` (sorted), in their original dtype."""

_N_TRAIN_ATTRIBUTE = """\
n_train_samples_ : int
    Number of rows trained on (after ``train_split``); it scales the KL
    term."""

_SKORCH_ATTRIBUTES = """\
module_ : torch.nn.Module
    The trained network.
criterion_ : torch.nn.Module
    The instantiated criterion.
optimizer_ : torch.optim.Optimizer
    The instantiated optimizer.
history_ : skorch.history.History
    Training history (loss per epoch and batch).
initialized_ : bool
    Whether the net has been initialised."""


def uncertainty_net_docs(*, bayesian, classifier):
    """The ``shared_sections`` fragment of an uncertainty net's docstring.

    It runs from ``optimizer`` to ``**kwargs`` in Parameters (``module`` and
    ``criterion``, which differ between the nets, come before it), then holds
    the whole Attributes section.

    Parameters
    ----------
    bayesian : bool
        Bayes by backprop (``kl_weight``, ``n_train_samples_``) rather than
        MC dropout.
    classifier : bool
        A classifier (``predict_proba``, BALD, ``classes_``) rather than a
        regressor.

    Returns
    -------
    dict of str
    """
    parameters, attributes = [_TRAINING_PARAMETERS], []
    if classifier:
        parameters.append(_CLASSIFIER_SPLIT)
        attributes.append(_CLASSES_ATTRIBUTE)
    if bayesian:
        parameters.append(_BAYESIAN_SPLIT)
    parameters.append(
        _PASSES.format(
            draws="posterior draws" if bayesian else "stochastic forward passes",
            methods="``predict_proba``, ``predict``" if classifier else "``predict``",
        )
    )
    metric = _CLASSIFIER_METRIC if classifier else _REGRESSOR_METRIC
    parameters.append(metric.format(passes="draws" if bayesian else "passes"))
    attributes.append(_DATA_ATTRIBUTES)
    if bayesian:
        parameters.append(_KL_WEIGHT)
        attributes.append(_N_TRAIN_ATTRIBUTE)
    parameters.append(
        _SEEDING.format(noise="the weight draws" if bayesian else "dropout")
    )
    attributes.append(_SKORCH_ATTRIBUTES)
    sections = [*parameters, "", "Attributes", "----------", *attributes]
    return {"shared_sections": "\n".join(sections)}
