"""Local infrastructure for Tandem on machines without Docker (DESIGN.md §6).

Starts, on 127.0.0.1 only, as detached processes that outlive the caller:

* **Kafka** 3.9 in KRaft mode (one JVM, combined broker + controller), from jars
  fetched with Maven (``deploy/local/pom.xml``);
* **SecantusDB** (PyPI, on WiredTiger) as the MongoDB-wire store: a one-node replica
  set with transactions and change streams, installed into a virtualenv of its own
  (it is GPL-2.0 and a development/test server, never a dependency of Tandem's package);
* an **SMTP sink** (``smtp_sink.py``) that keeps each mail as an .eml file and
  shows them on a small web page.

Used by ``make up`` / ``make down`` through the command line and by the pytest
fixtures through :class:`LocalStack`::

    python deploy/local/stack.py up|down|status|install|env \
        [--home DIR] [--kafka-port N] [--mongo-port N] [--smtp-port N] ...

    stack = LocalStack(home=tmp_path, ports=StackPorts.ephemeral())
    stack.start_all()
    ... stack.kafka_bootstrap, stack.mongodb_uri, stack.mail_dir ...
    stack.stop_all()

Tools (Kafka jars, the SecantusDB virtualenv) are installed once per checkout under
``<repo>/.tandem`` and shared by every stack; each stack keeps its data, logs
and pid files under its own ``home``, so several stacks on different ports can
run side by side (the test suite next to ``make up``) and data survives a
stop + start. Every process is recorded in ``home/run/<name>.pid`` and only
those processes are ever signalled.

Standard library only; kafka-python and pymongo are used, when importable, to
check that the servers really answer.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
DEFAULT_HOME = REPO_ROOT / ".tandem" / "dev"
LOCALHOST = "127.0.0.1"

SECANTUS_REQUIREMENT = "SecantusDB==0.7.0b3"

KAFKA_JVM_OPTS = [
    "-Xmx512m",
    "-Xms256m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
]
KAFKA_READY_TIMEOUT = 90.0
MONGO_READY_TIMEOUT = 60.0
SMTP_READY_TIMEOUT = 20.0
STOP_TIMEOUT = 30.0

SERVICES = ("kafka", "mongo", "smtp")


class StackError(RuntimeError):
    """A server could not be installed, started or stopped."""


class MissingTool(StackError):
    """A required command-line tool (java, mvn) is not installed."""

    def __init__(self, tool: str, purpose: str) -> None:
        super().__init__(f"'{tool}' not found on PATH; it is needed to {purpose}.")
        self.tool = tool


@dataclass(frozen=True)
class StackPorts:
    kafka: int = 9092
    controller: int = 9093
    mongo: int = 27017
    smtp: int = 1025
    smtp_web: int = 8025

    @classmethod
    def ephemeral(cls) -> StackPorts:
        """A full set of currently free, distinct ports (for tests)."""
        ports: set[int] = set()
        while len(ports) < len(dataclasses.fields(cls)):
            ports.add(free_port())
        return cls(*sorted(ports))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        return sock.getsockname()[1]


def port_open(port: int, timeout: float = 0.5) -> bool:
    """True if something accepts TCP connections on 127.0.0.1:port."""
    try:
        with socket.create_connection((LOCALHOST, port), timeout=timeout):
            return True
    except OSError:
        return False


# --------------------------------------------------------------------- configuration


def kafka_server_properties(data_dir: Path, ports: StackPorts) -> str:
    """server.properties for a single-node KRaft Kafka (broker + controller in one JVM)."""
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@{LOCALHOST}:{ports.controller}",
        "listeners": f"PLAINTEXT://{LOCALHOST}:{ports.kafka},CONTROLLER://{LOCALHOST}:{ports.controller}",
        "advertised.listeners": f"PLAINTEXT://{LOCALHOST}:{ports.kafka}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "log.dirs": str(data_dir),
        # One node: every internal topic must make do with a single replica.
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "default.replication.factor": "1",
        "min.insync.replicas": "1",
        # Fewer internal partitions than the default 50: the first consumer group
        # and the first transaction come up much faster, nothing else changes.
        "offsets.topic.num.partitions": "5",
        "transaction.state.log.num.partitions": "5",
        "auto.create.topics.enable": "true",
        "num.partitions": "3",
        # Tests join and leave consumer groups constantly: no initial rebalance
        # delay, and allow short session timeouts.
        "group.initial.rebalance.delay.ms": "0",
        "group.min.session.timeout.ms": "1000",
        # A laptop-sized broker.
        "num.network.threads": "2",
        "num.io.threads": "4",
        "num.recovery.threads.per.data.dir": "2",
        "log.retention.hours": "168",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def kafka_log4j_properties(log_file: Path) -> str:
    """reload4j configuration: INFO to a size-capped file, the chattiest loggers at WARN."""
    return f"""\
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File={log_file}
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.log.LogManager=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
"""


def new_kafka_cluster_id() -> str:
    """A Kafka Uuid in its string form: 16 random bytes, URL-safe base64 without padding."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        # Kafka's own generator avoids ids starting with "-": they read as CLI options.
        if not cluster_id.startswith("-"):
            return cluster_id


def kafka_version(pom: Path) -> str:
    match = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom.read_text())
    if match is None:
        raise StackError(f"no <kafka.version> property in {pom}")
    return match.group(1).strip()


def secantus_command(binary: Path, data_dir: Path, port: int) -> list[str]:
    return [
        str(binary),
        "--host",
        LOCALHOST,
        "--port",
        str(port),
        "--storage-path",
        str(data_dir),
        # Fsync the log on every commit: without it a SIGKILL loses acknowledged writes.
        "--sync-on-commit",
        "--log-level",
        "WARNING",
    ]


# --------------------------------------------------------------------- tools


def require_tool(tool: str, purpose: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise MissingTool(tool, purpose)
    return path


def java_executable() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (candidate := Path(java_home, "bin", "java")).is_file():
        return str(candidate)
    return require_tool("java", "run Kafka")


def run_checked(cmd: list[str], what: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    """Run a build step; on failure raise with the end of its output."""
    result = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise StackError(f"{what} failed (exit {result.returncode}):\n{output[-4000:]}")


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Serialise installers (parallel test workers, `make up` during `make test`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pid_alive(pid: int) -> bool:
    """True if the process exists and has not exited (zombies count as exited)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, but belongs to someone else
        return True
    return not _exited(pid)


EXIT_STATUS: dict[int, str] = {}  # how reaped children ended, for start-up error messages


def _exited(pid: int) -> bool:
    """True if `pid` has exited; reaps it if it is our child (tests start and stop in one process)."""
    if _proc_state(pid) == "Z":
        with contextlib.suppress(ChildProcessError):
            _note_exit(*os.waitpid(pid, 0))  # a zombie: returns at once
        return True
    # Also covers systems without /proc, and a child exiting right after the state check.
    with contextlib.suppress(ChildProcessError):
        reaped, status = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            _note_exit(reaped, status)
            return True
    return False


def _our_live_child(pid: int) -> bool:
    try:
        reaped, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    if reaped == pid:
        _note_exit(reaped, status)
        return False
    return True


def _note_exit(pid: int, status: int) -> None:
    if os.WIFSIGNALED(status):
        EXIT_STATUS[pid] = f"killed by signal {os.WTERMSIG(status)}"
    elif os.WIFEXITED(status):
        EXIT_STATUS[pid] = f"exit code {os.WEXITSTATUS(status)}"


def _proc_state(pid: int) -> str | None:
    """The state letter from /proc/<pid>/stat (R, S, Z, ...), None if unavailable."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The state follows the command name, which is in parentheses and may contain anything.
    return stat.rsplit(")", 1)[1].split()[0]


def pid_cmdline(pid: int) -> str | None:
    """The process's command line, or None where /proc is not available."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --------------------------------------------------------------------- the stack


class LocalStack:
    """Kafka, SecantusDB and the SMTP sink for one state directory and one set of ports."""

    def __init__(self, home: Path, ports: StackPorts = StackPorts(), repo: Path = REPO_ROOT) -> None:
        self.home = Path(home).resolve()
        self.ports = ports
        self.repo = Path(repo).resolve()
        tools = self.repo / ".tandem"
        self.kafka_libs = tools / "kafka" / "libs"
        self.secantus_venv = tools / "secantus"
        self.secantus_bin = self.secantus_venv / "bin" / "secantusd-py"
        self._install_lock = tools / "install.lock"
        self._pom = self.repo / "deploy" / "local" / "pom.xml"
        self._smtp_sink = self.repo / "deploy" / "local" / "smtp_sink.py"

    # ---- addresses

    @property
    def kafka_bootstrap(self) -> str:
        return f"{LOCALHOST}:{self.ports.kafka}"

    @property
    def mongodb_uri(self) -> str:
        return f"mongodb://{LOCALHOST}:{self.ports.mongo}/"

    @property
    def smtp_host(self) -> str:
        return LOCALHOST

    @property
    def smtp_port(self) -> int:
        return self.ports.smtp

    @property
    def mail_web_url(self) -> str:
        return f"http://{LOCALHOST}:{self.ports.smtp_web}/"

    @property
    def mail_dir(self) -> Path:
        return self.home / "mail"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    def env(self, smtp: bool = True) -> dict[str, str]:
        """Environment variables pointing a Tandem service at this stack."""
        env = {"KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap, "MONGODB_URI": self.mongodb_uri}
        if smtp:
            env |= {"SMTP_HOST": self.smtp_host, "SMTP_PORT": str(self.smtp_port)}
        return env

    # ---- install

    def install(self) -> None:
        """Fetch the Kafka jars and install SecantusDB unless already there (shared per checkout)."""
        self._install_kafka()
        self._install_secantus()
        (self.repo / ".tandem" / "bin" / "tandem-ferretdb").unlink(missing_ok=True)  # the retired store's build

    def _install_kafka(self) -> None:
        marker = self.kafka_libs / f"kafka_2.13-{kafka_version(self._pom)}.jar"
        if marker.is_file():
            return
        mvn = require_tool("mvn", "download the Kafka broker jars")
        with file_lock(self._install_lock):
            if marker.is_file():
                return
            # Copy into a scratch directory and rename, so an interrupted download
            # never leaves a half-filled libs directory that looks installed.
            scratch = self.kafka_libs.with_name("libs.partial")
            shutil.rmtree(scratch, ignore_errors=True)
            run_checked(
                [
                    mvn,
                    "-q",
                    "-B",
                    "-f",
                    str(self._pom),
                    f"-DoutputDirectory={scratch}",
                    "dependency:copy-dependencies",
                ],
                "downloading the Kafka jars with Maven",
            )
            shutil.rmtree(self.kafka_libs, ignore_errors=True)
            scratch.rename(self.kafka_libs)

    def _secantus_marker(self) -> Path:
        return self.secantus_venv / f".installed-{SECANTUS_REQUIREMENT.replace('==', '-')}"

    def _install_secantus(self) -> None:
        """SecantusDB in its own virtualenv: the server's dependencies never meet Tandem's."""
        if self._secantus_marker().is_file() and self.secantus_bin.is_file():
            return
        python = shutil.which("python3.11") or sys.executable
        with file_lock(self._install_lock):
            if self._secantus_marker().is_file() and self.secantus_bin.is_file():
                return
            shutil.rmtree(self.secantus_venv, ignore_errors=True)
            run_checked([python, "-m", "venv", str(self.secantus_venv)], "creating the SecantusDB virtualenv")
            pip = [str(self.secantus_venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
                   "-q"]
            run_checked([*pip, SECANTUS_REQUIREMENT], f"pip install {SECANTUS_REQUIREMENT}")
            self._secantus_marker().touch()

    # ---- Kafka

    def start_kafka(self) -> None:
        """Start the KRaft broker+controller and wait until a Kafka client gets cluster metadata."""
        if self._already_running("kafka", self._kafka_ready, KAFKA_READY_TIMEOUT):
            return
        self._check_port_free("kafka", self.ports.kafka)
        self._check_port_free("kafka controller", self.ports.controller)
        self._install_kafka()
        java = java_executable()
        config = self._write_kafka_config()
        self._format_kafka_storage(java, config)
        cmd = [java, *KAFKA_JVM_OPTS, *self._kafka_java_common(config), "kafka.Kafka", str(config["server"])]
        # Kafka itself logs to kafka.log (log4j); the console only gets JVM-level trouble.
        self._spawn("kafka", cmd, log_name="kafka.console.log")
        self._wait_ready(
            "kafka",
            self._kafka_ready,
            KAFKA_READY_TIMEOUT,
            logs=[self.logs_dir / "kafka.console.log", self.logs_dir / "kafka.log"],
        )

    def stop_kafka(self) -> None:
        self._stop("kafka")

    def _kafka_data_dir(self) -> Path:
        return self.home / "kafka-data"

    def _kafka_java_common(self, config: dict[str, Path]) -> list[str]:
        return [f"-Dlog4j.configuration=file:{config['log4j']}", "-cp", f"{self.kafka_libs}/*"]

    def _write_kafka_config(self) -> dict[str, Path]:
        """(Re)write the config each start: the ports may differ from the last run."""
        config_dir = self.home / "config"
        config_dir.mkdir(parents=True, exist_ok=True)
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        server = config_dir / "kafka-server.properties"
        server.write_text(kafka_server_properties(self._kafka_data_dir(), self.ports))
        log4j = config_dir / "kafka-log4j.properties"
        log4j.write_text(kafka_log4j_properties(self.logs_dir / "kafka.log"))
        return {"server": server, "log4j": log4j}

    def _kafka_cluster_id(self) -> str:
        id_file = self.home / "kafka-cluster-id"
        if not id_file.is_file():
            id_file.write_text(new_kafka_cluster_id() + "\n")
        return id_file.read_text().strip()

    def _format_kafka_storage(self, java: str, config: dict[str, Path]) -> None:
        # Formatting costs a JVM start (~1-2 s); once meta.properties exists the
        # directory is formatted and a restart can skip it.
        if (self._kafka_data_dir() / "meta.properties").is_file():
            return
        run_checked(
            [
                java,
                "-Xmx256m",
                *self._kafka_java_common(config),
                "kafka.tools.StorageTool",
                "format",
                "-t",
                self._kafka_cluster_id(),
                "-c",
                str(config["server"]),
                "--ignore-formatted",
            ],
            "formatting Kafka storage",
        )

    def _kafka_ready(self) -> bool:
        if not port_open(self.ports.kafka):
            return False
        try:
            from kafka.admin import KafkaAdminClient
        except ImportError:  # kafka-python absent (bare `python3 stack.py up`): the open port has to do
            return True
        try:
            admin = KafkaAdminClient(
                bootstrap_servers=self.kafka_bootstrap,
                client_id="tandem-stack-probe",
                request_timeout_ms=5000,
                bootstrap_timeout_ms=5000,
            )
        except Exception:  # whatever the client raises, it means "not ready yet"
            return False
        try:
            return bool(admin.describe_cluster().get("brokers"))
        except Exception:
            return False
        finally:
            admin.close()

    # ---- SecantusDB (MongoDB wire protocol)

    def start_mongo(self) -> None:
        """Start SecantusDB (a one-node replica set) and wait until a MongoDB ping succeeds."""
        if self._already_running("mongo", self._mongo_ready, MONGO_READY_TIMEOUT):
            return
        self.refuse_retired_store()
        self._check_port_free("mongo", self.ports.mongo)
        self._install_secantus()
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self._spawn("mongo", secantus_command(self.secantus_bin, self.store_dir, self.ports.mongo))
        self._wait_ready("mongo", self._mongo_ready, MONGO_READY_TIMEOUT)

    @property
    def store_dir(self) -> Path:
        return self.home / "secantus"

    def refuse_retired_store(self) -> None:
        """A home from before the store change holds FerretDB data that SecantusDB cannot read; Kafka there
        still carries that data's events, so starting an empty store beside it would mix the two."""
        retired = self.home / "ferretdb"
        if retired.is_dir() and any(retired.iterdir()):
            raise StackError(f"{self.home} holds data of the retired FerretDB store, which SecantusDB cannot read; "
                             f"to start afresh: make down && rm -rf {self.home}")

    def stop_mongo(self) -> None:
        self._stop("mongo")

    def _mongo_ready(self) -> bool:
        if not port_open(self.ports.mongo):
            return False
        try:
            from pymongo import MongoClient
        except ImportError:
            return True
        client = MongoClient(self.mongodb_uri, serverSelectionTimeoutMS=2000, connectTimeoutMS=2000)
        try:
            client.admin.command("ping")
            return True
        except Exception:
            return False
        finally:
            client.close()

    # ---- SMTP sink

    def start_smtp(self) -> None:
        """Start the SMTP sink (mail saved under mail_dir, listed on mail_web_url)."""
        if self._already_running("smtp", self._smtp_ready, SMTP_READY_TIMEOUT):
            return
        self._check_port_free("smtp", self.ports.smtp)
        self._check_port_free("smtp web", self.ports.smtp_web)
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable,
            str(self._smtp_sink),
            "--host",
            LOCALHOST,
            "--port",
            str(self.ports.smtp),
            "--web-port",
            str(self.ports.smtp_web),
            "--mail-dir",
            str(self.mail_dir),
        ]
        self._spawn("smtp", cmd)
        self._wait_ready("smtp", self._smtp_ready, SMTP_READY_TIMEOUT)

    def stop_smtp(self) -> None:
        self._stop("smtp")

    def _smtp_ready(self) -> bool:
        if not (port_open(self.ports.smtp) and port_open(self.ports.smtp_web)):
            return False
        import smtplib

        try:
            with smtplib.SMTP(LOCALHOST, self.ports.smtp, timeout=2) as client:
                return client.noop()[0] == 250
        except (OSError, smtplib.SMTPException):
            return False

    # ---- all together

    def start_all(self, smtp: bool = True) -> None:
        """Start whatever is not running yet; servers already up are left alone."""
        self.install()
        self.start_kafka()
        self.start_mongo()
        if smtp:
            self.start_smtp()

    def stop_all(self) -> None:
        """Stop every process this home has a pid file for."""
        errors = []
        for name in SERVICES:
            try:
                self._stop(name)
            except StackError as exc:  # keep stopping the others
                errors.append(str(exc))
        if errors:
            raise StackError("; ".join(errors))

    def status(self) -> dict[str, int | None]:
        """Pid of each running server (None if it is not running)."""
        return {name: self.running_pid(name) for name in SERVICES}

    # ---- process bookkeeping

    def _pid_file(self, name: str) -> Path:
        return self.home / "run" / f"{name}.pid"

    def running_pid(self, name: str) -> int | None:
        """The pid recorded for `name` if that process is alive and is really ours."""
        try:
            pid = int(self._pid_file(name).read_text().strip())
        except (OSError, ValueError):
            return None
        if not pid_alive(pid):
            return None
        # Guard against pid reuse after a reboot or crash: every server we start has
        # this home directory on its command line. Right after we started it, a child's
        # command line can still read empty: the kernel sets it up after Popen returns.
        cmdline = pid_cmdline(pid)
        if cmdline == "" and _our_live_child(pid):
            return pid
        if cmdline is not None and f"{self.home}/" not in cmdline:
            return None
        return pid

    def _spawn(self, name: str, cmd: list[str], log_name: str | None = None) -> None:
        """Start a detached process (own session, output to a log file) and record its pid."""
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        self._pid_file(name).parent.mkdir(parents=True, exist_ok=True)
        log_path = self.logs_dir / (log_name or f"{name}.log")
        with log_path.open("ab") as log:
            log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(cmd)}\n".encode())
            log.flush()
            # start_new_session: the server must not die with the shell of `make up`
            # (or get its Ctrl-C); /tmp as cwd: nothing of ours is picked up by accident.
            process = subprocess.Popen(
                cmd,
                cwd=tempfile.gettempdir(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # Popen's own bookkeeping would warn about a child still running when this
        # object is collected; the process is meant to outlive us, so forget it.
        # pid_alive() reaps it with waitpid if it exits while we are around.
        process.returncode = 0
        tmp = self._pid_file(name).with_suffix(".pid.tmp")
        tmp.write_text(f"{process.pid}\n")
        tmp.replace(self._pid_file(name))

    def _wait_ready(self, name: str, probe: Callable[[], bool], timeout: float, logs: list[Path] | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.running_pid(name) is None:
                raise StackError(f"{name} exited during start-up ({self._how_it_ended(name)})\n"
                                 f"{self._log_tails(name, logs)}")
            if probe():
                return
            time.sleep(0.2)
        self._stop(name)  # do not leave a half-started server behind
        raise StackError(f"{name} did not become ready within {timeout:.0f} s\n{self._log_tails(name, logs)}")

    def _how_it_ended(self, name: str) -> str:
        try:
            pid = int(self._pid_file(name).read_text().strip())
        except (OSError, ValueError):
            return "no pid file"
        if pid in EXIT_STATUS:
            return f"pid {pid}: {EXIT_STATUS[pid]}"
        return f"pid {pid}: " + ("not ours any more: " + (pid_cmdline(pid) or "")[:200] if pid_alive(pid)
                                 else "gone")

    def _log_tails(self, name: str, logs: list[Path] | None) -> str:
        return "\n".join(
            f"--- last lines of {log}:\n{log_tail(log)}" for log in logs or [self.logs_dir / f"{name}.log"]
        )

    def _already_running(self, name: str, probe: Callable[[], bool], timeout: float) -> bool:
        """True if our process is up (waiting for it if it is still starting); clears a stale pid file."""
        if self.running_pid(name) is None:
            self._pid_file(name).unlink(missing_ok=True)
            return False
        self._wait_ready(name, probe, timeout)
        return True

    def _check_port_free(self, what: str, port: int) -> None:
        if port_open(port):
            raise StackError(f"cannot start {what}: port {port} on {LOCALHOST} is already in use by another process")

    def _stop(self, name: str) -> None:
        """SIGTERM the recorded process, SIGKILL after STOP_TIMEOUT, remove the pid file."""
        pid = self.running_pid(name)
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            if not self._wait_exit(pid, STOP_TIMEOUT):
                os.kill(pid, signal.SIGKILL)
                if not self._wait_exit(pid, 10):
                    raise StackError(f"{name} (pid {pid}) survived SIGKILL")
        self._pid_file(name).unlink(missing_ok=True)

    @staticmethod
    def _wait_exit(pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                return True
            time.sleep(0.1)
        return False


# --------------------------------------------------------------------- command line


def parse_args(argv: list[str]) -> argparse.Namespace:
    defaults = StackPorts()
    parser = argparse.ArgumentParser(
        prog="stack.py", description="Local Kafka, SecantusDB and SMTP sink for Tandem (no Docker needed)."
    )
    parser.add_argument("command", choices=["up", "down", "status", "install", "env"])
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME, help="state directory (default: %(default)s)")
    parser.add_argument("--kafka-port", type=int, default=defaults.kafka)
    parser.add_argument("--controller-port", type=int, default=defaults.controller)
    parser.add_argument("--mongo-port", type=int, default=defaults.mongo)
    parser.add_argument("--smtp-port", type=int, default=defaults.smtp)
    parser.add_argument("--smtp-web-port", type=int, default=defaults.smtp_web)
    parser.add_argument(
        "--no-smtp",
        action="store_true",
        help="do not start the SMTP sink (also implied when SMTP_HOST is set)",
    )
    return parser.parse_args(argv)


def print_status(stack: LocalStack) -> bool:
    pids = stack.status()
    rows = {
        "kafka": f"{stack.kafka_bootstrap}",
        "mongo": f"{stack.mongodb_uri}  (SecantusDB, data in {stack.store_dir})",
        "smtp": f"{stack.smtp_host}:{stack.smtp_port}  mail: {stack.mail_web_url}  files: {stack.mail_dir}",
    }
    for name, where in rows.items():
        state = f"running (pid {pids[name]})" if pids[name] else "stopped"
        print(f"{name:6} {state:22} {where}")
    print(f"logs   {stack.logs_dir}")
    return bool(pids["kafka"] and pids["mongo"])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    ports = StackPorts(args.kafka_port, args.controller_port, args.mongo_port, args.smtp_port, args.smtp_web_port)
    stack = LocalStack(home=args.home, ports=ports)
    with_smtp = not (args.no_smtp or os.environ.get("SMTP_HOST"))
    try:
        if args.command == "install":
            stack.install()
        elif args.command == "up":
            started = time.monotonic()
            stack.start_all(smtp=with_smtp)
            print(f"local infrastructure up in {time.monotonic() - started:.1f} s")
            print_status(stack)
        elif args.command == "down":
            stack.stop_all()
        elif args.command == "status":
            return 0 if print_status(stack) else 1
        elif args.command == "env":
            for key, value in stack.env(smtp=with_smtp).items():
                print(f"export {key}={value}")
    except MissingTool as exc:
        print(f"stack.py: {exc}", file=sys.stderr)
        return 2
    except StackError as exc:
        print(f"stack.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
