"""Tests of tfgen.training.optimizers."""

import keras
import ml_collections
import numpy as np
import pytest

from tfgen.training import optimizers


def _config(**overrides):
  config = ml_collections.ConfigDict(dict(name="adam", learning_rate=0.1, schedule="constant",
                                          warmup_steps=0, weight_decay=0.0, clipnorm=0.0))
  config.update(overrides)
  return config


@pytest.mark.parametrize("name, optimizer_class", [
    ("adam", keras.optimizers.Adam), ("adamw", keras.optimizers.AdamW),
    ("adagrad", keras.optimizers.Adagrad)])
def test_builds_the_named_optimizer(name, optimizer_class):
  optimizer = optimizers.build_optimizer(_config(name=name), total_steps=10)
  assert type(optimizer) is optimizer_class  # pylint: disable=unidiomatic-typecheck


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
    (dict(schedule="linear"), "unknown learning-rate schedule 'linear'"),
    (dict(name="adam", weight_decay=0.1), "needs optimizer 'adamw'"),
    (dict(name="adamw", weight_decay=-1.0), "weight_decay must be >= 0"),
])
def test_bad_settings_are_named(overrides, message):
  with pytest.raises(ValueError, match=message):
    optimizers.build_optimizer(_config(**overrides), total_steps=10)
