"""Tests of tfgen.training.optimizers."""

import keras
import ml_collections
import numpy as np
import pytest

from tfgen.training import optimizers
from tfgen.training.finite_updates import FiniteUpdates, finite_updates
from tfgen.training.fused_adagrad import FusedAdagrad


def _config(**overrides):
  config = ml_collections.ConfigDict(dict(name="adam", learning_rate=0.1, schedule="constant",
                                          warmup_steps=0, weight_decay=0.0, clipnorm=0.0))
  config.update(overrides)
  return config


@pytest.mark.parametrize("name, optimizer_class", [
    ("adam", keras.optimizers.Adam), ("adamw", keras.optimizers.AdamW),
    ("adagrad", FusedAdagrad)])
def test_builds_the_named_optimizer(name, optimizer_class):
  optimizer = optimizers.build_optimizer(_config(name=name), total_steps=10)
  # The named class, skipping non-finite updates.
  assert type(optimizer) is finite_updates(optimizer_class)  # pylint: disable=unidiomatic-typecheck
  assert isinstance(optimizer, FiniteUpdates) and isinstance(optimizer, optimizer_class)


def test_adamw_gets_its_weight_decay():
  optimizer = optimizers.build_optimizer(_config(name="adamw", weight_decay=0.3), total_steps=10)
  assert optimizer.weight_decay == pytest.approx(0.3)


def test_adagrad_takes_its_step():
  # The MADE code's AdaGrad: w -= lr * g / sqrt(sum g^2 + 1e-6), so even a tiny
  # first gradient moves a weight by about lr.
  optimizer = optimizers.build_optimizer(_config(name="adagrad"), total_steps=10)
  weight = keras.Variable(np.array([1.0, -2.0], np.float32))
  gradient = np.array([0.5, 1e-2], np.float32)
  optimizer.apply_gradients([(gradient, weight)])
  expected = np.array([1.0, -2.0]) - 0.1 * gradient / np.sqrt(1e-6 + gradient ** 2)
  np.testing.assert_allclose(np.asarray(weight), expected, rtol=1e-5)
  np.testing.assert_allclose(np.asarray(weight), [0.9, -2.1], rtol=1e-3)


@pytest.mark.parametrize("jit_compile", [False, True])
def test_fused_adagrad_takes_keras_adagrads_steps(jit_compile):
  # Several steps of a small model, so the accumulators matter; inside and outside XLA.
  rng = np.random.default_rng(0)
  x, y = rng.normal(size=(64, 5)).astype(np.float32), rng.normal(size=(64, 2)).astype(np.float32)
  weights = None
  trained = []
  for optimizer in (keras.optimizers.Adagrad(0.05, initial_accumulator_value=1e-6, epsilon=1e-7),
                    FusedAdagrad(0.05, initial_accumulator_value=1e-6, epsilon=1e-7)):
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="tanh"),
                              keras.layers.Dense(2)])
    if weights is None:
      weights = model.get_weights()
    model.set_weights(weights)
    model.compile(optimizer, loss="mse", jit_compile=jit_compile)
    model.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False)
    trained.append(model.get_weights())
  for keras_weight, fused_weight, start in zip(*trained, weights):
    assert not np.allclose(fused_weight, start)
    np.testing.assert_allclose(fused_weight, keras_weight, rtol=1e-5, atol=1e-6)


def test_fused_adagrad_config_round_trip():
  optimizer = FusedAdagrad(0.02, initial_accumulator_value=1e-6, epsilon=0.0)
  restored = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
  assert type(restored) is FusedAdagrad  # pylint: disable=unidiomatic-typecheck
  assert restored.get_config() == optimizer.get_config()


def test_cosine_schedule_warms_up_then_decays():
  optimizer = optimizers.build_optimizer(_config(schedule="cosine", warmup_steps=10), total_steps=110)
  rates = []
  for step in (0, 5, 10, 60, 110):
    optimizer.iterations.assign(step)  # The public rate is the schedule's at the step count.
    rates.append(float(optimizer.learning_rate))
  assert rates[0] == pytest.approx(0.0)
  assert rates[1] == pytest.approx(0.05)
  assert rates[2] == pytest.approx(0.1)
  assert 0.001 < rates[3] < 0.1
  assert rates[4] == pytest.approx(0.001)


@pytest.mark.parametrize("overrides, message", [
    (dict(name="sgdx"), "unknown optimizer 'sgdx'"),
    (dict(schedule="exponential"), "unknown learning-rate schedule 'exponential'"),
    (dict(name="adam", weight_decay=0.1), "needs optimizer 'adamw'"),
    (dict(name="adamw", weight_decay=-1.0), "weight_decay must be >= 0"),
])
def test_bad_settings_are_named(overrides, message):
  with pytest.raises(ValueError, match=message):
    optimizers.build_optimizer(_config(**overrides), total_steps=10)
