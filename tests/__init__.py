"""The portal's tests, one package per app (``tests/common/``, ``tests/programs/``, ``tests/accounts/``,
``tests/sectors/``, ``tests/financing/``, ``tests/monitoring/``, ``tests/demo/``), the portal as a whole
(``tests/kaleh_portal/``) and the browser tests (``tests/browser/``).

Helpers are plain modules that tests import: ``tests.world`` (the one world of test data and the
helpers that drive an application through the services), ``tests.factories``, ``tests.web`` (acting
through the pages), ``tests.uploads``, ``tests.notices`` and ``tests.sms_backends``. The
``conftest.py`` files only declare fixtures.
"""
