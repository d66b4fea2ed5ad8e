"""Optimizer and learning-rate schedule from a config's `optimizer` section."""

import keras


def build_optimizer(optimizer_config, total_steps):
  """Returns a Keras optimizer.

  Args:
    optimizer_config: fields name ("adam" or "adamw"), learning_rate, schedule
      ("constant" or "cosine"), warmup_steps, weight_decay, clipnorm (0 = off).
    total_steps: training steps of the whole run, for the cosine schedule.
  """
  learning_rate = float(optimizer_config.learning_rate)
  schedule = optimizer_config.schedule
  warmup_steps = int(optimizer_config.get("warmup_steps", 0))
  if schedule == "cosine":
    learning_rate = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.0 if warmup_steps else learning_rate,
        decay_steps=max(1, total_steps - warmup_steps), alpha=0.01,
        warmup_target=learning_rate if warmup_steps else None, warmup_steps=warmup_steps)
  elif schedule != "constant":
    raise ValueError(f"unknown learning-rate schedule {schedule!r}; use 'constant' or 'cosine'")
  clipnorm = float(optimizer_config.get("clipnorm", 0.0)) or None
  name = optimizer_config.name
  if name == "adam":
    return keras.optimizers.Adam(learning_rate, clipnorm=clipnorm)
  if name == "adamw":
    return keras.optimizers.AdamW(learning_rate, weight_decay=float(optimizer_config.weight_decay),
                                  clipnorm=clipnorm)
  raise ValueError(f"unknown optimizer {name!r}; use 'adam' or 'adamw'")
