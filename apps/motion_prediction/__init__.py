"""Human-pose forecasting on motion capture: data readers, rotations and the CMU-Mocap benchmark."""
