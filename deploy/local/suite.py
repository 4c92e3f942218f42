"""`make up` / `make down`: the local infrastructure, the four services (api + worker each) and the demo.

    python deploy/local/suite.py up|down|status

Environment set by the caller (AUTH_JWT_SECRET, SMTP_*, KAFKA_BOOTSTRAP_SERVERS, MONGODB_URI,
SEED_DEMO=0, ...) reaches every service. Servers already given by KAFKA_BOOTSTRAP_SERVERS /
MONGODB_URI / SMTP_HOST are used instead of starting local ones.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import stack as local

REPO = local.REPO_ROOT
HOME = local.DEFAULT_HOME
PORTS = {"profiles": 8001, "matching": 8002, "notifications": 8003, "analytics": 8004}
METRICS_PORTS = {"profiles": 9101, "matching": 9102, "notifications": 9103, "analytics": 9104}
ROLES = ("api", "worker")
# Tokens of the local suite name who issued them and for whom; every service checks both.
AUTH_DEFAULTS = {"AUTH_ISSUER": "tandem-local", "AUTH_AUDIENCE": "tandem"}


def available_services() -> list[str]:
    return [name for name in PORTS if (REPO / "services" / name / "__main__.py").exists()]


def kept_secret(variable: str, filename: str, generate) -> str:
    """The caller's `variable`, else a value generated once and kept with the local data."""
    if os.environ.get(variable):
        return os.environ[variable]
    path = HOME / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generate())
        path.chmod(0o600)
    return path.read_text().strip()


def auth_secret() -> str:
    return kept_secret("AUTH_JWT_SECRET", "auth-secret", lambda: secrets.token_urlsafe(48))


def start_infrastructure(stack: local.LocalStack) -> dict[str, str]:
    """Start the local servers the caller did not point us elsewhere for; return their env."""
    env: dict[str, str] = {}
    stack.install()
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        stack.start_kafka()
        env["KAFKA_BOOTSTRAP_SERVERS"] = stack.kafka_bootstrap
    if not os.environ.get("MONGODB_URI"):
        stack.start_mongo()
        env["MONGODB_URI"] = stack.mongodb_uri
    if not os.environ.get("SMTP_HOST"):
        stack.start_smtp()
        env |= {"SMTP_HOST": stack.smtp_host, "SMTP_PORT": str(stack.smtp_port)}
    return env


def service_env(name: str, infra_env: dict[str, str], secret: str) -> dict[str, str]:
    defaults = {"HOST": "127.0.0.1", "PUBLIC_BASE_URL": f"http://127.0.0.1:{PORTS[name]}", **AUTH_DEFAULTS}
    if name == "analytics":  # the key of people's pseudonyms: the same at every start, never in the store
        defaults["ANALYTICS_PSEUDONYM_KEY"] = kept_secret("ANALYTICS_PSEUDONYM_KEY", "analytics-pseudonym-key",
                                                          lambda: secrets.token_hex(32))
    return {**defaults, **os.environ, **infra_env, "AUTH_JWT_SECRET": secret, "PORT": str(PORTS[name]),
            "METRICS_PORT": str(METRICS_PORTS[name]), "PYTHONPATH": str(REPO),
            "PROMETHEUS_MULTIPROC_DIR": str(HOME / "prometheus" / name)}  # + "-<role>", see start_service


def pid_file(name: str, role: str) -> Path:
    return HOME / "run" / f"{name}-{role}.pid"


def running(name: str, role: str) -> int | None:
    try:
        pid = int(pid_file(name, role).read_text())
    except (OSError, ValueError):
        return None
    cmdline = local.pid_cmdline(pid) or ""
    return pid if local.pid_alive(pid) and f"services.{name}" in cmdline else None


def start_service(name: str, env: dict[str, str]) -> None:
    for role in ROLES:
        if running(name, role):
            continue
        log_path = HOME / "logs" / f"{name}-{role}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        pid_file(name, role).parent.mkdir(parents=True, exist_ok=True)
        # each process its own, empty metrics directory, ready before the service imports its metrics
        metrics_dir = Path(f"{env['PROMETHEUS_MULTIPROC_DIR']}-{role}")
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        role_env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        with log_path.open("ab") as log:
            process = subprocess.Popen([sys.executable, "-m", f"services.{name}", role], cwd=REPO, env=role_env,
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        process.returncode = 0  # it outlives us on purpose; don't let Popen warn about it
        pid_file(name, role).write_text(f"{process.pid}\n")


def wait_ready(name: str, timeout: float = 120.0) -> None:
    url = f"http://127.0.0.1:{PORTS[name]}/readyz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not running(name, "api"):
            raise local.StackError(f"{name} api exited\n{local.log_tail(HOME / 'logs' / f'{name}-api.log')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise local.StackError(f"{name} did not answer {url} within {timeout:.0f} s")


def stop_services() -> None:
    for name in PORTS:
        for role in ROLES:
            pid = running(name, role)
            if pid:
                os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + 40
                while local.pid_alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.2)
                if local.pid_alive(pid):
                    os.kill(pid, signal.SIGKILL)
            pid_file(name, role).unlink(missing_ok=True)


def seed(secret: str, token: str) -> str | None:
    """Run the demo seed (unless SEED_DEMO=0); returns the demo program id if there is one."""
    script = REPO / "deploy" / "local" / "seed_demo.py"
    if os.environ.get("SEED_DEMO", "1") == "0" or not script.exists():
        return None
    args = [sys.executable, str(script), "--token", token] + [
        f"--{name}=http://127.0.0.1:{PORTS[name]}" for name in available_services()]
    env = {**AUTH_DEFAULTS, **os.environ, "AUTH_JWT_SECRET": secret, "PYTHONPATH": str(REPO)}
    print("seeding the demo program (SEED_DEMO=0 skips it) ...", flush=True)
    lines = []
    with (HOME / "logs" / "seed.log").open("w") as log, subprocess.Popen(
            args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        for line in process.stdout:  # as it goes, so a long seed shows where it is
            log.write(line)
            lines.append(line.rstrip("\n"))
            if not line.startswith(("DEMO_PROGRAM_ID=", "DEMO_COUNTS=")):
                print(f"  {line}", end="", flush=True)
    if process.returncode != 0:
        raise local.StackError(f"demo seed failed (log: {HOME / 'logs' / 'seed.log'})")
    ids = [line.split("=", 1)[1] for line in lines if line.startswith("DEMO_PROGRAM_ID=")]
    return ids[-1] if ids else None


def print_summary(stack: local.LocalStack, token: str, program_id: str | None) -> None:
    print("\nTandem is up.\n")
    for name in available_services():
        print(f"  {name:14} http://127.0.0.1:{PORTS[name]}/docs   (OpenAPI: /openapi.json)")
    if not os.environ.get("SMTP_HOST"):
        print(f"  {'mail':14} {stack.mail_web_url}   (files: {stack.mail_dir})")
    if program_id and "analytics" in available_services():
        print(f"  {'dashboard':14} http://127.0.0.1:{PORTS['analytics']}/dashboard/programs/{program_id}"
              f"?token={token}")
    if program_id:
        print(f"\n  demo program:  {program_id}   (managers' weekly digests and the quiet pairs' nudges reach the "
              "mail at the notifications worker's first round, ~5 min after start)")
    print(f"\n  admin token (hr_admin + program_admin, 7 days):\n  {token}\n")
    print(f"  logs: {HOME / 'logs'}    stop: make down")


def up() -> None:
    from shared.auth import issue_token

    stack = local.LocalStack(home=HOME)
    infra_env = start_infrastructure(stack)
    secret = auth_secret()
    for name in available_services():
        start_service(name, service_env(name, infra_env, secret))
    for name in available_services():
        wait_ready(name)
    auth = {**AUTH_DEFAULTS, **os.environ}
    token = issue_token(secret, sub="demo-admin", roles=["hr_admin", "program_admin"], ttl_seconds=7 * 86400,
                        audience=auth["AUTH_AUDIENCE"], issuer=auth["AUTH_ISSUER"])
    print_summary(stack, token, seed(secret, token))


def down() -> None:
    stop_services()
    local.LocalStack(home=HOME).stop_all()
    print("Tandem stopped; data kept in", HOME)


def status() -> int:
    for name in available_services():
        states = ", ".join(f"{role} {'pid ' + str(running(name, role)) if running(name, role) else 'stopped'}"
                           for role in ROLES)
        print(f"{name:14} {states}")
    return 0 if local.print_status(local.LocalStack(home=HOME)) else 1


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO))
    command = argv[0] if argv else "status"
    try:
        if command == "up":
            up()
        elif command == "down":
            down()
        elif command == "status":
            return status()
        else:
            print("usage: suite.py up|down|status", file=sys.stderr)
            return 2
    except local.MissingTool as exc:
        print(f"make: {exc}", file=sys.stderr)
        return 2
    except local.StackError as exc:
        print(f"make up failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
