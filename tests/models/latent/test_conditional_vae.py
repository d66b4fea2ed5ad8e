"""The conditional VAE: labels reach encoder, decoder and prior; the five checks; bad labels."""

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tests import model_checks
from tfgen import heads
from tfgen.models.latent import ConditionalVAE

tfd = tfp.distributions


def images(num, seed=0):
  return (np.random.default_rng(seed).random((num, 8, 8, 1)) < 0.3).astype(np.float32)


@pytest.fixture(params=[("mlp", "learned"), ("conv", "learned"), ("mlp", "standard")],
                ids=lambda param: "-".join(param))
def make(request):
  network, prior = request.param
  return lambda: ConditionalVAE((8, 8, 1), heads.Bernoulli(), num_conditions=3, prior=prior,
                                latent_size=2, network=network, hidden_units=(16,))


def test_output_shape(make):
  model_checks.check_output_shape(make(), (images(4), np.array([0, 1, 2, 1])), (4, 8, 8, 1, 1))


def test_fit_step_on_labeled_data(make):
  model = make()
  dataset = tf.data.Dataset.from_tensor_slices((images(12), np.arange(12) % 3)).batch(12)
  model.compile(optimizer="adam")
  model.build()
  before = [weight.numpy() for weight in model.trainable_weights]
  history = model.fit(dataset.map(lambda x, labels: ((x, labels),)), epochs=1, verbose=0)
  assert np.isfinite(history.history["loss"][0])
  assert any(not np.allclose(old, new.numpy()) for old, new in zip(before, model.trainable_weights))


def test_same_seed_same_sample_and_the_label_matters(make):
  model = make()
  model.build()
  first = model.sample(4, seed=7, condition=1, mean=True).numpy()
  np.testing.assert_array_equal(first, model.sample(4, seed=7, condition=1, mean=True).numpy())
  other_class = model.sample(4, seed=7, condition=2, mean=True).numpy()
  assert not np.allclose(first, other_class), "the label does not reach the decoder"
  binary = model.sample(4, seed=7, condition=[0, 1, 2, 0]).numpy()
  assert binary.shape == (4, 8, 8, 1) and set(np.unique(binary)) <= {0.0, 1.0}


def test_label_reaches_the_encoder_and_the_bound(make):
  model = make()
  x = images(2)
  bound_0 = model.elbo(x, [0, 0], seed=1)[0].numpy()
  bound_2 = model.elbo(x, [2, 2], seed=1)[0].numpy()
  assert not np.allclose(bound_0, bound_2)
  posterior_0, posterior_2 = model.encode(x, [0, 0]), model.encode(x, [2, 2])
  assert not np.allclose(posterior_0.mean().numpy(), posterior_2.mean().numpy())


def test_learned_prior_moves_with_training():
  model = ConditionalVAE((8, 8, 1), heads.Bernoulli(), num_conditions=2, latent_size=2,
                         hidden_units=(16,))
  start = model.prior([0, 1])
  np.testing.assert_allclose(start.mean().numpy(), 0.0)
  np.testing.assert_allclose(start.stddev().numpy(), 1.0, rtol=1e-6)
  x = np.concatenate([np.zeros((16, 8, 8, 1)), np.ones((16, 8, 8, 1))]).astype(np.float32)
  labels = np.repeat([0, 1], 16)
  model.compile(optimizer="adam")
  model.fit(tf.data.Dataset.from_tensor_slices(((x, labels),)).batch(32), epochs=20, verbose=0)
  moved = model.prior([0, 1])
  assert not np.allclose(moved.mean().numpy(), 0.0, atol=1e-3)
  # The KL in the bound is against p(z | c), computed analytically.
  posterior = model.encode(x[:2], [0, 0])
  expected = tfd.kl_divergence(posterior, model.prior([0, 0])).numpy()
  np.testing.assert_allclose(model.elbo(x[:2], [0, 0], seed=0)[2].numpy(), expected, rtol=1e-5)


def test_save_load_round_trip(make, tmp_path):
  model = make()
  x, labels = images(3), np.array([2, 0, 1])
  model((x, labels))
  model_checks.check_save_load(model, (x, labels), tmp_path,
                               score=lambda model, inputs: model.elbo(*inputs, seed=3)[0].numpy())


def test_bad_labels_are_named(make):
  model = make()
  with pytest.raises(tf.errors.InvalidArgumentError, match=r"label expects integer values in \[0, 2\]"):
    model.elbo(images(2), [0, 3])
  with pytest.raises(tf.errors.InvalidArgumentError, match=r"label expects integer values in \[0, 2\]"):
    model.sample(2, condition=-1)
  with pytest.raises(ValueError, match="conditioned on one of 3 classes"):
    model.sample(2)
  with pytest.raises(ValueError, match="takes \\(x, labels\\)"):
    model(images(2))
  with pytest.raises(ValueError, match="num_conditions must be >= 1"):
    ConditionalVAE((8, 8, 1), heads.Bernoulli(), num_conditions=0)
  with pytest.raises(ValueError, match="a one-hot condition needs 3 columns"):
    model.elbo(images(2), np.ones((2, 1), np.float32))
  with pytest.raises(ValueError, match="prior must be one of learned, standard"):
    ConditionalVAE((8, 8, 1), heads.Bernoulli(), prior="flat")
