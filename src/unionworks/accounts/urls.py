from django.urls import path

from unionworks.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("me/password/", views.my_password, name="my_password"),
    path("<int:user_id>/", views.account_detail, name="detail"),
    path("<int:user_id>/active/", views.account_set_active, name="set_active"),
    path("<int:user_id>/password/", views.account_password, name="password"),
]
