"""What every row measures about its own process: wall and CPU time, the CPU other processes took
meanwhile (a busy machine makes the figures low and noisy), and peak RSS."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path


def vm_kib(field: str) -> int | None:
    """A field of /proc/self/status in KiB (VmHWM = peak RSS, VmRSS = current)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (2**20 bytes); ru_maxrss is KiB on Linux."""
    hwm = vm_kib("VmHWM")
    kib = hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kib / 1024, 1)


def rss_mb() -> float | None:
    kib = vm_kib("VmRSS")
    return None if kib is None else round(kib / 1024, 1)


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine (all processes, all cores) spent busy since boot."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class Stopwatch:
    """Wall time, this process's CPU time (``who``: RUSAGE_CHILDREN for a command run as a child), and
    the share of the machine's CPU that every other process took meanwhile."""

    def __init__(self, who: int = resource.RUSAGE_SELF) -> None:
        self.who = who

    def __enter__(self) -> Stopwatch:
        self.busy0, self.cpu0, self.wall0 = machine_busy_seconds(), cpu_seconds(self.who), time.perf_counter()
        self.load0 = os.getloadavg()[0]
        return self

    def __exit__(self, *exc: object) -> bool:
        self.seconds = time.perf_counter() - self.wall0
        self.cpu_s = cpu_seconds(self.who) - self.cpu0
        busy1 = machine_busy_seconds()
        others = None if busy1 is None or self.busy0 is None else max(0.0, busy1 - self.busy0 - self.cpu_s)
        capacity = self.seconds * (os.cpu_count() or 1)
        self.others_share = None if others is None else round(others / capacity, 3)
        return False

    def record(self, row: dict) -> None:
        row["seconds"] = round(self.seconds, 3)
        row["cpu_s"] = round(self.cpu_s, 2)
        row["cores_used"] = round(self.cpu_s / self.seconds, 2) if self.seconds > 0 else None
        row["others_cpu_share"] = self.others_share
        row["loadavg_before"] = round(self.load0, 2)
