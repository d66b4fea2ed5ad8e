"""Atomic file writes: write to a temporary file in the same folder, then rename."""

import contextlib
import errno
import glob
import json
import os
import tempfile

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path):
  """Yields a temporary path; on success it replaces `path` in one rename.

  An interrupted write leaves the old file (or none), never a partial one.
  The temporary name keeps `path`'s extension, so writers that check it work.
  """
  folder = os.path.dirname(os.path.abspath(path))
  os.makedirs(folder, exist_ok=True)
  base = os.path.basename(path)
  handle, temporary = tempfile.mkstemp(prefix=f".{base}.", suffix=f".tmp{_extension(base)}",
                                       dir=folder)
  os.close(handle)
  try:
    yield temporary
    with open(temporary, "rb+") as handle:
      os.fsync(handle.fileno())
    os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the usual mode.
    os.replace(temporary, path)
  except OSError as error:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
      raise OSError(error.errno, f"no space left on the disk to write {path} (the previous "
                    f"file, if any, is kept): free some space and rerun") from error
    raise
  finally:
    if os.path.exists(temporary):
      os.remove(temporary)


def remove_stale_temporaries(folder):
  """Deletes temporaries that a killed writer left in `folder` (not its subfolders)."""
  for stale in glob.glob(os.path.join(glob.escape(folder), ".*.tmp*")):
    os.remove(stale)


def _extension(base):
  # ".weights.h5" and ".keras" must survive for Keras' file-name checks.
  for extension in (".weights.h5", ".keras", ".png", ".json", ".csv", ".md", ".html", ".wav"):
    if base.endswith(extension):
      return extension
  return ""


def write_text(path, text):
  with atomic_path(path) as temporary:
    with open(temporary, "w", encoding="utf-8") as handle:
      handle.write(text)


def write_json(path, value):
  write_text(path, json.dumps(value, indent=2, sort_keys=True) + "\n")


def read_json(path):
  with open(path, encoding="utf-8") as handle:
    return json.load(handle)
