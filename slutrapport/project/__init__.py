"""The project folder: projekt.yaml, the funder's heading templates and the edits the web page makes."""
