from rest_framework import serializers

from portal.core.limits import NOTE_MAX
from publicity.models import Objection, Publicity
from publicity.subjects import subject_name


class PublicitySerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    status = serializers.CharField(source="phase", read_only=True)
    objections = serializers.IntegerField(source="objections.count", read_only=True)

    class Meta:
        model = Publicity
        fields = [
            "id",
            "subject",
            "kind",
            "version",
            "title",
            "content",
            "content_sha256",
            "period_value",
            "period_unit",
            "starts_on",
            "ends_on",
            "status",
            "objections",
            "created_at",
        ]
        read_only_fields = fields

    def get_subject(self, publicity) -> str:
        return subject_name(publicity)


class ObjectionSerializer(serializers.ModelSerializer):
    facts = serializers.CharField(max_length=NOTE_MAX)
    contact = serializers.CharField(max_length=100)
    real_name = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "publicity",
            "real_name",
            "contact",
            "facts",
            "status",
            "reply",
            "received_at",
        ]
        read_only_fields = ["id", "publicity", "status", "reply", "received_at"]


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=NOTE_MAX)
