"""Trains the same models under the default strategy and MirroredStrategy over 2 logical CPUs.

Run as `python -m tests.training.mirrored_runs`: logical devices must be set before
TensorFlow starts, so `test_distribution.py` runs this in a process of its own. Prints one
JSON object: per case, the losses of each strategy and the largest weight difference.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # pylint: disable=wrong-import-position
import numpy as np  # pylint: disable=wrong-import-position
import tensorflow as tf  # pylint: disable=wrong-import-position

from tfgen import data, models  # pylint: disable=wrong-import-position
from tfgen.configs import made_digits, vae_digits  # pylint: disable=wrong-import-position
from tfgen.training.finite_updates import finite_updates  # pylint: disable=wrong-import-position
from tfgen.training.fused_adagrad import FusedAdagrad  # pylint: disable=wrong-import-position

GLOBAL_BATCH = 8
NUM_STEPS = 4


def digits():
  """GLOBAL_BATCH * NUM_STEPS training digits in a fixed order, and the DatasetInfo."""
  dataset, info = data.load("digits", "train", batch_size=GLOBAL_BATCH * NUM_STEPS,
                            shuffle=False)
  return next(iter(dataset)).numpy(), info


def made_config():
  config = made_digits.get_config()
  config.model.hidden_units = (16,)
  return config


def vae_config():
  config = vae_digits.get_config()
  config.model.hidden_units = (16,)
  return config


def train(config, info, x, strategy, initial_weights, fixed_noise, optimizer=None):
  """(per-step losses, final weights) of NUM_STEPS steps on x, in order (SGD by default)."""
  with strategy.scope():
    model = models.build(config.model, config.head, info)
    model.build((None,) + tuple(info.shape))
    if initial_weights is not None:
      model.set_weights(initial_weights)
    if fixed_noise:
      # Each replica draws its own reparameterization noise, so draws differ from one
      # device's; zero noise (z = the posterior mean) leaves the steps' arithmetic to compare.
      model._noise = lambda shape, seed: tf.zeros(shape)  # pylint: disable=protected-access
    # Plain SGD: Adam would hide a gradient off by the number of replicas.
    model.compile(optimizer=(optimizer or (lambda: finite_updates(keras.optimizers.SGD)(0.05)))())
  losses = []
  for step in range(NUM_STEPS):
    batch = x[step * GLOBAL_BATCH:(step + 1) * GLOBAL_BATCH]
    history = model.fit(batch, batch_size=GLOBAL_BATCH, epochs=1, verbose=0, shuffle=False)
    losses.append(float(history.history["loss"][0]))
  return losses, model.get_weights()


def compare(mirrored, config, info, x, fixed_noise=False, optimizers=(None, None)):
  """Losses and weights of the same steps under both strategies, from the same weights.

  `optimizers`: (default's, mirrored's) optimizer factories; None = SGD.
  """
  default = tf.distribute.get_strategy()
  keras.utils.set_random_seed(0)
  with default.scope():
    start = models.build(config.model, config.head, info)
    start.build((None,) + tuple(info.shape))
  initial = start.get_weights()
  default_losses, default_weights = train(config, info, x, default, initial, fixed_noise,
                                          optimizers[0])
  mirrored_losses, mirrored_weights = train(config, info, x, mirrored, initial, fixed_noise,
                                            optimizers[1])
  return {"num_replicas": mirrored.num_replicas_in_sync, "default": default_losses,
          "mirrored": mirrored_losses,
          "max_weight_difference": max(float(np.max(np.abs(a - b)))
                                       for a, b in zip(default_weights, mirrored_weights)),
          "max_weight_change": max(float(np.max(np.abs(a - b)))
                                   for a, b in zip(default_weights, initial))}


def nan_on_one_replica(mirrored):
  """A NaN in the second replica's half of the batch: neither replica updates."""
  with mirrored.scope():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(finite_updates(keras.optimizers.Adam)(0.1), "mse")
  x, y = np.ones((8, 3), np.float32), np.ones((8, 1), np.float32)
  before = model.get_weights()
  bad = y.copy()
  bad[6] = np.nan
  model.fit(x, bad, batch_size=8, epochs=1, verbose=0, shuffle=False)
  unchanged = all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
  model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
  changed = not all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
  return {"unchanged_after_nan": unchanged, "changed_after_finite": changed,
          "iterations": int(model.optimizer.iterations.numpy())}


def main():
  cpu = tf.config.list_physical_devices("CPU")[0]
  tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
  # One strategy for the process: a second one would reuse its collective keys.
  mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
  x, info = digits()
  # tfgen's fused AdaGrad under a strategy falls back to Keras's update: same-shaped
  # weights must each keep their own accumulator.
  adagrad = (lambda: keras.optimizers.Adagrad(0.1, initial_accumulator_value=1e-6, epsilon=0.0),
             lambda: finite_updates(FusedAdagrad)(0.1, initial_accumulator_value=1e-6,
                                                  epsilon=0.0))
  print(json.dumps({"made": compare(mirrored, made_config(), info, x),
                    "vae": compare(mirrored, vae_config(), info, x, fixed_noise=True),
                    "made_adagrad": compare(mirrored, made_config(), info, x,
                                            optimizers=adagrad),
                    "nan_on_one_replica": nan_on_one_replica(mirrored)}))


if __name__ == "__main__":
  main()
