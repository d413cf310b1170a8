from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import Form


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Ingat saya"))


class RegisterForm(Form):
    name = StringField(_l("Nama"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    phone = TelField(_l("Nomor HP (opsional)"), validators=[Optional(), Length(max=30)])
    password = PasswordField(
        _l("Kata sandi"), validators=[DataRequired(), Length(max=200)], description=_l("Minimal 8 karakter.")
    )


class PasswordForm(Form):
    current_password = PasswordField(_l("Kata sandi lama"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("Kata sandi baru"), validators=[DataRequired(), Length(max=200)], description=_l("Minimal 8 karakter.")
    )


class ForgotForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class ResetForm(Form):
    new_password = PasswordField(
        _l("Kata sandi baru"), validators=[DataRequired(), Length(max=200)], description=_l("Minimal 8 karakter.")
    )


class InvitationAccountForm(Form):
    """An invited person without an account: the address is the invitation's."""

    name = StringField(_l("Nama"), validators=[DataRequired(), Length(max=120)])
    phone = TelField(_l("Nomor HP (opsional)"), validators=[Optional(), Length(max=30)])
    password = PasswordField(
        _l("Kata sandi"), validators=[DataRequired(), Length(max=200)], description=_l("Minimal 8 karakter.")
    )


class PhoneForm(Form):
    phone = TelField(
        _l("Nomor HP"),
        validators=[DataRequired(), Length(max=30)],
        description=_l("Kode masuk dikirim lewat WhatsApp."),
    )


class PhoneSignUpForm(Form):
    name = StringField(_l("Nama"), validators=[DataRequired(), Length(max=120)])
    phone = PhoneForm.phone


class CodeForm(Form):
    code = StringField(_l("Kode 6 angka"), validators=[DataRequired(), Length(max=6)])


class NameForm(Form):
    name = StringField(_l("Nama"), validators=[DataRequired(), Length(max=120)])


class EmailForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
