"""The synthesis core shared by the three front-ends (private).

``UncertaintySampler``, ``DriftAugmentor`` and ``AdaptiveSynthesis`` differ in
what they ask for, not in how rows are made. This package holds the parts they
share, as plain objects (not estimators):

* :mod:`.config` -- :class:`SynthesisConfig`, the frozen settings of a run,
  named as the estimators' parameters;
* :mod:`.scorers` -- uncertainty scorers behind one protocol (an estimator's
  ``predict_uncertainty``, or MC-dropout passes on a user's skorch net);
* :mod:`.pool` -- :class:`SyntheticPool`, the rows a strategy generated;
* the generation strategies, each returning a pool: :mod:`.exploration`
  (latent exploration, the sampler), :mod:`.regions` (region quotas, the
  augmentor), :mod:`.direct` (a labelled draw, the callback);
* :mod:`.guidance` -- the uncertainty term of a generator's loss and its
  curriculum;
* :mod:`.quality` -- per-class KS and detection AUC of synthetic rows;
* :mod:`.engine` -- fit the encoder, the uncertainty model and the generator
  once (:func:`fit_synthesis` returns a :class:`SynthesisState`), then
  ``state.generate(counts, rng)`` returns a pool.

The models themselves come from :mod:`skaug.models._factory`.
"""
