"""Wall-clock and CPU minutes of all the runs of a workdir, killed ones included."""

import time


class RunClock:
  """Keeps the workdir's minutes record at the wall-clock and CPU minutes of all its runs.

  The backup calls `save` after each of its writes (every epoch, and every
  `steps_per_backup` steps), so a run that is killed still counts up to its
  last backup when a later run resumes. CPU minutes are this process's
  (`time.process_time`, all threads: about cores x wall minutes when busy).

  Args:
    workdir: the run's `Workdir`; its minutes record holds the earlier runs' minutes.
  """

  def __init__(self, workdir):
    self.workdir = workdir
    self.minutes_before, self.cpu_minutes_before = workdir.read_minutes()
    self.started, self.cpu_started = time.time(), time.process_time()

  def minutes_this_run(self):
    return (time.time() - self.started) / 60.0

  def cpu_minutes_this_run(self):
    return (time.process_time() - self.cpu_started) / 60.0

  def save(self):
    """Writes the minutes record; returns it: {minutes_total, cpu_minutes_total}."""
    return self.workdir.write_minutes(self.minutes_before + self.minutes_this_run(),
                                      self.cpu_minutes_before + self.cpu_minutes_this_run())
