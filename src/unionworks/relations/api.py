from ninja import Router

router = Router(tags=["和谐劳动关系建设工程"])
