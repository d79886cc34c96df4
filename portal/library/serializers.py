from django.urls import reverse
from rest_framework import serializers

from portal.core.models import Attachment


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "mime_type", "size", "created_at", "url"]
        read_only_fields = fields

    def get_url(self, obj: Attachment) -> str:
        return reverse("attachment", args=[obj.pk])


class LibraryItemSerializer(serializers.ModelSerializer):
    """Owner, status and dates are never taken from the input: they are read-only."""

    organization = serializers.PrimaryKeyRelatedField(read_only=True)
    region_code = serializers.CharField(source="organization.region_code", read_only=True)
    market = serializers.CharField(source="organization.market.code", read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    COMMON = [
        "id",
        "title",
        "organization",
        "tech_field",
        "industries",
        "keywords",
        "status",
        "reject_reason",
        "region_code",
        "market",
        "created_at",
        "published_at",
        "attachments",
    ]
    READ_ONLY = ["status", "reject_reason", "created_at", "published_at"]


class UploadSerializer(serializers.Serializer):
    file = serializers.ListField(child=serializers.FileField(), allow_empty=False)
