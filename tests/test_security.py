"""No pickles, .keras files in safe mode, and folder loaders that stay inside their folder."""

import os
import pathlib
import re

import pytest

from apps.style_transfer import image_domains
from tests.conftest import REPO
from tfgen.data import DataError
from tfgen.data import audio_sources
from tfgen.utils import folder_files

SOURCES = ("tfgen", "apps", "export", "demo", "bench")
# Each pattern loads code with the data, or allows it.
UNSAFE = {
    r"\bimport (cPickle|pickle|dill|cloudpickle|shelve|marshal)\b": "a pickle module",
    r"\bfrom (pickle|dill|cloudpickle) import\b": "a pickle module",
    r"allow_pickle\s*=\s*True": "np.load with pickles",
    r"safe_mode\s*=\s*False": "a .keras load outside safe mode",
    r"joblib\.load|torch\.load|pd\.read_pickle|\.read_pickle\(": "a pickle loader",
    r"\byaml\.load\(|\bunsafe_load\(": "YAML that builds objects",
    r"\beval\(|\bexec\(": "eval of text",
}


def source_files():
  for folder in SOURCES:
    yield from sorted((REPO / folder).rglob("*.py"))


def unsafe_uses(text):
  """What in `text` loads pickles or other code-bearing data."""
  found = [what for pattern, what in UNSAFE.items() for _ in re.finditer(pattern, text)]
  # Every np.load says allow_pickle=False (NumPy's default, said so it stays so).
  for call in re.finditer(r"np\.load\(([^()]*(\([^()]*\))?)*\)", text):
    if "allow_pickle=False" not in call.group(0):
      found.append(f"{call.group(0)} without allow_pickle=False")
  return found


def test_no_source_loads_pickles_or_unsafe_files():
  found = [f"{path.relative_to(REPO)}: {use}" for path in source_files()
           for use in unsafe_uses(path.read_text(encoding="utf-8"))]
  assert not found, found


def test_the_check_finds_planted_uses():
  planted = ("import pickle\nx = np.load(os.path.join(a, b))\n"
             "y = np.load(path, allow_pickle=False)\nmodel = load(p, safe_mode=False)\n")
  assert unsafe_uses(planted) == ["a pickle module", "a .keras load outside safe mode",
                                  "np.load(os.path.join(a, b)) without allow_pickle=False"]


def test_keras_files_load_in_safe_mode():
  for path in source_files():
    for call in re.finditer(r"load_model\([^)]*\)", path.read_text(encoding="utf-8")):
      assert "safe_mode" not in call.group(0) or "safe_mode=True" in call.group(0), (path, call)


@pytest.fixture
def folder_with_links(tmp_path):
  """photos/ with a.png, sub/b.png, a link inside (c.png -> a.png) and two leading out."""
  outside = tmp_path / "outside"
  (outside / "private").mkdir(parents=True)
  (outside / "secret.png").write_bytes(b"x")
  (outside / "private" / "d.png").write_bytes(b"x")
  photos = tmp_path / "photos"
  (photos / "sub").mkdir(parents=True)
  (photos / "a.png").write_bytes(b"x")
  (photos / "sub" / "b.png").write_bytes(b"x")
  os.symlink(photos / "a.png", photos / "c.png")
  os.symlink(outside / "secret.png", photos / "secret.png")
  os.symlink(outside / "private", photos / "private")
  return photos


def test_links_out_of_a_folder_are_skipped_and_counted(folder_with_links):
  files, num_skipped = folder_files.files_below(str(folder_with_links), (".png",))
  names = [pathlib.Path(path).relative_to(folder_with_links).as_posix() for path in files]
  assert names == ["a.png", "c.png", "sub/b.png"] and num_skipped == 2
  flat, _ = folder_files.files_below(str(folder_with_links), (".png",), recursive=False)
  assert [pathlib.Path(path).name for path in flat] == ["a.png", "c.png"]
  assert folder_files.subfolders(str(folder_with_links)) == ["sub"]


def test_a_folder_of_only_outside_links_is_refused_with_the_count(tmp_path, folder_with_links):
  only_links = tmp_path / "only_links"
  only_links.mkdir()
  os.symlink(folder_with_links / "a.png", only_links / "a.png")
  with pytest.raises(DataError, match=r"no images .* \(1 links leading out of it skipped\)"):
    image_domains.image_files(str(only_links))
  wavs = tmp_path / "wavs"
  wavs.mkdir()
  (tmp_path / "tone.wav").write_bytes(b"RIFF")
  os.symlink(tmp_path / "tone.wav", wavs / "tone.wav")
  with pytest.raises(DataError, match=r"no \.wav files \(1 links leading out of it skipped\)"):
    audio_sources.wav_folder(str(wavs))
