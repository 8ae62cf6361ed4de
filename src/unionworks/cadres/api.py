from ninja import Router

router = Router(tags=["理论武装工程与人才兴会工程"])
