"""The files of a folder that a loader reads: never through a link that leads out of it."""

import os


def files_below(folder, suffixes, recursive=True):
  """(sorted paths of the files below `folder` ending in one of `suffixes`, links skipped).

  Symbolic links are followed only while they stay inside `folder`: a link to
  a file or folder elsewhere (`photos/x.png -> /etc/...`) is skipped and
  counted, so a folder someone else prepared cannot make a loader read outside
  it. Suffixes are compared case-insensitively.

  Args:
    folder: the folder the user gave.
    suffixes: tuple of lower-case endings, e.g. (".png", ".jpg").
    recursive: also the files in subfolders.
  Returns:
    (files, num_links_skipped).
  """
  root = os.path.realpath(folder)
  files, num_skipped = [], 0
  for current, subfolders, names in os.walk(folder, followlinks=True):
    kept = []
    for name in sorted(subfolders):
      if _inside(os.path.join(current, name), root):
        kept.append(name)
      else:
        num_skipped += 1
    subfolders[:] = kept if recursive else []
    for name in names:
      if not name.lower().endswith(suffixes):
        continue
      path = os.path.join(current, name)
      if _inside(path, root):
        files.append(path)
      else:
        num_skipped += 1
  return sorted(files), num_skipped


def skipped_note(num_skipped):
  """" (N links leading out of it skipped)" for a loader's "no files" error, or ""."""
  return f" ({num_skipped} links leading out of it skipped)" if num_skipped else ""


def _inside(path, root):
  real = os.path.realpath(path)
  return real == root or real.startswith(root + os.sep)


def subfolders(folder):
  """Sorted names of the folders directly in `folder`, but not links that lead out of it."""
  root = os.path.realpath(folder)
  return sorted(name for name in os.listdir(folder)
                if os.path.isdir(os.path.join(folder, name))
                and _inside(os.path.join(folder, name), root))
