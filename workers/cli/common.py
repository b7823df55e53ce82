"""What every command that reaches Redis shares: the ``--redis-url``/``--corpus`` options and one way to say no Redis answers."""

from __future__ import annotations

import sys

import click

from workers import config, queue


def fail(message: str) -> None:
    """One clear line on stderr and a non-zero exit, never a traceback."""
    click.echo(f"corroborate: {message}", err=True)
    sys.exit(2)


def redis_options(redis_help: str, corpus_help: str):
    """``--redis-url`` (env REDIS_URL) and ``--corpus`` (env CORROBORATE_CORPUS), with their help texts."""

    options = (
        ("--corpus", "CORROBORATE_CORPUS", config.DEFAULT_CORPUS, corpus_help),
        ("--redis-url", "REDIS_URL", config.DEFAULT_REDIS_URL, redis_help),
    )

    def decorate(command):
        for name, envvar, default, help_text in options:
            command = click.option(
                name, envvar=envvar, default=default, show_default=True, help=f"{help_text} (env {envvar})."
            )(command)
        return command

    return decorate


def answering(redis_url: str, timeout: float | None = 0.5, errors=queue.UNREACHABLE):
    """A fail-fast client and whether Redis answers a ping at ``redis_url``."""
    connection = queue.connect(redis_url, timeout=timeout)
    try:
        connection.ping()
    except errors:
        return connection, False
    return connection, True


def no_redis(connection, why: str = "") -> str:
    """The one message for a Redis that does not answer."""
    return f"no Redis answers at {queue.describe(connection)}{why}"
