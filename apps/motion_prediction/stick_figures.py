"""Stick-figure pictures of joint positions: an animated GIF and a PNG strip, drawn with Pillow."""

import numpy as np
from PIL import Image
from PIL import ImageDraw

from tfgen.utils import atomic

PANEL_SIZE = 240
TRUTH_COLOUR = (40, 40, 40)
PREDICTION_COLOURS = ((214, 39, 40), (31, 119, 180), (44, 160, 44), (148, 103, 189), (255, 127, 14))
OBSERVED_COLOUR = (120, 120, 120)


def project(positions, up_axis=1, angle=np.radians(35.0)):
  """[..., J, 3] positions -> [..., J, 2] (across, up): a view turned `angle` about the up axis."""
  positions = np.asarray(positions, np.float64)
  horizontal = [axis for axis in range(3) if axis != up_axis]
  across = (positions[..., horizontal[0]] * np.cos(angle)
            + positions[..., horizontal[1]] * np.sin(angle))
  return np.stack([across, positions[..., up_axis]], axis=-1)


class Canvas:
  """Maps projected positions of every figure to pixels with one scale, so panels compare.

  Args:
    projected: [..., 2], all the points that will be drawn.
  """

  def __init__(self, projected, margin=12):
    extent = projected.reshape(-1, 2)
    self.low, self.high = extent.min(axis=0), extent.max(axis=0)
    span = max(float(np.max(self.high - self.low)), 1e-6)
    self.scale = (PANEL_SIZE - 2 * margin) / span
    self.margin = margin

  def pixels(self, points):
    x = self.margin + (points[..., 0] - self.low[0]) * self.scale
    y = PANEL_SIZE - self.margin - (points[..., 1] - self.low[1]) * self.scale
    return np.stack([x, y], axis=-1)


def draw_figure(draw, pixels, bones, colour, offset_x, width=3):
  for parent, child in bones:
    start, end = pixels[parent], pixels[child]
    draw.line([(start[0] + offset_x, start[1]), (end[0] + offset_x, end[1])], fill=colour,
              width=width)


def frames_side_by_side(truth, predictions, bones, num_observed, labels=("truth", "forecast")):
  """RGB images, one per frame: ground truth on the left, the forecasts overlaid on the right.

  Args:
    truth: [T, J, 3] positions, observed then true future frames.
    predictions: [S, T - num_observed, J, 3] forecast positions (S futures).
    bones: [(parent, child)].
    num_observed: frames before the forecast starts (drawn grey in both panels).
  """
  truth = np.asarray(truth, np.float64)
  predictions = np.asarray(predictions, np.float64)
  # Follow each figure's root horizontally so a walker stays in the picture (a forecast's
  # root is held where the observation left it).
  def centred(positions):
    centre = positions[..., :1, :].copy()
    centre[..., 1] = 0.0
    return project(positions - centre)

  truth_centred, predicted_centred = centred(truth), centred(predictions)
  canvas = Canvas(np.concatenate([truth_centred.reshape(-1, 2), predicted_centred.reshape(-1, 2)]))
  images = []
  for frame in range(len(truth)):
    image = Image.new("RGB", (2 * PANEL_SIZE, PANEL_SIZE + 18), "white")
    draw = ImageDraw.Draw(image)
    observed = frame < num_observed
    draw.text((6, PANEL_SIZE + 3), f"{labels[0]}  frame {frame + 1}", fill=TRUTH_COLOUR)
    draw.text((PANEL_SIZE + 6, PANEL_SIZE + 3),
              "observed" if observed else f"{labels[1]} +{frame - num_observed + 1}",
              fill=OBSERVED_COLOUR if observed else PREDICTION_COLOURS[0])
    draw.line([(PANEL_SIZE, 0), (PANEL_SIZE, PANEL_SIZE + 18)], fill=(200, 200, 200))
    truth_pixels = canvas.pixels(truth_centred[frame])
    draw_figure(draw, truth_pixels, bones, OBSERVED_COLOUR if observed else TRUTH_COLOUR, 0)
    if observed:
      draw_figure(draw, truth_pixels, bones, OBSERVED_COLOUR, PANEL_SIZE)
    else:
      for index, future in enumerate(predicted_centred):
        draw_figure(draw, canvas.pixels(future[frame - num_observed]), bones,
                    PREDICTION_COLOURS[index % len(PREDICTION_COLOURS)], PANEL_SIZE, width=2)
    images.append(image)
  return images


def save_gif(path, images, frames_per_second=25):
  """An animated GIF, looping, written atomically."""
  with atomic.atomic_path(path) as temporary:
    images[0].save(temporary, format="GIF", save_all=True, append_images=images[1:],
                   duration=int(round(1000 / frames_per_second)), loop=0)
  return path


def save_strip(path, images, num_columns=8):
  """Every k-th image in one row (k chosen so `num_columns` fit), as a PNG, written atomically."""
  step = max(1, int(np.ceil(len(images) / num_columns)))
  chosen = images[::step]
  width, height = chosen[0].size
  strip = Image.new("RGB", (width * len(chosen), height), "white")
  for index, image in enumerate(chosen):
    strip.paste(image, (index * width, 0))
  with atomic.atomic_path(path) as temporary:
    strip.save(temporary, format="PNG")
  return path
