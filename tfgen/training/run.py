"""A training run's folder: its config, data metadata and checkpoints.

  WORKDIR/config.json         the config and the data's metadata
  WORKDIR/best.weights.h5     weights with the lowest validation loss (+ best.json)
  WORKDIR/backup/             the latest state, for resuming
  WORKDIR/history.csv         per-epoch losses; training_curves.png plots them
  WORKDIR/logs/               TensorBoard
"""

import os

import ml_collections

from tfgen import data
from tfgen import models
from tfgen.utils import atomic

CONFIG_FILE = "config.json"
BEST_WEIGHTS = "best.weights.h5"


def load_split(config, split, batch_size=None, shuffle=None, seed=None):
  """The config's dataset split: (tf.data.Dataset, DatasetInfo).

  With data.with_labels each element is a pair (x, labels), the inputs of a
  conditional model; `as_fit_inputs` wraps it for `fit`. `seed` seeds the
  shuffle (None = config.seed).
  """
  return data.load(config.data.name, split, batch_size=batch_size or config.data.batch_size,
                   path=config.data.path or None, data_dir=config.data.data_dir or None,
                   shuffle=shuffle, seed=config.seed if seed is None else int(seed),
                   with_labels=bool(config.data.get("with_labels", False)),
                   sequence_length=config.data.get("sequence_length", 64))


def as_fit_inputs(dataset, config):
  """A labeled dataset's (x, labels) pairs as one input tuple, so fit does not take labels as y."""
  if not config.data.get("with_labels", False):
    return dataset
  return dataset.map(lambda x, labels: ((x, labels),))


def check_conditioning(config, data_info):
  """A conditional model needs labeled data with as many classes as it has conditions."""
  num_conditions = int(config.model.get("num_conditions", 0))
  with_labels = bool(config.data.get("with_labels", False))
  if num_conditions and not with_labels:
    raise ValueError(f"model.num_conditions={num_conditions} needs labeled data: set "
                     "data.with_labels=True")
  if with_labels and num_conditions != data_info.num_classes:
    raise ValueError(f"{data_info.name} has {data_info.num_classes} classes but "
                     f"model.num_conditions={num_conditions}; set them equal")


# Model fields that change how training steps compute, not which weights the model
# has: a run may switch them when it resumes, as it may switch training.jit_compile.
COMPUTE_ONLY_MODEL_FIELDS = ("training_matmul_dtype",)


def _model_signature(model_config):
  """The parts of a Keras model config that fix its weights (not its name)."""
  return {key: value for key, value in model_config.items()
          if key not in ("name", "trainable", "dtype") + COMPUTE_ONLY_MODEL_FIELDS}


def _section(record, section):
  values = dict(record["config"].get(section) or {})
  if section == "model":
    for key in COMPUTE_ONLY_MODEL_FIELDS:
      values.pop(key, None)
  return values


def write_run_config(workdir, config, data_info, model_config):
  """Writes WORKDIR/config.json; refuses a workdir holding a different run.

  Args:
    model_config: the built model's `get_config()`, with every default resolved,
      so a change of default between versions cannot load mismatched weights.
  """
  path = os.path.join(workdir, CONFIG_FILE)
  record = _jsonable({"config": config.to_dict(), "data_info": data_info.to_dict(),
                      "model_config": _model_signature(model_config)})
  if os.path.exists(path):
    previous = _read_record(path)
    for section in ("data", "model", "head"):
      if _section(previous, section) != _section(record, section):
        raise ValueError(
            f"{workdir} holds a run with a different {section} config; use a new --workdir "
            f"or the same config to resume")
    # A run from before model configs were recorded gets it now; its weights must still load.
    if previous.get("model_config", record["model_config"]) != record["model_config"]:
      raise ValueError(f"{workdir} holds a run of this config built by another tfgen version "
                       f"(its resolved model differs); use a new --workdir")
  atomic.write_json(path, record)


def _read_record(path):
  try:
    record = atomic.read_json(path)
    if not isinstance(record, dict) or not isinstance(record.get("config"), dict):
      raise ValueError("no config section")
    return record
  except ValueError as error:
    raise ValueError(f"{path}: corrupt run config ({error})") from None


def _jsonable(value):
  if isinstance(value, dict):
    return {key: _jsonable(item) for key, item in value.items()}
  if isinstance(value, (list, tuple)):
    return [_jsonable(item) for item in value]
  return value


def read_run_config(workdir):
  """(ConfigDict, DatasetInfo) of a run, or a ValueError naming what is missing."""
  path = os.path.join(workdir, CONFIG_FILE)
  if not os.path.isdir(workdir):
    raise ValueError(f"{workdir}: no such workdir")
  if not os.path.exists(path):
    raise ValueError(f"{workdir}: no {CONFIG_FILE}, so not a tfgen.train workdir "
                     f"(train first: python -m tfgen.train --config=... --workdir={workdir})")
  record = _read_record(path)
  try:
    info = dict(record["data_info"])
    info["shape"] = tuple(info["shape"])
    if info.get("class_names") is not None:
      info["class_names"] = tuple(info["class_names"])
    return ml_collections.ConfigDict(record["config"]), data.DatasetInfo(**info)
  except (KeyError, TypeError, ValueError) as error:
    raise ValueError(f"{path}: corrupt run config ({type(error).__name__}: {error})") from None


def load_model(workdir):
  """Rebuilds the model from WORKDIR/config.json and loads the best weights.

  Returns:
    (model, config, data_info).
  """
  config, info = read_run_config(workdir)
  weights = os.path.join(workdir, BEST_WEIGHTS)
  if not os.path.exists(weights):
    raise ValueError(f"{workdir}: no trained model yet ({BEST_WEIGHTS} is missing; "
                     f"it is written after the first epoch)")
  model = models.build(config.model, config.head, info)
  model.build((None,) + tuple(info.shape))
  try:
    model.load_weights(weights)
  except (OSError, ValueError) as error:
    raise ValueError(f"{weights}: cannot load the weights ({error})") from None
  return model, config, info
