"""Front ends for people, built on tfgen (tfgen never imports apps)."""
