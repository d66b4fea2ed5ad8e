"""A NaN loss: its update is not applied, training stops naming the step, the workdir keeps its
last good backup."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.training.saved_weights import saved_weights
from tfgen.configs import made_digits
from tfgen.training import train_lib
from tfgen.training.finite_updates import finite_updates
from tfgen.training.non_finite_guard import NonFiniteLossError
from tfgen.training.optimizers import build_optimizer
from tfgen.training.workdir import Workdir


@pytest.mark.parametrize("name", ["adam", "adamw", "adagrad"])
def test_an_update_with_a_nan_gradient_changes_nothing(name):
  config = made_digits.get_config().optimizer
  config.name, config.schedule = name, "constant"
  optimizer = build_optimizer(config, total_steps=10)
  weights = keras.Variable(np.ones((2, 3), np.float32))
  optimizer.apply_gradients([(tf.fill((2, 3), 0.5), weights)])
  before = [variable.numpy().copy() for variable in [weights] + optimizer.variables]
  bad_gradient = tf.constant([[0.5, np.nan, 0.5], [0.5, 0.5, np.inf]])
  optimizer.apply_gradients([(bad_gradient, weights)])
  after = [variable.numpy() for variable in [weights] + optimizer.variables]
  for old, new in zip(before, after):  # Weights, slots and the step counter.
    np.testing.assert_array_equal(old, new)
  assert int(optimizer.iterations.numpy()) == 1
  optimizer.apply_gradients([(tf.fill((2, 3), 0.5), weights)])
  assert int(optimizer.iterations.numpy()) == 2
  assert not np.array_equal(weights.numpy(), before[0])


def test_the_guarded_class_keeps_its_base_name_and_config():
  guarded = finite_updates(keras.optimizers.Adam)
  assert guarded is finite_updates(keras.optimizers.Adam)
  assert guarded.__name__ == "Adam" and issubclass(guarded, keras.optimizers.Adam)
  config = {**guarded(0.1).get_config(), "name": "adam"}
  assert config == {**keras.optimizers.Adam(0.1).get_config(), "name": "adam"}


def nan_config():
  config = made_digits.get_config()
  config.model.hidden_units = (16,)
  config.data.batch_size = 32
  config.optimizer.schedule = "constant"
  config.training.num_epochs = 3
  config.training.steps_per_epoch = 4
  config.training.steps_per_backup = 2
  return config


class Poison(keras.callbacks.Callback):
  """Before global step `step` (0-based), sets the weights or the learning rate to NaN."""

  def __init__(self, step, what):
    super().__init__()
    self.step, self.what, self.epoch = step, what, 0

  def on_epoch_begin(self, epoch, logs=None):
    self.epoch = epoch

  def on_train_batch_begin(self, batch, logs=None):
    if self.epoch * self.params["steps"] + batch != self.step:
      return
    if self.what == "weight":
      for weight in self.model.trainable_weights:
        weight.assign(tf.fill(weight.shape, np.nan))
    else:
      self.model.optimizer.learning_rate.assign(np.nan)


def finite_weights(workdir, path):
  return all(np.isfinite(weight).all() for weight in saved_weights(workdir, path))


def test_a_nan_loss_stops_training_at_its_step_and_keeps_the_last_good_backup(tmp_path):
  config = nan_config()
  with pytest.raises(NonFiniteLossError) as raised:
    train_lib.train(config, str(tmp_path), verbose=0, extra_callbacks=[Poison(6, "weight")])
  message = str(raised.value)
  assert message.startswith("epoch 2, step 3: loss=nan went non-finite; the update of that step "
                            "was not applied, and training stopped"), message
  assert "backup at epoch 1, batch 1" in message and "learning_rate" in message
  assert "\n" not in message  # One line for the binaries.
  workdir = Workdir(tmp_path)
  assert workdir.read_backup_position() == (1, 1)  # After step 6, before the NaN.
  assert workdir.read_best()["epoch"] == 1
  assert finite_weights(tmp_path, tmp_path / "best.weights.h5")
  assert finite_weights(tmp_path, tmp_path / "backup" / "latest.weights.h5")
  summary = train_lib.train(config, str(tmp_path), verbose=0)  # Resumes from it and finishes.
  assert summary["resumed_from_epoch"] == 1 and np.isfinite(summary["best_val_nll_nats"])


def test_weights_that_a_finite_step_made_nan_are_not_backed_up(tmp_path):
  # Step 6 (0-based 5) applies a NaN learning rate; its end is a backup point.
  with pytest.raises(NonFiniteLossError, match=r"^epoch 2, step 2: the weights went non-finite"):
    train_lib.train(nan_config(), str(tmp_path), verbose=0, extra_callbacks=[Poison(5, "rate")])
  assert Workdir(tmp_path).read_backup_position() == (1, 0)  # Epoch 1's end.
  assert finite_weights(tmp_path, tmp_path / "backup" / "latest.weights.h5")


def test_an_absurd_learning_rate_stops_with_a_message_not_nan_weights(tmp_path):
  config = nan_config()
  config.optimizer.learning_rate = 1e38
  with pytest.raises(NonFiniteLossError, match=r"went non-finite.*now 1e\+38"):
    train_lib.train(config, str(tmp_path), verbose=0)
  assert not (tmp_path / "best.weights.h5").exists()
