"""The autoencoder: MLP and conv, L2 and head losses, codes as features."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests import model_checks
from tfgen import heads
from tfgen.models.latent import Autoencoder


def digits_like(num, seed=0):
  return np.random.default_rng(seed).integers(0, 17, (num, 8, 8, 1)).astype(np.float32)


@pytest.fixture(params=[("mlp", "l2"), ("conv", "l2"), ("mlp", "head"), ("conv", "head")],
                ids=lambda param: "-".join(param))
def make(request):
  network, loss = request.param
  return lambda: Autoencoder((8, 8, 1), heads.Categorical(17), code_size=4, network=network,
                             hidden_units=(32,), loss=loss)


def test_output_shape_and_code(make):
  model = make()
  expected = (5, 8, 8, 1, 17) if model.loss_kind == "head" else (5, 8, 8, 1)
  model_checks.check_output_shape(model, digits_like(5), expected)
  assert model.encode(digits_like(5)).shape == (5, 4)
  assert model.reconstruct(digits_like(5)).shape == (5, 8, 8, 1)


def two_factor_images(num, seed=0):
  """Images driven by two numbers each: compressible into a small code."""
  rng = np.random.default_rng(seed)
  rows, columns = np.meshgrid(np.linspace(-1, 1, 8), np.linspace(-1, 1, 8), indexing="ij")
  factors = rng.normal(size=(num, 2, 1, 1))
  images = 16.0 / (1.0 + np.exp(-3 * (factors[:, 0] * rows + factors[:, 1] * columns)))
  return np.round(images)[..., None].astype(np.float32)


def test_fit_step_lowers_the_reconstruction_error(make):
  model = make()
  x = two_factor_images(64)
  model_checks.check_fit_step(model, x)
  model.compile(optimizer=keras.optimizers.Adam(3e-3))
  before = float(tf.reduce_mean(model.reconstruction_error(x)))
  model.fit(x, epochs=5, batch_size=8, verbose=0)  # 40 steps.
  assert float(tf.reduce_mean(model.reconstruction_error(x))) < before


def test_l2_reconstruction_is_in_data_units():
  model = Autoencoder((8, 8, 1), heads.Categorical(17), code_size=4, loss="l2")
  x = digits_like(3)
  outputs = model(x).numpy()
  np.testing.assert_allclose(model.reconstruct(x).numpy(), outputs * 16.0, rtol=1e-5)
  np.testing.assert_allclose(model.reconstruction_error(x).numpy(),
                             ((x / 16.0 - outputs) ** 2).reshape(3, -1).sum(-1), rtol=1e-4)


def test_save_load_round_trip(make, tmp_path):
  model = make()
  x = digits_like(3)
  model(x)
  model_checks.check_save_load(model, x, tmp_path,
                               score=lambda model, x: model.reconstruction_error(x).numpy())


def test_bad_input_is_named():
  with pytest.raises(ValueError, match="code_size must be >= 1, got 0"):
    Autoencoder((8, 8, 1), heads.Bernoulli(), code_size=0)
  with pytest.raises(ValueError, match="loss must be one of l2, head"):
    Autoencoder((8, 8, 1), heads.Bernoulli(), loss="l1")
  model = Autoencoder((8, 8, 1), heads.Categorical(17), code_size=2)
  with pytest.raises(tf.errors.InvalidArgumentError, match="values > 16"):
    model.encode(digits_like(2) + 20.0)
