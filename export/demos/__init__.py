"""On-device demos: ai_edge_litert, numpy and Pillow only (no TensorFlow, no tfgen)."""
