"""The API of a library: list/detail with filters, create/update through services,
and one POST endpoint per lifecycle action."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from portal.core.api import ReasonSerializer
from portal.core.replica import account_from_primary, replica_reads
from portal.library import services as library
from portal.library.serializers import AttachmentSerializer


def _list_cache_key(request, model) -> str | None:
    """The cache key of an anonymous JSON list request, or None (not cached).

    The key holds the value of `library_change_seq`, which every write to the
    tables a list reads advances (migration portal 0005): a write makes every
    cached list obsolete, in every process. One window remains: a list read
    while a write is uncommitted can be cached under the new value with the old
    rows; LIBRARY_LIST_CACHE_SECONDS bounds how long such an entry lives.
    """
    if (
        not settings.LIBRARY_LIST_CACHE_SECONDS
        or request.user.is_authenticated
        or request.accepted_renderer.format != "json"
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM library_change_seq")
        version = cursor.fetchone()[0]
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"library-list:{model._meta.label_lower}:{version}:{request.LANGUAGE_CODE}:{path}"


class LibraryViewSet(viewsets.ModelViewSet):
    """Subclasses set `serializer_class`, `filterset_class`, `visible` (a selector,
    as a staticmethod) and `services` (the library's ItemServices, which its pages
    call too); an action beyond submit, approve and reject is
    `def withdraw(self, request, pk=None): return self._act("withdraw")`."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    rate_limit_scope = "search"

    @staticmethod
    def rate_limit_applies(request) -> bool:
        """Searching is limited; browsing and reading are not."""
        return bool(request.query_params.get("q"))

    def get_queryset(self):
        return self.visible(self.request.user).prefetch_related("attachments")

    def list(self, request, *args, **kwargs):
        """Anonymous JSON lists come from the cache while no library table changed
        (the bulk of public traffic; see _list_cache_key)."""
        key = _list_cache_key(request, self.serializer_class.Meta.model)
        if key:
            hit = cache.get(key)
            if hit is not None:
                content, estimated = hit
                response = HttpResponse(content, content_type="application/json")
                if estimated:
                    response["X-Count-Estimated"] = estimated
                return response
        account_from_primary(request)
        with replica_reads():
            response = super().list(request, *args, **kwargs)
        if key and response.status_code == 200:
            content = request.accepted_renderer.render(
                response.data, request.accepted_media_type, self.get_renderer_context()
            )
            estimated = response.headers.get("X-Count-Estimated")
            cache.set(key, (content, estimated), settings.LIBRARY_LIST_CACHE_SECONDS)
        return response

    def _item(self):
        return get_object_or_404(self.visible(self.request.user), pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = self.services.create(by=request.user, data=serializer.validated_data)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        item = self._item()
        serializer = self.get_serializer(item, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        item = self.services.change(item, by=request.user, data=serializer.validated_data)
        return Response(self.get_serializer(item).data)

    def destroy(self, request, *args, **kwargs):
        self.services.act("delete", self._item(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _act(self, action: str, **kwargs):
        item = self.services.act(action, self._item(), by=self.request.user, **kwargs)
        item = self.visible(self.request.user).prefetch_related("attachments").get(pk=item.pk)
        return Response(self.get_serializer(item).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act("submit")

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act("approve")

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act("reject", reason=body.validated_data["reason"])

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "array", "items": {"type": "string", "format": "binary"}}
                },
            }
        },
        responses=AttachmentSerializer(many=True),
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        saved = library.item_attach(
            item=self._item(), by=request.user, files=request.FILES.getlist("file")
        )
        return Response(AttachmentSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)
