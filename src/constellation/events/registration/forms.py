"""Forms of the registration pages: register, staff filters, record a payment, check-in search."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from constellation.events.models import PaymentStatus, RegistrationStatus, TicketKind, TicketType
from constellation.events.registration import queries


class TicketChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, availability: dict, currency: str, **kwargs):
        self.availability = availability
        self.currency = currency
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: TicketType) -> str:
        row = self.availability.get(obj.pk)
        price = row.price if row else obj.price
        label = f"{obj.name}: {formats.number_format(price, 2)} {self.currency}"
        if obj.vat_rate:
            label += " " + str(
                _("+ VAT %(rate)s%%") % {"rate": formats.number_format(obj.vat_rate.normalize())}
            )
        if row and row.early_bird:
            label += " " + str(_("(early-bird price)"))
        if row and row.sold_out:
            label += " " + str(_("(full: you join the waiting list)"))
        return label


class RegistrationForm(forms.Form):
    ticket_type = TicketChoiceField(
        queryset=TicketType.objects.none(),
        label=_("Ticket"),
        widget=forms.RadioSelect,
        empty_label=None,
        availability={},
        currency="EUR",
    )
    day = forms.ChoiceField(
        label=_("Day (day pass only)"),
        required=False,
        help_text=_("For a day pass: the day you come."),
    )
    name = forms.CharField(label=_("Name on the badge"), max_length=200)
    organisation_name = forms.CharField(
        label=_("Organisation on the badge"), max_length=200, required=False
    )
    billing_name = forms.CharField(
        label=_("Invoice to"),
        max_length=200,
        required=False,
        help_text=_("The person or organisation that pays; empty = the name on the badge."),
    )
    billing_address = forms.CharField(
        label=_("Billing address"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    billing_vat_number = forms.CharField(
        label=_("VAT number of the buyer"), max_length=40, required=False
    )
    accessibility_needs = forms.CharField(
        label=_("Access needs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Anything that helps you take part: step-free routes, captions, dietary needs, a quiet room."
        ),
    )

    def __init__(self, *args, event, availability: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        field = self.fields["ticket_type"]
        field.queryset = TicketType.objects.filter(event=event, on_sale=True).order_by(
            "position", "pk"
        )
        field.availability = {row.ticket_type.pk: row for row in availability}
        field.currency = event.currency
        days = queries.event_days(event)
        self.fields["day"].choices = [("", _("Not a day pass"))] + [
            (d.isoformat(), formats.date_format(d, "l j F Y")) for d in days
        ]
        self._days = {d.isoformat(): d for d in days}

    def clean_day(self):
        value = self.cleaned_data.get("day")
        return self._days.get(value) if value else None

    def clean(self):
        data = super().clean()
        ticket, day = data.get("ticket_type"), data.get("day")
        if ticket is not None:
            if ticket.kind == TicketKind.DAY_PASS and day is None:
                self.add_error("day", _("Choose the day of your day pass."))
            elif ticket.kind != TicketKind.DAY_PASS and day is not None:
                self.add_error("day", _('Only a day pass is for one day: choose "Not a day pass".'))
        return data


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, organisation or email"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + RegistrationStatus.choices
    )
    ticket_type = forms.ModelChoiceField(
        label=_("Ticket"), required=False, queryset=TicketType.objects.none(), empty_label=_("Any")
    )
    payment = forms.ChoiceField(
        label=_("Payment"), required=False, choices=[("", _("Any"))] + PaymentStatus.choices
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].queryset = TicketType.objects.filter(event=event)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount received"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
    reference = forms.CharField(label=_("Bank reference"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CancelForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, I cannot come: cancel my registration"))


class CheckinSearchForm(forms.Form):
    code = forms.CharField(
        label=_("Badge code, number or name"),
        max_length=300,
        required=False,
        help_text=_(
            "Scan the badge's QR code, type the number printed on it, or type part of a name."
        ),
    )


class CheckinForm(forms.Form):
    registration = forms.IntegerField(widget=forms.HiddenInput)
