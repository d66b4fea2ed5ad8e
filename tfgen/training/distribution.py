"""tf.distribute strategies by name, and which process of a cluster writes the workdir.

  default       one device
  mirrored      all local devices (GPUs, or logical CPUs), one process
  multi_worker  MultiWorkerMirroredStrategy over the machines TF_CONFIG lists
  tpu           TPUStrategy on the TPU that TPU_NAME names (empty on a TPU VM)

Reference: the TensorFlow guide "Multi-worker training with Keras".
"""

import contextlib
import json
import os
import shutil
import tempfile

import tensorflow as tf

from tfgen.training.workdir import Workdir

STRATEGIES = ("default", "mirrored", "multi_worker", "tpu")


_CREATED = {}  # name -> the process's strategy of that name: one each, as TF wants.


def strategy_for(name):
  """The tf.distribute strategy called `name` (one of STRATEGIES), made once a process.

  Create it before any other TensorFlow work in the process: a multi-worker
  strategy sets up the collective runtime, which must come first. An app that
  loads data before `train_lib.train` asks for it first (`process_workdir`).
  """
  if name == "default":
    return tf.distribute.get_strategy()
  if name not in _CREATED:
    _CREATED[name] = _new_strategy(name)
  return _CREATED[name]


def requested(overrides):
  """The strategy name a dict of config overrides asks for ("default" when none)."""
  return str((overrides or {}).get("training.distribution", "default"))


def _new_strategy(name):
  if name == "mirrored":
    return tf.distribute.MirroredStrategy()
  if name == "multi_worker":
    check_tf_config(os.environ.get("TF_CONFIG"))
    return tf.distribute.MultiWorkerMirroredStrategy()
  if name == "tpu":
    return _tpu_strategy(os.environ.get("TPU_NAME", ""))
  raise ValueError(f"unknown training.distribution {name!r}; use one of {', '.join(STRATEGIES)}")


def check_tf_config(text):
  """Raises a ValueError naming what is wrong with a TF_CONFIG for multi_worker training."""
  example = ('e.g. TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
             '"task": {"type": "worker", "index": 0}}\'')
  if not text:
    raise ValueError(f"training.distribution=multi_worker needs TF_CONFIG set on every worker, "
                     f"{example}")
  try:
    config = json.loads(text)
  except json.JSONDecodeError as error:
    raise ValueError(f"TF_CONFIG is not JSON ({error}); {example}") from None
  if not isinstance(config, dict):
    raise ValueError(f"TF_CONFIG must be a JSON object; {example}")
  cluster, task = config.get("cluster"), config.get("task")
  if not isinstance(cluster, dict) or not cluster.get("worker") and not cluster.get("chief"):
    raise ValueError(f"TF_CONFIG has no cluster with workers; {example}")
  if not isinstance(task, dict) or task.get("type") not in cluster:
    raise ValueError(f"TF_CONFIG's task must name a job of its cluster "
                     f"({sorted(cluster)}); {example}")
  index = task.get("index")
  if not isinstance(index, int) or not 0 <= index < len(cluster[task["type"]]):
    raise ValueError(f"TF_CONFIG's task index {index!r} is not one of the "
                     f"{len(cluster[task['type']])} {task['type']} addresses")


def _tpu_strategy(tpu_name):
  try:
    resolver = tf.distribute.cluster_resolver.TPUClusterResolver(tpu=tpu_name)
    tf.config.experimental_connect_to_cluster(resolver)
    tf.tpu.experimental.initialize_tpu_system(resolver)
  except (ValueError, RuntimeError, tf.errors.OpError) as error:
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    raise ValueError(f"training.distribution=tpu: no TPU reachable (TPU_NAME={tpu_name!r}: "
                     f"{first_line}); use a TPU VM or set TPU_NAME") from None
  return tf.distribute.TPUStrategy(resolver)


def is_chief(strategy):
  """True for the process that writes the workdir: the only one, or the chief of a cluster.

  The chief is task "chief", or "worker" 0 when the cluster has no "chief" job.
  """
  resolver = getattr(strategy, "cluster_resolver", None)
  if resolver is None or isinstance(resolver,
                                    tf.distribute.cluster_resolver.TPUClusterResolver):
    return True
  jobs = resolver.cluster_spec().as_dict()
  if not jobs or resolver.task_type is None:
    return True
  if resolver.task_type == "chief":
    return True
  return resolver.task_type == "worker" and resolver.task_id == 0 and "chief" not in jobs


class _WorkerCopy(Workdir):
  """A non-chief worker's temporary workdir (`worker_copy`)."""


def worker_copy(workdir, with_backup=True):
  """A `Workdir` in a temporary folder for a non-chief worker, with the chief's backup copied.

  Each worker runs the same callbacks as the chief (the guide's rule: every
  worker saves, only the chief's copy is kept), writing here instead; it
  resumes from the chief's latest backup. Delete the folder when training ends.

  Args:
    workdir: the chief's `Workdir`.
    with_backup: False when the run starts afresh (--overwrite): the chief
      deletes its backup, so the worker must not resume from it.
  """
  copy = _WorkerCopy(tempfile.mkdtemp(prefix="tfgen_worker_"))
  if with_backup:
    workdir.copy_resume_state(copy)
  return copy


def is_worker_copy(workdir):
  """True for a folder `worker_copy` made (train in it as it is)."""
  return isinstance(workdir, _WorkerCopy)


@contextlib.contextmanager
def process_workdir(workdir, name, overwrite=False):
  """The `Workdir` this process writes while training under the strategy `name`.

  The chief (or the only process) gets `workdir` itself; another worker of a
  multi-worker cluster gets a `worker_copy`, deleted on exit. An app writes its
  own files (a vocabulary, statistics, pictures) there and trains in it, so that
  only the chief writes the workdir. Makes the strategy first (`strategy_for`).

  Args:
    workdir: the run folder, a path or a `Workdir`.
    name: a strategy name (STRATEGIES).
    overwrite: the run starts afresh: a worker copies no backup.
  """
  strategy = strategy_for(name)
  workdir = workdir if isinstance(workdir, Workdir) else Workdir(workdir)
  if is_chief(strategy):
    yield workdir
    return
  copy = worker_copy(workdir, with_backup=not overwrite)
  try:
    yield copy
  finally:
    shutil.rmtree(copy.path, ignore_errors=True)
