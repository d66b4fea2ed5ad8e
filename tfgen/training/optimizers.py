"""Optimizer and learning-rate schedule from a config's `optimizer` section."""

import keras

from tfgen.training.finite_updates import finite_updates
from tfgen.training.fused_adagrad import FusedAdagrad
from tfgen.training.linear_decay import LinearDecay


def build_optimizer(optimizer_config, total_steps):
  """Returns a Keras optimizer that skips updates with non-finite gradients (`FiniteUpdates`).

  Args:
    optimizer_config: fields name ("adam", "adamw" or "adagrad"), learning_rate,
      schedule ("constant", "cosine", or "linear": constant for the first
      half of the run, then down to 0, CycleGAN's), warmup_steps, weight_decay (adamw only),
      clipnorm (0 = off), and optionally beta_1 (Adam's first-moment decay,
      default 0.9; GANs use 0.5).
    total_steps: training steps of the whole run, for the cosine schedule.
  """
  learning_rate = float(optimizer_config.learning_rate)
  schedule = optimizer_config.schedule
  warmup_steps = int(optimizer_config.warmup_steps)
  if schedule == "cosine":
    learning_rate = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.0 if warmup_steps else learning_rate,
        decay_steps=max(1, total_steps - warmup_steps), alpha=0.01,
        warmup_target=learning_rate if warmup_steps else None, warmup_steps=warmup_steps)
  elif schedule == "linear":
    if warmup_steps:
      raise ValueError("the linear schedule has no warm-up: set optimizer.warmup_steps=0")
    learning_rate = LinearDecay(learning_rate, max(1, total_steps) // 2, max(2, total_steps))
  elif schedule != "constant":
    raise ValueError(f"unknown learning-rate schedule {schedule!r}; use 'constant', 'cosine' "
                     "or 'linear'")
  clipnorm = float(optimizer_config.clipnorm) or None
  name = optimizer_config.name
  weight_decay = float(optimizer_config.weight_decay)
  if weight_decay < 0 or (weight_decay and name != "adamw"):
    raise ValueError(f"weight_decay must be >= 0 and needs optimizer 'adamw', got "
                     f"weight_decay={weight_decay} with {name!r}")
  beta_1 = float(optimizer_config.get("beta_1", 0.9))
  if not 0.0 <= beta_1 < 1.0:
    raise ValueError(f"optimizer.beta_1 must be in [0, 1), got {beta_1}")
  if name == "adam":
    return finite_updates(keras.optimizers.Adam)(learning_rate, beta_1=beta_1, clipnorm=clipnorm)
  if name == "adamw":
    return finite_updates(keras.optimizers.AdamW)(learning_rate, weight_decay=weight_decay,
                                                  beta_1=beta_1, clipnorm=clipnorm)
  if name == "adagrad":
    # AdaGrad as in Germain et al.'s MADE code: w -= lr * g / sqrt(sum g^2 + 1e-6).
    # Keras's default accumulator start of 0.1 would damp the small gradients of a
    # wide network into plain SGD at about 3 * lr for thousands of steps. Keras's
    # update, fused per variable (the same numbers).
    return finite_updates(FusedAdagrad)(learning_rate, initial_accumulator_value=1e-6,
                                        epsilon=0.0, clipnorm=clipnorm)
  raise ValueError(f"unknown optimizer {name!r}; use 'adam', 'adamw' or 'adagrad'")
