#!/usr/bin/env python3
"""Resident memory stage by stage (docs/performance.md, "Memory stage by stage").

    python3 scripts/bench/rss_stages.py whitezone analyze ... -v

Runs the command, samples its resident set size (VmRSS of /proc/PID/status) every 50 ms and
prints each line the command writes to standard error (its -v stage lines) with the largest
resident size since the previous line and the size when the line came. The last line is the
peak over the whole run. Linux only.
"""
import subprocess
import sys
import threading
import time


def resident_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    proc = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True)
    seen = {"since": 0, "now": 0, "peak": 0}

    def sample():
        while proc.poll() is None:
            try:
                kib = resident_kib(proc.pid)
            except OSError:
                break
            seen["now"] = kib
            seen["since"] = max(seen["since"], kib)
            seen["peak"] = max(seen["peak"], kib)
            time.sleep(0.05)

    threading.Thread(target=sample, daemon=True).start()
    start = time.time()
    print("    time  most since last line  now | line")
    for line in proc.stderr:
        print(f"{time.time() - start:7.1f} s {seen['since'] // 1024:8,d} MiB {seen['now'] // 1024:8,d} MiB"
              f" | {line.rstrip()}", flush=True)
        seen["since"] = seen["now"]
    proc.wait()
    print(f"peak resident: {seen['peak'] // 1024:,d} MiB; exit status {proc.returncode}")
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
