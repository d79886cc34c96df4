"""/api/v1/inquiries/ (API.md, "Inquiries and verification")."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from inquiries import selectors, services
from inquiries.serializers import (
    CloseSerializer,
    InquiryInSerializer,
    InquirySerializer,
    MessageInSerializer,
    MessageSerializer,
)


class InquiryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Both organisations' inquiries (and the broker's); staff of the owner's market."""

    serializer_class = InquirySerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            selectors.inquiries_visible_to(self.request.user)
            .select_related("created_by", "accepted_by")
            .order_by("-last_message_at", "-id")
        )

    def _done(self, inquiry, code=status.HTTP_200_OK):
        return Response(InquirySerializer(self.get_queryset().get(pk=inquiry.pk)).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        inquiry = services.inquiry_opened(inquiry=self.get_object(), by=request.user)
        return self._done(inquiry)

    @extend_schema(request=InquiryInSerializer, responses=InquirySerializer)
    def create(self, request):
        body = InquiryInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        inquiry, created = services.inquiry_send(
            by=request.user,
            subject_type=data["subject_type"],
            subject_id=data["subject"],
            kind=data["kind"],
            message=data["message"],
            broker_requested=data["broker_requested"],
        )
        return self._done(inquiry, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=MessageInSerializer, responses=MessageSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        inquiry = self.get_object()
        if request.method == "POST":
            body = MessageInSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            message = services.message_post(
                inquiry=inquiry, by=request.user, text=body.validated_data["text"]
            )
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        rows = inquiry.messages.select_related("author", "organization")
        return Response(MessageSerializer(rows, many=True).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._done(services.inquiry_accept(inquiry=self.get_object(), by=request.user))

    @extend_schema(request=CloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._done(
            services.inquiry_close(
                inquiry=self.get_object(),
                by=request.user,
                outcome=data["outcome"],
                reason=data["reason"],
                contract=data.get("contract"),
                listing=data.get("listing"),
            )
        )
