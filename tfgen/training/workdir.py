"""A training run's folder: every path in it, and every read and write of it.

  WORKDIR/config.json            the config, the data's metadata, the resolved model config
  WORKDIR/best.weights.h5        weights with the lowest validation loss; best.json: epoch, value
  WORKDIR/backup/                the latest state, for resuming (weights and position)
  WORKDIR/history.csv            per-epoch losses; training_curves.png plots them
  WORKDIR/logs/                  TensorBoard
  WORKDIR/minutes.json           wall-clock and CPU minutes of all runs, killed ones included
  WORKDIR/train_summary.json     what the last run reports
  WORKDIR/stopped_early.json     where early stopping ended the run
  WORKDIR/warm_start.json        the run this one started from (--warm_start_from)
  WORKDIR/.lock                  held while a process trains here
  WORKDIR/vocabulary.json        a text model's characters (the text app)
  WORKDIR/text_summary.json      the text app's validation nats and bits per character
  WORKDIR/digits_check.json      the style-transfer app's digit-restyling scores
  WORKDIR/NAME.png               pictures (samples, reconstructions, ...)
  WORKDIR/samples/epoch_NNN.png  samples after each epoch, from fixed noise (GANs)

No other module writes one of these names. Writes are atomic (history.csv is
appended by Keras; a row torn by a kill is skipped when it is read).
"""

import os
import shutil

import ml_collections

from tfgen import data
from tfgen import models
from tfgen.configs import common
from tfgen.utils import atomic
from tfgen.utils.workdir_lock import WorkdirLock

# Model fields that change how training steps compute, not which weights the model
# has: a run may switch them when it resumes, as it may switch training.jit_compile.
COMPUTE_ONLY_MODEL_FIELDS = ("training_matmul_dtype",)


class WorkdirMismatchError(ValueError):
  """The workdir holds a run of another config (or of another tfgen's resolved model)."""


class NoTrainedModelError(ValueError):
  """The folder is not a workdir, or its run has no trained weights yet."""


class Workdir:
  """A training run's folder (see the module docstring for its files).

  Args:
    path: the folder; nothing is created until `create`.

  Example:
    workdir = Workdir("runs/made")
    model, config, info = workdir.load_model()
  """

  def __init__(self, path):
    self.path = os.fspath(path)

  def __repr__(self):
    return f"Workdir({self.path!r})"

  def _file(self, *names):
    return os.path.join(self.path, *names)

  # ---- paths that Keras callbacks write ----------------------------------

  @property
  def best_weights_path(self):
    return self._file("best.weights.h5")

  @property
  def best_record_path(self):
    return self._file("best.json")

  @property
  def backup_dir(self):
    return self._file("backup")

  @property
  def backup_weights_path(self):
    return self._file("backup", "latest.weights.h5")

  @property
  def backup_metadata_path(self):
    return self._file("backup", "training_metadata.json")

  @property
  def history_path(self):
    return self._file("history.csv")

  @property
  def curves_path(self):
    return self._file("training_curves.png")

  @property
  def logs_dir(self):
    return self._file("logs")

  def picture_path(self, name):
    """WORKDIR/NAME.png."""
    return self._file(name + ".png")

  @property
  def samples_dir(self):
    return self._file("samples")

  def epoch_samples_path(self, epoch):
    """WORKDIR/samples/epoch_NNN.png: the samples drawn after epoch `epoch` (1-based)."""
    return self._file("samples", f"epoch_{int(epoch):03d}.png")

  # ---- the folder --------------------------------------------------------

  def create(self, overwrite=False):
    """Makes the folder (and its parents) if it is missing; `overwrite` first deletes its run."""
    try:
      os.makedirs(self.path, exist_ok=True)
    except OSError as error:
      raise OSError(f"cannot create the workdir {self.path}: {error.strerror or error}") from None
    if overwrite:
      with self.lock("overwriting"):
        self.clear()

  def create_samples_dir(self):
    """Makes WORKDIR/samples/ if it is missing."""
    os.makedirs(self.samples_dir, exist_ok=True)

  def check_disk(self, num_bytes):
    """Raises an OSError naming the problem unless the run can write here and has room.

    Called at the start of training, so that an unwritable folder or a full disk
    is found before the first hour of training rather than at its first backup.

    Args:
      num_bytes: what the run's files will take (checkpoints, logs, pictures).
    """
    probe = self._file(".write_probe")
    try:
      atomic.write_text(probe, "tfgen")
      os.remove(probe)
    except OSError as error:
      raise OSError(f"cannot write to the workdir {self.path}: {error.strerror or error}") from None
    free = shutil.disk_usage(self.path).free
    if free < num_bytes:
      raise OSError(f"the disk of {self.path} has {free / 2**20:.1f} MB free and this run needs "
                    f"about {num_bytes / 2**20:.1f} MB (checkpoints, logs); free some space or "
                    f"choose another --workdir")

  def clear(self):
    """Deletes the run in the folder, all but its lock file (hold the lock): --overwrite.

    A folder with files but no config.json is refused: a mistyped --workdir must
    not delete something that is not a run.
    """
    if not os.path.isdir(self.path):
      return
    entries = [name for name in os.listdir(self.path) if name != ".lock"]
    if entries and not os.path.exists(self._file("config.json")):
      raise ValueError(f"{self.path} is not a tfgen workdir (no config.json), so --overwrite "
                       f"will not delete its {len(entries)} entries; choose another --workdir")
    for name in entries:
      entry = self._file(name)
      if os.path.isdir(entry) and not os.path.islink(entry):
        shutil.rmtree(entry)
      else:
        os.remove(entry)

  def copy_resume_state(self, other):
    """Copies what a resume reads (the backup and the config it was written under) into the
    `Workdir` `other`: a non-chief worker's copy (`distribution.worker_copy`)."""
    if not os.path.isdir(self.backup_dir):
      return
    shutil.copytree(self.backup_dir, other.backup_dir,
                    ignore=shutil.ignore_patterns(".*"))  # Not a writer's temporaries.
    if os.path.exists(self._file("config.json")):
      shutil.copy(self._file("config.json"), os.path.join(other.path, "config.json"))

  def remove_stale_temporaries(self):
    """Removes temporaries a killed writer left in the folder and in backup/ (hold the lock)."""
    for folder in (self.path, self.backup_dir):
      if os.path.isdir(folder):
        atomic.remove_stale_temporaries(folder)

  def lock(self, what="training"):
    """A `WorkdirLock` on WORKDIR/.lock: enter it while writing to the workdir."""
    return WorkdirLock(self._file(".lock"), self.path, what)

  # ---- config ------------------------------------------------------------

  def write_config(self, config, data_info, model_config):
    """Writes config.json; raises WorkdirMismatchError when the workdir holds another run.

    Args:
      config: the run's ml_collections.ConfigDict.
      data_info: its `tfgen.data.DatasetInfo`.
      model_config: the built model's `get_config()`, with every default
        resolved, so a change of default between versions cannot load
        mismatched weights.
    """
    path = self._file("config.json")
    record = _jsonable({"config": config.to_dict(), "data_info": data_info.to_dict(),
                        "model_config": _model_signature(model_config)})
    if os.path.exists(path):
      previous = self._read_config_record()
      differences = [difference for section in ("data", "model", "head")
                     for difference in _differences(_section(previous, section),
                                                    _section(record, section), section)]
      if differences:
        shown = "; ".join(differences[:6]) + ("; ..." if len(differences) > 6 else "")
        raise WorkdirMismatchError(
            f"{self.path} holds a run with another config ({shown}); use a new --workdir, "
            f"the same config to resume, or --overwrite to start afresh")
      if previous["model_config"] != record["model_config"]:
        raise WorkdirMismatchError(
            f"{self.path} holds a run of this config built by another tfgen version "
            f"(its resolved model differs); use a new --workdir or --overwrite")
    atomic.write_json(path, record)

  def _read_config_record(self):
    """config.json as written; a record an older tfgen wrote raises WorkdirMismatchError."""
    path = self._file("config.json")
    try:
      record = atomic.read_json(path)
      if not isinstance(record, dict) or not isinstance(record.get("config"), dict):
        raise ValueError("no config section")
    except ValueError as error:
      raise ValueError(f"{path}: corrupt run config ({error})") from None
    for field, value in common.ADDED_FIELDS.items():  # Older runs: what was in effect.
      section, name = field.split(".")
      record["config"].setdefault(section, {}).setdefault(name, value)
    missing = sorted(set(_field_names(common.base_config().to_dict()))
                     - set(_field_names(record["config"])))
    if missing or "model_config" not in record:
      raise WorkdirMismatchError(
          f"{self.path} holds a run written by an older tfgen (its config lacks "
          f"{missing or ['model_config']}); train it again in a new --workdir")
    return record

  def read_config(self):
    """(ConfigDict, DatasetInfo) of the run; NoTrainedModelError when there is none."""
    path = self._file("config.json")
    if not os.path.isdir(self.path):
      raise NoTrainedModelError(f"{self.path}: no such workdir")
    if not os.path.exists(path):
      raise NoTrainedModelError(
          f"{self.path}: no config.json, so not a tfgen.train workdir "
          f"(train first: python -m tfgen.train --config=... --workdir={self.path})")
    record = self._read_config_record()
    try:
      info = dict(record["data_info"])
      info["shape"] = tuple(info["shape"])
      if info.get("class_names") is not None:
        info["class_names"] = tuple(info["class_names"])
      return ml_collections.ConfigDict(record["config"]), data.DatasetInfo(**info)
    except (KeyError, TypeError, ValueError) as error:
      raise ValueError(f"{path}: corrupt run config ({type(error).__name__}: {error})") from None

  def build_model(self, config=None, data_info=None):
    """The run's model, built but untrained (from config.json unless given)."""
    if config is None:
      config, data_info = self.read_config()
    model = models.build(config.model, config.head, data_info)
    model.build((None,) + tuple(data_info.shape))
    return model

  def load_model(self):
    """(model with the best weights, config, data_info); NoTrainedModelError before the first epoch."""
    config, info = self.read_config()
    weights = self.best_weights_path
    if not os.path.exists(weights):
      raise NoTrainedModelError(f"{self.path}: no trained model yet (best.weights.h5 is missing; "
                                f"it is written after the first epoch)")
    model = self.build_model(config, info)
    try:
      model.load_weights(weights)
    except (OSError, ValueError) as error:
      raise ValueError(f"{weights}: cannot load the weights ({error})") from None
    return model, config, info

  # ---- records -----------------------------------------------------------

  def _read(self, name, default=None):
    path = self._file(name)
    return atomic.read_json(path) if os.path.exists(path) else default

  def read_best(self):
    """{"epoch", "val_loss"} of the best checkpoint, or {} before the first."""
    return self._read("best.json", {})

  def read_backup_position(self):
    """(epoch, batch) of the backup training resumes from; (0, 0) when there is none."""
    position = self._backup_metadata()
    return int(position.get("epoch", 0)), int(position.get("batch", 0))

  def read_backup_step(self):
    """Training steps the backup has taken in all (0 without a backup); None for a backup an
    older tfgen wrote, which did not count them."""
    metadata = self._backup_metadata()
    if not metadata:
      return 0
    step = metadata.get("global_step")
    return None if step is None else int(step)

  def _backup_metadata(self):
    """The backup's training_metadata.json; {} when there is no backup."""
    path = self.backup_metadata_path
    return atomic.read_json(path) if os.path.exists(path) else {}

  def read_minutes(self):
    """(wall-clock, CPU) minutes spent on this workdir by all runs so far: (0, 0) at first."""
    record = self._read("minutes.json", {"minutes_total": 0.0, "cpu_minutes_total": 0.0})
    return float(record["minutes_total"]), float(record["cpu_minutes_total"])

  def write_minutes(self, minutes_total, cpu_minutes_total):
    """Writes minutes.json; returns the record."""
    record = {"minutes_total": round(minutes_total, 4),
              "cpu_minutes_total": round(cpu_minutes_total, 4)}
    atomic.write_json(self._file("minutes.json"), record)
    return record

  def read_stopped_early(self):
    """{"epoch", "num_epochs"} where early stopping ended the run, or None."""
    return self._read("stopped_early.json")

  def write_stopped_early(self, epoch, num_epochs):
    atomic.write_json(self._file("stopped_early.json"), {"epoch": epoch, "num_epochs": num_epochs})

  def read_summary(self):
    """train_summary.json, or None before a run has finished."""
    return self._read("train_summary.json")

  def write_summary(self, summary):
    atomic.write_json(self._file("train_summary.json"), summary)

  def read_warm_start(self):
    """The warm_start.json record, or None for a run that did not start from another."""
    return self._read("warm_start.json")

  def write_warm_start(self, record):
    atomic.write_json(self._file("warm_start.json"), record)

  def write_vocabulary(self, characters):
    atomic.write_json(self._file("vocabulary.json"), {"characters": characters})

  def write_text_summary(self, summary):
    atomic.write_json(self._file("text_summary.json"), summary)

  def write_digits_check(self, result):
    atomic.write_json(self._file("digits_check.json"), result)


def _field_names(config, prefix=""):
  """"section.field" names of a nested config dict."""
  for key, value in config.items():
    if isinstance(value, dict):
      yield from _field_names(value, f"{prefix}{key}.")
    else:
      yield prefix + key


def _model_signature(model_config):
  """The parts of a Keras model config that fix its weights (not its name)."""
  return {key: value for key, value in model_config.items()
          if key not in ("name", "trainable", "dtype") + COMPUTE_ONLY_MODEL_FIELDS}


def _differences(previous, current, prefix):
  """["section.field: OLD -> NEW", ...] for the fields of two config sections that differ."""
  differences = []
  for key in sorted(set(previous) | set(current)):
    old, new = previous.get(key, "(unset)"), current.get(key, "(unset)")
    if isinstance(old, dict) and isinstance(new, dict):
      differences += _differences(old, new, f"{prefix}.{key}")
    elif old != new:
      differences.append(f"{prefix}.{key}: {_shown(old)} -> {_shown(new)}")
  return differences


def _shown(value):
  return repr(tuple(value)) if isinstance(value, list) else repr(value)


def _section(record, section):
  values = dict(record["config"].get(section) or {})
  if section == "model":
    for key in COMPUTE_ONLY_MODEL_FIELDS:
      values.pop(key, None)
  return values


def _jsonable(value):
  if isinstance(value, dict):
    return {key: _jsonable(item) for key, item in value.items()}
  if isinstance(value, (list, tuple)):
    return [_jsonable(item) for item in value]
  return value
