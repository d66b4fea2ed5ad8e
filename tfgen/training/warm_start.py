"""Starts a new run from another run's latest state: its weights and optimizer slots.

A run's config may not change its model in place (`Workdir.write_config` refuses),
because a workdir must rebuild the model that made its checkpoints. To continue a
run under a changed regime (dropout, say, which has no weights) the new config
trains in a new workdir that starts from the old run's backup:

  python -m tfgen.train --config=... --workdir=runs/b --warm_start_from=runs/a

The optimizer's slots (AdaGrad's accumulators, Adam's moments) and step count
come along, so the first updates take the step sizes the old run had reached; a
fresh AdaGrad would take steps of about the learning rate on every weight. The
new run's own learning rate is kept. The workdir's warm_start.json records the
source, its position and the minutes spent on it, so totals can include them.
"""

import os

from tfgen.training.optimizers import build_optimizer
from tfgen.training.workdir import COMPUTE_ONLY_MODEL_FIELDS
from tfgen.training.workdir import Workdir

# Model fields that a warm-started run may change: they have no weights and do not
# change what the weights mean (unlike, say, MADE's seed, which picks its masks).
FREE_MODEL_FIELDS = ("name", "trainable", "dtype", "dropout") + COMPUTE_ONLY_MODEL_FIELDS


def _fixed_fields(model_config):
  return {key: value for key, value in model_config.items() if key not in FREE_MODEL_FIELDS}


def _check_same_model(model, source):
  """Refuses a model that differs from the source in more than FREE_MODEL_FIELDS."""
  mine, theirs = _fixed_fields(model.get_config()), _fixed_fields(source.get_config())
  differing = sorted(key for key in set(mine) | set(theirs) if mine.get(key) != theirs.get(key))
  if differing:
    raise ValueError(f"warm start: this model differs from the source's in {differing}; only "
                     f"{list(FREE_MODEL_FIELDS[3:])} may change")


def _copy(targets, sources, what):
  """Assigns sources to targets, after checking that they pair up (order and shapes).

  Paths are not compared: Keras numbers unnamed layers per process.
  """
  if len(targets) != len(sources):
    raise ValueError(f"warm start: the source run has {len(sources)} {what} and this run "
                     f"{len(targets)}; the models must have the same weights")
  for target, source in zip(targets, sources):
    if tuple(target.shape) != tuple(source.shape):
      raise ValueError(f"warm start: {what} differ: this run's {target.path} "
                       f"{tuple(target.shape)} against the source's {source.path} "
                       f"{tuple(source.shape)}")
  for target, source in zip(targets, sources):
    target.assign(source)


def source_position(source_workdir):
  """{epoch, batch} of the source backup a warm start would start from."""
  return _source_state(Workdir(source_workdir))[1]


def check_warm_start_flag(workdir, warm_start_from, resumed):
  """Refuses a rerun whose --warm_start_from disagrees with the workdir's warm-start record.

  A fresh rerun without the flag would silently train from scratch, and one with
  another source would mix two runs' records.

  Args:
    workdir: this run's `Workdir`.
    warm_start_from: the flag's value (a path or None).
    resumed: whether this run resumes from a backup of its own.
  """
  record = workdir.read_warm_start()
  if record is None:
    return
  recorded = record["source_workdir"]
  if warm_start_from is None and not resumed:
    raise ValueError(f"{workdir.path} was warm-started from {recorded}; pass "
                     f"--warm_start_from={recorded} or use a new --workdir")
  if warm_start_from is not None and (os.path.realpath(warm_start_from)
                                      != os.path.realpath(recorded)):
    raise ValueError(f"{workdir.path} was warm-started from {recorded}, not {warm_start_from}; "
                     f"use a new --workdir")


def _state_of(optimizer):
  """An optimizer's variables but its learning rate: step count, then slots in weight order."""
  return [variable for variable in optimizer.variables if variable.name != "learning_rate"]


def _source_state(source):
  """The source `Workdir`'s (backup weights path, {epoch, batch}) to start from."""
  weights = source.backup_weights_path
  if not (os.path.exists(weights) and os.path.exists(source.backup_metadata_path)):
    raise ValueError(f"warm start: {source.path} has no backup to start from "
                     f"({weights} is missing)")
  epoch, batch = source.read_backup_position()
  return weights, {"epoch": epoch, "batch": batch}


def warm_start(model, source_workdir, workdir):
  """Sets `model`'s weights and optimizer state to the latest backup of another run.

  Call it inside the distribution scope, after `model.compile`, before training.

  Args:
    model: a built, compiled Keras model with the source run's weights (its config
      may differ in fields without weights, such as dropout).
    source_workdir: the run to start from (a `tfgen.train` workdir with a backup).
    workdir: this run's folder (a path or a `Workdir`); records the source.

  Returns:
    The record written.

  Raises:
    ValueError: the source has no backup, another optimizer, or other weights.
  """
  workdir = workdir if isinstance(workdir, Workdir) else Workdir(workdir)
  source_workdir = os.path.normpath(source_workdir)
  if os.path.realpath(workdir.path) == os.path.realpath(source_workdir):
    raise ValueError(f"warm start: {workdir.path} cannot start from itself")
  # A schedule serializes as a dict, a constant rate as a number.
  if isinstance(model.optimizer.get_config()["learning_rate"], dict):
    # The copied step count would start the schedule where the source stopped.
    raise ValueError("warm start: needs a constant learning rate (optimizer.schedule="
                     "'constant'); a schedule would continue from the source's step count")
  source_dir = Workdir(source_workdir)
  source_config, source_info = source_dir.read_config()
  if model.num_optimizers != 1:
    raise ValueError(f"warm start copies one optimizer's state; {type(model).__name__} has "
                     f"{model.num_optimizers}: resume the run itself instead")
  weights, position = _source_state(source_dir)
  source = source_dir.build_model(source_config, source_info)
  source.compile(optimizer=build_optimizer(source_config.optimizer, 1))
  if type(source.optimizer) is not type(model.optimizer):
    raise ValueError(f"warm start: the source trained with {type(source.optimizer).__name__} "
                     f"and this run uses {type(model.optimizer).__name__}; their slots differ")
  source.optimizer.build(source.trainable_variables)
  try:
    source.load_weights(weights)
  except (OSError, ValueError) as error:
    raise ValueError(f"{weights}: cannot load the source backup ({error})") from None
  _check_same_model(model, source)
  _copy(model.weights, source.weights, "weights")
  if not model.optimizer.built:
    model.optimizer.build(model.trainable_variables)
  # Everything but the learning rate, which is this run's own.
  _copy(_state_of(model.optimizer), _state_of(source.optimizer), "optimizer variables")
  if int(source.optimizer.iterations) == 0:  # Keras loads mismatched slots with a warning only.
    raise ValueError(f"{weights}: the source backup holds no optimizer state")
  del source
  minutes, cpu_minutes = source_dir.read_minutes()
  record = {"source_workdir": source_workdir, "source_epoch": position["epoch"],
            "source_batch": position["batch"], "source_minutes_total": minutes,
            "source_cpu_minutes_total": cpu_minutes}
  workdir.write_warm_start(record)
  return record
