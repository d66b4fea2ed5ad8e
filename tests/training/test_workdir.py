"""Workdir: the one owner of a run folder's paths, records and typed errors."""

import errno
import json
import os
import pathlib
import re
import shutil

import pytest

from tfgen import data
from tfgen.configs import made_digits
from tfgen.training import workdir as workdir_lib
from tfgen.training.workdir import NoTrainedModelError, Workdir, WorkdirMismatchError
from tfgen.utils import atomic

REPO = pathlib.Path(__file__).resolve().parents[2]


def tiny_config():
  config = made_digits.get_config()
  config.model.hidden_units = (8,)
  return config


def digits_info():
  return data.load("digits", "train")[1]


def test_typed_errors_say_what_is_missing(tmp_path):
  with pytest.raises(NoTrainedModelError, match="no such workdir"):
    Workdir(tmp_path / "nothing").load_model()
  with pytest.raises(NoTrainedModelError, match="no config.json, so not a tfgen.train workdir"):
    Workdir(tmp_path).read_config()
  workdir = Workdir(tmp_path)
  config, info = tiny_config(), digits_info()
  workdir.write_config(config, info, workdir.build_model(config, info).get_config())
  with pytest.raises(NoTrainedModelError, match="no trained model yet"):
    workdir.load_model()
  (tmp_path / "config.json").write_text("{not json")
  with pytest.raises(ValueError, match="corrupt run config"):
    workdir.read_config()


def test_another_config_is_a_mismatch(tmp_path):
  workdir, info = Workdir(tmp_path), digits_info()
  config = tiny_config()
  model_config = workdir.build_model(config, info).get_config()
  workdir.write_config(config, info, model_config)
  workdir.write_config(config, info, model_config)  # The same run again: fine.
  read, read_info = workdir.read_config()
  assert list(read.model.hidden_units) == [8] and read_info == info
  other = tiny_config()
  other.model.hidden_units = (16,)
  other.data.batch_size = 7
  with pytest.raises(WorkdirMismatchError, match=r"another config \(data.batch_size: 32 -> 7; "
                     r"model.hidden_units: \(8,\) -> \(16,\)\); .* or --overwrite"):
    workdir.write_config(other, info, model_config)
  changed_default = dict(model_config, activation="tanh")  # As if a default had changed.
  with pytest.raises(WorkdirMismatchError, match="built by another tfgen version"):
    workdir.write_config(config, info, changed_default)


def test_a_workdir_from_an_older_tfgen_is_named_as_such(tmp_path):
  workdir, info = Workdir(tmp_path), digits_info()
  config = tiny_config()
  workdir.write_config(config, info, workdir.build_model(config, info).get_config())
  record = json.loads((tmp_path / "config.json").read_text())
  del record["config"]["data"]["sequence_length"]  # A field older versions did not write.
  (tmp_path / "config.json").write_text(json.dumps(record))
  with pytest.raises(WorkdirMismatchError, match=r"older tfgen .*\['data.sequence_length'\]"):
    workdir.read_config()
  with pytest.raises(WorkdirMismatchError, match="older tfgen"):
    workdir.write_config(config, info, {})


def test_records_round_trip_and_start_empty(tmp_path):
  workdir = Workdir(tmp_path / "run")
  assert workdir.read_minutes() == (0.0, 0.0)
  assert workdir.read_backup_position() == (0, 0)
  assert workdir.read_best() == {} and workdir.read_summary() is None
  assert workdir.read_stopped_early() is None and workdir.read_warm_start() is None
  workdir.create()
  assert workdir.write_minutes(1.23456, 2.5) == {"minutes_total": 1.2346, "cpu_minutes_total": 2.5}
  assert workdir.read_minutes() == (1.2346, 2.5)
  workdir.write_stopped_early(4, 10)
  assert workdir.read_stopped_early() == {"epoch": 4, "num_epochs": 10}
  workdir.write_summary({"best_epoch": 3})
  assert workdir.read_summary() == {"best_epoch": 3}
  assert workdir.picture_path("samples") == str(tmp_path / "run" / "samples.png")


# A run folder's file names; only workdir.py may spell them.
RUN_FILES = ("config.json", "best.weights.h5", "best.json", "latest.weights.h5",
             "training_metadata.json", "history.csv", "training_curves.png", "minutes.json",
             "train_summary.json", "stopped_early.json", "warm_start.json", "vocabulary.json",
             "text_summary.json", '".lock"', '"backup"', '"logs"')


def test_no_module_but_workdir_spells_a_run_file_name():
  offenders = []
  for folder in ("tfgen", "apps", "demo", "bench", "export"):
    for path in sorted((REPO / folder).rglob("*.py")):
      if path == pathlib.Path(workdir_lib.__file__).resolve():
        continue
      text = path.read_text(encoding="utf-8")
      for name in RUN_FILES:
        literal = name if name.startswith('"') else re.escape(name)
        if re.search(literal if name.startswith('"') else rf"[\"'/]{literal}[\"']", text):
          offenders.append(f"{path.relative_to(REPO)}: {name}")
  assert not offenders, offenders


def test_clear_deletes_a_run_but_refuses_a_folder_that_is_not_one(tmp_path):
  workdir, info = Workdir(tmp_path / "run"), digits_info()
  workdir.create()
  config = tiny_config()
  workdir.write_config(config, info, workdir.build_model(config, info).get_config())
  os.makedirs(workdir.backup_dir)
  workdir.write_minutes(1.0, 1.0)
  workdir.create(overwrite=True)
  assert set(os.listdir(workdir.path)) <= {".lock"}
  other = tmp_path / "photos"
  other.mkdir()
  (other / "holiday.jpg").write_bytes(b"not a run")
  with pytest.raises(ValueError, match=r"not a tfgen workdir \(no config.json\), so --overwrite "
                     r"will not delete its 1 entries"):
    Workdir(other).create(overwrite=True)
  assert (other / "holiday.jpg").exists()


def test_a_full_disk_is_named_at_the_start_before_any_training(tmp_path, monkeypatch):
  from tfgen.training import train_lib  # pylint: disable=import-outside-toplevel
  usage = shutil.disk_usage(tmp_path)
  monkeypatch.setattr(workdir_lib.shutil, "disk_usage",
                      lambda path: usage._replace(free=3 * 2**20))
  with pytest.raises(OSError, match=r"has 3.0 MB free and this run needs about \d+\.\d MB"):
    train_lib.train(tiny_config(), str(tmp_path / "run"), verbose=0)
  assert not (tmp_path / "run" / "history.csv").exists()


def test_an_unwritable_or_impossible_workdir_is_named(tmp_path, monkeypatch):
  blocker = tmp_path / "a_file"
  blocker.write_text("")
  with pytest.raises(OSError, match=r"cannot create the workdir .*a_file/run: Not a directory"):
    Workdir(blocker / "run").create()

  def refuse(path, text):
    raise PermissionError(13, "Permission denied")

  monkeypatch.setattr(workdir_lib.atomic, "write_text", refuse)  # Root ignores chmod.
  with pytest.raises(OSError, match=r"cannot write to the workdir .*: Permission denied"):
    Workdir(tmp_path).check_disk(0)


def test_a_write_that_runs_out_of_space_keeps_the_previous_file(tmp_path):
  path = tmp_path / "record.json"
  atomic.write_json(path, {"epoch": 1})
  with pytest.raises(OSError, match="no space left on the disk to write .*record.json"):
    with atomic.atomic_path(path):
      raise OSError(errno.ENOSPC, "No space left on device")
  assert atomic.read_json(path) == {"epoch": 1} and os.listdir(tmp_path) == ["record.json"]
