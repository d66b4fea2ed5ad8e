"""warm_start: a new run starts from another run's backup, weights and optimizer slots."""

import os

import numpy as np
import pytest

from tfgen import models
from tfgen.training import train_lib
from tfgen.training.optimizers import build_optimizer
from tfgen.training.warm_start import warm_start
from tfgen.training.workdir import Workdir
from tests.training.test_train_lib import history, tiny_ensemble_config


def adagrad_config():
  config = tiny_ensemble_config(jit_compile=False)
  config.optimizer.name = "adagrad"
  config.optimizer.learning_rate = 0.05
  config.optimizer.schedule = "constant"
  config.training.num_epochs = 1
  return config


def compiled_model(config, workdir):
  _, info = Workdir(workdir).read_config()
  model = models.build(config.model, config.head, info)
  model.build((None,) + tuple(info.shape))
  model.compile(optimizer=build_optimizer(config.optimizer, 1))
  return model


@pytest.fixture(name="source_workdir", scope="module")
def fixture_source_workdir(tmp_path_factory):
  workdir = str(tmp_path_factory.mktemp("source"))
  train_lib.train(adagrad_config(), workdir, verbose=0)
  return workdir


def test_warm_start_copies_weights_and_slots_but_keeps_its_learning_rate(source_workdir, tmp_path):
  source_config = adagrad_config()
  source = compiled_model(source_config, source_workdir)
  source.optimizer.build(source.trainable_variables)
  source.load_weights(Workdir(source_workdir).backup_weights_path)

  config = adagrad_config()
  config.model.dropout = 0.3  # No weights: the same model to start from.
  config.optimizer.learning_rate = 0.01
  model = compiled_model(config, source_workdir)
  record = warm_start(model, source_workdir, Workdir(tmp_path))

  assert len(model.weights) == len(source.weights)
  for target, expected in zip(model.weights, source.weights):
    np.testing.assert_array_equal(np.asarray(target), np.asarray(expected), err_msg=target.path)
  accumulators = [variable for variable in model.optimizer.variables if "accumulator" in variable.path]
  source_accumulators = [variable for variable in source.optimizer.variables
                         if "accumulator" in variable.path]
  assert len(accumulators) == len(model.trainable_variables)
  for target, expected in zip(accumulators, source_accumulators):
    np.testing.assert_array_equal(np.asarray(target), np.asarray(expected))
  # Trained accumulators, not AdaGrad's start of 1e-6 (masked-out weights keep it).
  assert float(np.max(np.asarray(accumulators[0]))) > 1e-5
  assert int(model.optimizer.iterations) == int(source.optimizer.iterations) == 3
  np.testing.assert_allclose(float(model.optimizer.learning_rate), 0.01)
  assert record["source_epoch"] == 1 and record["source_workdir"] == os.path.normpath(source_workdir)
  assert Workdir(tmp_path).read_warm_start() == record


def test_warm_start_refuses_other_weights_another_optimizer_and_no_backup(source_workdir, tmp_path):
  config = adagrad_config()
  config.model.hidden_units = (16, 32)
  with pytest.raises(ValueError, match=r"differs from the source's in \['hidden_units'\]"):
    warm_start(compiled_model(config, source_workdir), source_workdir, Workdir(tmp_path))
  config = adagrad_config()
  config.model.seed = 7  # Same shapes, other masks: the weights would mean something else.
  with pytest.raises(ValueError, match=r"in \['seed'\]"):
    warm_start(compiled_model(config, source_workdir), source_workdir, Workdir(tmp_path))
  config = adagrad_config()
  config.optimizer.schedule = "cosine"
  with pytest.raises(ValueError, match="needs a constant learning rate"):
    warm_start(compiled_model(config, source_workdir), source_workdir, Workdir(tmp_path))
  config = adagrad_config()
  config.optimizer.name = "adam"
  with pytest.raises(ValueError, match="FusedAdagrad.*Adam"):
    warm_start(compiled_model(config, source_workdir), source_workdir, Workdir(tmp_path))
  empty = tmp_path / "empty"
  empty.mkdir()
  with pytest.raises(ValueError, match="no such workdir|no config.json"):
    warm_start(compiled_model(adagrad_config(), source_workdir), str(empty), Workdir(tmp_path))
  with pytest.raises(ValueError, match="cannot start from itself"):
    warm_start(compiled_model(adagrad_config(), source_workdir), source_workdir, Workdir(source_workdir))
  assert Workdir(tmp_path).read_warm_start() is None


def test_a_warm_started_run_continues_and_then_resumes_from_its_own_backup(source_workdir, tmp_path,
                                                                          monkeypatch):
  workdir = str(tmp_path / "fork")
  config = adagrad_config()
  config.model.dropout = 0.2
  summary = train_lib.train(config, workdir, verbose=0, warm_start_from=source_workdir)
  assert summary["warm_start"]["source_epoch"] == 1
  fresh = str(tmp_path / "fresh")
  train_lib.train(config, fresh, verbose=0)
  # One more epoch from trained weights and slots fits better than a first epoch.
  assert history(workdir)[0, 1] < history(fresh)[0, 1]
  assert Workdir(workdir).read_backup_position()[0] == 1

  after_one_epoch = compiled_model(config, workdir)
  after_one_epoch.optimizer.build(after_one_epoch.trainable_variables)
  after_one_epoch.load_weights(Workdir(workdir).backup_weights_path)
  assert int(after_one_epoch.optimizer.iterations) == 6  # Source's 3, then this run's 3.

  # A rerun with more epochs resumes this run's own backup, not the source's again.
  def no_second_warm_start(*args):
    raise AssertionError(f"warm started again: {args}")

  monkeypatch.setattr(train_lib, "warm_start", no_second_warm_start)
  config.training.num_epochs = 2
  summary = train_lib.train(config, workdir, verbose=0, warm_start_from=source_workdir)
  assert summary["resumed_from_epoch"] == 1
  assert len(history(workdir)) == 2
  with pytest.raises(ValueError, match="was warm-started from .*, not "):
    train_lib.train(config, workdir, verbose=0, warm_start_from=fresh)


def test_a_fresh_rerun_without_the_flag_is_refused(source_workdir, tmp_path):
  Workdir(tmp_path).write_warm_start({"source_workdir": source_workdir})
  with pytest.raises(ValueError, match="pass --warm_start_from="):
    train_lib.train(adagrad_config(), str(tmp_path), verbose=0)
