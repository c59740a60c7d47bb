"""SMS backends for tests, named in ``override_settings(SMS_BACKEND=...)``.

They live outside the test modules so that ``import_string`` and the tests see one class (pytest
imports test modules under their own names).
"""

from accounts.sms import SmsBackend, SmsError


class FailingSmsBackend(SmsBackend):
    """A gateway that refuses every message; ``calls`` counts the tries."""

    calls = 0

    def send(self, mobile, text):
        FailingSmsBackend.calls += 1
        raise SmsError("gateway unreachable")


class FlakySmsBackend(SmsBackend):
    """A gateway that refuses the first message and accepts the next."""

    calls = 0

    def send(self, mobile, text):
        FlakySmsBackend.calls += 1
        if FlakySmsBackend.calls == 1:
            raise SmsError("timeout")
        return "gw-42"
