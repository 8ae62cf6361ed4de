from ninja import Router

router = Router(tags=["建功立业工程与职工素质工程"])
