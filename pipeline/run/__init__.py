"""The batch-run machinery, knowing no model: what a run is given and gives back (its contracts), the
run itself (discover, skip what is done, waves, store), atomic files, the manifest and every cache
key (manifest.py), the folder lock, progress reporting and Ctrl-C."""
