"""The report for people who decide: the findings of the metrics as plain sentences, with the
map, the commuting gaps, recommended ties, survey quality, the timeline and a comparison, in one
offline HTML document or a PDF.

``findings`` reads what to say from a metrics report, ``words`` fills the sentence templates
of the language modules ``de`` and ``en``, ``document`` lays it out as HTML with print styles,
``build`` puts it together (`kreistag_report`) and ``output`` writes HTML or PDF.
"""

from netkoop.output.pdf import Printer
from netkoop.report.build import kreistag_report
from netkoop.report.document import Document
from netkoop.report.output import check_report, pdf_of, write_report

__all__ = ["Document", "Printer", "check_report", "kreistag_report", "pdf_of", "write_report"]
