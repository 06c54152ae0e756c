from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional


class FeedForm(FlaskForm):
    url = URLField("Feed address", validators=[DataRequired(), URL(), Length(max=2000)])
    collection = StringField("Collection", validators=[Optional(), Length(max=200)])
    submit = SubmitField("Add feed")


class ProposePostForm(FlaskForm):
    url = URLField("Post address", validators=[DataRequired(), URL(), Length(max=2000)])
    submit = SubmitField("Add to the queue")


class EditPendingForm(FlaskForm):
    """An organiser's edit of a waiting item before it is published."""

    title = StringField("Title", validators=[DataRequired(), Length(max=1000)])
    body = TextAreaField("Text (Markdown)", validators=[DataRequired(), Length(max=50_000)])
    submit = SubmitField("Save")


class EditItemForm(FlaskForm):
    """What organisers change on a published or hidden item."""

    title = StringField("Title", validators=[DataRequired(), Length(max=1000)])
    tags = StringField("Tags, separated by commas", validators=[Optional(), Length(max=3000)])
    collection = StringField("Collection", validators=[Optional(), Length(max=200)])
    submit = SubmitField("Save")
