import math

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification

from skaug._synthesis.guidance import UncertaintyGuidance, curriculum
from skaug.models import MCDropoutClassifier, TabularVAE


@pytest.mark.parametrize(
    "schedule, expected",
    [
        ("linear", [0.0, 0.25, 0.5, 1.0]),
        ("cosine", [0.0, (1 - math.cos(math.pi / 4)) / 2, 0.5, 1.0]),
        ("step", [0.0, 0.0, 1.0, 1.0]),
        ("constant", [1.0, 1.0, 1.0, 1.0]),
        (lambda p: p**2, [0.0, 0.0625, 0.25, 1.0]),
    ],
)
def test_curriculum_shapes(schedule, expected):
    got = [curriculum(p, schedule) for p in (0.0, 0.25, 0.5, 1.0)]
    np.testing.assert_allclose(got, expected)


def test_curriculum_rejects_unknown_schedule():
    with pytest.raises(ValueError, match="Unknown schedule"):
        curriculum(0.5, "sawtooth")


def test_lambda_rises_from_zero_to_weight_over_the_epochs():
    guidance = UncertaintyGuidance(None, weight=2.0)
    lambdas = [guidance.lambda_at(epoch, 5) for epoch in range(1, 6)]
    np.testing.assert_allclose(lambdas, [0.0, 0.5, 1.0, 1.5, 2.0])


def test_guidance_gradient_reaches_the_vae_and_not_the_uncertainty_model():
    torch.set_num_threads(1)
    X, y = make_classification(n_samples=120, n_features=5, random_state=0)
    vae = TabularVAE(max_epochs=2, random_state=0).fit(X, y)
    clf = MCDropoutClassifier(max_epochs=5, random_state=0)
    clf.fit(vae.encoder_.transform(X).astype(np.float32), y)
    guidance = UncertaintyGuidance(clf, weight=1.0, schedule="constant")
    c = torch.eye(2)[torch.as_tensor(y[:16])]
    vae.module_.zero_grad()
    clf.module_.zero_grad(set_to_none=True)  # drop what its own training left
    term = guidance(vae, {"x": torch.zeros(16, 5), "c": c})["uncertainty_guidance"]
    assert term.ndim == 0 and torch.isfinite(term)
    term.backward()
    decoder_grads = [p.grad for p in vae.module_.decoder.parameters()]
    assert any(g is not None and g.abs().sum() > 0 for g in decoder_grads)
    assert all(p.grad is None for p in clf.module_.parameters())
    assert not any(p.requires_grad for p in clf.module_.parameters())
