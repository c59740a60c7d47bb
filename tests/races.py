"""Race helpers: calls on their own threads and database connections, released together by a
``threading.Barrier`` after each has opened its connection, so the requests really overlap. For
PostgreSQL (row locks); SQLite serialises writers, so a race there proves nothing."""

import threading

from django.db import connection


def race(*calls, timeout=30):
    """Run each call in its own thread with its own DB connection, released together.

    Returns one ``("ok", value)`` or ``("error", exception)`` per call, in the calls' order.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=timeout)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the outcome is the test's to judge
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    return results


def outcomes(results):
    """(number of successes, the exceptions raised)."""
    return sum(1 for kind, _ in results if kind == "ok"), [v for kind, v in results if kind == "error"]


def values(results):
    """Each call's return value, or the exception it raised, in the calls' order."""
    return [value for _kind, value in results]

