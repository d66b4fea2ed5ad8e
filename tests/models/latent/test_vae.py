"""The VAE: the five checks, analytic KL, the ELBO/IWAE relation and bad input."""

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tests import model_checks
from tfgen import heads
from tfgen.models.latent import VAE

tfd = tfp.distributions


def binary_images(num, seed=0, shape=(8, 8, 1)):
  return (np.random.default_rng(seed).random((num,) + shape) < 0.3).astype(np.float32)


@pytest.fixture(params=["mlp", "conv"])
def network(request):
  return request.param


def make(network="mlp", head=None, **kwargs):
  kwargs = {"latent_size": 3, "hidden_units": (16,), **kwargs}
  return VAE((8, 8, 1), head or heads.Bernoulli(), network=network, **kwargs)


def elbo_score(model, x):
  return model.elbo(x, seed=3)[0].numpy()


def test_output_shape(network):
  model_checks.check_output_shape(make(network), binary_images(5), (5, 8, 8, 1, 1))


def test_fit_step_reports_the_bound_and_its_parts(network):
  model = make(network)
  loss = model_checks.check_fit_step(model, binary_images(16))
  history = model.fit(binary_images(16), epochs=1, batch_size=16, verbose=0)
  assert set(history.history) == {"loss", "reconstruction", "kl"}
  assert np.isfinite(loss) and history.history["kl"][0] >= 0


def test_same_seed_same_sample(network):
  model = make(network)
  model.build()
  model_checks.check_seeded_sampling(model)
  means = model.sample(3, seed=1, mean=True).numpy()
  assert np.all((means > 0) & (means < 1))


def test_save_load_round_trip(network, tmp_path):
  model = make(network, head=heads.Categorical(4))
  x = np.random.default_rng(1).integers(0, 4, (4, 8, 8, 1)).astype(np.float32)
  model(x)
  model_checks.check_save_load(model, x, tmp_path, score=elbo_score)


def test_analytic_kl_equals_monte_carlo_kl():
  model = make(latent_size=4)
  x = binary_images(3)
  posterior = model.encode(x)
  analytic = tfd.kl_divergence(posterior, model.prior(batch_size=3)).numpy()
  z = posterior.sample(200000, seed=(1, 2))
  monte_carlo = tf.reduce_mean(posterior.log_prob(z) - model.prior(batch_size=3).log_prob(z), 0)
  np.testing.assert_allclose(monte_carlo.numpy(), analytic, atol=0.02, rtol=0.02)
  # And the analytic formula 0.5 sum(mu^2 + sigma^2 - 1 - log sigma^2) itself.
  mean, scale = posterior.mean().numpy(), posterior.stddev().numpy()
  by_hand = 0.5 * np.sum(mean ** 2 + scale ** 2 - 1 - 2 * np.log(scale), axis=-1)
  np.testing.assert_allclose(analytic, by_hand, rtol=1e-5, atol=1e-5)


def test_iwae_with_one_sample_is_the_elbo():
  model = make()
  x = binary_images(4)
  single = model.iwae_bound(x, 1, seed=5).numpy()
  sampled_kl_elbo = model.elbo(x, analytic_kl=False, seed=5)[0].numpy()
  np.testing.assert_allclose(single, sampled_kl_elbo, rtol=1e-5, atol=1e-4)
  # Averaged over draws, it is the ELBO with the analytic KL.
  # 400 draws of each example, as one batch of 400 copies.
  copies = np.tile(x, (400, 1, 1, 1))
  draws = model.iwae_bound(copies, 1, seed=6).numpy().reshape(400, 4).mean(axis=0)
  analytic = model.elbo(copies, seed=7)[0].numpy().reshape(400, 4).mean(axis=0)
  np.testing.assert_allclose(draws, analytic, atol=0.3)


def test_beta_weights_the_kl():
  x = binary_images(4)
  model = make(beta=0.0)
  bound, reconstruction, kl = model.elbo(x, seed=2)
  np.testing.assert_allclose(bound.numpy(), reconstruction.numpy())
  assert np.all(kl.numpy() > 0)
  heavy = VAE.from_config({**model.get_config(), "beta": 4.0})
  heavy(x)
  heavy.set_weights(model.get_weights())
  np.testing.assert_allclose(heavy.elbo(x, seed=2)[0].numpy(),
                             (reconstruction - 4.0 * kl).numpy(), rtol=1e-5)


def test_training_on_the_iwae_bound(network):
  model = make(network, num_importance_samples=5)
  model_checks.check_fit_step(model, binary_images(8))


def test_bad_input_is_named():
  with pytest.raises(ValueError, match="latent_size must be >= 1, got 0"):
    make(latent_size=0)
  with pytest.raises(ValueError, match="network must be one of mlp, conv"):
    make(network="rnn")
  with pytest.raises(ValueError, match="divisible by 4"):
    VAE((6, 6, 1), heads.Bernoulli(), network="conv")
  model = make()
  with pytest.raises(tf.errors.InvalidArgumentError, match=r"Bernoulli head expects integer values in \[0, 1\]"):
    model.elbo(binary_images(2) * 3.0)
  with pytest.raises(ValueError, match=r"expects examples of shape \(8, 8, 1\), got shape \(64,\)"):
    model.elbo(np.zeros((2, 64), np.float32))
  with pytest.raises(ValueError, match="unconditional"):
    model.sample(2, condition=1)
  with pytest.raises(ValueError, match="num_importance_samples must be >= 1"):
    make(num_importance_samples=0)
  with pytest.raises(ValueError, match="has no KL term to weight: use beta=1"):
    make(num_importance_samples=5, beta=0.5)
  with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\), got 1.0"):
    make(dropout=1.0)
  with pytest.raises(ValueError, match="kl_warmup_steps must be >= 0, got -1"):
    make(kl_warmup_steps=-1)


def test_dropout_acts_in_training_steps_only_and_round_trips(network, tmp_path):
  model = make(network, dropout=0.5, hidden_units=(64,))
  x = binary_images(4)
  model(x)
  # Evaluation (bounds, the IWAE estimate) runs the plain networks: same seed, same value.
  np.testing.assert_array_equal(model.iwae_bound(x, 3, seed=5).numpy(),
                                model.iwae_bound(x, 3, seed=5, training=False).numpy())
  # Training steps draw dropout masks: same seed of z, different bound.
  trained = model.iwae_bound(x, 3, seed=5, training=True).numpy()
  assert not np.allclose(trained, model.iwae_bound(x, 3, seed=5).numpy())
  mean = model.encode(x).mean().numpy()
  assert not np.allclose(model.encode(x, training=True).mean().numpy(), mean)
  # The validation loss of fit() is the bound without dropout.
  model.compile(optimizer="adam")
  no_dropout = make(network, hidden_units=(64,))
  no_dropout(x)
  no_dropout.set_weights(model.get_weights())
  no_dropout.compile(optimizer="adam")
  np.testing.assert_allclose(model.evaluate(x, batch_size=4, verbose=0),
                             no_dropout.evaluate(x, batch_size=4, verbose=0), rtol=1e-6)
  model_checks.check_save_load(model, x, tmp_path, score=elbo_score)
  assert model.get_config()["dropout"] == 0.5


def test_kl_warmup_ramps_the_training_loss_only(tmp_path):
  model = make(kl_warmup_steps=4, beta=2.0)
  x = binary_images(8)
  model(x)
  model.compile(optimizer="adam")
  # Training step t weighs the KL by beta * min(1, t / 4): 0, 0.5, 1, 1.5, 2, 2.
  for step in range(6):
    logs = model.train_on_batch(x, return_dict=True)
    weight = 2.0 * min(1.0, step / 4)
    np.testing.assert_allclose(logs["loss"], logs["reconstruction"] + weight * logs["kl"],
                               rtol=1e-5, err_msg=f"step {step}")
  # Validation weighs it by beta from the first step.
  fresh = make(kl_warmup_steps=4, beta=2.0)
  fresh(x)
  fresh.compile(optimizer="adam")
  logs = fresh.evaluate(x, batch_size=8, verbose=0, return_dict=True)
  np.testing.assert_allclose(logs["loss"], logs["reconstruction"] + 2.0 * logs["kl"], rtol=1e-5)
  model_checks.check_save_load(model, x, tmp_path, score=elbo_score)
  assert model.get_config()["kl_warmup_steps"] == 4


def test_kl_warmup_of_the_iwae_bound_weighs_prior_over_proposal():
  x = binary_images(6)
  model = make(num_importance_samples=3, kl_warmup_steps=4)
  model(x)
  # prior_weight 0 leaves log p(x | z_i) alone in each weight; 1 gives the IWAE bound.
  posterior = model.encode(x)
  z = posterior.mean() + posterior.stddev() * tf.random.stateless_normal([3, 6, 3], seed=[7, 0])
  decoded = model.decode(tf.reshape(z, [-1, 3]))
  log_likelihood = tf.reshape(model.head.log_prob(tf.tile(x, [3, 1, 1, 1]), decoded), [3, 6])
  expected = tf.reduce_logsumexp(log_likelihood, axis=0) - np.log(3.0)
  np.testing.assert_allclose(model.iwae_bound(x, 3, seed=7, prior_weight=0.0).numpy(),
                             expected.numpy(), rtol=1e-5)
  np.testing.assert_array_equal(model.iwae_bound(x, 3, seed=7, prior_weight=1.0).numpy(),
                                model.iwae_bound(x, 3, seed=7).numpy())
  # The first training step uses weight 0; a twin with the same noise generator agrees.
  twin = make(num_importance_samples=3, kl_warmup_steps=4)
  twin(x)
  twin.set_weights(model.get_weights())
  expected_loss = -np.mean(twin.iwae_bound(x, 3, prior_weight=0.0).numpy())
  model.compile(optimizer="adam")
  logs = model.train_on_batch(x, return_dict=True)
  np.testing.assert_allclose(logs["loss"], expected_loss, rtol=1e-5)
