"""Models on this machine: locating local folders and hub snapshots, the folder checks, the hub's
reachability, and `nlbrief models pull`."""
