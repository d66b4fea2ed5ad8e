"""An exclusive lock on a run folder, so two processes never train into one workdir."""

import errno
import fcntl
import os


class WorkdirLock:
  """Holds an advisory lock on a file of a workdir while a run writes to the workdir.

  Two trainings of one workdir would interleave their backups, history rows and
  minutes, and the second's start would delete the first's half-written files.
  The lock is `flock`'s: the kernel drops it when its process ends, also by
  `kill -9`, so a killed run never leaves a stale lock behind.

  Args:
    path: the lock file (in the workdir, which must exist; `Workdir.lock` names it).
    workdir: the run folder, for the error message.
    what: the work, for the error message ("training").

  Raises (on enter):
    ValueError: another process holds the lock; the message gives its pid.

  Example:
    with WorkdirLock("runs/made/.lock", "runs/made"):
      ...  # train
  """

  def __init__(self, path, workdir, what="training"):
    self.path, self.workdir, self.what = path, workdir, what
    self._handle = None

  def __enter__(self):
    handle = open(self.path, "a+", encoding="utf-8")  # pylint: disable=consider-using-with
    try:
      fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
      if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
        handle.close()
        raise
      handle.seek(0)
      holder = handle.read().strip() or "unknown"
      handle.close()
      raise ValueError(f"{self.workdir} is in use by another process (pid {holder}); "
                       f"wait for it to end or stop it before {self.what} here") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    self._handle = handle
    return self

  def __exit__(self, *exc_info):
    # The pid stays in the file; it names nobody once the lock is free.
    fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
    self._handle.close()
    self._handle = None
    return False
