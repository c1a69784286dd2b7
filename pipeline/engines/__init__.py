"""Where a run's waves are worked: in this process (local) or on a Ray cluster (ray)."""
