from django.urls import path

from brygga.housing import views

app_name = "housing"
CASE = "arenden/<id:case_id>/boende/"

urlpatterns = [
    path("boende/", views.inventory, name="inventory"),
    path("boende/ko/", views.waiting_list, name="waiting_list"),
    path("boende/belaggning/", views.occupancy, name="occupancy"),
    path("boende/lagenheter/ny/", views.flat_new, name="flat_new"),
    path("boende/lagenheter/<id:flat_id>/", views.flat_detail, name="flat_detail"),
    path("boende/lagenheter/<id:flat_id>/andra/", views.flat_edit, name="flat_edit"),
    path("boende/lagenheter/<id:flat_id>/adress/", views.flat_address, name="flat_address"),
    path("boende/lagenheter/<id:flat_id>/ta-bort/", views.flat_remove, name="flat_remove"),
    path(CASE + "tilldela/", views.allocate, name="allocate"),
    path(
        CASE + "tilldelningar/<id:allocation_id>/avsluta/",
        views.end_allocation,
        name="end_allocation",
    ),
    path(CASE + "ko/ny/", views.wait_new, name="wait_new"),
    path(CASE + "ko/<id:entry_id>/lamna/", views.wait_leave, name="wait_leave"),
]
