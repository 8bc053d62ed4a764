from django.urls import path, register_converter

from partnerprep.converters import DatabaseIdConverter

from .views import answering, partnerships, report, results

app_name = "assessments"

register_converter(DatabaseIdConverter, "id")

round_prefix = "<id:partnership_id>/rounds/<id:round_id>/"

urlpatterns = [
    path("", partnerships.partnership_list, name="partnership-list"),
    path("new/", partnerships.partnership_create, name="partnership-create"),
    path("dashboard/", results.dashboard, name="dashboard"),
    path("join/<str:token>/", partnerships.invitation_accept, name="invitation-accept"),
    path("<id:partnership_id>/", partnerships.partnership_detail, name="partnership-detail"),
    path(
        "<id:partnership_id>/members/<id:membership_id>/",
        partnerships.membership_update,
        name="membership-update",
    ),
    path("<id:partnership_id>/invitations/new/", partnerships.invitation_create, name="invitation-create"),
    path(
        "<id:partnership_id>/invitations/<id:invitation_id>/revoke/",
        partnerships.invitation_revoke,
        name="invitation-revoke",
    ),
    path("<id:partnership_id>/rounds/new/", answering.round_create, name="round-create"),
    path(round_prefix, answering.round_detail, name="round-detail"),
    path(round_prefix + "answer/<id:number>/", answering.answer_page, name="answer-page"),
    path(round_prefix + "answer/<id:number>/autosave/", answering.answer_autosave, name="answer-autosave"),
    path(round_prefix + "submit/", answering.response_submit, name="response-submit"),
    path(round_prefix + "responses/<id:response_id>/", answering.response_detail, name="response-detail"),
    path(round_prefix + "responses/<id:response_id>/reopen/", answering.response_reopen, name="response-reopen"),
    path(round_prefix + "close/", results.round_close, name="round-close"),
    path(round_prefix + "results/", results.results_page, name="results"),
    path(round_prefix + "export.csv", results.export_csv, name="export-csv"),
    path(round_prefix + "summary.csv", results.export_summary_csv, name="export-summary-csv"),
    path(round_prefix + "report.pdf", report.report_pdf, name="report-pdf"),
]
