from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "unionworks.finance"
    verbose_name = "实力强会工程"

    def ready(self):
        # The preparatory fees (建会筹备金) of units become their new union's money when the
        # union is founded; orgs sends the signal without knowing this app.
        from unionworks.finance.services import on_union_founded
        from unionworks.orgs.signals import union_founded

        union_founded.connect(on_union_founded, dispatch_uid="finance.move_preparatory_fees")
