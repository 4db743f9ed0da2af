"""The status of a job the page started (building the report, computing the comparison), polled by the page's script."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from slutrapport.web.views.common import state

__all__ = ["blueprint"]

blueprint = Blueprint("jobb", __name__, url_prefix="/jobb")


@blueprint.get("/<job_id>")
def status(job_id: str):
    """The job's state, steps so far and, when done, its messages (JSON; see :meth:`~slutrapport.web.jobs.Job.status`)."""
    job = state().jobs.get(job_id)
    if job is None:
        abort(404)
    return jsonify(job.status())
