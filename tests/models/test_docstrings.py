"""Shared docstring fragments and the decorator that fills them in."""

import pytest

from skaug.models import (
    BayesianClassifier,
    BayesianRegressor,
    MCDropoutClassifier,
    MCDropoutRegressor,
)
from skaug.models._docstrings import fill_doc, uncertainty_net_docs


def test_fill_doc_indents_the_fragment_like_its_placeholder():
    @fill_doc(params="a : int\n    The a.\n\nb : str")
    def f():
        """Do.

        Parameters
        ----------
        {params}
        c : {"x", "y"}
        """

    assert f.__doc__.splitlines()[4:9] == [
        "        a : int",
        "            The a.",
        "",
        "        b : str",
        '        c : {"x", "y"}',
    ]


def test_fill_doc_refuses_a_fragment_without_a_placeholder():
    with pytest.raises(ValueError, match=r"\['other'\]"):

        @fill_doc(params="a : int", other="b : int")
        class A:
            """Parameters
            ----------
            {params}
            """


def test_fill_doc_without_docstrings():
    # python -OO strips docstrings: nothing to fill in
    def f():
        pass

    assert fill_doc(params="a")(f) is f and f.__doc__ is None


@pytest.mark.parametrize(
    "Net, bayesian, classifier",
    [
        (MCDropoutClassifier, False, True),
        (MCDropoutRegressor, False, False),
        (BayesianClassifier, True, True),
        (BayesianRegressor, True, False),
    ],
)
def test_uncertainty_nets_document_their_own_parameters(Net, bayesian, classifier):
    doc = Net.__doc__
    assert "{shared_sections}" not in doc
    fragment = uncertainty_net_docs(bayesian=bayesian, classifier=classifier)
    assert fragment["shared_sections"].splitlines()[0] in doc
    shared = ["optimizer", "lr", "max_epochs", "batch_size", "train_split"]
    shared += ["verbose", "n_mc_samples", "uncertainty_metric", "random_state"]
    for name in ["module", "criterion", *shared, "**kwargs"]:
        assert f"\n    {name} : " in doc
    assert ("    kl_weight : " in doc) == bayesian
    assert ("    n_train_samples_ : " in doc) == bayesian
    assert ("    classes_ : " in doc) == classifier
    assert ('"bald"' in doc) == classifier
