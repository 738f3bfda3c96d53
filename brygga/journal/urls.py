from django.urls import path

from brygga.journal import views

urlpatterns = [
    path("arenden/<id:case_id>/journal/", views.journal, name="journal"),
    path("arenden/<id:case_id>/journal/ny/", views.new_note, name="journal_new"),
    path("arenden/<id:case_id>/journal/autospara/", views.autosave, name="journal_autosave"),
    path("arenden/<id:case_id>/journal/<id:note_id>/", views.note_detail, name="journal_note"),
    path("arenden/<id:case_id>/journal/<id:note_id>/andra/", views.edit_note, name="journal_edit"),
    path(
        "arenden/<id:case_id>/journal/<id:note_id>/rattelse/",
        views.correct_note,
        name="journal_correct",
    ),
]
