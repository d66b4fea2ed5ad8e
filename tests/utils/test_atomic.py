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
