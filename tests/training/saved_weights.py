"""The weights of a run as one of its checkpoints holds them."""

from tfgen.training.workdir import Workdir


def saved_weights(workdir, path=None):
  """[arrays] of the model of `workdir` loaded from `path` (default: its backup)."""
  run = Workdir(workdir)
  model = run.build_model()
  model.load_weights(str(path or run.backup_weights_path))
  return model.get_weights()
