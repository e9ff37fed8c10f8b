"""torch.distributions.multinomial.Multinomial, as d2l's probability section (2.6) uses it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.distributions.multinomial import Multinomial as TorchMultinomial

import minigrad
from minigrad.distributions import Multinomial

PROBS = [[0.5, 0.5], [1.0, 1, 1, 1, 1, 1], [[0.2, 0.8], [0.5, 0.5]], [0.1, 0.0, 0.9]]


@pytest.mark.parametrize("probs", PROBS, ids=repr)
@pytest.mark.parametrize("n, sample_shape", [(1, ()), (10, (3,)), (100, (2, 4))])
def test_samples_have_torchs_shape_dtype_and_counts(probs, n, sample_shape):
    got = Multinomial(n, minigrad.tensor(probs)).sample(sample_shape)
    want = TorchMultinomial(n, torch.tensor(probs)).sample(sample_shape)
    assert tuple(got.shape) == tuple(want.shape) and str(got.dtype) == str(want.dtype)
    counts = got.numpy()
    assert np.all(counts == np.round(counts)) and np.all(counts.sum(-1) == n)
    if np.ndim(probs) == 1:  # an outcome of probability 0 never comes up
        assert np.all(counts[..., np.asarray(probs) == 0] == 0)


@pytest.mark.parametrize("probs", PROBS[:3], ids=repr)
def test_moments_probabilities_and_log_prob_match_torch(probs):
    m, t = Multinomial(7, minigrad.tensor(probs)), TorchMultinomial(7, torch.tensor(probs))
    for name in ("probs", "mean", "variance"):
        np.testing.assert_allclose(getattr(m, name).numpy(), getattr(t, name).numpy(), rtol=1e-6)
    assert tuple(m.batch_shape) == tuple(t.batch_shape)
    assert tuple(m.event_shape) == tuple(t.event_shape)
    value = t.sample()
    np.testing.assert_allclose(m.log_prob(minigrad.tensor(value.numpy())).numpy(),
                               t.log_prob(value).numpy(), rtol=1e-5)
    logits = torch.log(torch.tensor(probs))
    np.testing.assert_allclose(Multinomial(3, logits=minigrad.tensor(logits.numpy())).probs
                               .numpy(), TorchMultinomial(3, logits=logits).probs.numpy(),
                               rtol=1e-6)


def test_frequencies_settle_on_the_probabilities_and_the_seed_repeats_them():
    minigrad.manual_seed(3)
    p = np.array([0.2, 0.3, 0.5])
    counts = Multinomial(1, minigrad.tensor(p)).sample((20000,)).numpy()
    # each frequency is within 5 standard errors of its probability
    assert np.all(np.abs(counts.mean(0) - p) < 5 * np.sqrt(p * (1 - p) / 20000))
    minigrad.manual_seed(3)
    again = Multinomial(1, minigrad.tensor(p)).sample((20000,)).numpy()
    assert np.array_equal(counts, again)


@pytest.mark.parametrize("bad", [{"probs": [-1.0, 2.0]}, {"probs": [0.0, 0.0]},
                                 {"probs": [0.5, 0.5], "logits": [0.0, 0.0]}, {}], ids=repr)
def test_bad_parameters_are_refused_as_torch_refuses_them(bad):
    with pytest.raises(ValueError):
        TorchMultinomial(5, **{k: torch.tensor(v) for k, v in bad.items()})
    with pytest.raises(ValueError):
        Multinomial(5, **{k: minigrad.tensor(v) for k, v in bad.items()})


def test_d2l_probability_section_runs_under_as_torch():
    with minigrad.as_torch():
        import torch as t
        from torch.distributions import multinomial
        from torch.distributions.multinomial import Multinomial as M

        assert M is Multinomial and t is minigrad
        fair_probs = t.ones([6]) / 6
        counts = multinomial.Multinomial(10, fair_probs).sample((500,))
        cum_counts = counts.cumsum(dim=0)
        estimates = cum_counts / cum_counts.sum(dim=1, keepdims=True)
        assert estimates.shape == (500, 6)
        np.testing.assert_allclose(estimates.numpy().sum(1), 1, rtol=1e-6)
        assert np.all(np.abs(estimates[-1].numpy() - 1 / 6) < 0.05)
        with pytest.raises(AttributeError, match="not part of minigrad"):
            t.distributions.Normal  # noqa: B018 - the refusal names what minigrad has
