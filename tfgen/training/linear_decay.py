"""CycleGAN's learning rate: constant, then linearly down to zero."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfgen")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
  """rate(step) = initial for step < constant_steps, then falls linearly to 0 at total_steps.

    rate(step) = initial * min(1, (total_steps - step) / (total_steps - constant_steps)), >= 0

  Zhu et al. train 100 epochs at 2e-4 and 100 more decaying to zero. The
  position is the optimizer's step count, saved with the optimizer, so a
  resumed run continues on the same schedule.

  Args:
    initial_learning_rate: the rate of the constant part.
    constant_steps: steps at the initial rate.
    total_steps: the step at which the rate reaches 0 (> constant_steps).
  """

  def __init__(self, initial_learning_rate, constant_steps, total_steps):
    if int(total_steps) <= int(constant_steps) or int(constant_steps) < 0:
      raise ValueError(f"need 0 <= constant_steps < total_steps, got {constant_steps} and "
                       f"{total_steps}")
    self.initial_learning_rate = float(initial_learning_rate)
    self.constant_steps, self.total_steps = int(constant_steps), int(total_steps)

  def __call__(self, step):
    step = ops.cast(step, "float32")
    remaining = (self.total_steps - step) / float(self.total_steps - self.constant_steps)
    return self.initial_learning_rate * ops.clip(remaining, 0.0, 1.0)

  def get_config(self):
    return {"initial_learning_rate": self.initial_learning_rate,
            "constant_steps": self.constant_steps, "total_steps": self.total_steps}
