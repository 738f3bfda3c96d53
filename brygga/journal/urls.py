from django.urls import path

from brygga.journal import views

urlpatterns = [
    path("arenden/<int:case_id>/journal/", views.journal, name="journal"),
    path("arenden/<int:case_id>/journal/ny/", views.new_note, name="journal_new"),
    path("arenden/<int:case_id>/journal/autospara/", views.autosave, name="journal_autosave"),
    path("arenden/<int:case_id>/journal/<int:note_id>/", views.note_detail, name="journal_note"),
    path(
        "arenden/<int:case_id>/journal/<int:note_id>/andra/", views.edit_note, name="journal_edit"
    ),
    path(
        "arenden/<int:case_id>/journal/<int:note_id>/rattelse/",
        views.correct_note,
        name="journal_correct",
    ),
]
