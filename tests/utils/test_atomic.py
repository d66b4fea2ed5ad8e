import pytest

from tfgen.utils import atomic


def test_failed_write_keeps_the_old_file(tmp_path):
  path = tmp_path / "state.json"
  atomic.write_json(str(path), {"epoch": 1})
  with pytest.raises(RuntimeError):
    with atomic.atomic_path(str(path)) as temporary:
      with open(temporary, "w", encoding="utf-8") as handle:
        handle.write('{"epoch": ')
      raise RuntimeError("killed mid-write")
  assert atomic.read_json(str(path)) == {"epoch": 1}
  assert [entry.name for entry in tmp_path.iterdir()] == ["state.json"]


def test_temporary_keeps_the_extension(tmp_path):
  with atomic.atomic_path(str(tmp_path / "best.weights.h5")) as temporary:
    assert temporary.endswith(".weights.h5")
    open(temporary, "w").close()
  assert (tmp_path / "best.weights.h5").exists()


def test_written_files_get_the_usual_mode_and_stale_temporaries_go(tmp_path):
  import os  # pylint: disable=import-outside-toplevel
  path = tmp_path / "report.md"
  atomic.write_text(str(path), "hello")
  umask = os.umask(0)
  os.umask(umask)
  assert (path.stat().st_mode & 0o777) == (0o666 & ~umask)
  (tmp_path / ".latest.weights.h5.abc.tmp.weights.h5").write_bytes(b"partial")
  atomic.remove_stale_temporaries(str(tmp_path))
  assert sorted(entry.name for entry in tmp_path.iterdir()) == ["report.md"]


def test_training_history_skips_a_torn_row(tmp_path):
  from tfgen.utils import plots  # pylint: disable=import-outside-toplevel
  path = tmp_path / "history.csv"
  path.write_text("epoch,loss,val_loss\n0,3.0,3.5\n1,2.0,2.5\n2,1.")
  assert plots.read_history(str(path)) == {"epoch": [0.0, 1.0], "loss": [3.0, 2.0],
                                           "val_loss": [3.5, 2.5]}
