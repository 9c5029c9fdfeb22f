"""工作台 (the staff workbench), mounted at /workbench on every tenant host and /t/<code>/ path."""
from starlette.routing import Route

from tongban.platform.workbench import appointments, cases, intake, supervision, tasks
from tongban.platform.workbench.common import rp
from tongban.platform.construction import web_workbench as construction_workbench

routes: list = [
    *rp.routes(),
    Route("/", tasks.my_tasks, name="workbench_tasks"),
    Route("/received", tasks.received, name="workbench_received"),
    Route("/appointments", appointments.day_page, name="workbench_appointments"),
    Route("/appointments/{number}/{action}", appointments.handle, methods=["POST"]),
    Route("/cases/{case_id:int}", cases.case_page, name="workbench_case"),
    Route("/cases/{case_id:int}/act/{action}", cases.act, methods=["POST"], name="workbench_act"),
    Route("/cases/{case_id:int}/documents/{kind}.pdf", cases.document, name="workbench_document"),
    Route("/cases/{case_id:int}/files/{file_id}", cases.case_file, name="workbench_file"),
    Route("/intake", intake.choose_item, name="workbench_intake"),
    Route("/intake/{item_code}", intake.intake_form, name="workbench_intake_form"),
    Route("/intake/{item_code}/submit", intake.submit, methods=["POST"], name="workbench_intake_submit"),
    Route("/receipts/{case_id:int}", intake.receipt, name="workbench_receipt"),
    Route("/supervision", supervision.department_page, name="workbench_supervision"),
    Route("/supervision/{alert_id:int}/{action}", supervision.answer_alert, methods=["POST"]),
    Route("/petitions/{petition_id:int}/answer", supervision.answer_petition, methods=["POST"]),
    Route("/ratings/{rating_id:int}/{action}", supervision.answer_rating, methods=["POST"]),
    *construction_workbench.routes,
]
