"""A procedural walker and runner: the embedded default motion data, with no files.

Each clip is a `BVH` of a 16-joint stick figure moving along +Z at 25 frames a
second. Hips, knees, shoulders and elbows swing with the gait's phase

  phi(t) = 2 pi integral f(s) ds,  f(s) = f0 (1 + 0.08 sin(2 pi s / P + psi))

so the cadence drifts slowly within a clip; the stride, cadence f0, knee bend,
arm swing, torso twist and lean are drawn per clip from the clip's seed, and a
"running" clip has a faster cadence, longer strides and bent elbows. The same
seed always gives the same clip.
"""

import numpy as np

from apps.motion_prediction.bvh import BVH

FRAMES_PER_SECOND = 25
ACTIONS = ("walking", "running")

_ROOT_CHANNELS = ["Xposition", "Yposition", "Zposition", "Zrotation", "Xrotation", "Yrotation"]
_JOINT_CHANNELS = ["Zrotation", "Xrotation", "Yrotation"]
# (name, parent, offset in cm); "_end" joints are end sites. Y is up, Z forward.
_SKELETON = (
    ("Hips", -1, (0.0, 0.0, 0.0)),
    ("Spine", 0, (0.0, 10.0, 0.0)),
    ("Neck", 1, (0.0, 40.0, 0.0)),
    ("Head", 2, (0.0, 8.0, 0.0)),
    ("Head_end", 3, (0.0, 16.0, 0.0)),
    ("LeftArm", 2, (17.0, -3.0, 0.0)),
    ("LeftForeArm", 5, (0.0, -28.0, 0.0)),
    ("LeftForeArm_end", 6, (0.0, -26.0, 0.0)),
    ("RightArm", 2, (-17.0, -3.0, 0.0)),
    ("RightForeArm", 8, (0.0, -28.0, 0.0)),
    ("RightForeArm_end", 9, (0.0, -26.0, 0.0)),
    ("LeftUpLeg", 0, (9.0, 0.0, 0.0)),
    ("LeftLeg", 11, (0.0, -44.0, 0.0)),
    ("LeftFoot", 12, (0.0, -44.0, 0.0)),
    ("LeftFoot_end", 13, (0.0, -6.0, 14.0)),
    ("RightUpLeg", 0, (-9.0, 0.0, 0.0)),
    ("RightLeg", 15, (0.0, -44.0, 0.0)),
    ("RightFoot", 16, (0.0, -44.0, 0.0)),
    ("RightFoot_end", 17, (0.0, -6.0, 14.0)),
)
_HIP_HEIGHT = 92.0


def skeleton_names():
  """The joint names, end sites included, in file order."""
  return [name for name, _, _ in _SKELETON]


def clip(seed, action="walking", num_frames=250):
  """One deterministic clip.

  Args:
    seed: an int; the clip's speed, stride and style follow from it.
    action: "walking" or "running".
    num_frames: frames at 25 a second.
  Returns:
    A `BVH` (Z, X, Y rotation channels in degrees; the root has positions too).
  """
  if action not in ACTIONS:
    raise ValueError(f"the synthetic walker knows {', '.join(ACTIONS)}, got {action!r}")
  if int(num_frames) < 2:
    raise ValueError(f"num_frames must be >= 2, got {num_frames}")
  rng = np.random.default_rng([int(seed), ACTIONS.index(action)])
  running = action == "running"
  cadence = rng.uniform(1.3, 1.6) if running else rng.uniform(0.8, 1.1)   # cycles a second
  stride = rng.uniform(38.0, 48.0) if running else rng.uniform(22.0, 32.0)  # hip swing, degrees
  knee = rng.uniform(70.0, 95.0) if running else rng.uniform(40.0, 60.0)
  arm = rng.uniform(30.0, 45.0) if running else rng.uniform(12.0, 25.0)
  elbow = rng.uniform(70.0, 90.0) if running else rng.uniform(10.0, 25.0)
  twist = rng.uniform(4.0, 10.0)
  lean = rng.uniform(8.0, 14.0) if running else rng.uniform(0.0, 4.0)
  drift_period, drift_phase = rng.uniform(4.0, 8.0), rng.uniform(0.0, 2 * np.pi)
  time = np.arange(int(num_frames)) / FRAMES_PER_SECOND
  frequency = cadence * (1.0 + 0.08 * np.sin(2 * np.pi * time / drift_period + drift_phase))
  phase = rng.uniform(0.0, 2 * np.pi) + 2 * np.pi * np.cumsum(frequency) / FRAMES_PER_SECOND
  swing = np.sin(phase)

  def knee_bend(shift):
    return knee * (0.5 + 0.5 * np.sin(phase + shift)) ** 2

  step_length = 2 * 44.0 * np.sin(np.radians(stride))  # cm a step; two steps a cycle
  forward = np.cumsum(2 * step_length * frequency) / FRAMES_PER_SECOND
  angles = {  # name -> (Z, X, Y) degrees [T] each
      "Hips": (3.0 * swing, np.full_like(time, lean), twist * swing),
      "Spine": (0 * time, 0.5 * lean * np.ones_like(time), -1.5 * twist * swing),
      "Neck": (0 * time, -lean * np.ones_like(time), 0.5 * twist * swing),
      "LeftUpLeg": (0 * time, -stride * swing - lean, 0 * time),
      "RightUpLeg": (0 * time, stride * swing - lean, 0 * time),
      "LeftLeg": (0 * time, knee_bend(1.2), 0 * time),
      "RightLeg": (0 * time, knee_bend(1.2 + np.pi), 0 * time),
      "LeftArm": (-6.0 + 0 * time, arm * swing, 0 * time),
      "RightArm": (6.0 + 0 * time, -arm * swing, 0 * time),
      "LeftForeArm": (0 * time, -elbow * (0.7 + 0.3 * np.sin(phase + 0.5)), 0 * time),
      "RightForeArm": (0 * time, -elbow * (0.7 + 0.3 * np.sin(phase + 0.5 + np.pi)), 0 * time),
  }
  bob = (4.0 if running else 2.0) * np.cos(2 * phase)
  columns = [2.0 * np.sin(phase), _HIP_HEIGHT + bob, forward]
  names, parents, offsets, channels = [], [], [], []
  for name, parent, offset in _SKELETON:
    names.append(name)
    parents.append(parent)
    offsets.append(offset)
    if name.endswith("_end"):
      channels.append([])
      continue
    channels.append(list(_ROOT_CHANNELS if parent < 0 else _JOINT_CHANNELS))
    z_angle, x_angle, y_angle = angles.get(name, (0 * time, 0 * time, 0 * time))
    columns += [z_angle, x_angle, y_angle]
  frames = np.stack(columns, axis=1)
  return BVH(names, parents, np.asarray(offsets, np.float64), channels, frames,
             1.0 / FRAMES_PER_SECOND)


def clips(seeds, num_frames=250):
  """{action: [expmap clips float32 [num_frames, 3 + 3 R]]} for each action and seed."""
  return {action: [clip(seed, action, num_frames).to_expmap() for seed in seeds]
          for action in ACTIONS}
