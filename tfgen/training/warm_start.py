"""Starts a new run from another run's latest state: its weights and optimizer slots.

A run's config may not change its model in place (`run.write_run_config` refuses),
because a workdir must rebuild the model that made its checkpoints. To continue a
run under a changed regime (dropout, say, which has no weights) the new config
trains in a new workdir that starts from the old run's backup:

  python -m tfgen.train --config=... --workdir=runs/b --warm_start_from=runs/a

The optimizer's slots (AdaGrad's accumulators, Adam's moments) and step count
come along, so the first updates take the step sizes the old run had reached; a
fresh AdaGrad would take steps of about the learning rate on every weight. The
new run's own learning rate is kept. WORKDIR/warm_start.json records the source,
its position and the minutes spent on it, so totals can include them.
"""

import os

from tfgen import models
from tfgen.training import run
from tfgen.training.optimizers import build_optimizer
from tfgen.utils import atomic

WARM_START_JSON = "warm_start.json"


def _relative_path(variable):
  """A variable's path without its model's (process-unique) name."""
  return variable.path.split("/", 1)[-1]


def _copy(targets, sources, what, match_paths=True):
  """Assigns sources to targets, after checking that they pair up (paths and shapes)."""
  if len(targets) != len(sources):
    raise ValueError(f"warm start: the source run has {len(sources)} {what} and this run "
                     f"{len(targets)}; the models must have the same weights")
  for target, source in zip(targets, sources):
    if ((match_paths and _relative_path(target) != _relative_path(source))
        or tuple(target.shape) != tuple(source.shape)):
      raise ValueError(f"warm start: {what} differ: this run's {target.path} "
                       f"{tuple(target.shape)} against the source's {source.path} "
                       f"{tuple(source.shape)}")
  for target, source in zip(targets, sources):
    target.assign(source)


def _source_state(source_workdir):
  """The source's (backup weights path, {epoch, batch}) to start from."""
  backup_dir = os.path.join(source_workdir, "backup")
  weights = os.path.join(backup_dir, "latest.weights.h5")
  metadata = os.path.join(backup_dir, "training_metadata.json")
  if not (os.path.exists(weights) and os.path.exists(metadata)):
    raise ValueError(f"warm start: {source_workdir} has no backup to start from "
                     f"({weights} is missing)")
  position = atomic.read_json(metadata)
  return weights, {"epoch": int(position["epoch"]), "batch": int(position.get("batch", 0))}


def warm_start(model, source_workdir, workdir):
  """Sets `model`'s weights and optimizer state to the latest backup of another run.

  Call it inside the distribution scope, after `model.compile`, before training.

  Args:
    model: a built, compiled Keras model with the source run's weights (its config
      may differ in fields without weights, such as dropout).
    source_workdir: the run to start from (a `tfgen.train` workdir with a backup).
    workdir: this run's folder; gets warm_start.json.

  Returns:
    The record written to WORKDIR/warm_start.json.

  Raises:
    ValueError: the source has no backup, another optimizer, or other weights.
  """
  source_workdir = os.path.normpath(source_workdir)
  if os.path.normpath(workdir) == source_workdir:
    raise ValueError(f"warm start: {workdir} cannot start from itself")
  source_config, source_info = run.read_run_config(source_workdir)
  weights, position = _source_state(source_workdir)
  source = models.build(source_config.model, source_config.head, source_info)
  source.build((None,) + tuple(source_info.shape))
  source.compile(optimizer=build_optimizer(source_config.optimizer, 1))
  if type(source.optimizer) is not type(model.optimizer):
    raise ValueError(f"warm start: the source trained with {type(source.optimizer).__name__} "
                     f"and this run uses {type(model.optimizer).__name__}; their slots differ")
  source.optimizer.build(source.trainable_variables)
  try:
    source.load_weights(weights)
  except (OSError, ValueError) as error:
    raise ValueError(f"{weights}: cannot load the source backup ({error})") from None
  _copy(model.weights, source.weights, "weights")
  if not model.optimizer.built:
    model.optimizer.build(model.trainable_variables)
  # Everything but the learning rate, which is this run's own. Slot names embed the
  # model's name; the slots follow the trainable weights, whose paths matched above.
  keep = lambda optimizer: [variable for variable in optimizer.variables
                            if variable.name != "learning_rate"]
  _copy(keep(model.optimizer), keep(source.optimizer), "optimizer variables", match_paths=False)
  del source
  minutes_path = os.path.join(source_workdir, "minutes.json")
  minutes = atomic.read_json(minutes_path) if os.path.exists(minutes_path) else {}
  record = {"source_workdir": source_workdir, "source_epoch": position["epoch"],
            "source_batch": position["batch"],
            "source_minutes_total": minutes.get("minutes_total"),
            "source_cpu_minutes_total": minutes.get("cpu_minutes_total")}
  atomic.write_json(os.path.join(workdir, WARM_START_JSON), record)
  return record
