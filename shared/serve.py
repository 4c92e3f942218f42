"""Process entry points: `python -m services.<name> api|worker`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from gunicorn.app.base import BaseApplication

from shared import logs
from shared.config import Config, load_config
from shared.worker import WorkerContext, new_context, run_worker


class _Gunicorn(BaseApplication):
    """Gunicorn serving the service's app; each forked worker builds its own app and clients."""

    def __init__(self, factory: Callable[[], object], options: dict):
        self._factory, self._options = factory, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return self._factory()


def _child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def serve_api(config: Config, factory: Callable[[], object]) -> None:
    _prepare_multiproc_dir()
    options = {"bind": f"{config.host}:{config.port}", "workers": config.web_concurrency,
               "worker_class": "gthread", "threads": 4, "timeout": 60, "graceful_timeout": 20,
               "accesslog": None, "loglevel": config.log_level.lower(), "child_exit": _child_exit,
               "proc_name": f"tandem-{config.service}-api", "control_socket_disable": True}
    _Gunicorn(factory, options).run()


def _prepare_multiproc_dir() -> None:
    """The directory must exist; emptying it is the launcher's job (metrics open their files at import)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)


def main(service: str, app_factory: Callable[[], object],
         worker_loops: Callable[[WorkerContext], list], argv: list[str] | None = None) -> None:
    """Dispatch `api` or `worker` for one service."""
    args = sys.argv[1:] if argv is None else argv
    config = load_config(service)
    logs.configure(service, config.log_level)
    if args[:1] == ["api"]:
        serve_api(config, app_factory)
    elif args[:1] == ["worker"]:
        _prepare_multiproc_dir()
        context = new_context(config)
        run_worker(context, worker_loops(context))
    else:
        sys.exit(f"usage: python -m services.{service} api|worker")
