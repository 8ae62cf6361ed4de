from ninja import Router

router = Router(tags=["实力强会工程"])
