"""Finds this machine's absolute paths in files that a run or an export wrote."""

import os
import sys

from tests.conftest import REPO


def machine_paths_in(folders, allowed):
  """["FILE: PATH", ...] for each file below `folders` holding the repo's, Python's or the home
  folder's absolute path, once the paths in `allowed` (those the user passed) are removed."""
  home = os.path.expanduser("~")
  forbidden = {str(REPO), sys.prefix, os.path.realpath(sys.prefix)}
  if home not in ("/", ""):
    forbidden.add(home)
  found = []
  for folder in folders:
    for root, _, names in os.walk(folder):
      for name in names:
        path = os.path.join(root, name)
        with open(path, "rb") as handle:
          content = handle.read()
        for allowed_path in allowed:
          content = content.replace(os.fsencode(allowed_path), b"")
        found += [f"{path}: {bad}" for bad in sorted(forbidden) if os.fsencode(bad) in content]
  return found
