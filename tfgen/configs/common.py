"""The sections every training config shares, with their defaults."""

import ml_collections


def base_config():
  """A config with every field the training binary reads; configs override some."""
  config = ml_collections.ConfigDict()
  config.seed = 0  # Seeds weight initialisation and the shuffling of training data.

  config.data = ml_collections.ConfigDict()
  config.data.name = "digits"  # A tfgen.data.load name (digits, binarized_mnist, names, ...).
  config.data.path = ""  # A local file or folder to read instead of TFDS; "" = the default source.
  config.data.data_dir = ""  # TFDS data folder; "" = TFDS's default.
  config.data.batch_size = 64  # Examples per training step.
  config.data.sequence_length = 64  # Text and audio: values per training window.
  config.data.with_labels = False  # Feed (x, label) pairs; a conditional model (model.num_conditions > 0) needs them.

  config.model = ml_collections.ConfigDict()
  config.model.name = "made"  # A key of tfgen.models.registry.MODELS; other fields go to its constructor.

  config.head = ml_collections.ConfigDict()
  config.head.name = "bernoulli"  # A tfgen.heads.get name; K or the bin count comes from the data.

  config.optimizer = ml_collections.ConfigDict()
  config.optimizer.name = "adam"  # "adam", "adamw" or "adagrad".
  config.optimizer.learning_rate = 1e-3  # Peak learning rate.
  config.optimizer.schedule = "cosine"  # "constant", or "cosine" decay to 1% over the whole run.
  config.optimizer.warmup_steps = 0  # Linear warm-up steps before the schedule.
  config.optimizer.weight_decay = 0.0  # Decoupled weight decay (adamw only).
  config.optimizer.clipnorm = 0.0  # Clip each gradient's norm to this; 0 = no clipping.

  config.training = ml_collections.ConfigDict()
  config.training.num_epochs = 20  # Passes over the training split.
  config.training.steps_per_epoch = 0  # Steps per epoch; 0 = one pass over the training split.
  config.training.steps_per_backup = 0  # Back up every N steps for resuming; 0 = every epoch.
  config.training.early_stopping_patience = 0  # Stop after N epochs without a better val loss; 0 = off.
  config.training.steps_per_mask = 1  # MADE with num_masks > 1: training steps per mask.
  # data.batch_size is the global batch, split across the replicas.
  config.training.distribution = "default"  # "default", "mirrored", "multi_worker" or "tpu".
  # Compile each training step with XLA: it fuses the elementwise work on large weights
  # (mask select, optimizer update): a 2x8000 MADE step ran 2.0x faster at batch 100 and 1.4x
  # at batch 250 on 2 CPU cores (python bench/xla_training_step.py).
  config.training.jit_compile = False  # Compile training steps with XLA (see above).
  # Mixed precision: compute in 16 bits, keep the weights (and the heads' probabilities) in
  # float32. "mixed_float16" on GPUs (with dynamic loss scaling), "mixed_bfloat16" on TPUs
  # and on CPUs with bfloat16 units; on other CPUs both are slower than float32.
  config.training.precision = "float32"  # "float32", "mixed_float16" or "mixed_bfloat16".
  return config


PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")

# Fields added after runs were first written, and the value an older run had in effect:
# a workdir without them reads as if it had them.
ADDED_FIELDS = {"training.precision": "float32"}


# (field, smallest value): the numeric fields every run has, and what they may be.
NUMERIC_BOUNDS = (
    ("data.batch_size", 1), ("optimizer.learning_rate", 0.0), ("optimizer.warmup_steps", 0),
    ("optimizer.weight_decay", 0.0), ("optimizer.clipnorm", 0.0), ("training.num_epochs", 1),
    ("training.steps_per_epoch", 0), ("training.steps_per_backup", 0),
    ("training.early_stopping_patience", 0), ("training.steps_per_mask", 1))


def check_config(config):
  """Raises a ValueError naming the first field of a run config that is out of range."""
  precision = config.training.get("precision", "float32") if "training" in config else "float32"
  if precision not in PRECISIONS:
    raise ValueError(f"training.precision must be one of {', '.join(PRECISIONS)}, "
                     f"got {precision!r}")
  for field, smallest in NUMERIC_BOUNDS:
    section, name = field.split(".")
    value = config[section].get(name) if section in config else None
    if value is None:
      continue
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
        isinstance(smallest, int) and not isinstance(value, int)):
      kind = "an integer" if isinstance(smallest, int) else "a number"
      raise ValueError(f"{field} must be {kind} >= {smallest}, got {value!r}")
    if not value >= smallest:  # Also refuses NaN.
      raise ValueError(f"{field} must be >= {smallest}, got {value}")


def parse_overrides(assignments):
  """["section.field=VALUE", ...] -> {"section.field": value}, VALUE read as a Python literal
  (a number, True, a quoted string) or else kept as a string; a malformed item raises."""
  import ast  # pylint: disable=import-outside-toplevel
  overrides = {}
  for assignment in assignments or ():
    key, separator, text = assignment.partition("=")
    if not separator or not key.strip():
      raise ValueError(f"--set takes section.field=VALUE, got {assignment!r}")
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
      value = lowered == "true"
    else:
      try:
        value = ast.literal_eval(text)
      except (ValueError, SyntaxError):
        value = text
    overrides[key.strip()] = value
  return overrides


def apply_overrides(config, overrides):
  """Sets {"section.field": value} in `config`; an unknown field raises a ValueError."""
  for key, value in (overrides or {}).items():
    *sections, field = key.split(".")
    target = config
    for section in sections:
      if section not in target:
        raise ValueError(f"unknown config field {key!r}")
      target = target[section]
    if field not in target:
      raise ValueError(f"unknown config field {key!r}")
    try:
      target[field] = value
    except TypeError:
      raise ValueError(f"config field {key!r} takes a {type(target[field]).__name__}, got "
                       f"{value!r}") from None
  return config


def binarized_mnist_config():
  """base_config() with the fixed binarized MNIST protocol shared by its configs."""
  config = base_config()
  config.data.name = "binarized_mnist"  # Larochelle & Murray's fixed binarization, 50k/10k/10k.
  config.data.batch_size = 100  # Examples per step.
  config.head.name = "bernoulli"  # One logit per pixel.
  config.optimizer.schedule = "cosine"  # Cosine decay over the run.
  config.training.steps_per_backup = 100  # Back up mid-epoch too, so a kill loses little.
  config.training.early_stopping_patience = 5  # Stop when validation NLL stalls for 5 epochs.
  return config


def digits_config():
  """base_config() with the embedded 8x8 digits (17 grey levels) shared by the demo's configs."""
  config = base_config()
  config.data.name = "digits"  # scikit-learn's 1797 digits, split 70/15/15 by a fixed permutation.
  config.data.batch_size = 32  # Small data: small batches, more steps.
  config.head.name = "categorical"  # Softmax over the 17 grey levels of each pixel.
  config.training.num_epochs = 40  # About half a minute on 2 CPU cores.
  return config


def flow_digits_config():
  """digits_config() for the flows: dequantized pixels, no head, longer training."""
  config = digits_config()
  config.head.name = "none"  # Flows model the dequantized values themselves.
  config.model.logit_alpha = 0.05  # Logit transform of the dequantized pixels.
  config.model.seed = 0  # Seeds the dequantization noise (and MAF's MADE degrees).
  config.optimizer.learning_rate = 1e-3  # Peak learning rate of Adam.
  config.training.num_epochs = 100  # A few minutes on 2 CPU cores.
  config.training.early_stopping_patience = 15  # Stop when validation NLL stalls.
  return config


def gan_digits_config():
  """digits_config() for the GANs: no head, Adam with beta_1 = 0.5, a constant rate."""
  config = digits_config()
  config.head.name = "none"  # A GAN makes images itself; it has no likelihood head.
  config.optimizer.learning_rate = 2e-4  # Of Adam, for D and for G (Radford et al.).
  config.optimizer.beta_1 = 0.5  # Adam's first-moment decay: 0.5 keeps GAN training stable.
  config.optimizer.schedule = "constant"  # No decay.
  config.training.num_epochs = 100  # About 2 minutes on 2 CPU cores.
  return config
