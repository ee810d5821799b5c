app_name = "globalday"

urlpatterns: list = []
