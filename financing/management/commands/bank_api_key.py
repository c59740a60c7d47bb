"""``manage.py bank_api_key``: issue, revoke and list the bank API keys of a bank officer's account
(issue 8, "Authentication"); the admin does the same for ministry staff.

- ``bank_api_key issue <username> [--name NAME] [--expires-days N]`` prints the new key once;
- ``bank_api_key revoke <prefix>`` revokes a key for good;
- ``bank_api_key list <username>`` lists the account's keys (prefix, name, created, expiry, status).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from common.errors import RuleBroken
from financing.api.keys import api_key_issue, api_key_revoke
from financing.api.models import BankApiKey


def _user(username):
    try:
        return User.objects.select_related("bank").get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"No account named {username!r}.") from None


def _expiry(api_key):
    return timezone.localtime(api_key.expiry_date).isoformat(timespec="minutes") if api_key.expiry_date else "never"


def _status(api_key):
    if api_key.revoked:
        return "revoked"
    return "expired" if api_key.has_expired else "active"


class Command(BaseCommand):
    help = "Issue, revoke or list the bank API keys of a bank officer's account."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{issue,revoke,list}")
        issue = actions.add_parser("issue", help="Issue a key to a bank officer's account; prints it once.")
        issue.add_argument("username")
        issue.add_argument("--name", default="core banking", help="A name for the key (at most 50 characters).")
        issue.add_argument("--expires-days", type=int, default=None, dest="expires_days",
                           help="Days the key is valid (default: until revoked).")
        revoke = actions.add_parser("revoke", help="Revoke a key, given its prefix (the part before the dot).")
        revoke.add_argument("prefix")
        listing = actions.add_parser("list", help="List the keys of an account.")
        listing.add_argument("username")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _issue(self, *, username, name, expires_days, **_options):
        user = _user(username)
        try:
            api_key, key = api_key_issue(user=user, name=name, expires_in_days=expires_days)
        except RuleBroken as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"Issued key {api_key.prefix} ({api_key.name}) to {user.username} of {user.bank}; "
                          f"expires: {_expiry(api_key)}.")
        self.stdout.write("The key, shown only this once (send it as 'Authorization: Api-Key <key>'):")
        self.stdout.write(key)

    def _revoke(self, *, prefix, **_options):
        api_key = BankApiKey.objects.select_related("user").filter(prefix=prefix.strip()).first()
        if api_key is None:
            raise CommandError(f"No key with the prefix {prefix!r}.")
        if api_key_revoke(api_key=api_key):
            self.stdout.write(self.style.SUCCESS(f"Revoked key {api_key.prefix} of {api_key.user.username}."))
        else:
            self.stdout.write(f"Key {api_key.prefix} was already revoked.")

    def _list(self, *, username, **_options):
        user = _user(username)
        keys = BankApiKey.objects.filter(user=user).order_by("created")
        for api_key in keys:
            created = timezone.localtime(api_key.created).isoformat(timespec="minutes")
            self.stdout.write(f"{api_key.prefix}  {_status(api_key):8}  created {created}  expires {_expiry(api_key)}"
                              f"  {api_key.name}")
        if not keys:
            self.stdout.write(f"{user.username} has no API keys.")
