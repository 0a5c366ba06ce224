"""Surveys: ask the Kommunen who they work with, and turn their answers into ties honestly.

`create` writes one questionnaire per respondent (an Excel workbook and an offline HTML form)
with the roster of candidate partners; `collect` reads the filled workbooks, form files and
survey tools' CSV exports back, keeps every answer as a *report*, and builds ties from the
reports by a declared rule, each tie saying who reported it and whether the other side
confirmed it. See `../shared/design.md` for the words (survey, report, confirmed).
"""

from netkoop.survey.collection import Collected, collect
from netkoop.survey.questionnaires import CreatedSurvey, create

__all__ = ["Collected", "CreatedSurvey", "collect", "create"]
