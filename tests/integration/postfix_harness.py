"""A private Postfix instance for tests and the SMTP benchmark: its own config directory,
queue and loopback ports, started with ``postfix -c DIR start`` and stopped the same way.

Needs Debian's postfix package (``scripts/setup.sh --test`` installs it) and root, as
Postfix drops privileges to its mail owner itself.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from integration.smtp_harness import free_port, wait_for_port

POSTFIX_SNIPPETS = Path(__file__).resolve().parents[2] / "deploy" / "postfix"


def snippet_settings(name: str, replace: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The main.cf settings and master.cf entries of ``deploy/postfix/<name>.snippet``.

    ``replace`` maps text in the snippet (addresses, ports) to this instance's values.
    Returns (main.cf settings, master.cf entry blocks).
    """
    text = (POSTFIX_SNIPPETS / name).read_text()
    for old, new in replace.items():
        text = text.replace(old, new)
    settings: dict[str, str] = {}
    entries: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if name.startswith("main"):
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
        elif line[0].isspace() and entries:
            entries[-1] += "\n" + line
        else:
            entries.append(line)
    return settings, entries


class PrivatePostfix:
    """Postfix on 127.0.0.1:``port`` relaying everything to ``relayhost``."""

    def __init__(self, workdir: Path, relayhost: str, *, settings: dict[str, str] | None = None,
                 master_entries: list[str] | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        self.workdir = workdir
        self.dir = workdir / "postfix"
        self.dir.mkdir(parents=True)
        shutil.copy("/usr/share/postfix/main.cf.debian", self.dir / "main.cf")
        shutil.copy("/usr/share/postfix/master.cf.dist", self.dir / "master.cf")
        base = {
            "queue_directory": str(workdir / "postfix-queue"),
            "data_directory": str(workdir / "postfix-data"),
            "myhostname": "relay.test", "mydestination": "", "alias_maps": "",
            "alias_database": "", "local_recipient_maps": "", "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4", "mynetworks": "127.0.0.0/8",
            "relayhost": relayhost, "smtp_dns_support_level": "disabled",
            "smtpd_relay_restrictions": "permit_mynetworks, reject",
            "message_size_limit": "60000000", "maillog_file": str(workdir / "postfix.log"),
            "maillog_file_prefixes": str(workdir),
            "smtputf8_enable": "no", "compatibility_level": "3.6",
            "default_process_limit": "100", "smtp_tls_security_level": "none",
            "smtpd_tls_security_level": "none", "append_dot_mydomain": "no",
            "queue_run_delay": "1s", "minimal_backoff_time": "1s", "maximal_backoff_time": "2s",
        }
        self.postconf("-e", *(f"{k}={v}" for k, v in {**base, **(settings or {})}.items()))
        # Loopback port instead of :25, no chroot (the private dir has no chroot jail).
        self.postconf("-M#", "smtp/inet")
        self.postconf("-M", f"127.0.0.1:{self.port}/inet=127.0.0.1:{self.port} inet n - n - - smtpd")
        with (self.dir / "master.cf").open("a") as master:
            for entry in master_entries or []:
                master.write(entry + "\n")
        self.postconf("-F", "*/*/chroot=n")
        self.postconf("-M", "postlog/unix-dgram=postlog unix-dgram n - n - 1 postlogd")
        # Postfix drops to its mail_owner to lock data_directory: the path must be
        # traversable, and both directories must exist before "postfix start".
        workdir.chmod(0o755)
        (workdir / "postfix-queue").mkdir()
        (workdir / "postfix-data").mkdir()
        shutil.chown(workdir / "postfix-data", "postfix")
        check = subprocess.run(["postfix", "-c", str(self.dir), "check"], capture_output=True,
                               text=True, timeout=60)
        if check.returncode != 0:
            raise RuntimeError(f"postfix check failed: {check.stderr.strip()}")
        subprocess.run(["postfix", "-c", str(self.dir), "start"], check=True,
                       capture_output=True, timeout=60)
        wait_for_port(self.port, 20)

    def postconf(self, *args: str) -> None:
        """Run postconf on this instance's config directory."""
        subprocess.run(["postconf", "-c", str(self.dir), *args], check=True, capture_output=True)

    def postconf_value(self, name: str) -> str:
        """One main.cf value of this instance."""
        return subprocess.run(["postconf", "-c", str(self.dir), "-h", name], check=True,
                              capture_output=True, text=True).stdout.strip()

    def queued(self) -> int:
        """Messages still in the queue (incoming, active or deferred)."""
        queue = Path(self.postconf_value("queue_directory"))
        return sum(1 for d in ("incoming", "active", "deferred") if (queue / d).exists()
                   for p in (queue / d).rglob("*") if p.is_file())

    def drain(self, seconds: float = 120.0) -> bool:
        """Wait (bounded) until the queue is empty; False if it is not by then."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.queued():
                return True
            time.sleep(0.1)
        return False

    def log(self) -> str:
        """What Postfix logged so far."""
        path = self.workdir / "postfix.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def delivery_statuses(self) -> list[str]:
        """The status= words Postfix logged for deliveries (sent, bounced, deferred)."""
        return re.findall(r" status=(\w+)", self.log())

    def stop(self) -> None:
        """Stop this instance."""
        subprocess.run(["postfix", "-c", str(self.dir), "stop"], capture_output=True, timeout=60)
