"""WorkdirLock: one process at a time trains into a workdir; kill -9 frees it."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tfgen.training.workdir import Workdir


def test_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path):
  with Workdir(tmp_path).lock():
    with pytest.raises(ValueError, match=rf"in use by another process \(pid {os.getpid()}\)"):
      with Workdir(tmp_path).lock():
        pass
  with Workdir(tmp_path).lock():  # Free again once released.
    pass


def test_kill_9_of_the_holder_frees_the_lock(tmp_path):
  holder = subprocess.Popen(  # pylint: disable=consider-using-with
      [sys.executable, "-c",
       "import sys, time; from tfgen.training.workdir import Workdir\n"
       f"with Workdir({str(tmp_path)!r}).lock():\n  print('locked', flush=True); time.sleep(60)"],
      stdout=subprocess.PIPE, text=True, cwd=os.getcwd(),
      env={**os.environ, "PYTHONPATH": os.getcwd()})
  try:
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(ValueError, match=rf"pid {holder.pid}"):
      with Workdir(tmp_path).lock():
        pass
  finally:
    holder.send_signal(signal.SIGKILL)
    holder.wait()
  deadline = time.time() + 10
  while True:  # The kernel drops the lock with the process.
    try:
      with Workdir(tmp_path).lock():
        break
    except ValueError:
      if time.time() > deadline:
        raise
      time.sleep(0.1)


def test_training_refuses_a_workdir_another_process_trains(tmp_path):
  from tfgen.configs import made_digits  # pylint: disable=import-outside-toplevel
  from tfgen.training import train_lib  # pylint: disable=import-outside-toplevel
  with Workdir(tmp_path).lock():
    with pytest.raises(ValueError, match="in use by another process"):
      train_lib.train(made_digits.get_config(), str(tmp_path), verbose=0)
  assert os.listdir(tmp_path) == [".lock"]  # Refused before writing anything.
