"""A local web page for the toolkit (``slutrapport serve``): from export files to a finished report.

Server-rendered Flask pages in Swedish, bound to 127.0.0.1 and locked with a
token (:mod:`.security`). Every page calls the same library functions as the
command line (:mod:`slutrapport.pipeline`, :mod:`slutrapport.project.edit`);
nothing is computed in a route and nothing leaves the computer.
"""

from slutrapport.web.app import DEFAULT_MAX_UPLOAD, create_app

__all__ = ["create_app", "DEFAULT_MAX_UPLOAD"]
