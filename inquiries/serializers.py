from rest_framework import serializers

from inquiries.models import Inquiry, InquiryMessage
from portal.core.limits import NOTE_MAX


class InquirySerializer(serializers.ModelSerializer):
    subject = serializers.IntegerField(source="subject_id", read_only=True)
    from_organization = serializers.CharField(source="from_organization.name", read_only=True)
    to_organization = serializers.CharField(source="to_organization.name", read_only=True)
    broker = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "subject_type",
            "subject",
            "subject_title",
            "from_organization",
            "to_organization",
            "kind",
            "message",
            "broker_requested",
            "broker",
            "status",
            "created_at",
            "accepted_at",
            "close_reason",
            "listing",
            "contract",
            "contacts",
        ]
        read_only_fields = fields

    def get_broker(self, inquiry) -> str | None:
        return inquiry.broker.get_full_name() or inquiry.broker.username if inquiry.broker else None

    def get_contacts(self, inquiry) -> dict | None:
        """Each side's contact person, once the owner accepted (else null)."""
        if not inquiry.contacts_shown:
            return None
        return {"from": person(inquiry.created_by), "to": person(inquiry.accepted_by)}


def person(user) -> dict | None:
    if user is None:
        return None
    return {"name": user.get_full_name() or user.username, "email": user.email}


class InquiryInSerializer(serializers.Serializer):
    subject_type = serializers.ChoiceField(choices=Inquiry.SubjectType.choices)
    subject = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=Inquiry.Kind.choices)
    message = serializers.CharField(max_length=NOTE_MAX)
    broker_requested = serializers.BooleanField(default=False)


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    organization = serializers.CharField(source="organization.name", default=None, read_only=True)

    class Meta:
        model = InquiryMessage
        fields = ["id", "author", "organization", "text", "created_at"]
        read_only_fields = fields

    def get_author(self, message) -> str:
        return message.author.get_full_name() or message.author.username


class MessageInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=NOTE_MAX)


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=(("deal", "deal"), ("no_deal", "no_deal")))
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    contract = serializers.IntegerField(min_value=1, required=False)
    listing = serializers.IntegerField(min_value=1, required=False)
