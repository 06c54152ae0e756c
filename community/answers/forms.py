from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class FaqAnswerForm(FlaskForm):
    """An organiser's answer to a member's unanswered question, published as an FAQ entry."""

    question = StringField("Question", validators=[DataRequired(), Length(max=500)])
    answer = TextAreaField("Answer", validators=[DataRequired(), Length(max=20_000)])
    collection = StringField("Collection", validators=[Optional(), Length(max=200)])
    submit = SubmitField("Publish as an FAQ entry")


class GapQuestionForm(FlaskForm):
    """ "Write an FAQ entry" for a gap that only feedback revealed: opens its question."""

    question = HiddenField(validators=[DataRequired(), Length(max=2000)])


class AskOrganisersForm(FlaskForm):
    """ "Ask the organisers" on a search that found nothing useful: the question searched."""

    question = HiddenField(validators=[DataRequired(), Length(max=500)])
