"""Runs many command lines of the tfgen binaries in one process, as a shell would run them.

  python -m tests.cli_runner < commands.json > results.json

Each command is [module, arg, ...], run as `python -m module arg ...` runs it. The
flags a module defines are deleted before the next command (two binaries define
--workdir), so one process with one TensorFlow start serves every binary. For
each command: its exit code, its stderr and whether a Python traceback came out.
"""

import contextlib
import io
import json
import os
import runpy
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app  # noqa: F401  pylint: disable=unused-import,wrong-import-position  (its flags)
from absl import flags  # pylint: disable=wrong-import-position
from absl import logging  # noqa: F401  pylint: disable=unused-import,wrong-import-position  (its flags)

import tfgen.binary  # noqa: F401  pylint: disable=unused-import,wrong-import-position  (quiets TF)


def run(module_name, args, absl_flags):
  """{"exit_code", "stderr", "stdout", "traceback"} of `python -m module_name args`.

  The module runs as __main__ (runpy), as `python -m` runs it; the flags that
  the previous command's module defined are deleted first.
  """
  for name in set(flags.FLAGS) - absl_flags:
    delattr(flags.FLAGS, name)
  stderr, stdout = io.StringIO(), io.StringIO()
  exit_code, had_traceback = 0, False
  sys.argv = [module_name, *args]
  with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
    try:
      runpy.run_module(module_name, run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
      if isinstance(exit_.code, str):  # sys.exit("message"): Python prints it, exit code 1.
        print(exit_.code, file=sys.stderr)
        exit_code = 1
      else:
        exit_code = int(exit_.code or 0)
    except Exception:  # pylint: disable=broad-except
      traceback.print_exc()
      exit_code, had_traceback = 1, True
  text = stderr.getvalue()
  return {"exit_code": exit_code, "stderr": text, "stdout": stdout.getvalue(),
          "traceback": had_traceback or "Traceback (most recent call last)" in text}


def run_commands(commands, env=None, timeout=400):
  """Results of `commands` ([[module, arg, ...], ...]) run in order in one new process."""
  import subprocess  # pylint: disable=import-outside-toplevel
  repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
  process = subprocess.run([sys.executable, "-m", "tests.cli_runner"], cwd=repo,
                           input=json.dumps(commands), capture_output=True, text=True,
                           timeout=timeout, env=env or dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"),
                           check=False)
  if process.returncode != 0:
    raise AssertionError(f"tests.cli_runner failed:\n{process.stderr[-3000:]}")
  return json.loads(process.stdout.strip().splitlines()[-1])


def main():
  commands = json.load(sys.stdin)
  absl_flags = set(flags.FLAGS)  # absl's own, which every binary keeps.
  results = [run(command[0], command[1:], absl_flags) for command in commands]
  sys.__stdout__.write(json.dumps(results) + "\n")


if __name__ == "__main__":
  main()
