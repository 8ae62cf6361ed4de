from django.core.management.base import BaseCommand, CommandError

from unionworks.accounts.models import User
from unionworks.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "为账号签发一个接口令牌 (Bearer token)，只显示这一次。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌用途")

    def handle(self, *args, username, name, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"没有名为 {username} 的有效账号") from None
        self.stdout.write(issue_api_token(user=user, name=name))
