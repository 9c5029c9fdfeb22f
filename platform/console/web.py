"""电子监察台 (the supervisors' console), mounted at /supervision on every tenant host and /t/<code>/ path."""
from starlette.routing import Route

from tongban.platform.console import alerts, dashboard, ratings

routes: list = [
    Route("/", alerts.alert_list, name="supervision_alerts"),
    Route("/alerts/{alert_id:int}", alerts.alert_page, name="supervision_alert"),
    Route("/alerts/{alert_id:int}/files/{file_id}", alerts.attachment, name="supervision_attachment"),
    Route("/alerts/{alert_id:int}/{action}", alerts.act, methods=["POST"], name="supervision_act"),
    Route("/complaints", alerts.complaints_page, name="supervision_complaints"),
    Route("/ratings", ratings.ratings_page, name="supervision_ratings"),
    Route("/ratings/{rating_id:int}/decide", ratings.decide, methods=["POST"]),
    Route("/dashboard", dashboard.dashboard, name="supervision_dashboard"),
    Route("/dashboard.xlsx", dashboard.dashboard_xlsx, name="supervision_dashboard_xlsx"),
    Route("/evaluation", dashboard.evaluation_page, name="supervision_evaluation"),
    Route("/evaluation.{kind:str}", dashboard.evaluation_file, name="supervision_evaluation_file"),
]
