"""Scanner processes keep no descriptor they inherited: only stdio and their own pipe end."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from filters.build import build_pipeline
from filters.workers import ScanPool


def socket_inodes(pid: int) -> dict[int, str]:
    """fd -> "socket:[inode]" for every socket ``pid`` holds."""
    out = {}
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(entry)
        except OSError:
            continue
        if target.startswith("socket:"):
            out[int(entry.name)] = target
    return out


def test_a_scanner_holds_only_stdio_and_its_own_pipe(tmp_path):
    listening = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listening.getsockname())
    server_side, _ = listening.accept()
    marked = tmp_path / "memo.txt"
    marked.write_bytes(b"SECRET//NOFORN\nthe plan\n")
    with ScanPool(build_pipeline(), 1) as first, ScanPool(build_pipeline(), 2) as second:
        list(first.scan_files([]))  # fork the first pool's scanner: its pipe is open here
        outcomes = list(second.scan_files([str(marked), str(marked)]))
        assert [o.verdict.action for o in outcomes] == ["quarantine", "quarantine"]
        ours = {os.readlink(f"/proc/self/fd/{s.fileno()}")
                for s in (listening, client, server_side)}
        for worker in second._workers:
            fds = sorted(int(e.name) for e in Path(f"/proc/{worker.pid}/fd").iterdir())
            sockets = socket_inodes(worker.pid)
            assert len(sockets) == 1, f"scanner {worker.pid} holds sockets {sockets}"
            assert not ours & set(sockets.values())
            assert fds == sorted({0, 1, 2} | set(sockets)), f"scanner {worker.pid} holds {fds}"
    for s in (listening, client, server_side):
        s.close()
