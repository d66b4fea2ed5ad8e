"""GenerativeModel: one interface for every family, its argument checks written once."""

import numpy as np
import pytest
import tensorflow as tf

from tfgen import heads
from tfgen.models import (FVSBN, MADE, NICE, VAE, Autoencoder, CharRNN, ConditionalVAE,
                          GenerativeModel, RealNVP, WaveNet)
from tfgen.models.generative_model import LIKELIHOOD_KINDS

SHAPE = (2, 2, 1)

# name: (a tiny model of each family, the kind of number its log_prob is)
FAMILIES = {
    "fvsbn": (lambda: FVSBN(SHAPE, heads.Categorical(3)), "exact"),
    "made": (lambda: MADE(SHAPE, heads.Bernoulli(), hidden_units=(8,), num_masks=2), "exact"),
    "char_rnn": (lambda: CharRNN((4,), heads.Categorical(3), embedding_size=4, hidden_units=6,
                                 num_layers=1), "exact"),
    "wavenet": (lambda: WaveNet((4,), heads.Categorical(3), residual_channels=4, skip_channels=4,
                                num_layers_per_stack=2, embedding_size=4, num_conditions=2),
                "exact"),
    "vae": (lambda: VAE(SHAPE, heads.Bernoulli(), latent_size=2, hidden_units=(8,)), "elbo"),
    "iwae": (lambda: VAE(SHAPE, heads.Bernoulli(), latent_size=2, hidden_units=(8,),
                         num_importance_samples=3), "iwae_k"),
    "cvae": (lambda: ConditionalVAE(SHAPE, heads.Bernoulli(), latent_size=2, hidden_units=(8,),
                                    num_conditions=2), "elbo"),
    "nice": (lambda: NICE(SHAPE, num_values=3, hidden_units=(8,), num_couplings=2), "dequantized"),
    "real_nvp_continuous": (lambda: RealNVP((2, 2, 2), num_values=0, num_scales=1,
                                            filters=(4,)), "exact"),
    "autoencoder": (lambda: Autoencoder(SHAPE, heads.Bernoulli(), code_size=2, hidden_units=(8,)),
                    None),
}


@pytest.fixture(name="family", params=sorted(FAMILIES))
def fixture_family(request):
  make, kind = FAMILIES[request.param]
  model = make()
  model.build((None,) + tuple(model.event_shape))
  return model, kind


def condition_for(model):
  return 1 if model.num_conditions else None


def test_every_family_is_a_generative_model_that_names_its_likelihood(family):
  model, kind = family
  assert isinstance(model, GenerativeModel)
  assert model.likelihood_kind == kind
  assert kind is None or kind in LIKELIHOOD_KINDS
  served = model.served_functions()
  assert ("log_prob" in served) == (kind is not None)
  assert ("sample" in served) == (kind is not None)


def test_sample_arguments_are_checked_the_same_way_everywhere(family):
  model, kind = family
  if kind is None:
    with pytest.raises(ValueError, match="Autoencoder cannot sample"):
      model.sample(2)
    return
  condition = condition_for(model)
  samples = model.sample(2, condition=condition, temperature=0.5, seed=3).numpy()
  assert samples.shape == (2,) + tuple(model.event_shape)
  for bad in (0, -1, 1.5, True, "2", None, "many"):
    with pytest.raises(ValueError, match="num_samples must be an integer >= 1"):
      model.sample(bad, condition=condition)
  for bad in (0.0, -1.0, float("nan"), False, None, "hot"):
    with pytest.raises(ValueError, match="temperature must be > 0"):
      model.sample(2, condition=condition, temperature=bad)
  with pytest.raises(TypeError):
    model.sample(2, condition, 1.0)  # pylint: disable=too-many-function-args  (keyword-only)
  with pytest.raises(TypeError, match=r"sample\(\) got (an )?unexpected keyword argument.*no_such"):
    model.sample(2, condition=condition, no_such=1)
  if model.num_conditions:
    with pytest.raises(ValueError, match="is conditional: pass condition="):
      model.sample(2)
    with pytest.raises(ValueError, match="condition must be one label or 2"):
      model.sample(2, condition=[0, 1, 0])
  else:
    with pytest.raises(ValueError, match="unconditional; condition must be None"):
      model.sample(2, condition=1)


def test_log_prob_is_the_number_its_kind_names(family):
  model, kind = family
  x = model.sample(3, condition=condition_for(model), seed=1) if kind else None
  labels = None if not model.num_conditions else np.array([0, 1, 0])
  if kind is None:
    with pytest.raises(ValueError, match="has no likelihood"):
      model.log_prob(np.zeros((1,) + SHAPE, np.float32))
    return
  log_p = model.log_prob(x, labels).numpy()
  assert log_p.shape == (3,) and np.all(np.isfinite(log_p))
  if kind in ("exact", "elbo", "iwae_k") and not isinstance(model, RealNVP):
    assert np.all(log_p <= 1e-5), log_p  # Probabilities (or bounds on them) of discrete data.
  if kind == "elbo":
    reconstruction, kl = model.elbo(x, labels, seed=5)[1:]
    np.testing.assert_allclose(model.log_prob(x, labels, seed=5).numpy(),
                               (reconstruction - kl).numpy(), rtol=1e-5)
  if kind == "iwae_k":
    np.testing.assert_allclose(model.log_prob(x, seed=5).numpy(),
                               model.iwae_bound(x, 3, seed=5).numpy(), rtol=1e-5)


def test_evaluation_log_prob_refines_log_prob_where_the_family_says():
  made = FAMILIES["made"][0]()
  x = made.sample(4, seed=0)
  np.testing.assert_allclose(made.evaluation_log_prob(x).numpy(),
                             made.ensemble_log_prob(x).numpy(), rtol=1e-6)
  assert made.evaluation_fields() == {"num_masks": 2}
  fvsbn = FAMILIES["fvsbn"][0]()
  x = fvsbn.sample(4, seed=0)
  np.testing.assert_allclose(fvsbn.evaluation_log_prob(x).numpy(), fvsbn.log_prob(x).numpy(),
                             rtol=1e-6)
  assert fvsbn.evaluation_fields() == {}
  nice = FAMILIES["nice"][0]()
  x = nice.sample(4, seed=0)
  draws = [nice.log_prob(x, seed=tf.constant([7, 2 * 10 + draw])).numpy() for draw in range(10)]
  np.testing.assert_allclose(nice.evaluation_log_prob(x, seed=tf.constant([7, 2])).numpy(),
                             np.mean(draws, axis=0), rtol=1e-5)


def test_encode_condition_refuses_what_does_not_fit():
  cvae = FAMILIES["cvae"][0]()
  np.testing.assert_array_equal(cvae.encode_condition([1, 0]).numpy(), [[0, 1], [1, 0]])
  with pytest.raises(ValueError, match="is conditional"):
    cvae.encode_condition(None)
  assert FAMILIES["fvsbn"][0]().encode_condition(None) is None
  with pytest.raises(ValueError, match="unconditional"):
    FAMILIES["fvsbn"][0]().encode_condition([0])
